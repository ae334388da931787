#!/bin/bash
# The provider's path over mTLS, as docs/provider-guide.md describes it,
# against the real ledger_server binary on 127.0.0.1 (a free port): the PKI
# from scripts/dev-pki.sh, a provider key enrolled and bound to the provider
# certificate's CN, then `ledgerctl declare`, `notify` and `document`
# (--file and --sha256) with the example files of docs/examples/, as the
# provider certificate; each receipt's inclusion proof verified. Refusals:
# a key bound to another provider, a provider key through a collector
# certificate, Admin.ListKeys as a provider, a malformed declaration. Then
# an auditor proves the entries, and `declare --dir` works offline. The
# guide must show the example files as they are.
set -euo pipefail
source common/testonly/test_lib.sh

L=$PWD/tools/ledgerctl/ledgerctl
S=$PWD/api/server/ledger_server
EX=$PWD/docs/examples
PWD_REPO=$PWD
tmp="${TEST_TMPDIR:?}"
D="$tmp/ledger"
use_test_home
cd "$tmp"  # nothing below may depend on the repository as working directory

# ---- The guide shows the example files as they are (full-line comments
# aside), and every ledgerctl command it uses exists.
python3 - "$PWD_REPO/docs/provider-guide.md" "$EX" <<'PY'
import os, re, sys
guide, ex = open(sys.argv[1]).read(), sys.argv[2]
shown = re.findall(r"\(examples/([\w.-]+\.textproto)\)\)?:\n```\n(.*?)```", guide, re.S)
assert {n for n, _ in shown} == {"model-declaration.textproto", "notification.textproto",
                                 "document.textproto"}, [n for n, _ in shown]
for name, block in shown:
    lines = open(os.path.join(ex, name)).read().splitlines(True)
    want = "".join(l for l in lines if not l.lstrip().startswith("#"))
    assert block == want, f"provider-guide.md shows {name} otherwise than docs/examples has it"
PY
for cmd in $(grep -o '^\$L [a-z-]*' "$PWD_REPO/docs/provider-guide.md" | cut -d' ' -f2 | sort -u); do
  if $L "$cmd" --server 127.0.0.1:1 2>&1 | grep -q 'unknown command'; then
    fail "provider-guide.md uses ledgerctl $cmd, which does not exist"
  fi
done

# ---- PKI, ledger, keys (the operator's part, before the server starts).
dev_pki "$tmp/pki"
dev_pki "$tmp/pki" provider:other-ai
P="$tmp/pki"
for f in ca.pem server.pem example-ai.pem example-ai.key other-ai.pem auditor.pem gpu001.pem; do
  [[ -s "$P/$f" ]] || fail "dev-pki.sh made no $f"
done
openssl x509 -in "$P/example-ai.pem" -noout -subject | grep -q 'OU = provider, CN = example-ai' \
  || fail "provider certificate subject"
vkey=$($L init --dir "$D" --origin factory.example.eu/ledger | tail -n 1)
$L keygen --out "$tmp/provider.key" >/dev/null
$L keygen --out "$tmp/other.key" >/dev/null
$L enroll --dir "$D" --pub "$tmp/provider.key.pub" --role provider \
  --organisation "Example AI SAS" --tls_identity example-ai >/dev/null
$L enroll --dir "$D" --pub "$tmp/other.key.pub" --role provider \
  --organisation "Other AI GmbH" --tls_identity other-ai >/dev/null

# ---- The server, mTLS on a free loopback port.
port=$(free_port)
$S --ledger_dir="$D" --listen="127.0.0.1:$port" --tls_cert="$P/server.pem" \
  --tls_key="$P/server.key" --tls_client_ca="$P/ca.pem" 2>"$tmp/server.log" &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
# conn ARRAY CN: ARRAY = the connection flags of that client certificate
# (the guide's $S).
conn() {
  local -n flags=$1
  # shellcheck disable=SC2034  # a nameref: this sets the caller's array
  flags=(--server "localhost:$port" --vkey "$vkey" --trusted_dir "$tmp/trust-$2"
         --tls_ca "$P/ca.pem" --tls_cert "$P/$2.pem" --tls_key "$P/$2.key")
}
conn PROVIDER example-ai
conn OTHER other-ai
conn COLLECTOR gpu001
conn AUDITOR auditor
for _ in $(seq 1 100); do
  $L checkpoint "${PROVIDER[@]}" >/dev/null 2>&1 && break
  kill -0 $server_pid 2>/dev/null || { cat "$tmp/server.log" >&2; fail "server exited"; }
  sleep 0.2
done

# ---- The provider checks its key, then submits, as the guide says.
$L keys "${PROVIDER[@]}" --key "$tmp/provider.key" | tee "$tmp/ownkey.txt"
[[ $(grep -c ' provider ' "$tmp/ownkey.txt") -eq 1 ]] || fail "keys --key: want exactly the own key"
grep ' provider ' "$tmp/ownkey.txt" | grep -q 'revoked@- .*next_seq=0 ' || fail "keys --key: state"
expect_failure "not bound to this client's TLS identity" \
  $L keys "${PROVIDER[@]}" --key "$tmp/other.key"
$L declare "${PROVIDER[@]}" --key "$tmp/provider.key" "$EX/model-declaration.textproto" \
  --save "$tmp/decl-cp.txt" | tee "$tmp/declare.txt"
grep -Eq '^leaf [0-9]+: aifl.provider.v1.ModelDeclaration for model "example-large"' "$tmp/declare.txt" \
  || fail "declare printed no receipt"
grep -q '^ok: inclusion proof verified against the signed checkpoint' "$tmp/declare.txt" \
  || fail "declare did not verify the inclusion proof"
decl_leaf=$(sed -n 's/^leaf \([0-9]*\):.*/\1/p' "$tmp/declare.txt")

$L notify "${PROVIDER[@]}" --key "$tmp/provider.key" "$EX/notification.textproto" \
  | tee "$tmp/notify.txt"
grep -q '^leaf [0-9]*: aifl.provider.v1.Notification for model "example-large"' "$tmp/notify.txt" \
  || fail "notify printed no receipt"
grep -q '^ok: inclusion proof verified' "$tmp/notify.txt" || fail "notify: no proof"

head -c 100000 /dev/urandom >"$tmp/technical-documentation.pdf"
want_sha=$(sha256sum "$tmp/technical-documentation.pdf" | cut -d' ' -f1)
$L document "${PROVIDER[@]}" --key "$tmp/provider.key" \
  --file "$tmp/technical-documentation.pdf" "$EX/document.textproto" | tee "$tmp/document.txt"
grep -q '^ok: inclusion proof verified' "$tmp/document.txt" || fail "document: no proof"
grep -q "^document sha256 $want_sha, 100000 bytes\$" "$tmp/document.txt" \
  || fail "document: wrong hash or size"
$L document "${PROVIDER[@]}" --key "$tmp/provider.key" --sha256 "$want_sha" \
  "$EX/document.textproto" --json >"$tmp/document.json"
python3 -c '
import json,sys
r=json.load(open(sys.argv[1]))
assert r["inclusion_verified"] is True and r["model_id"]=="example-large", r
assert r["payload_type"]=="aifl.provider.v1.DocumentSubmission", r' "$tmp/document.json"

# ---- What a provider may not do.
expect_failure "not bound to this client's TLS identity" \
  $L declare "${PROVIDER[@]}" --key "$tmp/other.key" "$EX/model-declaration.textproto"
expect_failure "not bound to this client's TLS identity" \
  $L declare "${COLLECTOR[@]}" --key "$tmp/provider.key" "$EX/model-declaration.textproto"
expect_failure "Audit.GetEntries.*your own key: keys --key" $L keys "${PROVIDER[@]}"
printf 'model_id: "x"\nprovider: "y"\nno_such_field: 1\n' >"$tmp/bad.textproto"
expect_failure "bad.textproto: not a text-format aifl.provider.v1.ModelDeclaration: line 3" \
  $L declare "${PROVIDER[@]}" --key "$tmp/provider.key" "$tmp/bad.textproto"
printf 'provider: "y"\n' >"$tmp/nomodel.textproto"
expect_failure "model_id: missing" \
  $L declare "${PROVIDER[@]}" --key "$tmp/provider.key" "$tmp/nomodel.textproto"
expect_failure "sha256: got 0 bytes" \
  $L document "${PROVIDER[@]}" --key "$tmp/provider.key" "$EX/document.textproto"
# The other provider submits with its own key and certificate.
$L declare "${OTHER[@]}" --key "$tmp/other.key" "$EX/model-declaration.textproto" \
  | grep -q '^ok: inclusion proof verified' || fail "other-ai could not declare"

# ---- Later, the provider proves the log only grew since the checkpoint that
# included its declaration; an auditor proves the declaration itself.
$L grew "${PROVIDER[@]}" --since "$tmp/decl-cp.txt" | grep -q '^ok: the log only grew' \
  || fail "provider: grew --since the declaration's checkpoint"
# The provider reads its own declaration (its model's evidence), but not
# leaf 0 (the genesis key event: no provider's).
$L leaf "${PROVIDER[@]}" --index "$decl_leaf" | grep -q 'example-large' \
  || fail "provider: its own declaration"
expect_failure "PERMISSION_DENIED\|neither this provider's own entry" \
  $L leaf "${PROVIDER[@]}" --index 0
$L prove "${AUDITOR[@]}" --index "$decl_leaf" 2>"$tmp/prove.err" >/dev/null
grep -q "^ok: leaf $decl_leaf " "$tmp/prove.err" || fail "auditor: no proof of leaf $decl_leaf"
$L leaf "${AUDITOR[@]}" --index "$decl_leaf" | grep -q 'example-large' \
  || fail "auditor: leaf $decl_leaf does not hold the declaration"

kill -TERM $server_pid; wait $server_pid || fail "server did not exit 0 on SIGTERM"
trap - EXIT

# ---- Offline, on the ledger folder itself.
$L declare --dir "$D" --key "$tmp/provider.key" "$EX/model-declaration.textproto" \
  | tee "$tmp/declare-dir.txt"
grep -q "^published in the local ledger's checkpoint of size " "$tmp/declare-dir.txt" \
  || fail "declare --dir"
$L verify --dir "$D" >/dev/null || fail "the ledger does not verify"
echo "PASS: provider declare, notify, document over mTLS; refusals; auditor proof; --dir"

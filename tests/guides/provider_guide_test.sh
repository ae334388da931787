#!/bin/bash
# docs/provider-guide.md, run as written: the block after
# `<!-- recipe: provider-key -->` (the provider's key), then the operator's
# part done here (a dev PKI, the ledger, the provider key enrolled and bound
# to the provider certificate's CN, the server over mTLS on a free loopback
# port), then every block after `<!-- recipe: provider -->`, in order, in
# one bash (-euo pipefail), in a folder holding what the provider was given
# (ca.pem, example-ai.pem / .key) and its files (docs/examples/*.textproto,
# a document). Checks: every submission printed a verified receipt, the
# provider's key state, grew. Failures: the output, a FAIL line.
set -euo pipefail
source common/testonly/test_lib.sh
R=$PWD
L=$R/tools/ledgerctl/ledgerctl
tmp="${TEST_TMPDIR:?}"
use_test_home
guide=docs/provider-guide.md
extract() {  # extract TAG: the blocks after <!-- recipe: TAG -->, in order
  awk -v tag="<!-- recipe: $1 -->" '$0 == tag {want=1; next}
       want && /^```sh$/ {inside=1; want=0; n++; printf "echo \"### provider-guide.md %s block %d\"\n", tag, n; next}
       inside && /^```$/ {inside=0; next}
       inside' "$guide"
}
extract provider-key >"$tmp/key.sh"
extract provider >"$tmp/blocks.sh"
[[ $(grep -c '^echo "###' "$tmp/key.sh") -eq 1 ]] || fail "want one provider-key block"
blocks=$(grep -c '^echo "###' "$tmp/blocks.sh")
[[ $blocks -ge 5 ]] || fail "found $blocks provider blocks, want at least 5"

work="$tmp/provider"  # the provider's machine
mkdir -p "$work"
cp docs/examples/*.textproto "$work/"
head -c 50000 /dev/urandom >"$work/technical-documentation.pdf"
(cd "$work" && L=$L bash -euo pipefail "$tmp/key.sh") >"$tmp/key.out" 2>&1 ||
  { cat "$tmp/key.out"; fail "the key block failed"; }

# ---- The operator's part.
dev_pki "$tmp/pki"
cp "$tmp/pki/ca.pem" "$tmp/pki/example-ai.pem" "$tmp/pki/example-ai.key" "$work/"
D="$tmp/ledger"
VKEY=$($L init --dir "$D" --origin factory.example.eu/ledger | tail -n 1)
$L enroll --dir "$D" --pub "$work/provider.key.pub" --role provider \
  --organisation "Example AI SAS" --tls_identity example-ai >/dev/null
port=$(free_port)
api/server/ledger_server --ledger_dir="$D" --listen="127.0.0.1:$port" \
  --tls_cert="$tmp/pki/server.pem" --tls_key="$tmp/pki/server.key" \
  --tls_client_ca="$tmp/pki/ca.pem" 2>"$tmp/server.log" &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
auditor=(--server "localhost:$port" --vkey "$VKEY" --trusted_dir "$tmp/trust-auditor"
         --tls_ca "$tmp/pki/ca.pem" --tls_cert "$tmp/pki/auditor.pem" --tls_key "$tmp/pki/auditor.key")
for _ in $(seq 100); do
  $L checkpoint "${auditor[@]}" >/dev/null 2>&1 && break
  kill -0 $server_pid 2>/dev/null || { cat "$tmp/server.log" >&2; fail "server exited"; }
  sleep 0.2
done

# ---- The guide's blocks, as the provider.
rc=0
(cd "$work" && L=$L LEDGER="localhost:$port" VKEY="$VKEY" timeout 120 bash -euo pipefail "$tmp/blocks.sh") \
  >"$tmp/guide.out" 2>&1 || rc=$?
cat "$tmp/guide.out"
[[ $rc -eq 0 ]] || fail "the guide's commands failed (exit $rc) in: $(grep '^### ' "$tmp/guide.out" | tail -n 1)"
out="$tmp/guide.out"
grep -q ' provider .*revoked@- .*next_seq=0 ' "$out" || fail "keys --key: want the own key, ready"
[[ $(grep -c '^ok: inclusion proof verified' "$out") -eq 5 ]] ||
  fail "want 5 verified receipts (declare, notify, document x2, declare --save)"
want_sha=$(sha256sum "$work/technical-documentation.pdf" | cut -d' ' -f1)
[[ $(grep -c "^document sha256 $want_sha" "$out") -eq 2 ]] || fail "the documents' hash"
grep -q '^ok: the log only grew' "$out" || fail "grew"
[[ -s "$work/decl-cp.txt" ]] || fail "no saved checkpoint"
$L models "${auditor[@]}" | grep -q example-large || fail "the auditor does not see example-large"
kill -TERM $server_pid; wait $server_pid || fail "server did not exit 0 on SIGTERM"
trap - EXIT
$L verify --dir "$D" >/dev/null || fail "the ledger does not verify"
echo "PASS: docs/provider-guide.md, $blocks blocks, as written, over mTLS"

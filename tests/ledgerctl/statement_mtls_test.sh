#!/bin/bash
# The provider's own view and its statement, end to end (issue 23): the real
# ledger_server over mTLS (scripts/dev-pki.sh), two providers of two
# organisations, a collector whose records are attributed to each provider's
# model by scheduler account. As provider A: `models` lists A's model only,
# `statement` of A's model is written and verifies offline with the verifier
# key alone, B's model is refused (PERMISSION_DENIED, nothing named), a
# changed byte fails verify-statement. The office builds B's statement.
set -euo pipefail
source common/testonly/test_lib.sh
L=tools/ledgerctl/ledgerctl
S=api/server/ledger_server
tmp="${TEST_TMPDIR:?}"
use_test_home
encode() {  # encode TYPE TEXTPROTO OUT
  protoc -I. --encode="$1" schema/provider.proto schema/collector.proto <<<"$2" >"$3" \
    || fail "protoc --encode $1"
}

# ---- The operator's part: PKI, ledger, keys, entries (locally).
dev_pki "$tmp/pki"
dev_pki "$tmp/pki" provider:other-ai
P="$tmp/pki"
D="$tmp/ledger"
vkey=$($L init --dir "$D" --origin factory.example.eu/ledger | tail -n 1)
for k in a b collector; do $L keygen --out "$tmp/$k.key" >/dev/null; done
$L enroll --dir "$D" --pub "$tmp/a.key.pub" --role provider \
  --organisation "Example AI SAS" --tls_identity example-ai >/dev/null
$L enroll --dir "$D" --pub "$tmp/b.key.pub" --role provider \
  --organisation "Other AI GmbH" --tls_identity other-ai >/dev/null
$L enroll --dir "$D" --pub "$tmp/collector.key.pub" --role collector \
  --organisation "Factory" --tls_identity gpu001 >/dev/null
declare_model() {  # declare_model KEY MODEL ACCOUNT
  encode aifl.provider.v1.ModelDeclaration "model_id: \"$2\" provider: \"$2 maker\"
    compute { node_energy_joules: 3.6e12 } scheduler_accounts: \"$3\"" "$tmp/$2.pb"
  $L append --dir "$D" --key "$tmp/$1.key" --type aifl.provider.v1.ModelDeclaration \
    "$tmp/$2.pb" >/dev/null
}
declare_model a example-large proj-a
declare_model b other-model proj-b
ivs=()
for i in 0 1 2 3 4; do
  account=proj-a; [[ $i -eq 4 ]] && account=proj-b
  start=$((1780000000000 + i * 3600000))
  encode aifl.collector.v1.IntervalReport "
    run_id: \"run-$account\" node: \"n00$i\" interval_index: $i device_model: \"H100\"
    start_unix_ms: $start end_unix_ms: $((start + 3600000)) gpu_count: 8
    energy_joules: 2.0e10
    flop { lower: 1.0e21 upper: 1.3e21 method: MEASURED_TENSOR_ACTIVITY }
    account: \"$account\" purpose: PRE_TRAINING" "$tmp/iv$i.pb"
  ivs+=("$tmp/iv$i.pb")
done
$L append --dir "$D" --key "$tmp/collector.key" --type aifl.collector.v1.IntervalReport \
  "${ivs[@]}" >/dev/null

# ---- The server, mTLS on a free loopback port.
port=$(free_port)
$S --ledger_dir="$D" --listen="127.0.0.1:$port" --tls_cert="$P/server.pem" \
  --tls_key="$P/server.key" --tls_client_ca="$P/ca.pem" 2>"$tmp/server.log" &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
conn() {  # conn ARRAY CN
  local -n flags=$1
  # shellcheck disable=SC2034  # a nameref: this sets the caller's array
  flags=(--server "localhost:$port" --vkey "$vkey" --trusted_dir "$tmp/trust-$2"
         --tls_ca "$P/ca.pem" --tls_cert "$P/$2.pem" --tls_key "$P/$2.key")
}
conn A example-ai
conn OFFICE ai-office
for _ in $(seq 1 100); do
  $L checkpoint "${A[@]}" >/dev/null 2>&1 && break
  kill -0 $server_pid 2>/dev/null || { cat "$tmp/server.log" >&2; fail "server exited"; }
  sleep 0.2
done

# ---- Provider A's own view.
$L models "${A[@]}" >"$tmp/models.txt"
grep -q example-large "$tmp/models.txt" || fail "A does not see its model"
if grep -q other-model "$tmp/models.txt"; then fail "A sees B's model"; fi
$L statement "${A[@]}" --model example-large --out "$tmp/a.st" | tee "$tmp/a.out"
grep -q '5 evidence entries, 2 signer keys' "$tmp/a.out" \
  || fail "want the declaration and 4 records of proj-a, by 2 keys"
$L verify-statement "$tmp/a.st" --vkey "$vkey" | tee "$tmp/a.verify"
grep -q '^ok: statement of model "example-large"' "$tmp/a.verify" || fail "A's statement"
$L statement "${A[@]}" --model example-large --out "$tmp/a2.st" --json >"$tmp/a.json"
/usr/bin/python3 -c '
import json,sys
f=json.load(open(sys.argv[1]))
assert f["model_id"]=="example-large", f
assert f["training_intervals"]==4, f' "$tmp/a.json"
# Another provider's model: refused, and the message names nothing of it.
if $L statement "${A[@]}" --model other-model --out "$tmp/x.st" 2>"$tmp/x.err"; then
  fail "A built B's statement"
fi
grep -q PERMISSION_DENIED "$tmp/x.err" || grep -q "not a model of this provider" "$tmp/x.err" \
  || { cat "$tmp/x.err"; fail "want PERMISSION_DENIED"; }
if grep -q "Other AI\|other-ai\|proj-b" "$tmp/x.err"; then fail "the refusal leaks: $(cat "$tmp/x.err")"; fi
# ---- Version 2: the per-model index's answer in the statement. The
# records here name no model (attributed by account), so the index lists
# only the declaration: the completeness check covers records that name the
# model (MapFn v1).
ivkey=$($L init --dir "$tmp/idx" --origin factory.example.eu/index | tail -n 1)
$L keygen --out "$tmp/r.key" >/dev/null
$L enroll --dir "$tmp/idx" --pub "$tmp/r.key.pub" --role rules >/dev/null
$L index-update --dir "$D" --index_dir "$tmp/idx" --index_key "$tmp/r.key" \
  --index_store "$tmp/store" >/dev/null
$L index-answer --dir "$D" --index_dir "$tmp/idx" --index_store "$tmp/store" \
  --model example-large --out "$tmp/a.ans" >/dev/null
$L statement "${A[@]}" --model example-large --out "$tmp/a3.st" \
  --answer "$tmp/a.ans" --index_dir "$tmp/idx" | tee "$tmp/a3.out"
grep -q "with the index's answer (v2)" "$tmp/a3.out" || fail "want a v2 statement"
head -n 1 "$tmp/a3.st" | grep -qx "aifl compute-energy statement v2" || fail "v2 header"
$L verify-statement "$tmp/a3.st" --vkey "$vkey" --index_vkey "$ivkey" | tee "$tmp/a3.verify"
grep -q '^ok: .*the index (signed output checkpoint, map proof)' "$tmp/a3.verify" \
  || fail "the v2 statement"
if $L verify-statement "$tmp/a3.st" --vkey "$vkey" >/dev/null 2>&1; then
  fail "a v2 statement verified without --index_vkey"
fi
/usr/bin/python3 -c '
import sys
b=bytearray(open(sys.argv[1],"rb").read())
i=b.index(b"\nform ")-40; b[i]^=1
open(sys.argv[2],"wb").write(b)' "$tmp/a3.st" "$tmp/bad3.st"
if $L verify-statement "$tmp/bad3.st" --vkey "$vkey" --index_vkey "$ivkey" \
  >/dev/null 2>"$tmp/bad3.err"; then
  fail "a changed index part verified"
fi
echo "  refused as expected: $(cat "$tmp/bad3.err")"
# ---- Version 3: the index's proven totals (map version 2). The records
# here name no model, so the totals count no interval ("not measured"): this
# runs the commands end to end; statement_test.cc checks the figures.
$L index-answer --dir "$D" --index_dir "$tmp/idx" --index_store "$tmp/store" \
  --model example-large --totals --out "$tmp/a.tot" >/dev/null
$L statement "${A[@]}" --model example-large --out "$tmp/a4.st" \
  --totals_answer "$tmp/a.tot" --index_dir "$tmp/idx" | tee "$tmp/a4.out"
grep -q "with the index's proven totals (v3)" "$tmp/a4.out" || fail "want a v3 statement"
head -n 1 "$tmp/a4.st" | grep -qx "aifl compute-energy statement v3" || fail "v3 header"
$L verify-statement "$tmp/a4.st" --vkey "$vkey" --index_vkey "$ivkey" | tee "$tmp/a4.verify"
grep -q '^ok: version 3 statement of model "example-large"' "$tmp/a4.verify" \
  || fail "the v3 statement"
if $L verify-statement "$tmp/a4.st" --vkey "$vkey" >/dev/null 2>&1; then
  fail "a v3 statement verified without --index_vkey"
fi
/usr/bin/python3 -c '
import sys
b=bytearray(open(sys.argv[1],"rb").read())
i=b.index(b"\nform ")-40; b[i]^=1
open(sys.argv[2],"wb").write(b)' "$tmp/a4.st" "$tmp/bad4.st"
if $L verify-statement "$tmp/bad4.st" --vkey "$vkey" --index_vkey "$ivkey" \
  >/dev/null 2>"$tmp/bad4.err"; then
  fail "a changed v3 totals part verified"
fi
echo "  refused as expected: $(cat "$tmp/bad4.err")"
# One changed byte: refused offline.
/usr/bin/python3 -c '
import sys
b=bytearray(open(sys.argv[1],"rb").read()); b[len(b)//2]^=1
open(sys.argv[2],"wb").write(b)' "$tmp/a.st" "$tmp/bad.st"
if $L verify-statement "$tmp/bad.st" --vkey "$vkey" >/dev/null 2>"$tmp/bad.err"; then
  fail "a changed statement verified"
fi
echo "  refused as expected: $(cat "$tmp/bad.err")"
# The office reads every model.
$L statement "${OFFICE[@]}" --model other-model --out "$tmp/b.st" >/dev/null
$L verify-statement "$tmp/b.st" --vkey "$vkey" | grep -q '^ok: statement of model "other-model"' \
  || fail "the office's statement of B's model"
echo PASS

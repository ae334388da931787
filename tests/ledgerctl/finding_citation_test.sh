#!/bin/bash
# Findings cite the per-model index (issue 19), end to end with the real
# binaries over mTLS: ledger_server --rules_key --index_dir records findings
# that carry their model's index citation; `ledgerctl model --expand_index`
# and `ledgerctl report --expand_index` expand it into exactly the model's
# entries below the cited size (those model-complete --as_of lists), each
# proven; with --refuse_redacted an entry redacted for the caller (another
# organisation's about the owner's model) is refused; the index's verifier
# key is required and must be the cited index's.
set -euo pipefail
source common/testonly/test_lib.sh

L=$PWD/tools/ledgerctl/ledgerctl
S=$PWD/api/server/ledger_server
tmp="${TEST_TMPDIR:?}"
use_test_home
cd "$tmp"

dev_pki "$tmp/pki"
P="$tmp/pki"
vkey=$($L init --dir in --origin factory.example.eu/ledger | tail -n 1)
ivkey=$($L init --dir idx --origin factory.example.eu/index | tail -n 1)
other=$($L init --dir other --origin factory.example.eu/other | tail -n 1)
$L keygen --out p.key >/dev/null
$L keygen --out r.key >/dev/null
$L keygen --out rules.key >/dev/null
$L enroll --dir in --pub p.key.pub --role provider --organisation "Example AI SAS" \
  --tls_identity example-ai >/dev/null
$L enroll --dir in --pub rules.key.pub --role rules >/dev/null
$L enroll --dir idx --pub r.key.pub --role rules >/dev/null
cat >decl.txt <<'DECL'
model_id: "m-1"
provider: "Example AI SAS"
compute {
  training { lower: 1.1e25 upper: 1.4e25 method: DECLARED_ARCHITECTURE }
  cumulative { lower: 1.2e25 upper: 1.5e25 method: DECLARED_ARCHITECTURE }
}
DECL
$L declare --dir in --key p.key decl.txt >/dev/null
printf 'model_id: "m-1"\ncompute_flop: 1e25\n' >m1.txt
printf 'model_id: "m-2"\ncompute_flop: 2e25\n' >m2.txt
for m in m1 m2 m1 m2 m1; do $L notify --dir in --key p.key $m.txt >/dev/null; done
# Another organisation's notification naming m-1: in m-1's list, redacted
# for Example AI (who may not read it).
$L keygen --out o.key >/dev/null
$L enroll --dir in --pub o.key.pub --role provider --organisation "Other AI GmbH" \
  --tls_identity other-ai >/dev/null
$L notify --dir in --key o.key m1.txt >/dev/null

port=$(free_port)
$S --ledger_dir=in --listen="127.0.0.1:$port" --tls_cert="$P/server.pem" \
  --tls_key="$P/server.key" --tls_client_ca="$P/ca.pem" --checkpoint_interval=100ms \
  --rules_key=rules.key --rules_interval=100ms \
  --index_dir=idx --index_store=store --index_key=r.key 2>"$tmp/server.log" &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
A=(--server "localhost:$port" --vkey "$vkey" --trusted_dir "$tmp/trust"
   --tls_ca "$P/ca.pem" --tls_cert "$P/auditor.pem" --tls_key "$P/auditor.key")

# Until the runner recorded m-1's findings and the index reached their size.
ok=0
for _ in $(seq 1 100); do
  if $L model "${A[@]}" --model m-1 --expand_index --index_vkey "$ivkey" \
      >model.txt 2>err.txt && grep -q "^index citation:" model.txt; then ok=1; break; fi
  kill -0 $server_pid 2>/dev/null || { cat "$tmp/server.log" >&2; fail "server exited"; }
  sleep 0.2
done
[[ $ok -eq 1 ]] || { cat err.txt model.txt "$tmp/server.log" >&2; fail "no expanded citation"; }
cat model.txt
line=$(grep -m1 "^index citation:" model.txt)
[[ $line =~ ^index\ citation:\ ([0-9]+)\ entries\ about\ m-1\ below\ size\ ([0-9]+)\ \(list\ root\ [0-9a-f]{64},\ index\ factory.example.eu/index\),\ expanded:\ each\ entry\ proven ]] \
  || fail "citation line: $line"
count=${BASH_REMATCH[1]}; size=${BASH_REMATCH[2]}
# The expanded entries are exactly model-complete's as of the cited size.
sed -n "/^index citation: $count entries about m-1 below size $size /,/^[^ ]/p" model.txt \
  | grep '^  leaf ' | sed 's/  */ /g' | sort -u >expanded.txt
$L model-complete "${A[@]}" --index_vkey "$ivkey" --model m-1 --as_of "$size" \
  | grep '^  leaf ' | sed 's/  */ /g' | sort -u >complete.txt
[[ $(wc -l <expanded.txt) -eq $count ]] || fail "want $count entries, got $(wc -l <expanded.txt)"
cmp expanded.txt complete.txt || fail "the expansion is not model-complete's list"
grep -q "aifl.provider.v1.ModelDeclaration" expanded.txt || fail "the declaration is cited"

# Without --expand_index the output has no expansion (as before).
$L model "${A[@]}" --model m-1 >plain.txt
! grep -q "^index citation:" plain.txt || fail "expanded without --expand_index"

# The report expands too.
$L report "${A[@]}" --model m-1 --expand_index --index_vkey "$ivkey" --out r.html >/dev/null
grep -q "Index citations, expanded" r.html || fail "report: no expanded citations"
grep -q "index: [0-9]* entries about m-1 below size [0-9]*" r.html || fail "report: citation"

# --refuse_redacted: the owner's expansion holds the other organisation's
# entry redacted and is refused, naming it; the auditor's holds none.
PROV=(--server "localhost:$port" --vkey "$vkey" --trusted_dir "$tmp/trust-p"
   --tls_ca "$P/ca.pem" --tls_cert "$P/example-ai.pem" --tls_key "$P/example-ai.key")
$L model "${PROV[@]}" --model m-1 --expand_index --index_vkey "$ivkey" >own.txt \
  || fail "the owner's expansion"
grep -q "^index citation: $count entries about m-1 below size $size " own.txt \
  || { cat own.txt >&2; fail "the owner's expansion: the same citation"; }
[[ $(grep -c "^  leaf [0-9]*  redacted (not readable by you)\$" own.txt) -eq 1 ]] \
  || { cat own.txt >&2; fail "the owner's expansion: one redacted entry"; }
expect_failure "expand_index: leaf [0-9]* of the answer is redacted" \
  $L model "${PROV[@]}" --model m-1 --expand_index --index_vkey "$ivkey" --refuse_redacted
$L model "${A[@]}" --model m-1 --expand_index --index_vkey "$ivkey" --refuse_redacted \
  | grep -q "^index citation: $count entries about m-1 below size $size " \
  || fail "the auditor's expansion with --refuse_redacted"

# The index's verifier key is required, and must be the cited index's.
expect_failure "index_vkey" $L model "${A[@]}" --model m-1 --expand_index
expect_failure "expand_index: .*names the index \"factory.example.eu/index\"" \
  $L model "${A[@]}" --model m-1 --expand_index --index_vkey "$other"
kill -TERM $server_pid; wait $server_pid || fail "server did not exit 0 on SIGTERM"
trap - EXIT
echo "PASS: findings cite the index; model and report expand it"

#!/bin/bash
# `ledgerctl model-complete --server` against the real ledger_server binary
# hosting the per-model index (--index_dir, --index_store, --index_key) over
# mTLS on a free loopback port (issue 19): the answer fetched with
# Audit.GetModelEntries page by page, verified, tied to the input log; an
# absent model's verified non-membership; the output log's verifier key
# required and checked; a provider refused a model it does not own, and
# another organisation's entry about its own model redacted (refused with
# --refuse_redacted); the
# output log served as tiles under /index/ on --http_listen and written to
# --publish_dir/index, replayed by verify-index from the tiles alone.
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
$L enroll --dir in --pub p.key.pub --role provider --organisation "Example AI SAS" \
  --tls_identity example-ai >/dev/null
$L enroll --dir idx --pub r.key.pub --role rules >/dev/null
printf 'model_id: "m-1"\ncompute_flop: 1e25\n' >m1.txt
printf 'model_id: "m-2"\ncompute_flop: 2e25\n' >m2.txt
for m in m1 m2 m1 m1 m2 m1; do $L notify --dir in --key p.key $m.txt >/dev/null; done
# m-3: Example AI's declared model, and another organisation's notification
# naming it, which the index lists under m-3 and Example AI may not read.
$L keygen --out o.key >/dev/null
$L enroll --dir in --pub o.key.pub --role provider --organisation "Other AI GmbH" \
  --tls_identity other-ai >/dev/null
printf 'model_id: "m-3"\nprovider: "Example AI SAS"\nprovider_country: "FR"\n' >m3-decl.txt
printf 'model_id: "m-3"\ncompute_flop: 3e25\n' >m3.txt
$L declare --dir in --key p.key m3-decl.txt >/dev/null
$L notify --dir in --key p.key m3.txt >/dev/null
$L notify --dir in --key o.key m3.txt >/dev/null

port=$(free_port)
hport=$(free_port)
$S --ledger_dir=in --listen="127.0.0.1:$port" --tls_cert="$P/server.pem" \
  --tls_key="$P/server.key" --tls_client_ca="$P/ca.pem" --checkpoint_interval=100ms \
  --index_dir=idx --index_store=store --index_key=r.key \
  --http_listen="127.0.0.1:$hport" --publish_dir=pub 2>"$tmp/server.log" &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
conn() {  # conn CN: the connection flags of that client certificate
  echo --server "localhost:$port" --vkey "$vkey" --trusted_dir "$tmp/trust-$1" \
    --tls_ca "$P/ca.pem" --tls_cert "$P/$1.pem" --tls_key "$P/$1.key"
}
read -r -a AUDITOR <<<"$(conn auditor)"
read -r -a PROVIDER <<<"$(conn example-ai)"
ok=0
for _ in $(seq 1 100); do
  if $L model-complete "${AUDITOR[@]}" --index_vkey "$ivkey" --model m-1 \
      >complete.txt 2>err.txt; then ok=1; break; fi
  kill -0 $server_pid 2>/dev/null || { cat "$tmp/server.log" >&2; fail "server exited"; }
  sleep 0.2
done
[[ $ok -eq 1 ]] || { cat err.txt >&2; fail "no verified answer from the server"; }
cat complete.txt
grep -q "^complete as of size [0-9]* (indexed at .*): 4 entries about m-1; input root consistent with server localhost:$port at size [0-9]*; 1 pages\$" \
  complete.txt || fail "model-complete --server"
[[ $(grep -c "aifl.provider.v1.Notification" complete.txt) -eq 4 ]] || fail "entries"

# Page by page, and as of an older size.
$L model-complete "${AUDITOR[@]}" --index_vkey "$ivkey" --model m-1 --page_size 1 \
  | grep -q ": 4 entries about m-1; .*; 4 pages\$" || fail "pages of one"
first=$(sed -n 's/^  leaf \([0-9]*\) .*/\1/p' complete.txt | head -n 2 | tail -n 1)
$L model-complete "${AUDITOR[@]}" --index_vkey "$ivkey" --model m-1 --page_size 1 --as_of "$first" \
  | grep -q "^complete as of size $first .*: 1 entries about m-1" || fail "as of"
$L model-complete "${AUDITOR[@]}" --index_vkey "$ivkey" --model nobody \
  | grep -q "^absent: no entries about nobody as of size [0-9]* (verified non-membership; input root consistent" \
  || fail "absent"

# The output log's key is required and checked; a provider asks about its
# own models only (m-1 has no declaration: no one owns it).
expect_failure "index_vkey" $L model-complete "${AUDITOR[@]}" --model m-1
expect_failure "model-complete failed: checkpoint" \
  $L model-complete "${AUDITOR[@]}" --index_vkey "$other" --model m-1
expect_failure "PERMISSION_DENIED\|not a model of this provider" \
  $L model-complete "${PROVIDER[@]}" --index_vkey "$ivkey" --model m-1

# Another organisation's entry about the provider's own model comes
# redacted: listed and proven; refused with --refuse_redacted.
$L model-complete "${PROVIDER[@]}" --index_vkey "$ivkey" --model m-3 >own.txt \
  || fail "model-complete of the provider's own model"
grep -q ": 3 entries about m-3; .*; 1 redacted (not readable by you)\$" own.txt \
  || { cat own.txt >&2; fail "one redacted entry"; }
[[ $(grep -c "  redacted (not readable by you; leaf hash" own.txt) -eq 1 ]] || fail "redacted line"
expect_failure "model-complete failed: leaf [0-9]* of the answer is redacted" \
  $L model-complete "${PROVIDER[@]}" --index_vkey "$ivkey" --model m-3 --refuse_redacted
$L model-complete "${AUDITOR[@]}" --index_vkey "$ivkey" --model m-3 --refuse_redacted \
  | grep -q ": 3 entries about m-3; " || fail "auditor, nothing redacted"

# The output log's tiles under /index/, beside the log's own: verify-index
# replays every update from the two tiles URLs; the static copy has the same
# layout (pub/ and pub/index/).
base="http://127.0.0.1:$hport"
$L verify-index --tiles "$base" --vkey "$vkey" --index_tiles "$base/index" \
  --index_vkey "$ivkey" >verify.txt || { cat verify.txt >&2; fail "verify-index over tiles"; }
grep -q "^ok: [1-9][0-9]* updates replayed" verify.txt || { cat verify.txt >&2; fail "verify-index output"; }
for _ in $(seq 1 50); do [[ -s pub/index/checkpoint ]] && break; sleep 0.2; done
[[ $(head -n 1 pub/index/checkpoint) == factory.example.eu/index ]] || fail "pub/index/checkpoint"
[[ $(head -n 1 pub/checkpoint) == factory.example.eu/ledger ]] || fail "pub/checkpoint"
kill -TERM $server_pid; wait $server_pid || fail "server did not exit 0 on SIGTERM"
trap - EXIT
echo "PASS: model-complete --server over mTLS"

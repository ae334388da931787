#!/bin/bash
# docs/auditor-guide.md's Python recipe, run as written (the block after the
# `<!-- recipe: python-auditor -->` marker, less its `sudo apt-get install`
# line: scripts/bootstrap.sh installs those packages) against the real
# ledger_server on a free loopback port, with Debian's /usr/bin/python3. The
# ledger gets several checkpoints, so the recipe's ListCheckpoints loop and
# inclusion proofs of a first and a last leaf are exercised; a wrong verifier
# key must make the recipe fail. Failures: one stderr line, non-zero exit.
set -euo pipefail
source common/testonly/test_lib.sh

L=tools/ledgerctl/ledgerctl
S=api/server/ledger_server
tmp="${TEST_TMPDIR:?}"
use_test_home
export PATH="/usr/bin:$PATH"  # Debian's python3, with python3-grpcio

# ---- A ledger with real collector payloads and several checkpoints.
D="$tmp/ledger"
VKEY=$($L init --dir "$D" --origin factory.example.eu/ledger | tail -n 1)
$L keygen --out "$tmp/collector.key" >/dev/null
$L enroll --dir "$D" --pub "$tmp/collector.key.pub" --role collector --node gpu001 >/dev/null
for i in 0 1 2; do
  start=$((1733000000000 + i * 86400000))
  protoc -I. --encode=aifl.collector.v1.IntervalReport schema/collector.proto >"$tmp/iv$i.pb" <<<"
    run_id: \"leonardo/4711\" node: \"gpu001\" interval_index: $i
    start_unix_ms: $start end_unix_ms: $((start + 86400000)) gpu_count: 8
    flop { lower: 1e20 upper: 2e20 method: MEASURED_TENSOR_ACTIVITY }
    model_id: \"m1\" purpose: PRE_TRAINING" || fail "protoc --encode"
  $L append --dir "$D" --key "$tmp/collector.key" --type aifl.collector.v1.IntervalReport \
    "$tmp/iv$i.pb" >/dev/null
  $L checkpoint --dir "$D" >/dev/null
done

port=$(free_port)
$S --ledger_dir="$D" --insecure_loopback --listen=127.0.0.1:$port 2>"$tmp/server.log" &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  $L checkpoint --server 127.0.0.1:$port --vkey "$VKEY" --trusted_dir "$tmp/trust" \
    >/dev/null 2>&1 && break
  kill -0 $server_pid 2>/dev/null || { cat "$tmp/server.log" >&2; fail "server exited"; }
  sleep 0.2
done
LEDGER=127.0.0.1:$port

# ---- The guide's block, as written, from a copy of the repository's files.
work="$tmp/repo"
mkdir -p "$work/api/v1" "$work/schema" "$work/ledger/proto" "$work/index" "$work/docs/examples"
cp api/v1/*.proto "$work/api/v1/"
cp schema/*.proto "$work/schema/"
cp ledger/proto/key_event.proto "$work/ledger/proto/"
cp index/model_answer.proto "$work/index/"
cp docs/examples/auditor_client.py "$work/docs/examples/"
awk '/^<!-- recipe: python-auditor -->$/ {on=1; next}
     on && /^```sh$/ {inside=1; next}
     inside && /^```$/ {exit}
     inside' docs/auditor-guide.md | grep -v '^sudo apt-get install' >"$tmp/recipe.sh"
[[ $(wc -l <"$tmp/recipe.sh") -ge 3 ]] || fail "the guide's recipe block was not found"
(cd "$work" && LEDGER="$LEDGER" VKEY="$VKEY" bash -euo pipefail "$tmp/recipe.sh") \
  >"$tmp/recipe.out" 2>"$tmp/recipe.err" || { cat "$tmp/recipe.err" >&2; fail "the recipe failed"; }
cat "$tmp/recipe.out"
grep -q '^checkpoint: size [0-9]*, signature verified$' "$tmp/recipe.out" || fail "no verified checkpoint"
grep -q '^published checkpoints: [3-9][0-9]* verified' "$tmp/recipe.out" ||
  grep -q '^published checkpoints: [1-9][0-9][0-9]* verified' "$tmp/recipe.out" ||
  fail "fewer than 3 published checkpoints verified"
grep -q '^leaf 0: inclusion in size [0-9]* verified$' "$tmp/recipe.out" || fail "leaf 0 not proven"
[[ $(grep -c 'inclusion in size .* verified$' "$tmp/recipe.out") -eq 2 ]] || fail "want two proofs"

# ---- Another log's key is refused.
other=$($L init --dir "$tmp/other" --origin factory.example.eu/ledger | tail -n 1)
if (cd "$work" && python3 docs/examples/auditor_client.py --stubs py --server "$LEDGER" \
      --vkey "$other") >/dev/null 2>"$tmp/bad.err"; then
  fail "the recipe accepted a checkpoint under another key"
fi
grep -q '^auditor_client: ' "$tmp/bad.err" || { cat "$tmp/bad.err" >&2; fail "no one-line error"; }
kill -TERM $server_pid; wait $server_pid || fail "server did not exit 0 on SIGTERM"
trap - EXIT
echo "PASS: the auditor guide's Python recipe, as written"

#!/bin/bash
# The real binaries with witnessing (issue 17): `ledger_server
# --witness_policy` with two `aifl_witness` processes and a 2-of-2 policy
# (ports 0, read from their logs). `ledgerctl append --server` gets its
# receipts once both cosigned; the tiles' /checkpoint carries both
# cosignature lines after the log's; `ledgerctl witness-status` (text and
# --json) says what each witness cosigned; with one witness killed the log
# keeps ingesting and witness-status says it is FAILING and behind; when it
# returns on its port it catches up. Clients hold the same 2-of-2 policy: a
# collector agent (replay mode) ships under `--policy` and keeps its records
# spooled, naming w2, while w2 is down, then ships them once w2 is back;
# `ledgerctl checkpoint|verify --policy` over gRPC and tiles accept the
# cosigned checkpoints.
set -euo pipefail
source common/testonly/test_lib.sh
S=$1  # ledger_server
L=$2  # ledgerctl
W=$3  # aifl_witness
A=$4  # collector_agent
REPLAY=$5  # a recorded NVML trace (two jobs)
tmp=${TEST_TMPDIR:?}
D="$tmp/ledger"
use_test_home
mkdir -p "$tmp/payloads"
pids=()
trap 'for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done' EXIT
trap 'exit 143' TERM INT

vkey=$($L init --dir "$D" --origin test.example/witnessed | tail -n 1)
$L keygen --out "$tmp/collector.key" >/dev/null
$L enroll --dir "$D" --pub "$tmp/collector.key.pub" --role collector >/dev/null
$L keygen --out "$tmp/gpu001.key" >/dev/null
$L enroll --dir "$D" --pub "$tmp/gpu001.key.pub" --role collector --node gpu001 \
  --organisation "AI Factory Example" >/dev/null
head -c 32 /dev/urandom >"$tmp/factory.secret"
echo "log $vkey" >"$tmp/logs"

# wait_port LOGFILE EVENT PID: the "port" of the first EVENT line.
wait_port() {
  for _ in $(seq 200); do
    local p
    p=$(sed -n "s/.*\"event\":\"$2\".*\"port\":\"\\([0-9]*\\)\".*/\\1/p" "$1" | head -n 1)
    [[ -n $p ]] && { echo "$p"; return; }
    kill -0 "$3" 2>/dev/null || { cat "$1" >&2; fail "$2: process exited"; }
    sleep 0.05
  done
  cat "$1" >&2; fail "no $2 line"
}
start_witness() {  # start_witness NAME PORT
  "$W" serve --key_file="$tmp/$1.key" --name="$1.example/witness" --logs="$tmp/logs" \
    --state_dir="$tmp/$1.state" --listen="127.0.0.1:$2" 2>"$tmp/$1.log" &
  wpid[$1]=$!
  pids+=($!)
  wport[$1]=$(wait_port "$tmp/$1.log" witness_started "${wpid[$1]}")
}
declare -A wpid wport
for w in w1 w2; do
  $W keygen --key_file="$tmp/$w.key" --name="$w.example/witness" | tail -n 1 >"$tmp/$w.vkey"
  start_witness $w 0
done
cat >"$tmp/policy" <<POLICY
log $vkey
witness w1 $(cat "$tmp/w1.vkey") http://127.0.0.1:${wport[w1]}
witness w2 $(cat "$tmp/w2.vkey") http://127.0.0.1:${wport[w2]}
group both all w1 w2
quorum both
POLICY

"$S" --ledger_dir="$D" --insecure_loopback --listen=127.0.0.1:0 --http_listen=127.0.0.1:0 \
  --checkpoint_interval=100ms --min_free_mb=0 --witness_policy="$tmp/policy" \
  --witness_timeout=2s --witness_backoff_min=100ms --witness_backoff_max=500ms \
  2>"$tmp/server.log" &
server=$!
pids+=($server)
http_port=$(wait_port "$tmp/server.log" http_listening $server)
grpc_port=$(wait_port "$tmp/server.log" server_started $server)
R=(--server "127.0.0.1:$grpc_port" --vkey "$vkey" --trusted_dir "$tmp/trust")

for i in $(seq 5); do printf 'measurement %d' "$i" >"$tmp/payloads/$i"; done
$L append "${R[@]}" --key "$tmp/collector.key" "$tmp"/payloads/* >/dev/null ||
  fail "append --server with both witnesses up"

# json_check PYTHON_EXPR: witness-status --json satisfies it (s = the object).
json_check() {
  $L witness-status "${R[@]}" --json >"$tmp/status.json" || fail "witness-status --json"
  /usr/bin/python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' \
    "$tmp/status.json" "$1"
}
eventually() {
  for _ in $(seq 100); do json_check "$1" && return; sleep 0.1; done
  cat "$tmp/status.json" >&2; fail "never: $1"
}
eventually 'all(w["cosigned_size"] == s["checkpoint_size"] and w["behind"] == 0 and not w["failing"] for w in s["witnesses"]) and s["quorum_cosigned_size"] == s["checkpoint_size"] and [w["name"] for w in s["witnesses"]] == ["w1", "w2"]'

# The tiles' checkpoint: the log's signature line, then one line per witness.
/usr/bin/python3 - "$http_port" >"$tmp/checkpoint" <<'PY'
import sys, urllib.request
sys.stdout.write(urllib.request.urlopen("http://127.0.0.1:%s/checkpoint" % sys.argv[1], timeout=10).read().decode())
PY
for w in w1 w2; do
  grep -q "^— $w.example/witness " "$tmp/checkpoint" || { cat "$tmp/checkpoint" >&2; fail "/checkpoint lacks $w's cosignature"; }
done
[[ $(grep -c '^— ' "$tmp/checkpoint") -eq 3 ]] || { cat "$tmp/checkpoint" >&2; fail "want 3 signature lines"; }

# agent REPLAY_FILE: one replay run of the node's agent under the policy.
agent() {
  "$A" run --node=gpu001 --key="$tmp/gpu001.key" --origin=test.example/witnessed --vkey="$vkey" \
    --secret_file="$tmp/factory.secret" --spool_dir="$tmp/spool" \
    --ledger_server="127.0.0.1:$grpc_port" --policy="$tmp/policy" --replay="$1"
}
spooled() { find "$tmp/spool/pending" "$tmp/spool/sealed" -type f 2>/dev/null | wc -l; }
agent "$REPLAY" >"$tmp/agent1.log" 2>&1 || { cat "$tmp/agent1.log" >&2; fail "agent with both witnesses up"; }
[[ $(spooled) -eq 0 ]] || fail "records left in the spool with the quorum met"
P=("${R[@]}" --policy "$tmp/policy")
$L checkpoint "${P[@]}" >/dev/null || fail "checkpoint --server --policy with the quorum met"
$L verify --tiles "http://127.0.0.1:$http_port" --vkey "$vkey" --trusted_dir "$tmp/tiles-trust" \
  --policy "$tmp/policy" >/dev/null || fail "verify --tiles --policy with the quorum met"

# w2 down: entries are still durable (append then waits for the quorum in vain).
kill -KILL "${wpid[w2]}"
wait "${wpid[w2]}" 2>/dev/null || true
printf 'while w2 is down' >"$tmp/payloads/down"
if timeout 4 $L append "${R[@]}" --key "$tmp/collector.key" "$tmp/payloads/down" >/dev/null 2>&1; then
  fail "append got a receipt without w2's cosignature"
fi
eventually 's["witnesses"][1]["failing"] and s["witnesses"][1]["behind"] >= 1 and s["witnesses"][0]["behind"] == 0 and "w2" in s["witnesses"][1]["last_error"]'
$L witness-status "${R[@]}" >"$tmp/status.txt"
grep -q '^w2  cosigned [0-9]*  behind [1-9][0-9]*  last success .* ago  FAILING: witness w2: ' "$tmp/status.txt" ||
  { cat "$tmp/status.txt" >&2; fail "text status of the failing witness"; }
grep -q '^w1  cosigned [0-9]*  behind 0  last success ' "$tmp/status.txt" ||
  { cat "$tmp/status.txt" >&2; fail "text status of w1"; }
# The agent's records are appended but never counted as logged without w2:
# the agent waits for a receipt the quorum cosigned and they stay in its
# spool; a reader with the policy refuses the newest checkpoint, naming w2.
rc=0
timeout 20 "$A" run --node=gpu001 --key="$tmp/gpu001.key" --origin=test.example/witnessed \
  --vkey="$vkey" --secret_file="$tmp/factory.secret" --spool_dir="$tmp/spool" \
  --ledger_server="127.0.0.1:$grpc_port" --policy="$tmp/policy" --replay="$REPLAY" \
  >"$tmp/agent2.log" 2>&1 || rc=$?
[[ $rc -ne 0 ]] || { cat "$tmp/agent2.log" >&2; fail "agent shipped without w2's cosignature"; }
[[ $(spooled) -gt 0 ]] || { cat "$tmp/agent2.log" >&2; fail "no records kept in the spool while w2 is down"; }
refused=0
for _ in $(seq 100); do
  if ! $L checkpoint "${P[@]}" >/dev/null 2>"$tmp/policy-refusal"; then refused=1; break; fi
  sleep 0.1
done
[[ $refused -eq 1 ]] || fail "checkpoint --policy accepted a checkpoint w2 never cosigned"
grep -q 'missing: w2' "$tmp/policy-refusal" || { cat "$tmp/policy-refusal" >&2; fail "the refusal does not name w2"; }
# The same on /metrics (issue 20: witness lag per witness), promtool-clean.
/usr/bin/python3 - "$http_port" >"$tmp/metrics" <<'PY'
import sys, urllib.request
sys.stdout.write(urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=10).read().decode())
PY
promtool check metrics <"$tmp/metrics" >"$tmp/promtool.out" 2>&1 && [[ ! -s $tmp/promtool.out ]] ||
  { cat "$tmp/promtool.out" >&2; fail "promtool check metrics"; }
metric() { awk -v m="$1" '$1 == m { print $2 }' "$tmp/metrics"; }
[[ $(metric 'aifl_ledger_witness_lag_entries{witness="w1"}') == 0 ]] || { grep witness "$tmp/metrics" >&2; fail "w1's lag on /metrics"; }
[[ $(metric 'aifl_ledger_witness_lag_entries{witness="w2"}') -ge 1 ]] || { grep witness "$tmp/metrics" >&2; fail "w2's lag on /metrics"; }
[[ $(metric 'aifl_ledger_witness_cosigned_tree_size{witness="w1"}') -ge 1 ]] || fail "w1's cosigned size on /metrics"

# w2 back on its port: it catches up and receipts come again.
start_witness w2 "${wport[w2]}"
eventually 'all(w["behind"] == 0 and not w["failing"] for w in s["witnesses"]) and s["quorum_cosigned_size"] == s["checkpoint_size"]'
printf 'after w2 returned' >"$tmp/payloads/back"
$L append "${R[@]}" --key "$tmp/collector.key" "$tmp/payloads/back" >/dev/null ||
  fail "append --server after w2 returned"
printf 'aifl-replay v1\n' >"$tmp/nothing-new.replay"
agent "$tmp/nothing-new.replay" >"$tmp/agent3.log" 2>&1 ||
  { cat "$tmp/agent3.log" >&2; fail "agent after w2 returned"; }
[[ $(spooled) -eq 0 ]] || { cat "$tmp/agent3.log" >&2; fail "records left in the spool after w2 returned"; }
$L checkpoint "${P[@]}" >/dev/null || fail "checkpoint --server --policy after w2 returned"
echo PASS

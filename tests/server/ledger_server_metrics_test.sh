#!/bin/bash
# ledger_server's /metrics (issue 20) on its --http_listen port, beside the
# tiles: a scrape of the real binary over loopback passes Debian's `promtool
# check metrics` (names, types, help, units; no lint findings), and the
# counters move with real work: 300 entries appended through
# `ledgerctl append --server` (entries, bytes, group commits, fsync latency,
# gRPC calls by method and code), an unparsable payload refused
# (refusals by code), a proof read from the tree cache (hits); the gauges
# agree with the log (tree and checkpoint size, an empty queue). The tiles
# endpoint still answers on the same port; /metrics refuses POST.
set -euo pipefail
source common/testonly/test_lib.sh
S=$1  # ledger_server
L=$2  # ledgerctl
command -v promtool >/dev/null || fail "promtool not found (Debian package prometheus; scripts/bootstrap.sh)"
tmp=${TEST_TMPDIR:?}
D="$tmp/ledger"
use_test_home
mkdir -p "$tmp/payloads"

vkey=$($L init --dir "$D" --origin test.example/metrics | tail -n 1)
$L keygen --out "$tmp/collector.key" >/dev/null
$L enroll --dir "$D" --pub "$tmp/collector.key.pub" --role collector >/dev/null
size0=$($L checkpoint --dir "$D" | sed -n 2p)
for i in $(seq 300); do printf 'measurement %d' "$i" >"$tmp/payloads/$i"; done

"$S" --ledger_dir="$D" --insecure_loopback --listen=127.0.0.1:0 --http_listen=127.0.0.1:0 \
  --checkpoint_interval=100ms --min_free_mb=0 2>"$tmp/server.log" &
server=$!
trap 'kill -KILL $server 2>/dev/null || true' EXIT
trap 'exit 143' TERM INT
# The ports as the server logs them (both bound to port 0).
for _ in $(seq 200); do
  grep -q '"event":"http_listening"' "$tmp/server.log" && break
  kill -0 $server 2>/dev/null || { cat "$tmp/server.log" >&2; fail "server exited"; }
  sleep 0.05
done
port_of() { sed -n "s/.*\"event\":\"$1\".*\"port\":\"\\([0-9]*\\)\".*/\\1/p" "$tmp/server.log" | head -n 1; }
grpc_port=$(port_of server_started)
http_port=$(port_of http_listening)
[[ -n $grpc_port && -n $http_port ]] || { cat "$tmp/server.log" >&2; fail "ports not logged"; }
R=(--server "127.0.0.1:$grpc_port" --vkey "$vkey" --trusted_dir "$tmp/trust")

http() {  # http METHOD PATH: prints "STATUS\n" then the body
  python3 - "$http_port" "$1" "$2" <<'PY'
import sys, urllib.request, urllib.error
req = urllib.request.Request("http://127.0.0.1:%s%s" % (sys.argv[1], sys.argv[3]), method=sys.argv[2])
try:
    r = urllib.request.urlopen(req, timeout=10); status, body = r.status, r.read()
except urllib.error.HTTPError as e:
    status, body = e.code, e.read()
sys.stdout.write("%d\n" % status); sys.stdout.write(body.decode())
PY
}
scrape() {  # scrape FILE
  http GET /metrics >"$1.raw"
  [[ $(head -n 1 "$1.raw") == 200 ]] || { cat "$1.raw" >&2; fail "GET /metrics"; }
  tail -n +2 "$1.raw" >"$1"
}
# value FILE NAME[{labels}]: the sample's value (labels as the scrape sorts them).
value() { awk -v m="$2" '$1 == m { print $2 }' "$1"; }
at_least() {  # at_least FILE SAMPLE MIN
  local v; v=$(value "$1" "$2")
  [[ -n $v ]] || { grep -v '^#' "$1" >&2; fail "$2 missing"; }
  python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)' "$v" "$3" ||
    fail "$2 is $v, want at least $3"
}
equals() {  # equals FILE SAMPLE WANT
  local v; v=$(value "$1" "$2")
  python3 -c 'import sys; sys.exit(0 if sys.argv[1] and float(sys.argv[1]) == float(sys.argv[2]) else 1)' "$v" "$3" ||
    fail "$2 is '$v', want $3"
}

scrape "$tmp/before"
equals "$tmp/before" aifl_ledger_tree_size "$size0"
equals "$tmp/before" aifl_ledger_appended_entries_total 0

# Real work over gRPC.
$L append "${R[@]}" --key "$tmp/collector.key" "$tmp"/payloads/* >"$tmp/append.out" ||
  fail "append --server"
[[ $(wc -l <"$tmp/append.out") -eq 300 ]] || fail "append printed $(wc -l <"$tmp/append.out") leaf indices"
# An entry the server refuses: bytes that are no IntervalReport.
printf 'not a report' >"$tmp/bad.pb"
if $L append "${R[@]}" --key "$tmp/collector.key" --type aifl.collector.v1.IntervalReport \
    "$tmp/bad.pb" >/dev/null 2>"$tmp/bad.err"; then
  fail "an unparsable IntervalReport was appended"
fi
$L prove "${R[@]}" --index 0 >/dev/null 2>&1 || fail "prove --server --index 0"
size=$((size0 + 300))
# The checkpoint covering the appends (ledgerctl waited for it) is the latest.
for _ in $(seq 100); do
  scrape "$tmp/after"
  [[ $(value "$tmp/after" aifl_ledger_checkpoint_tree_size) == "$size" ]] && break
  sleep 0.1
done

promtool check metrics <"$tmp/after" >"$tmp/promtool.out" 2>&1 ||
  { cat "$tmp/promtool.out" "$tmp/after" >&2; fail "promtool check metrics"; }
[[ -s $tmp/promtool.out ]] && { cat "$tmp/promtool.out" >&2; fail "promtool lint findings"; }

A="$tmp/after"
equals "$A" aifl_ledger_tree_size "$size"
equals "$A" aifl_ledger_checkpoint_tree_size "$size"
equals "$A" aifl_ledger_appended_entries_total 300
at_least "$A" aifl_ledger_appended_bytes_total $((300 * 60))
at_least "$A" aifl_ledger_group_commit_entries_count 1
equals "$A" aifl_ledger_group_commit_entries_sum 300
at_least "$A" aifl_ledger_group_commit_sync_seconds_count 1
python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) > 0 else 1)' \
  "$(value "$A" aifl_ledger_group_commit_sync_seconds_sum)" || fail "no fsync time measured"
at_least "$A" 'grpc_server_handled_total{grpc_code="OK",grpc_method="Submit",grpc_service="aifl.api.v1.Ingest"}' 1
at_least "$A" 'grpc_server_handled_total{grpc_code="OK",grpc_method="GetProofReceipt",grpc_service="aifl.api.v1.Ingest"}' 1
at_least "$A" 'aifl_ingest_refused_entries_total{code="INVALID_ARGUMENT"}' 1
at_least "$A" 'aifl_ledger_tree_cache_lookups_total{result="hit"}' 1
equals "$A" aifl_ingest_queue_batches 0
equals "$A" aifl_ingest_queue_bytes 0
at_least "$A" aifl_ledger_checkpoint_age_seconds 0
at_least "$A" aifl_ledger_storage_bytes 1
for l in bad_signature_backoff submit_rate submit_concurrency ingest_queue watch_streams \
  bad_signature_disconnect bad_signature_handshake; do
  equals "$A" "aifl_fairness_refusals_total{limiter=\"$l\"}" 0
done

# The tiles are still served on the same port; /metrics is read-only.
http GET /checkpoint >"$tmp/checkpoint.raw"
[[ $(head -n 1 "$tmp/checkpoint.raw") == 200 ]] || fail "GET /checkpoint on the metrics port"
[[ $(sed -n 3p "$tmp/checkpoint.raw") == "$size" ]] || fail "tiles checkpoint size"
[[ $(http POST /metrics | head -n 1) == 405 ]] || fail "POST /metrics not refused"

grep -E '^(aifl_|grpc_server_handled_total\{grpc_code="OK",grpc_method="Submit")' "$A" | sed 's/^/  /'
kill -TERM $server
wait $server || fail "server exit $?"
trap - EXIT
echo PASS

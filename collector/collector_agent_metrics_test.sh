#!/bin/bash
# collector_agent run --metrics_listen: a scrape of /metrics passes Debian's
# `promtool check metrics` (names, types, help, units) and says what the
# daemon did: 2 GPUs (--replay_devices), one job started and ended through
# the control folder, its records spooled and shipped (to --out_dir), polls
# without readings counted as errors, an empty spool at the end.
set -euo pipefail
source common/testonly/test_lib.sh
A=$1  # collector_agent
command -v promtool >/dev/null || fail "promtool not found (Debian package prometheus; scripts/bootstrap.sh)"
tmp=${TEST_TMPDIR:?}
cat >"$tmp/devices.replay" <<DEVICES
aifl-replay v1
device 0 GPU-00000000-0000-0000-0000-000000000000 0 580.65.06 NVIDIA H100 80GB HBM3
device 1 GPU-11111111-1111-1111-1111-111111111111 0 580.65.06 NVIDIA H100 80GB HBM3
DEVICES
head -c 48 /dev/urandom >"$tmp/secret"
mkdir -p "$tmp/out"
"$A" run --spool_dir="$tmp/spool" --out_dir="$tmp/out" --replay_devices="$tmp/devices.replay" \
  --secret_file="$tmp/secret" --summary_socket= --metrics_listen=127.0.0.1:0 \
  >"$tmp/agent.out" 2>"$tmp/agent.err" &
agent=$!
trap 'kill -KILL $agent 2>/dev/null || true' EXIT
trap 'exit 143' TERM INT
for _ in $(seq 100); do grep -q "metrics on port" "$tmp/agent.err" && break; sleep 0.1; done
port=$(sed -n 's/.*metrics on port \([0-9]*\).*/\1/p' "$tmp/agent.err")
[[ -n $port && $port -gt 0 ]] || { cat "$tmp/agent.err"; fail "no metrics port logged"; }
scrape() {
  python3 -c 'import sys, urllib.request
print(urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=5).read().decode(), end="")' "$port"
}
# value NAME[{labels}]: the sample's value in the last scrape.
value() { awk -v m="$1" '$1 == m { print $2 }' "$tmp/scrape"; }

"$A" job-start --spool_dir="$tmp/spool" job=42 user=alice gpus=0,1 model=m-7b
for _ in $(seq 50); do
  scrape >"$tmp/scrape"
  [[ $(value aifl_collector_jobs_running) == 1 ]] && break
  sleep 0.2
done
[[ $(value aifl_collector_jobs_running) == 1 ]] || { cat "$tmp/scrape"; fail "job not running"; }
"$A" job-end --spool_dir="$tmp/spool" run=cluster/42 exit=0
shipped() {
  scrape >"$tmp/scrape"
  [[ $(value aifl_collector_jobs_running) == 0 &&
     $(value 'aifl_collector_records_shipped_total{kind="measurement"}') -ge 3 ]]
}
for _ in $(seq 50); do shipped && break; sleep 0.2; done
shipped || { cat "$tmp/scrape"; fail "records not shipped"; }
sleep 1.2  # one more poll, so that the error counter has moved
scrape >"$tmp/scrape"
promtool check metrics <"$tmp/scrape" >"$tmp/promtool.out" 2>&1 ||
  { cat "$tmp/promtool.out" "$tmp/scrape"; fail "promtool check metrics"; }
[[ -s $tmp/promtool.out ]] && { cat "$tmp/promtool.out"; fail "promtool lint findings"; }
[[ $(value aifl_collector_gpus) == 2 ]] || fail "gpus: $(value aifl_collector_gpus)"
[[ $(value aifl_collector_nvml_errors_total) -ge 1 ]] || fail "polls without readings not counted"
[[ $(value aifl_collector_samples_total) == 0 ]] || fail "samples counted without readings"
[[ $(value aifl_collector_ship_failures_total) == 0 ]] || fail "ship failures"
for m in 'aifl_collector_spool_records{stage="pending"}' 'aifl_collector_spool_records{stage="sealed"}' \
  aifl_collector_spool_bytes aifl_collector_spool_oldest_record_age_seconds aifl_collector_records_held; do
  [[ -n $(value "$m") ]] || fail "$m missing"
done
grep '^aifl_' "$tmp/scrape" | sed 's/^/  /'
kill -TERM $agent
wait $agent || fail "agent exit $?"
trap - EXIT
echo PASS

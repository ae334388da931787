#!/usr/bin/env bash
# The three factories of the AI Office demo (issue 18), for scripts/demo.sh to
# source once the office monitor is merged, or to run on its own:
#   scripts/demo_factories.sh [OUT]   simulate, serve, show each factory's view
#
# Sourced, it defines:
#   federation_simulate OUT   factory_sim --federation_part 1..3 into
#                             OUT/factory-{a,b,c}/ (origins
#                             factory-{a,b,c}.example.eu/ledger, same start,
#                             shared provider keys: Helios Frontier SAS trains
#                             helios-frontier at 0.4e25 FLOP at each factory;
#                             Split Compute SA trains sc-part-1..3, one per
#                             factory, 0.4e25 each, unlinked)
#   federation_serve OUT      one ledger_server per factory (insecure
#                             loopback gRPC + tiles over HTTP), and
#                             OUT/factories.tsv: origin, vkey, tiles URL,
#                             gRPC address (the monitor's config input)
#   federation_stop           stops the servers federation_serve started
#   federation_office OUT     the AI Office: an Office ledger (OUT/office/,
#                             origin office.example.eu/ledger, rules and
#                             office keys) served by its own ledger_server
#                             (gRPC + tiles), office_monitor following the
#                             factories of OUT/factories.tsv over HTTP and
#                             recording through that server's ingest until
#                             it verified every entry; meanwhile the Office
#                             ledger's models (per-factory split),
#                             findings (OUT/office/findings.txt) and HTML
#                             report (OUT/office/report.html) are read from
#                             the server, as an auditor would
# Environment: DEMO_NODES (default 256 per factory), DEMO_SEED (default 1),
# DEMO_SAMPLE_MINUTES (default 60). Binaries: bazel-bin (build them first:
# //tools/factory_sim //api/server:ledger_server //tools/ledgerctl, and
# //office:office_monitor for federation_office).
FEDERATION_PARTS=(a b c)
FEDERATION_PIDS=()

federation_simulate() {
  local out=$1 part=0 f rc
  for f in "${FEDERATION_PARTS[@]}"; do
    part=$((part + 1))
    rc=0
    mkdir -p "$out/factory-$f"
    bazel-bin/tools/factory_sim/factory_sim --out_dir="$out/factory-$f" \
      --origin="factory-$f.example.eu/ledger" --federation_part=$part \
      --nodes="${DEMO_NODES:-256}" --seed="${DEMO_SEED:-1}" \
      --sample_minutes="${DEMO_SAMPLE_MINUTES:-60}" --scale=0 \
      >"$out/factory-$f/simulation.txt" 2>"$out/factory-$f/simulation.log" ||
      rc=$?
    # factory_sim: 0 = every model as expected, 1 = a difference, 2 = failed.
    if [[ $rc -eq 2 ]]; then
      echo "demo: factory $f: the simulation failed ($out/factory-$f/simulation.log)" >&2
      return 1
    fi
    echo "factory $f: $(grep -c '^  ok ' "$out/factory-$f/simulation.txt") models as expected," \
      "$(grep -c 'DIFF' "$out/factory-$f/simulation.txt") differences"
  done
}

federation_serve() {
  local out=$1 f port http vkey
  : >"$out/factories.tsv"
  for f in "${FEDERATION_PARTS[@]}"; do
    port=$((20000 + RANDOM % 20000))
    http=$((port + 1))
    bazel-bin/api/server/ledger_server --ledger_dir="$out/factory-$f/ledger" \
      --insecure_loopback --listen="127.0.0.1:$port" \
      --http_listen="127.0.0.1:$http" 2>"$out/factory-$f/server.log" &
    FEDERATION_PIDS+=($!)
    vkey=$(sed -n 's/^verifier key: //p' "$out/factory-$f/simulation.txt")
    printf '%s\t%s\t%s\t%s\n' "factory-$f.example.eu/ledger" "$vkey" \
      "http://127.0.0.1:$http" "127.0.0.1:$port" >>"$out/factories.tsv"
  done
}

federation_stop() {
  local pid
  for pid in "${FEDERATION_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${FEDERATION_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  FEDERATION_PIDS=()
}

# The Office ledger and the monitor's config (OUT/office/monitor.conf).
federation_office_setup() {
  local out=$1 o=$1/office L=bazel-bin/tools/ledgerctl/ledgerctl k
  mkdir -p "$o"
  $L init --dir "$o/ledger" --origin office.example.eu/ledger | tail -n 1 >"$o/vkey"
  for k in rules office; do
    $L keygen --out "$o/$k.key" >/dev/null
    $L enroll --dir "$o/ledger" --pub "$o/$k.key.pub" --role $k \
      --organisation "AI Office" >/dev/null
  done
  : >"$o/monitor.conf"
  : >"$o/sizes"
  while IFS=$'\t' read -r origin vkey tiles grpc; do
    echo "log $vkey $tiles" >>"$o/monitor.conf"
    for _ in $(seq 100); do
      $L checkpoint --tiles "$tiles" --vkey "$vkey" --trusted_dir "$o/trust" \
        >"$o/cp" 2>/dev/null && break
      sleep 0.2
    done
    printf '%s\t%s\n' "$origin" "$(sed -n 2p "$o/cp")" >>"$o/sizes"
  done <"$out/factories.tsv"
  rm -f "$o/cp"
}

# Waits until `ledgerctl checkpoint ARGS...` succeeds (a server is up).
federation_wait_checkpoint() {
  for _ in $(seq 100); do
    bazel-bin/tools/ledgerctl/ledgerctl checkpoint "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}

federation_office() {
  local out=$1 o=$1/office L=bazel-bin/tools/ledgerctl/ledgerctl
  federation_office_setup "$out"
  # The Office ledger is served from the start; the monitor records into it
  # through the server's ingest (a demo on loopback: --insecure_loopback;
  # in production mTLS, the office and rules keys bound to the monitor's
  # two client certificates: docs/ai-office-monitor.md).
  local port=$((20000 + RANDOM % 20000))
  bazel-bin/api/server/ledger_server --ledger_dir="$o/ledger" --insecure_loopback \
    --listen="127.0.0.1:$port" --http_listen="127.0.0.1:$((port + 1))" \
    2>"$o/server.log" &
  FEDERATION_PIDS+=($!)
  local S=(--server "127.0.0.1:$port" --vkey "$(cat "$o/vkey")" --trusted_dir "$o/trust")
  federation_wait_checkpoint "${S[@]}"
  bazel-bin/office/office_monitor --config="$o/monitor.conf" \
    --state_dir="$o/monitor-state" --poll_interval=200ms \
    --office_server="127.0.0.1:$port" --office_vkey="$(cat "$o/vkey")" \
    --office_tiles_url="http://127.0.0.1:$((port + 1))" \
    --office_rules_key="$o/rules.key" --office_key="$o/office.key" \
    2>"$o/monitor.log" &
  local monitor=$! origin size verified=0 start=$SECONDS
  while ((verified == 0 && SECONDS - start < 600)); do
    sleep 0.5
    verified=1
    while IFS=$'\t' read -r origin size; do
      grep -q "\"log_advanced\",\"origin\":\"$origin\",\"verified_size\":\"$size\"" \
        "$o/monitor.log" || verified=0
    done <"$o/sizes"
    kill -0 $monitor 2>/dev/null || break
  done
  if ((verified == 0)); then
    kill $monitor 2>/dev/null || true
    echo "demo: the office monitor did not verify every factory ($o/monitor.log)" >&2
    return 1
  fi
  # The last step's recording: its office_recorded line follows log_advanced.
  sleep 2
  echo "office_monitor verified $(awk -F'\t' '{n += $2} END {print n}' "$o/sizes")" \
    "entries of $(wc -l <"$o/sizes") factories over HTTP in $((SECONDS - start)) s;" \
    "$(grep -c '"log_incident"' "$o/monitor.log") incidents; the Office ledger holds" \
    "$(grep '"office_recorded"' "$o/monitor.log" | tail -n 1 | sed 's/.*"office_size":"\([0-9]*\)".*/\1/') entries"
  # Read while the monitor still runs: the server serves what it recorded.
  federation_wait_checkpoint "${S[@]}"
  echo "-- the Office ledger (127.0.0.1:$port, the monitor running): each global model, then each factory's share"
  $L models "${S[@]}"
  $L findings "${S[@]}" >"$o/findings.txt"
  echo "-- the Office's findings: $(grep -c . "$o/findings.txt") lines ($o/findings.txt); the split ones:"
  grep -E '(^| )(X1|C4) ' "$o/findings.txt" | head -n 6 || true
  $L report "${S[@]}" --out "$o/report.html" >/dev/null
  echo "-- the Office's HTML report (each global model with its factories' shares): $o/report.html"
  # SIGTERM lets each follower finish its step, its recording included.
  kill $monitor 2>/dev/null || true
  wait $monitor 2>/dev/null || true
}

# Run on its own: what each factory sees (no one sees helios-frontier over
# 1e25: its thirds are in three logs).
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  cd "$(dirname "$0")/.."
  OUT=${1:-demo-factories-out}
  rm -rf "$OUT"
  mkdir -p "$OUT"
  federation_simulate "$OUT"
  federation_serve "$OUT"
  trap federation_stop EXIT
  while IFS=$'\t' read -r origin vkey tiles grpc; do
    for _ in $(seq 100); do
      bazel-bin/tools/ledgerctl/ledgerctl checkpoint --tiles "$tiles" \
        --vkey "$vkey" --trusted_dir "$OUT/trust" >/dev/null 2>&1 && break
      sleep 0.2
    done
    echo "-- $origin (tiles $tiles): its own models"
    bazel-bin/tools/ledgerctl/ledgerctl models --tiles "$tiles" --vkey "$vkey" \
      --trusted_dir "$OUT/trust"
  done <"$OUT/factories.tsv"
  echo "factories: $OUT/factories.tsv"
  if [[ -x bazel-bin/office/office_monitor ]]; then federation_office "$OUT"; fi
fi

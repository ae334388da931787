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
# Environment: DEMO_NODES (default 256 per factory), DEMO_SEED (default 1),
# DEMO_SAMPLE_MINUTES (default 60). Binaries: bazel-bin (build them first:
# //tools/factory_sim //api/server:ledger_server //tools/ledgerctl).
FEDERATION_PARTS=(a b c)
FEDERATION_PIDS=()

federation_simulate() {
  local out=$1 part=0 f
  for f in "${FEDERATION_PARTS[@]}"; do
    part=$((part + 1))
    mkdir -p "$out/factory-$f"
    bazel-bin/tools/factory_sim/factory_sim --out_dir="$out/factory-$f" \
      --origin="factory-$f.example.eu/ledger" --federation_part=$part \
      --nodes="${DEMO_NODES:-256}" --seed="${DEMO_SEED:-1}" \
      --sample_minutes="${DEMO_SAMPLE_MINUTES:-60}" --scale=0 \
      >"$out/factory-$f/simulation.txt" 2>"$out/factory-$f/simulation.log"
    local rc=$?
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
        --vkey "$vkey" >/dev/null 2>&1 && break
      sleep 0.2
    done
    echo "-- $origin (tiles $tiles): its own models"
    bazel-bin/tools/ledgerctl/ledgerctl models --tiles "$tiles" --vkey "$vkey"
  done <"$OUT/factories.tsv"
  echo "factories: $OUT/factories.tsv"
fi

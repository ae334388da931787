#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs the
# factory simulator (tools/factory_sim) on an embedded ledger (RocksDB in a
# local folder): many 8-GPU H100 nodes and seven model providers, weeks of
# training in simulated time, driven through the real collector agent (replay
# mode), spool, gRPC server and ledger; then the AI Act rules engine records
# its findings, the standalone ledger_server serves the folder to an auditor,
# an inclusion proof is re-checked by Go's sumdb verifier, and ledgerctl
# audits the whole ledger. Then the AI Office across three factories
# (scripts/demo_factories.sh): three small simulated factories, each its own
# ledger_server with its own origin and keys; one provider splits a frontier
# run across them, another trains three unlinked parts; office_monitor follows
# the three over HTTP (tiles), verifies every entry and records the Office's
# findings in the Office ledger, which a ledger_server then serves. Leaves
# everything in demo-out/ and says where.
#
# Environment: DEMO_OUT (default demo-out), DEMO_NODES (default 1024),
# DEMO_SEED (default 1), DEMO_SAMPLE_MINUTES (default 60), DEMO_BAZEL_FLAGS
# (default -c opt); the federation part: DEMO_FEDERATION_NODES (default 64
# per factory), DEMO_FEDERATION_SAMPLE_MINUTES (default 1440).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
OUT=${DEMO_OUT:-demo-out}
step() { printf '\n== %s\n' "$*"; }

step "building (bazel ${DEMO_BAZEL_FLAGS--c opt}): factory_sim, ledger_server, ledgerctl, compliance_check, office_monitor"
bazel build ${DEMO_BAZEL_FLAGS--c opt} //tools/factory_sim //api/server:ledger_server //tools/ledgerctl \
  //tools/compliance_check //office:office_monitor >/dev/null 2>demo-build.log || {
  tail -n 30 demo-build.log >&2
  echo "demo: build failed (log: demo-build.log)" >&2
  exit 1
}
rm -f demo-build.log
L=bazel-bin/tools/ledgerctl/ledgerctl
rm -rf "$OUT"
mkdir -p "$OUT"
D="$OUT/ledger"

step "simulating the factory (${DEMO_NODES:-1024} nodes, seed ${DEMO_SEED:-1}); one line per simulated week"
set +e
bazel-bin/tools/factory_sim/factory_sim --out_dir="$OUT" --ledger_dir="$D" \
  --nodes="${DEMO_NODES:-1024}" --seed="${DEMO_SEED:-1}" \
  --sample_minutes="${DEMO_SAMPLE_MINUTES:-60}" | tee "$OUT/simulation.txt"
SIM=${PIPESTATUS[0]}
set -e
if [[ $SIM -eq 2 ]]; then echo "demo: the simulation failed" >&2; exit 1; fi
VKEY=$(sed -n 's/^verifier key: //p' "$OUT/simulation.txt")

step "compliance_check: the findings now recorded in the ledger (exit 1 = violations found, expected here)"
bazel-bin/tools/compliance_check/compliance_check --dir "$D" --json >"$OUT/compliance.json" || true
echo "$(grep -o '"rule":' "$OUT/compliance.json" | wc -l) findings, evaluated with the real clock ($OUT/compliance.json)"

step "auditor: query the standalone ledger_server on the same folder (insecure loopback)"
PORT=$((20000 + RANDOM % 20000))
bazel-bin/api/server/ledger_server --ledger_dir="$D" --insecure_loopback \
  --listen="127.0.0.1:$PORT" 2>"$OUT/server.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
S=(--server "127.0.0.1:$PORT" --vkey "$VKEY" --trusted_dir "$OUT/auditor-trust")
for _ in $(seq 100); do
  $L checkpoint "${S[@]}" --save "$OUT/checkpoint-saved.note" >/dev/null 2>&1 && break
  sleep 0.2
done
echo "server up on 127.0.0.1:$PORT; saved its checkpoint to $OUT/checkpoint-saved.note"
echo "-- models (compute to two significant figures, status)"
$L models "${S[@]}"
echo "-- findings for the AI Safety unit"
$L findings "${S[@]}" --unit safety | head -n 20
echo "-- the log only grew since the saved checkpoint"
$L grew "${S[@]}" --since "$OUT/checkpoint-saved.note"
echo "-- findings re-derived independently through the server (compliance_check --server)"
bazel-bin/tools/compliance_check/compliance_check --server "127.0.0.1:$PORT" --vkey "$VKEY" \
  --json >"$OUT/compliance-server.json" || true
echo "$(grep -o '"rule":' "$OUT/compliance-server.json" | wc -l) findings (same as from the folder: $(grep -o '"rule":' "$OUT/compliance.json" | wc -l))"
$L report "${S[@]}" --out "$OUT/report.html" &&
  echo "HTML report (all models): $OUT/report.html ($(stat -c %s "$OUT/report.html") bytes)"
kill $SERVER; wait $SERVER 2>/dev/null || true
trap - EXIT

step "auditor: prove the last finding is in the log, re-checked by Go's sumdb verifier"
$L checkpoint --dir "$D" >"$OUT/checkpoint.txt"
LAST=$(( $(sed -n 2p "$OUT/checkpoint.txt") - 1 ))
$L prove --dir "$D" --index "$LAST" >"$OUT/inclusion-proof.txt"
echo "inclusion proof of leaf $LAST: $(wc -l <"$OUT/inclusion-proof.txt") hashes"
if command -v go >/dev/null && [[ -d /usr/share/gocode/src/golang.org/x/mod/sumdb ]]; then
  tmp=$(mktemp -d)
  $L leaf --dir "$D" --index "$LAST" >"$OUT/leaf-$LAST.bin"
  GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$tmp" GOFLAGS= GOPROXY=off \
    go run tests/interop/ledgerctl/verify_ledger.go inclusion "$VKEY" \
    "$OUT/checkpoint.txt" "$OUT/leaf-$LAST.bin" "$LAST" "$OUT/inclusion-proof.txt"
  rm -rf "$tmp"
fi

step "auditor: full offline audit of the ledger (ledgerctl verify)"
$L verify --dir "$D"

step "the AI Office across three factories (${DEMO_FEDERATION_NODES:-64} nodes each, scripts/demo_factories.sh)"
# shellcheck source=demo_factories.sh
source scripts/demo_factories.sh
F="$OUT/federation"
mkdir -p "$F"
DEMO_NODES=${DEMO_FEDERATION_NODES:-64} DEMO_SAMPLE_MINUTES=${DEMO_FEDERATION_SAMPLE_MINUTES:-1440} \
  federation_simulate "$F"
federation_serve "$F"
trap federation_stop EXIT
echo "-- what each factory sees of its own log (each sees only its share: no model over 1e25, not even by its upper bound)"
while IFS=$'\t' read -r origin vkey tiles grpc; do
  for _ in $(seq 100); do
    $L checkpoint --tiles "$tiles" --vkey "$vkey" --trusted_dir "$F/trust" >/dev/null 2>&1 && break
    sleep 0.2
  done
  $L models --tiles "$tiles" --vkey "$vkey" --trusted_dir "$F/trust" |
    sed -n "2,\$s|^|  $origin: |p" | cut -c1-140
done <"$F/factories.tsv"
federation_office "$F"
federation_stop
trap - EXIT
X1=$(grep -c ' X1: ' "$F/office/findings.txt" || true)
C4=$(grep -c 'helios-frontier  C4: .*cumulative compute is over' "$F/office/findings.txt" || true)

step "done"
echo "ledger folder (RocksDB): $D   verifier key: $VKEY"
echo "reports: $OUT/report.html (open in a browser), $OUT/report.txt (findings by unit), $OUT/report.json, $OUT/compliance.json"
echo "keys (rules, office): $OUT/keys/   collector spools: $OUT/spools/"
echo "serve it: bazel-bin/api/server/ledger_server --ledger_dir=$D --insecure_loopback --listen=127.0.0.1:8080"
echo "AI Office: split training found only at the Office: $X1 X1 (Split Compute SA's sc-part-1..3, unlinked, 1.2e25 together)" \
  "and $C4 C4 over 1e25 (Helios Frontier SAS's helios-frontier, a third at each factory), their evidence leaves of" \
  "the factory logs, each verified by the monitor; Office ledger: $F/office/ledger, findings: $F/office/findings.txt, report: $F/office/report.html, monitor log: $F/office/monitor.log"
exit $(( SIM == 0 ? 0 : 1 ))

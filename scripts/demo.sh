#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs the
# main job on an embedded ledger (RocksDB in a local folder). Today that is
# the ledger's end-to-end path as a factory operator and an auditor use it:
# create a ledger, enrol a GPU node's collector key and a provider key,
# append signed records, publish checkpoints, prove inclusion and
# consistency, and audit everything. Leaves the ledger in demo-out/.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
echo "== building ledgerctl"
bazel build -c opt //tools/ledgerctl >/dev/null 2>demo-build.log || {
  tail -n 30 demo-build.log >&2
  echo "demo: build failed (log: demo-build.log)" >&2
  exit 1
}
rm -f demo-build.log
L=bazel-bin/tools/ledgerctl/ledgerctl
OUT=${DEMO_OUT:-demo-out}
rm -rf "$OUT"
mkdir -p "$OUT/payloads"
D="$OUT/ledger"

step() { printf '\n== %s\n' "$*"; }

step "operator: create the ledger (log key + first admin key, genesis entries)"
$L init --dir "$D" --origin ai-factory.example.eu/ledger | tee "$OUT/init.txt"
VKEY=$(tail -n 1 "$OUT/init.txt")

step "operator: enrol a GPU node's collector key and a model provider's key"
$L keygen --out "$OUT/gpu-node-001.key" >/dev/null
$L keygen --out "$OUT/provider-mistral-like.key" >/dev/null
$L enroll --dir "$D" --pub "$OUT/gpu-node-001.key.pub" --role collector \
  --organisation "AI Factory (example)" --node gpu-node-001 --tls_identity gpu-node-001 >/dev/null
$L enroll --dir "$D" --pub "$OUT/provider-mistral-like.key.pub" --role provider \
  --organisation "Example Model Provider SAS" >/dev/null
$L keys --dir "$D"

step "collector: append 50 signed interval records (one per file)"
for i in $(seq -w 1 50); do
  printf 'run=slurm/4242 node=gpu-node-001 interval=%s gpus=8 joules=%d\n' "$i" $((10#$i * 2100000)) \
    >"$OUT/payloads/interval-$i.txt"
done
$L checkpoint --dir "$D" >"$OUT/checkpoint-before.txt"
$L append --dir "$D" --key "$OUT/gpu-node-001.key" --type aifl.collector.v1.IntervalReport \
  "$OUT"/payloads/interval-*.txt | tr '\n' ' ' | sed 's/^/leaf indices: /'
echo

step "provider: append a declaration"
echo "model=example-7b provider=Example Model Provider SAS placed_on_eu_market=2026-03-01" \
  >"$OUT/payloads/declaration.txt"
$L append --dir "$D" --key "$OUT/provider-mistral-like.key" --type aifl.provider.v1.ModelDeclaration \
  "$OUT/payloads/declaration.txt" | sed 's/^/leaf index: /'

step "auditor: the latest signed checkpoint (C2SP signed note)"
$L checkpoint --dir "$D" | tee "$OUT/checkpoint-after.txt"

step "auditor: prove the declaration is in the log, and that the log only grew"
LAST=$(( $(sed -n 2p "$OUT/checkpoint-after.txt") - 1 ))
$L prove --dir "$D" --index "$LAST" >"$OUT/inclusion-proof.txt"
echo "inclusion proof of leaf $LAST: $(wc -l <"$OUT/inclusion-proof.txt") hashes ($OUT/inclusion-proof.txt)"
OLD=$(sed -n 2p "$OUT/checkpoint-before.txt")
$L consistency --dir "$D" --from "$OLD" >"$OUT/consistency-proof.txt"
echo "consistency proof $OLD -> $((LAST + 1)): $(wc -l <"$OUT/consistency-proof.txt") hashes"
if command -v go >/dev/null && [[ -d /usr/share/gocode/src/golang.org/x/mod/sumdb ]]; then
  tmp=$(mktemp -d)
  $L leaf --dir "$D" --index "$LAST" >"$OUT/leaf-$LAST.bin"
  GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$tmp" GOFLAGS= GOPROXY=off \
    go run tests/interop/ledgerctl/verify_ledger.go inclusion "$VKEY" \
    "$OUT/checkpoint-after.txt" "$OUT/leaf-$LAST.bin" "$LAST" "$OUT/inclusion-proof.txt"
  GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$tmp" GOFLAGS= GOPROXY=off \
    go run tests/interop/ledgerctl/verify_ledger.go consistency "$VKEY" \
    "$OUT/checkpoint-before.txt" "$OUT/checkpoint-after.txt" "$OUT/consistency-proof.txt"
  rm -rf "$tmp"
fi

step "auditor: full offline audit of the ledger"
$L verify --dir "$D"

step "done"
echo "ledger folder: $D (verifier key: $VKEY)"
echo "checkpoints and proofs: $OUT/"

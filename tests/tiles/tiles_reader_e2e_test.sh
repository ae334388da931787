#!/bin/bash
# `ledgerctl --tiles URL --vkey V` end to end: the read commands against the
# real ledger_server's --http_listen print what local mode prints, and
# `verify --tiles` audits the whole log from its tiles alone; keys prints the
# same from --dir, --server and --tiles; consistency and prove at older sizes
# are built from tiles (a changed tile under them refused); then the same
# through a real nginx over a `ledgerctl publish` folder, where a changed
# entry bundle, a changed hash tile and a changed partial tile are each
# refused (exit 1) with a message naming the tile, and a server that goes
# away is an HTTP error naming the URL. Last, a log-key rotation is followed
# with the first key, from the published copy (which carries the handover)
# and from the server.
# Failures: one stderr line, non-zero exit.
set -euo pipefail
source common/testonly/test_lib.sh

L=tools/ledgerctl/ledgerctl
S=api/server/ledger_server
C=tools/compliance_check/compliance_check
PY=/usr/bin/python3
tmp="${TEST_TMPDIR:?}"
D="$tmp/ledger"
WWW="$tmp/www"
use_test_home
command -v nginx >/dev/null || fail "nginx is not installed (scripts/bootstrap.sh)"
source tests/tiles/nginx.sh

# ---- A ledger of 600+ entries: two full bundles and a partial one.
vkey=$($L init --dir "$D" --origin tiles-reader.example/log | tail -n 1)
$L keygen --out "$tmp/c.key" >/dev/null
$L enroll --dir "$D" --pub "$tmp/c.key.pub" --role collector --organisation F >/dev/null
s1=$($L checkpoint --dir "$D" | sed -n 2p)  # sizes the folder signed a checkpoint at
mkdir "$tmp/p"
for i in $(seq 1 600); do printf 'interval report %d %0*d' "$i" $((i % 97)) 0 >"$tmp/p/$i"; done
$L append --dir "$D" --key "$tmp/c.key" --type aifl.collector.v1.Blob "$tmp"/p/* >/dev/null
s2=$($L checkpoint --dir "$D" | sed -n 2p)
# ...and one model, for the model commands.
$L keygen --out "$tmp/provider.key" >/dev/null
$L enroll --dir "$D" --pub "$tmp/provider.key.pub" --role provider --organisation P >/dev/null
cat >"$tmp/decl.txt" <<'EOF'
model_id: "tiles-model-1" provider: "Example AI SE" provider_country: "DE"
provider_in_eu: true modalities: TEXT intends_eu_market: true
placed_on_eu_market: true placed_on_market_unix_ms: 1735689600000
compute { training { lower: 1.2e25 upper: 2.0e25 method: DECLARED_HARDWARE }
          cumulative { lower: 1.3e25 upper: 2.2e25 method: DECLARED_HARDWARE } }
EOF
$L declare --dir "$D" --key "$tmp/provider.key" "$tmp/decl.txt" >/dev/null

grpc_port=$(free_port)
http_port=$(free_port)
$S --ledger_dir="$D" --insecure_loopback --listen=127.0.0.1:$grpc_port \
  --http_listen=127.0.0.1:$http_port --checkpoint_interval=100ms \
  --min_free_mb=0 2>"$tmp/server.log" &
server_pid=$!
nginx_pid=
trap 'kill $server_pid 2>/dev/null || true; [[ -n $nginx_pid ]] && kill $nginx_pid 2>/dev/null || true' EXIT
URL=http://127.0.0.1:$http_port
for _ in $(seq 1 100); do
  curl -sf "$URL/checkpoint" >/dev/null 2>&1 && break
  kill -0 $server_pid 2>/dev/null || { cat "$tmp/server.log" >&2; fail "server exited"; }
  sleep 0.2
done

# ---- Same output as local mode.
T=(--tiles "$URL" --vkey "$vkey" --trusted_dir "$tmp/trust")
size=$($L checkpoint "${T[@]}" | sed -n 2p)
[[ $size -ge 600 ]] || fail "checkpoint size $size, want ≥ 600"
cmp -s <($L checkpoint "${T[@]}") <($L checkpoint --dir "$D") || fail "checkpoint differs from local mode"
for i in 0 255 256 300 $((size - 1)); do
  cmp -s <($L leaf "${T[@]}" --index $i) <($L leaf --dir "$D" --index $i) || fail "leaf $i differs"
  cmp -s <($L prove "${T[@]}" --index $i 2>/dev/null) <($L prove --dir "$D" --index $i 2>/dev/null) \
    || fail "prove $i differs"
done
# The model commands fold the log read from tiles alone (every leaf audited)
# and print what they print from the folder.
for cmd in models "models --json" "model --model tiles-model-1" \
    "form --model tiles-model-1 --json"; do
  cmp <($L $cmd "${T[@]}") <($L $cmd --dir "$D") || fail "$cmd: --tiles differs from --dir"
done
grep -q '^tiles-model-1 ' <($L models "${T[@]}") || fail "models --tiles lacks tiles-model-1"
# keys, written once over the LogReader: the registry and the log keys
# folded from the proven leaves, the same from the folder, the server and
# the tiles.
G=(--server 127.0.0.1:$grpc_port --vkey "$vkey" --trusted_dir "$tmp/trust-keys")
for json in "" --json; do
  $L keys --dir "$D" $json >"$tmp/keys.dir$json"
  cmp "$tmp/keys.dir$json" <($L keys "${G[@]}" $json) || fail "keys $json: --server differs from --dir"
  cmp "$tmp/keys.dir$json" <($L keys "${T[@]}" $json) || fail "keys $json: --tiles differs from --dir"
done
[[ $(grep -c ' collector \| provider \| admin ' "$tmp/keys.dir") -eq 3 ]] || fail "keys: $(cat "$tmp/keys.dir")"
grep -q "^log-key  announced@[0-9]" "$tmp/keys.dir" || fail "keys lacks the log key: $(cat "$tmp/keys.dir")"
# compliance_check too: the findings derived from tiles are the folder's.
rc_tiles=0; $C "${T[@]}" --json >"$tmp/check.tiles" || rc_tiles=$?
rc_dir=0; $C --dir "$D" --json >"$tmp/check.dir" || rc_dir=$?
[[ $rc_tiles -eq $rc_dir && $rc_dir -le 1 ]] || fail "compliance_check exit: --tiles $rc_tiles, --dir $rc_dir"
# (as_of is the wall clock of each run: it may differ by a second.)
no_as_of() { sed 's/"as_of":"[^"]*"//' "$1"; }
cmp <(no_as_of "$tmp/check.tiles") <(no_as_of "$tmp/check.dir") || fail "compliance_check --tiles differs from --dir"
grep -q 'tiles-model-1' "$tmp/check.dir" || fail "compliance_check found nothing about tiles-model-1"
# Tiles keep only the latest signed checkpoint but every node: consistency
# and inclusion proofs at older sizes are built from them, the folder's own
# (which has signed checkpoints of sizes s1 and s2).
for args in "--from $s1" "--from $s2" "--from $s1 --to $s2"; do
  cmp <($L consistency "${T[@]}" $args) <($L consistency --dir "$D" $args) \
    || fail "consistency $args: --tiles differs from --dir"
done
for i in 0 $((s1 - 1)) 300 $((s2 - 1)); do
  cmp <($L prove "${T[@]}" --index $i --size $s2 2>/dev/null) <($L prove --dir "$D" --index $i --size $s2 2>/dev/null) \
    || fail "prove --index $i --size $s2: --tiles differs from --dir"
done
# Where --dir names the signed checkpoint of size s2, --tiles says what
# vouches for the root it computed.
root2=$($L prove --dir "$D" --index 1 --size $s2 --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["root"])')
$L prove "${T[@]}" --index 1 --size $s2 2>"$tmp/ok.txt" >/dev/null
grep -q "^ok: leaf 1 (hash .*) is in the log at size $s2, root $root2; root computed from tiles under the latest signed checkpoint (size $size, root " "$tmp/ok.txt" \
  || fail "prove --size over tiles: $(cat "$tmp/ok.txt")"
$L prove "${T[@]}" --index 1 --size $s2 --json | $PY -c '
import json,sys
r=json.load(sys.stdin)
assert r["checkpoint"] is None and r["tree_size"]==int(sys.argv[1]) and r["root"]==sys.argv[2], r
assert r["computed_under"].split("\n")[1]==sys.argv[3], r' $s2 "$root2" $size || fail "prove --size --json over tiles"
expect_failure "beyond size $size" $L consistency "${T[@]}" --from $((size + 1))  # consistency beyond the tree
# From a checkpoint saved earlier (`grew`), the proof is built from tiles too.
$L checkpoint "${T[@]}" --save "$tmp/cp1" >/dev/null
$L append --server 127.0.0.1:$grpc_port --vkey "$vkey" --trusted_dir "$tmp/trust-grpc" \
  --key "$tmp/c.key" --type aifl.collector.v1.Blob "$tmp"/p/1 "$tmp"/p/2 "$tmp"/p/3 >/dev/null \
  || fail "gRPC append"
for _ in $(seq 1 50); do
  [[ $($L checkpoint "${T[@]}" | sed -n 2p) -eq $((size + 3)) ]] && break
  sleep 0.1
done
$L grew "${T[@]}" --since "$tmp/cp1" >"$tmp/grew.txt" || fail "grew --tiles: $(cat "$tmp/grew.txt")"
grep -q "^ok: the log only grew: size $size " "$tmp/grew.txt" || fail "grew: $(cat "$tmp/grew.txt")"
size=$((size + 3))
$L verify "${T[@]}" >"$tmp/verify.txt" || fail "verify --tiles: $(cat "$tmp/verify.txt")"
root=$($L verify --dir "$D" --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["root"])')
grep -q "^ok: $size entries, .*; root $root\$" "$tmp/verify.txt" || fail "verify --tiles: $(cat "$tmp/verify.txt")"
# Without a key: refused before any request.
expect_failure "--vkey is required" $L verify --tiles "$URL"

# ---- nginx over a published copy, then tampered files.
$L publish --dir "$D" --out "$WWW" >/dev/null
start_nginx "$WWW" "$tmp/nginx"
N=http://127.0.0.1:$nginx_port
TN=(--tiles "$N" --vkey "$vkey" --trusted_dir "$tmp/trust-nginx")
$L verify "${TN[@]}" >/dev/null || fail "verify --tiles through nginx"
flip() {  # flip one bit of byte $2 of file $1
  $PY - "$1" "$2" <<'PY'
import sys
path, at = sys.argv[1], int(sys.argv[2])
data = bytearray(open(path, "rb").read())
data[at] ^= 1
open(path, "wb").write(bytes(data))
PY
}
cp "$WWW/tile/entries/001" "$tmp/saved"
flip "$WWW/tile/entries/001" 12  # inside leaf 256
# Only the error line, as scripts match it: no progress drawn into a file
# (README.md: every failure prints one line on stderr).
expect_failure "^ledgerctl verify: audit failed: .*leaf 256 of entry bundle $N/tile/entries/001 does not match its hash in $N/tile/0/001" \
  $L verify "${TN[@]}"
if grep -q $'\r' "$TEST_TMPDIR/err"; then
  fail "changed bundle: progress drawn into stderr: $(cat -A "$TEST_TMPDIR/err")"
fi
expect_failure "leaf 256 of entry bundle" $L leaf "${TN[@]}" --index 300  # changed bundle, leaf
cp "$tmp/saved" "$WWW/tile/entries/001"
$L verify "${TN[@]}" >/dev/null || fail "verify after restoring the bundle"
cp "$WWW/tile/0/000" "$tmp/saved"
flip "$WWW/tile/0/000" 40  # leaf hash 1
expect_failure "hash tile $N/tile/0/000 does not match the tree of size $size" \
  $L prove "${TN[@]}" --index 3
cp "$tmp/saved" "$WWW/tile/0/000"
# A changed hash tile under an older size: refused before any root of that
# size is computed from it.
cp "$WWW/tile/0/001" "$tmp/saved"
flip "$WWW/tile/0/001" 40  # leaf hash 257
expect_failure "hash tile $N/tile/0/001 does not match the tree of size $size" \
  $L consistency "${TN[@]}" --from 300
expect_failure "hash tile $N/tile/0/001 does not match" \
  $L prove "${TN[@]}" --index 290 --size 300
cp "$tmp/saved" "$WWW/tile/0/001"
cmp <($L consistency "${TN[@]}" --from 300) <($L consistency "${T[@]}" --from 300) || fail "consistency after restoring the tile"
partial=$(cd "$WWW" && ls tile/0/*.p/* | head -n 1)
cp "$WWW/$partial" "$tmp/saved"
flip "$WWW/$partial" 0
expect_failure "do not give the checkpoint's root" $L checkpoint "${TN[@]}"  # changed partial tile
cp "$tmp/saved" "$WWW/$partial"
$L checkpoint "${TN[@]}" >/dev/null || fail "checkpoint after restoring the partial tile"
# A server that is gone: an HTTP error naming the URL.
kill $nginx_pid; wait $nginx_pid 2>/dev/null || true; nginx_pid=
expect_failure "GET $N/checkpoint" $L checkpoint "${TN[@]}"  # nginx gone

# ---- A log-key rotation (offline: the server stopped), followed over tiles
# with the first key: from a `publish` copy under nginx, which carries the
# handover (the bytes the server's endpoint serves), and from the server.
kill $server_pid; wait $server_pid 2>/dev/null || true
$L rotate-log-key --dir "$D" --new-key "$tmp/log2.key" --generate >"$tmp/rotate.txt" \
  || fail "rotate-log-key: $(cat "$tmp/rotate.txt")"
$L append --dir "$D" --key "$tmp/c.key" --type aifl.collector.v1.Blob "$tmp"/p/4 "$tmp"/p/5 >/dev/null \
  || fail "append after the rotation"
size=$($L checkpoint --dir "$D" | sed -n 2p)
$L publish --dir "$D" --out "$WWW" >"$tmp/publish.txt" || fail "publish: $(cat "$tmp/publish.txt")"
grep -q '^wrote log-key-handover/1$' "$tmp/publish.txt" || fail "publish wrote no handover: $(cat "$tmp/publish.txt")"
start_nginx "$WWW" "$tmp/nginx-rotated"
N=http://127.0.0.1:$nginx_port
# A reader that trusted the first key at the old size, and a fresh one.
for trust in "$tmp/trust-nginx" "$tmp/trust-rotated"; do
  got=$($L checkpoint --tiles "$N" --vkey "$vkey" --trusted_dir "$trust" | sed -n 2p) \
    || fail "checkpoint --tiles across the rotation ($trust)"
  [[ $got -eq $size ]] || fail "checkpoint --tiles across the rotation: size $got, want $size"
done
$L verify --tiles "$N" --vkey "$vkey" >"$tmp/verify-rotated.txt" \
  || fail "verify --tiles across the rotation: $(cat "$tmp/verify-rotated.txt")"
$S --ledger_dir="$D" --insecure_loopback --listen=127.0.0.1:$grpc_port \
  --http_listen=127.0.0.1:$http_port --checkpoint_interval=100ms \
  --min_free_mb=0 2>"$tmp/server2.log" &
server_pid=$!
for _ in $(seq 1 100); do
  curl -sf "$URL/checkpoint" >/dev/null 2>&1 && break
  kill -0 $server_pid 2>/dev/null || { cat "$tmp/server2.log" >&2; fail "server exited"; }
  sleep 0.2
done
cmp <(curl -sf "$URL/log-key-handover/1") "$WWW/log-key-handover/1" \
  || fail "the published handover differs from the one the server serves"
got=$($L checkpoint "${T[@]}" | sed -n 2p) || fail "checkpoint --tiles from the server across the rotation"
[[ $got -eq $size ]] || fail "checkpoint --tiles from the server: size $got, want $size"
echo PASS

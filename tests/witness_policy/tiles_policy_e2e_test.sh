#!/bin/bash
# `--policy FILE` over --tiles, end to end: a ledger folder published with
# `ledgerctl publish` and served by a plain HTTP server; three real
# `aifl_witness` processes cosign its checkpoint (POST add-checkpoint from
# here); /checkpoint is rewritten with the cosignature lines they returned,
# as a log with a witness policy publishes it. Then:
#   quorum met → accepted (ledgerctl checkpoint/verify, compliance_check);
#   one cosignature missing → refused, naming the witness;
#   a cosignature by a key the policy does not list → ignored;
#   a cosignature with a changed byte → not counted (named as invalid);
#   a 2-of-3 group → any two suffice, one does not;
#   the trusted store keeps the note with its cosignatures, and a store
#   written before (without cosignatures) still loads;
#   --server is checked the same way (a ledger_server gathering no
#   cosignatures is refused with a policy).
# Failures: one stderr line, non-zero exit.
set -euo pipefail
source common/testonly/test_lib.sh

L=tools/ledgerctl/ledgerctl
C=tools/compliance_check/compliance_check
S=api/server/ledger_server
W=witness/aifl_witness
PY=/usr/bin/python3
tmp="${TEST_TMPDIR:?}"
D="$tmp/ledger"
WWW="$tmp/www"
use_test_home
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
wait_http() {  # wait_http URL PID LOG
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; fail "$1: process exited"; }
    sleep 0.1
  done
  fail "$1 never answered"
}

# ---- A ledger folder with a few entries, published and served over HTTP.
vkey=$($L init --dir "$D" --origin witnessed.example/log | tail -n 1)
$L keygen --out "$tmp/c.key" >/dev/null
$L enroll --dir "$D" --pub "$tmp/c.key.pub" --role collector --organisation F >/dev/null
mkdir "$tmp/p"
for i in $(seq 1 40); do printf 'interval report %d' "$i" >"$tmp/p/$i"; done
$L append --dir "$D" --key "$tmp/c.key" --type aifl.collector.v1.Blob "$tmp"/p/* >/dev/null
$L publish --dir "$D" --out "$WWW" >/dev/null
cp "$WWW/checkpoint" "$tmp/log-note"
http_port=$(free_port)
$PY -m http.server --bind 127.0.0.1 --directory "$WWW" "$http_port" \
  >"$tmp/http.log" 2>&1 &
pids+=($!)
URL=http://127.0.0.1:$http_port
wait_http "$URL/checkpoint" "${pids[-1]}" "$tmp/http.log"

# ---- Three witnesses (w1, w2, w3) trusting the log; a stranger (w4) too.
echo "log $vkey" >"$tmp/logs"
declare -A wvkey
for w in w1 w2 w3 w4; do
  wvkey[$w]=$($W keygen --key_file="$tmp/$w.key" --name="$w.witness.example" | tail -n 1)
  port=$(free_port)
  $W serve --key_file="$tmp/$w.key" --name="$w.witness.example" --logs="$tmp/logs" \
    --state_dir="$tmp/$w.state" --listen=127.0.0.1:$port >"$tmp/$w.log" 2>&1 &
  pids+=($!)
  wait_http "http://127.0.0.1:$port/" "${pids[-1]}" "$tmp/$w.log"
  # add-checkpoint: old 0, no proof, the log's signed note.
  { printf 'old 0\n\n'; cat "$tmp/log-note"; } >"$tmp/req"
  code=$(curl -s -o "$tmp/$w.cosig" -w '%{http_code}' --data-binary @"$tmp/req" \
    "http://127.0.0.1:$port/add-checkpoint")
  [[ $code == 200 ]] || fail "$w: add-checkpoint answered $code: $(cat "$tmp/$w.cosig")"
  grep -q "^— $w.witness.example " "$tmp/$w.cosig" || fail "$w: no cosignature line: $(cat "$tmp/$w.cosig")"
done
publish() {  # publish LINE-FILE...: the log's note plus these cosignatures
  cat "$tmp/log-note" "$@" >"$WWW/checkpoint"
}
# w2's line with one byte of its signature changed (key id kept).
$PY - "$tmp/w2.cosig" "$tmp/w2.bad" <<'PY'
import base64, sys
line = open(sys.argv[1], encoding="utf-8").read().rstrip("\n")
head, b64 = line.rsplit(" ", 1)
raw = bytearray(base64.b64decode(b64))
raw[-1] ^= 1  # last byte of the Ed25519 signature
open(sys.argv[2], "w", encoding="utf-8").write(head + " " + base64.b64encode(bytes(raw)).decode() + "\n")
PY

# ---- Policies: 2-of-2 (w1 and w2), and 2-of-3 (w1, w2, w3). No `log`
# line: the policy stands for --vkey's log. A third with the log line.
cat >"$tmp/all.policy" <<EOP
# both office witnesses must cosign
witness w1 ${wvkey[w1]}
witness w2 ${wvkey[w2]}
group both all w1 w2
quorum both
EOP
cat >"$tmp/two-of-three.policy" <<EOP
witness w1 ${wvkey[w1]}
witness w2 ${wvkey[w2]}
witness w3 ${wvkey[w3]}
group office 2 w1 w2 w3
quorum office
EOP
{ echo "log $vkey"; cat "$tmp/all.policy"; } >"$tmp/with-log.policy"

T=(--tiles "$URL" --vkey "$vkey")
accepts() {  # accepts POLICY WHAT: checkpoint and verify succeed
  $L checkpoint "${T[@]}" --trusted_dir "$tmp/trust-$RANDOM" --policy "$1" >"$tmp/out" 2>&1 \
    || fail "$2: checkpoint refused: $(cat "$tmp/out")"
  $L verify "${T[@]}" --trusted_dir "$tmp/trust-$RANDOM" --policy "$1" >"$tmp/out" 2>&1 \
    || fail "$2: verify refused: $(cat "$tmp/out")"
}
refuses() {  # refuses POLICY WHAT PATTERN
  if $L checkpoint "${T[@]}" --trusted_dir "$tmp/trust-$RANDOM" --policy "$1" >"$tmp/out" 2>&1; then
    fail "$2: accepted"
  fi
  grep -q -- "$3" "$tmp/out" || fail "$2: want \"$3\", got: $(cat "$tmp/out")"
}

# Quorum met.
publish "$tmp/w1.cosig" "$tmp/w2.cosig"
accepts "$tmp/all.policy" "w1+w2, 2-of-2"
accepts "$tmp/with-log.policy" "w1+w2, 2-of-2 with the log line"
rc=0; $C "${T[@]}" --policy "$tmp/all.policy" --json >"$tmp/check.json" 2>&1 || rc=$?
[[ $rc -le 1 ]] || fail "compliance_check --policy, quorum met: exit $rc: $(cat "$tmp/check.json")"
# Without a policy, the plain note is accepted as before.
publish
$L checkpoint "${T[@]}" --trusted_dir "$tmp/trust-plain" >/dev/null || fail "no policy, no cosignatures"
# One cosignature missing: refused, naming it (ledgerctl and compliance_check).
publish "$tmp/w1.cosig"
refuses "$tmp/all.policy" "w1 only" "quorum both not met; cosigned by: w1; missing: w2"
if $C "${T[@]}" --policy "$tmp/all.policy" >"$tmp/out" 2>&1; then fail "compliance_check: w1 only accepted"; fi
grep -q "missing: w2" "$tmp/out" || fail "compliance_check, w1 only: $(cat "$tmp/out")"
publish
refuses "$tmp/all.policy" "no cosignature" "cosigned by: nobody; missing: w1, w2"
# A cosignature by a key the policy does not list is ignored: it neither
# helps nor hurts.
publish "$tmp/w1.cosig" "$tmp/w4.cosig" "$tmp/w2.cosig"
accepts "$tmp/all.policy" "w1+w4+w2"
publish "$tmp/w1.cosig" "$tmp/w4.cosig"
refuses "$tmp/all.policy" "w1+w4" "missing: w2"
# A changed byte: w2's line does not verify and is not counted.
publish "$tmp/w1.cosig" "$tmp/w2.bad"
refuses "$tmp/all.policy" "w1+w2 changed" "missing: w2; invalid cosignatures from: w2"
# 2-of-3: any two suffice, one does not.
for pair in "w1 w3" "w2 w3" "w1 w2"; do
  set -- $pair
  publish "$tmp/$1.cosig" "$tmp/$2.cosig"
  accepts "$tmp/two-of-three.policy" "2-of-3 with $pair"
done
publish "$tmp/w3.cosig" "$tmp/w2.bad"
refuses "$tmp/two-of-three.policy" "2-of-3 with w3 and a bad w2" "quorum office not met; cosigned by: w3; missing: w1, w2"
# A policy that lists logs, but not this one: refused before any request.
other=$($L init --dir "$tmp/other" --origin witnessed.example/log | tail -n 1)
sed "s|^log .*|log $other|" "$tmp/with-log.policy" >"$tmp/other.policy"
if $L checkpoint "${T[@]}" --policy "$tmp/other.policy" >"$tmp/out" 2>&1; then fail "other log's policy accepted"; fi
grep -q "the witness policy lists logs, but not this one" "$tmp/out" || fail "other log's policy: $(cat "$tmp/out")"
echo "quorum" >"$tmp/broken.policy"
if $L checkpoint "${T[@]}" --policy "$tmp/broken.policy" >"$tmp/out" 2>&1; then fail "broken policy accepted"; fi
grep -q "policy file $tmp/broken.policy: policy line 1" "$tmp/out" || fail "broken policy: $(cat "$tmp/out")"
# --policy with a folder: refused (the operator's own log).
if $L checkpoint --dir "$D" --policy "$tmp/all.policy" >"$tmp/out" 2>&1; then fail "--dir --policy accepted"; fi
grep -q "operator's own log" "$tmp/out" || fail "--dir --policy: $(cat "$tmp/out")"

# ---- The trusted store: a store written without cosignatures (before the
# policy) still loads; the cosigned note then replaces it, cosignature lines
# included, and loads again.
store="$tmp/trust-plain/witnessed.example%2Flog.checkpoint"
[[ -f $store ]] || fail "no trusted store file at $store: $(ls "$tmp/trust-plain")"
grep -q "^— w[0-9].witness.example " "$store" && fail "plain store has cosignatures"
publish "$tmp/w1.cosig" "$tmp/w2.cosig"
$L checkpoint "${T[@]}" --trusted_dir "$tmp/trust-plain" --policy "$tmp/all.policy" >"$tmp/out" 2>&1 \
  || fail "old store + policy: $(cat "$tmp/out")"
tail -n 3 "$store" | cmp - <(tail -n 3 "$WWW/checkpoint") || fail "store lacks the cosignatures: $(cat "$store")"
cmp <(sed -n '6,$p' "$store") "$WWW/checkpoint" || fail "store's note is not the note as received"
$L checkpoint "${T[@]}" --trusted_dir "$tmp/trust-plain" --policy "$tmp/all.policy" >/dev/null \
  || fail "cosigned store does not load"

# ---- --server goes through the same check: this ledger_server gathers no
# cosignatures (no --witness_policy), so a policy client refuses it, naming
# both witnesses; without --policy it is read as before.
grpc_port=$(free_port)
$S --ledger_dir="$D" --insecure_loopback --listen=127.0.0.1:$grpc_port \
  --min_free_mb=0 >"$tmp/server.log" 2>&1 &
pids+=($!)
G=(--server 127.0.0.1:$grpc_port --vkey "$vkey")
for _ in $(seq 1 100); do
  $L checkpoint "${G[@]}" --trusted_dir "$tmp/trust-grpc" >/dev/null 2>&1 && break
  kill -0 "${pids[-1]}" 2>/dev/null || { cat "$tmp/server.log" >&2; fail "ledger_server exited"; }
  sleep 0.2
done
$L checkpoint "${G[@]}" --trusted_dir "$tmp/trust-grpc" >/dev/null || fail "--server without --policy"
if $L checkpoint "${G[@]}" --trusted_dir "$tmp/trust-grpc2" --policy "$tmp/all.policy" >"$tmp/out" 2>&1; then
  fail "--server --policy accepted a checkpoint nobody cosigned"
fi
grep -q "cosigned by: nobody; missing: w1, w2" "$tmp/out" || fail "--server --policy: $(cat "$tmp/out")"
if $C "${G[@]}" --policy "$tmp/all.policy" >"$tmp/out" 2>&1; then fail "compliance_check --server --policy accepted"; fi
grep -q "missing: w1, w2" "$tmp/out" || fail "compliance_check --server --policy: $(cat "$tmp/out")"
echo PASS

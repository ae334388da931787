#!/bin/bash
# The collector_agent binary shipping to the ledger_server binary over gRPC
# (loopback): a replayed node while the ledger is unreachable keeps every
# signed record in its spool and exits non-zero with one clear line; once the
# server is up, a restart ships the spool (proof receipts verified before
# deletion), and a replay run ships its own records. The ledger then holds
# exactly the spooled records, signed by the node's key, with the replayed
# run's GPU-seconds, and passes a full audit.
set -euo pipefail
A="$1"  # collector_agent
S="$2"  # ledger_server
L="$3"  # ledgerctl
REPLAY="$4"
tmp="${TEST_TMPDIR:?}"
fail() { echo "FAIL: $*" >&2; exit 1; }
origin=factory.example.eu/ledger

vkey=$($L init --dir "$tmp/ledger" --origin $origin | tail -n 1)
$L keygen --out "$tmp/node.key" >/dev/null
$L enroll --dir "$tmp/ledger" --pub "$tmp/node.key.pub" --role collector \
  --node gpu-node-1 --organisation "Factory A" >/dev/null
head -c 48 /dev/urandom >"$tmp/secret"
agent() {
  "$A" run --replay "$REPLAY" --key "$tmp/node.key" --origin $origin --vkey "$vkey" \
    --node gpu-node-1 --secret_file "$tmp/secret" "$@"
}

# 1. The ledger is unreachable: nothing may be lost.
if agent --spool_dir "$tmp/spool" --ledger_server 127.0.0.1:1 >"$tmp/out1" 2>"$tmp/err1"; then
  fail "shipping to a closed port succeeded"
fi
[[ $(wc -l <"$tmp/err1") -eq 1 ]] || { cat "$tmp/err1"; fail "want one stderr line"; }
echo "  unreachable ledger: $(cat "$tmp/err1")"
spooled=$(find "$tmp/spool/pending" "$tmp/spool/sealed" -type f | wc -l)
echo "  spooled files: $spooled"

# 2. Start the server; the next run first ships what the spool kept.
"$S" --ledger_dir="$tmp/ledger" --insecure_loopback --listen=127.0.0.1:0 \
  --checkpoint_interval=100ms 2>"$tmp/server.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q '"event":"server_started"' "$tmp/server.log" && break
  sleep 0.1
done
port=$(grep -o '"event":"server_started".*"port":"[0-9]*"' "$tmp/server.log" | grep -o '"port":"[0-9]*"' | grep -o '[0-9]*')
[[ -n "$port" ]] || { cat "$tmp/server.log"; fail "server did not start"; }

agent --spool_dir "$tmp/spool" --ledger_server 127.0.0.1:$port >"$tmp/out2" 2>"$tmp/err2" ||
  { cat "$tmp/err2"; fail "shipping run failed"; }
cat "$tmp/out2"
left=$(find "$tmp/spool/pending" "$tmp/spool/sealed" -type f | wc -l)
[[ $left -eq 0 ]] || fail "$left spool files left after a successful run"
shipped=$(grep -o 'replayed: [0-9]*' "$tmp/out2" | grep -o '[0-9]*')
[[ $shipped -gt 0 ]] || fail "nothing shipped"

# 3. What the ledger holds: genesis (2) + enrolment (1) + every shipped record,
#    each once (the first run's records were shipped, not re-signed).
$L checkpoint --server 127.0.0.1:$port --vkey "$vkey" --trusted_dir "$tmp/trust" >"$tmp/note"
size=$(sed -n 2p "$tmp/note")
[[ $size -eq $((3 + shipped)) ]] || fail "tree size $size, want $((3 + shipped))"
$L models --server 127.0.0.1:$port --vkey "$vkey" --trusted_dir "$tmp/trust" --json >"$tmp/models.json"
grep -q '"m-7b"' "$tmp/models.json" || { cat "$tmp/models.json"; fail "model m-7b missing"; }
echo "  models: $(head -c 300 "$tmp/models.json")"

kill -TERM $server
wait $server
trap - EXIT
$L verify --dir "$tmp/ledger" >"$tmp/verify" || { cat "$tmp/verify"; fail "audit failed"; }
echo PASS

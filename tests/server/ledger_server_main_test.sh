#!/usr/bin/env bash
# The ledger_server binary: refuses a folder without a valid ledger (exit 1),
# refuses insecure mode on a non-loopback address and together with TLS flags
# (usage error, exit 2), serves a real ledger, and
# on SIGTERM publishes a final checkpoint and exits 0.
set -euo pipefail
server="$1"
init="$2"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"

if "$server" --ledger_dir="$tmp/missing" --insecure_loopback 2>"$tmp/missing.log"; then
  echo "FAIL: started without a ledger"; exit 1
fi
grep -q '"event":"ledger_open_failed"' "$tmp/missing.log"

"$init" "$tmp/ledger"
# Damage a copy: a signed-state root that the stored tree does not reproduce
# (as after restoring an old backup) must not be served.
cp -r "$tmp/ledger" "$tmp/damaged"
state="$tmp/damaged/keys/log.key.signed-state"
sed -i '4s/.*/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=/' "$state"
if "$server" --ledger_dir="$tmp/damaged" --insecure_loopback --listen=127.0.0.1:0 \
    2>"$tmp/damaged.log"; then
  echo "FAIL: served a ledger that fails its open-time check"; exit 1
fi
grep -q '"event":"ledger_open_failed".*DATA_LOSS' "$tmp/damaged.log"

if "$server" --ledger_dir="$tmp/ledger" --insecure_loopback --listen=0.0.0.0:0 \
    2>"$tmp/wide.log"; then
  echo "FAIL: insecure mode on a non-loopback address"; exit 1
fi
grep -q 'insecure loopback mode wants' "$tmp/wide.log"

# Plaintext together with TLS flags is a usage error: exit 2, one stderr line.
set +e
"$server" --ledger_dir="$tmp/ledger" --insecure_loopback --listen=127.0.0.1:0 \
  --tls_cert=server.pem 2>"$tmp/usage.log"
rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "FAIL: --insecure_loopback with --tls_cert exited $rc"; exit 1; }
[ "$(wc -l <"$tmp/usage.log")" -eq 1 ] || { echo "FAIL: usage error not one line"; cat "$tmp/usage.log"; exit 1; }
grep -q -- '--insecure_loopback and --tls_cert' "$tmp/usage.log"

"$server" --ledger_dir="$tmp/ledger" --insecure_loopback --listen=127.0.0.1:0 \
  --checkpoint_interval=100ms 2>"$tmp/run.log" &
pid=$!
for _ in $(seq 100); do
  grep -q '"event":"server_started"' "$tmp/run.log" && break
  sleep 0.1
done
grep -q '"event":"server_started"' "$tmp/run.log"
# SIGHUP reloads --tls_crl (none here) and must not stop the server.
kill -HUP "$pid"
sleep 0.5
kill -0 "$pid" || { echo "FAIL: SIGHUP stopped the server"; exit 1; }
kill -TERM "$pid"
wait "$pid"  # set -e: a non-zero exit fails the test
grep -q '"event":"server_stopped","final_checkpoint":"OK"' "$tmp/run.log"
echo PASS

#!/usr/bin/env bash
# ledger_server start-up checks of issue 14: it refuses to start (exit 1)
# when too few file descriptors remain for storage, when checkpoints exist
# but the log key's signed state is missing (items 1 and 3), and it keeps the
# signed state where --signed_state_dir says.
set -euo pipefail
server="$1"
init="$2"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"

"$init" "$tmp/ledger"

# Descriptors: with a hard limit of 64, a reserve of 1000 cannot be met.
if (ulimit -n 64; "$server" --ledger_dir="$tmp/ledger" --insecure_loopback \
      --listen=127.0.0.1:0 --fd_reserve=1000 2>"$tmp/fd.log"); then
  echo "FAIL: started without its descriptor reserve"; exit 1
fi
grep -q '"event":"descriptor_reserve_too_small"' "$tmp/fd.log"

# The health port must be loopback (it needs no certificate).
if "$server" --ledger_dir="$tmp/ledger" --insecure_loopback \
    --listen=127.0.0.1:0 --health_listen=0.0.0.0:0 2>"$tmp/health.log"; then
  echo "FAIL: health port on a non-loopback address"; exit 1
fi
grep -q 'health listen address' "$tmp/health.log"

# The signed state deleted (checkpoints exist): refuse, fail closed.
cp -r "$tmp/ledger" "$tmp/nostate"
rm "$tmp/nostate/keys/log.key.signed-state"
if "$server" --ledger_dir="$tmp/nostate" --insecure_loopback \
    --listen=127.0.0.1:0 2>"$tmp/nostate.log"; then
  echo "FAIL: started (and could sign) without the signed state"; exit 1
fi
grep -q '"event":"ledger_open_failed".*signed state.*is missing' "$tmp/nostate.log"

# Kept outside the folder: found there; it starts and stops cleanly.
mkdir -p "$tmp/state"
mv "$tmp/ledger/keys/log.key.signed-state" "$tmp/state/"
"$server" --ledger_dir="$tmp/ledger" --signed_state_dir="$tmp/state" \
  --insecure_loopback --listen=127.0.0.1:0 --health_listen=127.0.0.1:0 \
  2>"$tmp/run.log" &
pid=$!
for _ in $(seq 100); do
  grep -q '"event":"server_started"' "$tmp/run.log" && break
  sleep 0.1
done
grep -q '"event":"server_started"' "$tmp/run.log"
grep -q '"event":"descriptors"' "$tmp/run.log"
kill -TERM "$pid"
wait "$pid"
test ! -e "$tmp/ledger/keys/log.key.signed-state"
echo PASS

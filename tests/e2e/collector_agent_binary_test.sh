#!/bin/bash
# The collector_agent binary shipping to the ledger_server binary over gRPC
# (loopback):
#  1. the ledger unreachable: every signed record stays spooled, exit 1 with
#     one clear line;
#  2. the node's key not enrolled yet: records are HELD (not refused, no
#     RecordRefused marker, nothing moved to rejected/), a loud line per
#     attempt, exit 3, twice in a row with --replay and once as the daemon
#     (SIGTERM), and nothing reaches the ledger;
#  3. after enrolment (over the running server) everything ships: the counts
#     say measurements, not markers; the ledger holds exactly the records;
#  4. reship-rejected (never on a spool another process holds) queues a
#     rejected measurement again: it lands under a new sequence number and
#     its file is kept (rejected/ never overwritten);
#  5. the ledger passes a full audit.
# Also: --version prints a version, an unknown flag's error names the flag.
set -euo pipefail
source common/testonly/test_lib.sh
A="$1"  # collector_agent
S="$2"  # ledger_server
L="$3"  # ledgerctl
REPLAY="$4"
NVML="$5"   # a GPU-less stand-in libnvidia-ml.so.1 for the daemon path
tmp="${TEST_TMPDIR:?}"
origin=factory.example.eu/ledger
spool="$tmp/spool"

version=$("$A" --version)
[[ $version =~ ^collector_agent\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "--version printed '$version'"
if "$A" run --no_such_flag=s3cret-value 2>"$tmp/err0"; then fail "unknown flag accepted"; fi
grep -q "no_such_flag" "$tmp/err0" || { cat "$tmp/err0"; fail "unknown flag not named"; }
if grep -q "s3cret-value" "$tmp/err0"; then fail "unknown flag's value printed"; fi

vkey=$($L init --dir "$tmp/ledger" --origin $origin | tail -n 1)
$L keygen --out "$tmp/node.key" >/dev/null
head -c 48 /dev/urandom >"$tmp/secret"
printf 'aifl-replay v1\n' >"$tmp/ship_only.replay"  # no new records: ship the spool
agent() {
  "$A" run --key "$tmp/node.key" --origin $origin --vkey "$vkey" --node gpu-node-1 \
    --secret_file "$tmp/secret" --spool_dir "$spool" "$@"
}
spooled() { find "$spool/pending" "$spool/sealed" -type f | wc -l; }
rejected_files() { find "$spool/rejected" -maxdepth 1 -type f | wc -l; }

# 1. The ledger is unreachable: nothing may be lost.
if agent --replay "$REPLAY" --ledger_server 127.0.0.1:1 >"$tmp/out1" 2>"$tmp/err1"; then
  fail "shipping to a closed port succeeded"
fi
[[ $(wc -l <"$tmp/err1") -eq 1 ]] || { cat "$tmp/err1"; fail "want one stderr line"; }
echo "  unreachable ledger: $(cat "$tmp/err1")"
echo "  spooled files: $(spooled)"

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
remote=(--server 127.0.0.1:$port --vkey "$vkey" --trusted_dir "$tmp/trust")
tree_size() { $L checkpoint "${remote[@]}" | sed -n 2p; }
genesis=$(tree_size)

# 2. The node starts before its key is enrolled: held, never refused.
for run in 1 2; do
  rc=0
  agent --replay "$([[ $run == 1 ]] && echo "$REPLAY" || echo "$tmp/ship_only.replay")" \
    --ledger_server 127.0.0.1:$port >"$tmp/out2" 2>"$tmp/err2" || rc=$?
  cat "$tmp/out2"
  [[ $rc -eq 3 ]] || { cat "$tmp/err2"; fail "held run $run: exit $rc, want 3"; }
  grep -q "HOLDING .*not enrolled" "$tmp/err2" || { cat "$tmp/err2"; fail "no HOLDING line"; }
  grep -q "records HELD in the spool" "$tmp/err2" || { cat "$tmp/err2"; fail "no HELD line"; }
  grep -q "replayed: 0 measurements shipped.*, 0 refusal markers shipped" "$tmp/out2" || fail "counts"
  [[ $(rejected_files) -eq 0 ]] || { ls -l "$spool/rejected"; fail "records moved to rejected/"; }
  held=$(grep -o '[0-9]* records still in the spool (HELD)' "$tmp/out2" | grep -o '^[0-9]*')
  [[ $held -eq $(spooled) ]] || fail "summary says $held held, spool has $(spooled)"
  [[ $(tree_size) -eq $genesis ]] || fail "the ledger grew while the key was not enrolled"
  if [[ $run == 1 ]]; then
    sha256sum "$spool"/sealed/* >"$tmp/sealed.sha"
  else
    # The same signed bytes: no envelope was turned into a refusal marker.
    sha256sum --quiet -c "$tmp/sealed.sha" || fail "sealed envelopes changed"
  fi
done
echo "  held: $held records; $(grep -c HOLDING "$tmp/err2") HOLDING line(s) in the last run"
# The daemon (NVML path, no --replay) holds the same records, repeats its
# HOLDING line at every retry and, stopped by SIGTERM, exits 3.
mkdir -p "$tmp/nvml"
cp "$NVML" "$tmp/nvml/libnvidia-ml.so.1"
LD_LIBRARY_PATH="$tmp/nvml" "$A" run --key "$tmp/node.key" --origin $origin --vkey "$vkey" \
  --node gpu-node-1 --secret_file "$tmp/secret" --spool_dir "$spool" \
  --ledger_server 127.0.0.1:$port --summary_socket= >"$tmp/out_daemon" 2>"$tmp/err_daemon" &
daemon=$!
for _ in $(seq 100); do
  [[ $(grep -c HOLDING "$tmp/err_daemon") -ge 2 ]] && break
  sleep 0.1
done
kill -TERM $daemon
rc=0
wait $daemon || rc=$?
cat "$tmp/out_daemon"
[[ $rc -eq 3 ]] || { cat "$tmp/err_daemon"; fail "daemon exit $rc, want 3"; }
[[ $(grep -c HOLDING "$tmp/err_daemon") -ge 2 ]] || { cat "$tmp/err_daemon"; fail "HOLDING not repeated"; }
grep -q "^stopped: 0 measurements.* $held records still in the spool (HELD)" "$tmp/out_daemon" ||
  fail "daemon summary"
sha256sum --quiet -c "$tmp/sealed.sha" || fail "the daemon changed sealed envelopes"
[[ $(rejected_files) -eq 0 ]] || fail "the daemon moved records to rejected/"
[[ $(tree_size) -eq $genesis ]] || fail "the ledger grew while the key was not enrolled"
echo "  daemon: $(grep -c HOLDING "$tmp/err_daemon") HOLDING lines, exit 3 on SIGTERM"
# Stand-in for a measurement an earlier agent had refused: a copy of one
# held envelope, kept in rejected/ (reshipped in step 4).
first=$(ls "$spool/sealed" | head -n 1)
cp "$spool/sealed/$first" "$spool/rejected/$first"
kept_sha=$(sha256sum <"$spool/rejected/$first")

# 3. Enrol the key over the running server: everything ships.
$L enroll "${remote[@]}" --admin_key "$tmp/ledger/keys/admin.key" --pub "$tmp/node.key.pub" \
  --role collector --node gpu-node-1 --organisation "Factory A" >/dev/null
agent --replay "$tmp/ship_only.replay" --ledger_server 127.0.0.1:$port >"$tmp/out3" 2>"$tmp/err3" ||
  { cat "$tmp/err3"; fail "shipping run after enrolment failed"; }
cat "$tmp/out3"
grep -q "replayed: $held measurements shipped.* 0 refusal markers shipped.* 0 records still in the spool (none held)" \
  "$tmp/out3" || fail "want $held measurements, 0 markers, none held"
[[ $(spooled) -eq 0 ]] || fail "$(spooled) spool files left after a successful run"
size=$(tree_size)
# genesis + enrolment + every held record, each once.
[[ $size -eq $((genesis + 1 + held)) ]] || fail "tree size $size, want $((genesis + 1 + held))"
for ((i = genesis; i < size; i++)); do
  if $L leaf "${remote[@]}" --index $i | grep -aq RecordRefused; then
    fail "leaf $i is a refusal marker"
  fi
done

# 4. Re-ship rejected/: the payload goes again under a new sequence number.
#    Never while another process (here flock(1), as a running agent) holds
#    the spool.
if flock -n "$spool/lock" "$A" reship-rejected --spool_dir "$spool" 2>"$tmp/err4"; then
  fail "reship-rejected ran on a spool in use"
fi
grep -q "another collector_agent uses this spool" "$tmp/err4" || { cat "$tmp/err4"; fail "lock"; }
"$A" reship-rejected --spool_dir "$spool" >"$tmp/out4" || fail "reship-rejected failed"
cat "$tmp/out4"
grep -q "reship-rejected: 1 measurements queued again" "$tmp/out4" || fail "want 1 queued"
[[ $(rejected_files) -eq 0 ]] || fail "rejected/ still lists the reshipped file"
[[ $(sha256sum <"$spool/rejected/reshipped/$first") == "$kept_sha" ]] ||
  fail "the rejected file was not kept byte for byte"
agent --replay "$tmp/ship_only.replay" --ledger_server 127.0.0.1:$port >"$tmp/out5" 2>"$tmp/err5" ||
  { cat "$tmp/err5"; fail "shipping the reshipped record failed"; }
grep -q "replayed: 1 measurements shipped" "$tmp/out5" || { cat "$tmp/out5"; fail "reshipped record"; }
[[ $(tree_size) -eq $((size + 1)) ]] || fail "the reshipped record did not land once"

$L models "${remote[@]}" --json >"$tmp/models.json"
grep -q '"m-7b"' "$tmp/models.json" || { cat "$tmp/models.json"; fail "model m-7b missing"; }

kill -TERM $server
wait $server
trap - EXIT
$L verify --dir "$tmp/ledger" >"$tmp/verify" || { cat "$tmp/verify"; fail "audit failed"; }
echo PASS

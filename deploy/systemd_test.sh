#!/bin/bash
# scripts/install.sh into a staged root (DESTDIR), then the installed units
# checked the way systemd reads them:
#  - `systemd-analyze verify --root` prints nothing (an unknown or misspelt
#    key is only a warning there, so any output fails the test; a unit with a
#    typo proves the check sees one);
#  - every unit has the hardening the operator guide promises, the server's
#    TimeoutStopSec exceeds its --shutdown_grace and LimitNOFILE covers its
#    descriptor reserve, RocksDB's table files and --max_connections;
#  - every flag in the real binaries' ExecStart lines is a flag they accept;
#  - `systemd-analyze security --offline` rates each unit at most 3.0
#    ("OK" on its 0–10 exposure scale);
#  - the users and folders exist in the staged root with the right owners;
#  - the server's ExecStart line, run as written (folders moved into the
#    test's, the example TLS settings replaced by insecure loopback) under
#    the unit's LimitNOFILE, starts on a ledger made by `ledgerctl init` and,
#    on SIGTERM, stops well within TimeoutStopSec.
# systemd is not PID 1 here (nor in CI): everything runs offline on files.
set -euo pipefail
source common/testonly/test_lib.sh
INSTALL=$1   # scripts/install.sh
SERVER=$2    # ledger_server
AGENT=$3     # collector_agent
LEDGERCTL=$4
WITNESS=$5   # aifl_witness
MONITOR=$6   # office_monitor
command -v systemd-analyze >/dev/null || fail "systemd-analyze not found (Debian package systemd)"
tmp=${TEST_TMPDIR:?}
root=$tmp/root
bin=$tmp/bin
mkdir -p "$bin/api/server" "$bin/collector" "$bin/witness" "$bin/office"
cp "$SERVER" "$bin/api/server/ledger_server"
cp "$AGENT" "$bin/collector/collector_agent"
cp "$WITNESS" "$bin/witness/aifl_witness"
cp "$MONITOR" "$bin/office/office_monitor"

DESTDIR=$root "$INSTALL" --bin_dir "$bin" >"$tmp/install.out" 2>&1 ||
  { cat "$tmp/install.out"; fail "install.sh failed"; }
units=(aifl-ledger aifl-collector aifl-witness aifl-monitor)
for f in usr/local/bin/ledger_server usr/local/bin/collector_agent usr/local/bin/aifl_witness \
  usr/local/libexec/aifl/aifl-prolog.sh usr/local/libexec/aifl/aifl-epilog.sh \
  etc/default/aifl-collector etc/default/aifl-ledger etc/default/aifl-witness \
  "${units[@]/#/etc/systemd/system/}"; do
  [[ -e $root/$f || -e $root/$f.service ]] || fail "install.sh did not install /$f"
done
for u in aifl-ledger aifl-collector aifl-witness aifl-monitor; do
  grep -q "^$u:" "$root/etc/passwd" || fail "user $u not created"
done
spool_owner=$(stat -c '%u %a' "$root/var/spool/aifl-collector")
[[ $spool_owner == "$(grep '^aifl-collector:' "$root/etc/passwd" | cut -d: -f3) 700" ]] ||
  fail "spool folder: got owner/mode '$spool_owner'"
# Staged again: an operator's /etc/default file is kept.
echo "# edited" >>"$root/etc/default/aifl-ledger"
DESTDIR=$root "$INSTALL" --bin_dir "$bin" >/dev/null 2>&1 || fail "second install failed"
grep -q "^# edited" "$root/etc/default/aifl-ledger" || fail "install.sh overwrote /etc/default/aifl-ledger"

# systemd-analyze verify needs the system's targets in the root.
mkdir -p "$root/usr/lib/systemd"
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
verify() { systemd-analyze verify --root="$root" "$@" 2>&1; }
out=$(verify "${units[@]/%/.service}") || fail "verify failed: $out"
[[ -z $out ]] || fail "systemd-analyze verify complained: $out"
echo "  systemd-analyze verify: ${units[*]}: clean"
sed 's/^ProtectSystem=strict/ProtectSytem=strict/' "$root/etc/systemd/system/aifl-ledger.service" \
  >"$root/etc/systemd/system/aifl-typo.service"
out=$(verify aifl-typo.service || true)
[[ $out == *"Unknown key"*ProtectSytem* ]] || fail "verify did not catch a misspelt key: '$out'"
rm "$root/etc/systemd/system/aifl-typo.service"

for u in "${units[@]}"; do
  f=$root/etc/systemd/system/$u.service
  for want in '^User=aifl-' '^ProtectSystem=strict$' '^ReadWritePaths=/var/' '^NoNewPrivileges=yes$' \
    '^CapabilityBoundingSet=' '^PrivateTmp=yes$' '^ProtectHome=yes$' '^RestrictAddressFamilies=' \
    '^LimitNOFILE=[0-9]' '^Restart=on-failure$' '^TimeoutStopSec=[0-9]' '^SystemCallFilter='; do
    grep -q "$want" "$f" || fail "$u: no line matching $want"
  done
  # Writable: only the state folders named in ReadWritePaths.
  for p in $(sed -n 's/^ReadWritePaths=//p' "$f"); do
    [[ $p == /var/lib/aifl* || $p == /var/spool/aifl* ]] || fail "$u: writable $p"
  done
  score=$(systemd-analyze security --offline=true --root="$root" "$u.service" 2>/dev/null |
    sed -n 's/^→ Overall exposure level for .*: \([0-9.]*\).*/\1/p')
  [[ -n $score ]] || fail "$u: no exposure score"
  awk -v s="$score" 'BEGIN { exit !(s <= 3.0) }' || fail "$u: exposure $score, want <= 3.0"
  echo "  $u: hardened, exposure $score"
done
# Only the collector keeps a capability (CAP_SYS_PTRACE, commented there).
for u in aifl-ledger aifl-witness aifl-monitor; do
  grep -qx 'CapabilityBoundingSet=' "$root/etc/systemd/system/$u.service" || fail "$u keeps capabilities"
done

# The server: stop timeout above the shutdown grace, descriptors above the reserve.
srv=$root/etc/systemd/system/aifl-ledger.service
exec_line=$(sed -n 's/^ExecStart=//p' "$srv")
grace=$(grep -o -- '--shutdown_grace=[0-9]*s' <<<"$exec_line" | grep -o '[0-9]*')
stop=$(sed -n 's/^TimeoutStopSec=//p' "$srv")
[[ -n $grace && $stop -gt $((grace + 10)) ]] || fail "TimeoutStopSec=$stop, shutdown grace ${grace}s"
reserve=$(grep -o -- '--fd_reserve=[0-9]*' <<<"$exec_line" | grep -o '[0-9]*')
nofile=$(sed -n 's/^LimitNOFILE=//p' "$srv")
[[ $nofile -ge $((reserve + 512 + 4096)) ]] || fail "LimitNOFILE=$nofile < reserve + files + connections"
# Each flag of the real binaries' ExecStart lines exists (Abseil: --helpfull).
check_flags() {  # unit binary
  local line help flag
  line=$(sed -n 's/^ExecStart=//p' "$root/etc/systemd/system/$1.service")
  help=$("$2" --helpfull 2>&1 || true)
  for flag in $(grep -o -- '--[a-z_]*=' <<<"$line" | tr -d '=' | sed 's/^--//'); do
    grep -q -- "-$flag (" <<<"$help" || fail "$1: ExecStart flag --$flag unknown to $(basename "$2")"
  done
}
check_flags aifl-ledger "$SERVER"
check_flags aifl-collector "$AGENT"
check_flags aifl-witness "$WITNESS"
check_flags aifl-monitor "$MONITOR"
for conf in aifl-ledger aifl-collector aifl-witness; do  # the example settings' flags too
  case $conf in
    aifl-ledger) b=$SERVER ;;
    aifl-collector) b=$AGENT ;;
    aifl-witness) b=$WITNESS ;;
  esac
  help=$("$b" --helpfull 2>&1 || true)
  for flag in $(grep -o -- '--[a-z_]*=' "$root/etc/default/$conf" | tr -d '=' | sed 's/^--//'); do
    grep -q -- "-$flag (" <<<"$help" || fail "/etc/default/$conf: flag --$flag unknown"
  done
done

# The server's ExecStart, run as written on a fresh ledger.
lib=$tmp/var/lib
origin=factory.example.eu/ledger
mkdir -p "$lib/aifl-state"
"$LEDGERCTL" init --dir "$lib/aifl" --origin $origin --signed_state_dir "$lib/aifl-state" >/dev/null
read -r -a argv <<<"$(sed "s|/var/lib/|$lib/|g; s|\$AIFL_LEDGER_ARGS|--insecure_loopback --listen=127.0.0.1:0|" <<<"$exec_line")"
argv[0]=$SERVER
(ulimit -n "$nofile" 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "${argv[@]}") 2>"$tmp/server.log" &
server=$!
trap 'kill -KILL $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q '"event":"server_started"' "$tmp/server.log" && break; sleep 0.1; done
grep -q '"event":"server_started"' "$tmp/server.log" || { cat "$tmp/server.log"; fail "ExecStart did not start"; }
started=$(date +%s%N)
kill -TERM $server
rc=0
wait $server || rc=$?
took=$((($(date +%s%N) - started) / 1000000))
[[ $rc -eq 0 ]] || { cat "$tmp/server.log"; fail "server exit $rc after SIGTERM"; }
[[ $took -lt $((stop * 1000 / 2)) ]] || fail "SIGTERM to exit took ${took} ms, TimeoutStopSec=${stop}s"
trap - EXIT
echo "  ExecStart ran as written: started, stopped ${took} ms after SIGTERM (TimeoutStopSec=${stop}s)"

# The witness's ExecStart with the example settings, after the keygen the
# unit's comment tells the operator to run, on a trusted-logs file.
wit=$root/etc/systemd/system/aifl-witness.service
wlib=$tmp/witness/var/lib
wetc=$tmp/witness/etc
mkdir -p "$wlib/aifl-witness" "$wetc/aifl-witness"
"$WITNESS" keygen --key_file="$wlib/aifl-witness/witness.key" --name=witness.example.eu/w1 >"$tmp/wvkey"
grep -q '^witness.example.eu/w1+[0-9a-f]\{8\}+' "$tmp/wvkey" || fail "witness keygen printed no vkey"
wline=$(sed -n 's/^ExecStart=//p' "$wit")
wargs=$(sed -n 's/^AIFL_WITNESS_ARGS="\(.*\)"$/\1/p' "$root/etc/default/aifl-witness")
wargs=${wargs/127.0.0.1:8480/127.0.0.1:0}
read -r -a wargv <<<"$(sed "s|/var/lib/|$wlib/|g; s|/etc/aifl-witness/|$wetc/aifl-witness/|g; s|\$AIFL_WITNESS_ARGS|$wargs|" <<<"$wline")"
wargv[0]=$WITNESS
# A log vkey: the C2SP signed-note spec's example key.
printf '# trusted logs\nlog %s\n' 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW' \
  >"$wetc/aifl-witness/logs"
"${wargv[@]}" 2>"$tmp/witness.log" &
wpid=$!
trap 'kill -KILL $wpid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q '"event":"witness_started"' "$tmp/witness.log" && break; sleep 0.1; done
grep -q '"event":"witness_started"' "$tmp/witness.log" || { cat "$tmp/witness.log"; fail "witness ExecStart did not start"; }
kill -TERM $wpid
rc=0
wait $wpid || rc=$?
trap - EXIT
[[ $rc -eq 0 ]] || { cat "$tmp/witness.log"; fail "witness exit $rc after SIGTERM"; }
echo "  witness ExecStart ran as written: started, stopped on SIGTERM"
echo PASS

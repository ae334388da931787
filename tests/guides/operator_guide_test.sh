#!/bin/bash
# docs/operator-guide.md, run as written: every command block after a
# `<!-- recipe: operator -->` marker, in order, in one bash (-euo pipefail),
# with the guide's variables pointing at the real binaries, temporary
# folders and a free loopback port (LISTEN=127.0.0.1:PORT,
# LEDGER=localhost:PORT: the dev-pki server certificate's SAN). The guide
# walks the operator's whole path over mTLS: PKI, init, the admin bootstrap,
# the server, enrolment over mTLS, two collector agents in replay mode, an
# outage and recovery, the arrival check, a provider declaration, an
# auditor's findings and report, backup and restore, log-key rotation with
# the old secret destroyed, revocation (the agent holds its records). Then
# this test checks what the guide claims happened. A daemon the guide
# starts is killed on exit. Failures: the failing block's output, FAIL line.
set -euo pipefail
source common/testonly/test_lib.sh

R=$PWD  # the runfiles root: the guide's relative paths (scripts/, docs/, collector/)
tmp="${TEST_TMPDIR:?}"
use_test_home
guide=docs/operator-guide.md

# ---- The blocks, in order.
awk '/^<!-- recipe: operator -->$/ {want=1; next}
     want && /^```sh$/ {inside=1; want=0; n++; printf "echo \"### operator-guide.md block %d\"\n", n; next}
     inside && /^```$/ {inside=0; next}
     inside' "$guide" >"$tmp/blocks.sh"
blocks=$(grep -c '^echo "### operator-guide.md block' "$tmp/blocks.sh")
[[ $blocks -ge 12 ]] || fail "found $blocks recipe blocks in $guide, want at least 12"
# Every ledgerctl command the guide uses exists.
for cmd in $(grep -o '\$L [a-z-]*' "$guide" | cut -d' ' -f2 | sort -u); do
  if tools/ledgerctl/ledgerctl "$cmd" --server 127.0.0.1:1 2>&1 | grep -q 'unknown command'; then
    fail "operator-guide.md uses ledgerctl $cmd, which does not exist"
  fi
done

# README's command list names every ledgerctl command (its usage text's).
cmds=$({ tools/ledgerctl/ledgerctl 2>&1 || true; } | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' | sort -u)
[[ $(wc -w <<<"$cmds") -ge 20 ]] || fail "ledgerctl's usage lists only: $cmds"
for cmd in $cmds; do
  grep -Eq "\\\$L ([a-z|-]*\|)?$cmd( |\||$)" README.md || fail "README.md does not list ledgerctl $cmd"
done

port=$(free_port)
root="$tmp/site"
cat >"$tmp/run.sh" <<VARS
L=$R/tools/ledgerctl/ledgerctl
SERVER=$R/api/server/ledger_server
AGENT=$R/collector/collector_agent
CHECK=$R/tools/compliance_check/compliance_check
ORIGIN=factory.example.eu/ledger
D=$root/var/lib/aifl
ST=$root/var/lib/aifl-state
K=$root/etc/aifl/keys
PKI=$root/etc/aifl/pki
LISTEN=127.0.0.1:$port LEDGER=localhost:$port
SPOOLS=$root/var/spool
BACKUP=$root/backup/aifl LOGS=$root/var/log/aifl
mkdir -p $root/var/lib $root/etc/aifl $root/var/spool/gpu001 $root/var/spool/gpu002  # as on the hosts
trap 'if [[ -n \${SERVER_PID:-} ]]; then kill \$SERVER_PID 2>/dev/null || true; fi' EXIT
VARS
cat "$tmp/blocks.sh" >>"$tmp/run.sh"
echo 'echo "### operator-guide.md: all blocks ran"' >>"$tmp/run.sh"

rc=0
timeout 150 bash -euo pipefail "$tmp/run.sh" >"$tmp/guide.out" 2>&1 || rc=$?
if [[ $rc -ne 0 ]]; then
  tail -n 60 "$tmp/guide.out" >&2
  echo "--- server log (tail)" >&2
  tail -n 20 "$root/var/log/aifl/ledger_server.log" >&2 2>/dev/null || true
  last=$(grep '^### operator-guide.md block' "$tmp/guide.out" | tail -n 1)
  fail "the guide's commands failed (exit $rc) in: ${last#\#\#\# }"
fi
cat "$tmp/guide.out"

# ---- What the guide says happened, checked.
out="$tmp/guide.out"
expect() { grep -q -- "$1" "$out" || fail "the guide's run printed no \"$1\" ($2)"; }
expect "replayed: [1-9][0-9]* measurements shipped" "agents shipped measurements"
expect "exit 1: ledger unreachable; records kept in the spool" "the outage"
expect "exit 3: records HELD (3)" "the revoked node holds its records"
expect "HOLDING" "the held state is logged"
expect "ok: the log only grew" "grew after the restore"
[[ $(grep -c "0 records still in the spool (none held)" "$out") -ge 3 ]] ||
  fail "want three agent runs that emptied their spools"
spool=$root/var/spool
for n in gpu001 gpu002; do
  left=$(find "$spool/$n/aifl-collector/pending" "$spool/$n/aifl-collector/sealed" -type f | wc -l)
  if [[ $n == gpu001 && $left -ne 0 ]]; then fail "$n: $left records left in the spool"; fi
  if [[ $n == gpu002 && $left -eq 0 ]]; then fail "$n: the revoked node's records were not held"; fi
done
[[ -s $root/var/log/aifl/report.html ]] || fail "no report.html"
grep -q 'example-large' "$root/var/log/aifl/report.html" || fail "the report lacks the declared model"
ls "$root/etc/aifl/keys"/log2.key 2>/dev/null && fail "the new key's copy was not destroyed"
ls "$root/var/lib/aifl/keys/" | grep -q '^log\.key\.retired-[0-9a-f]\{8\}$' &&
  fail "the retired log key was not destroyed"
ls "$root/var/lib/aifl/keys/" | grep -q '^log\.key\.retired-[0-9a-f]\{8\}\.pub$' ||
  fail "the retired log key's .pub is gone"
[[ $(wc -l <"$root/var/log/aifl/verifier-key.txt") -eq 2 ]] || fail "want the old and the new verifier key"
L=tools/ledgerctl/ledgerctl
$L keys --dir "$root/var/lib/aifl" --signed_state_dir "$root/var/lib/aifl-state" >"$tmp/keys.txt"
[[ $(grep -c '^log-key' "$tmp/keys.txt") -eq 2 ]] || { cat "$tmp/keys.txt"; fail "want two log keys"; }
grep ' collector ' "$tmp/keys.txt" | grep -q 'revoked@[0-9]' || fail "no revoked collector key"
[[ $(grep ' collector ' "$tmp/keys.txt" | grep -c 'revoked@-') -eq 1 ]] || fail "want one live collector key"
grep -q ' provider ' "$tmp/keys.txt" || fail "no provider key"
# Both nodes' measurements arrived: each collector key signed entries.
while read -r line; do
  seq=$(sed -n 's/.*next_seq=\([0-9]*\).*/\1/p' <<<"$line")
  [[ $seq -gt 0 ]] || fail "a collector key has no entries: $line"
done < <(grep ' collector ' "$tmp/keys.txt")

# ---- docs/auditor-guide.md's offline block, as written, on the guide's
# snapshot, from a folder where bazel-bin/ is the runfiles root.
awk '/^<!-- recipe: auditor-offline -->$/ {want=1; next}
     want && /^```sh$/ {inside=1; want=0; next}
     inside && /^```$/ {exit}
     inside' docs/auditor-guide.md >"$tmp/auditor.sh"
[[ $(wc -l <"$tmp/auditor.sh") -ge 5 ]] || fail "auditor-guide.md: no auditor-offline block"
mkdir -p "$tmp/auditor" && ln -s "$R" "$tmp/auditor/bazel-bin"
(cd "$tmp/auditor" && S=$(ls -d "$root"/backup/aifl/db-* | head -n 1) bash -euo pipefail "$tmp/auditor.sh") \
  >"$tmp/auditor.out" 2>&1 || { cat "$tmp/auditor.out"; fail "the auditor guide's offline block failed"; }
grep -q '^ok: ' "$tmp/auditor.out" || { cat "$tmp/auditor.out"; fail "auditor: verify printed no ok"; }
[[ -s "$tmp/auditor/cp.txt" ]] || fail "auditor: no cp.txt"
echo "  auditor-guide.md offline block: ok"

# ---- Section 7's claims about restoring, on copies of the final state.
D=$root/var/lib/aifl ST=$root/var/lib/aifl-state
$L checkpoint --dir "$D" --signed_state_dir "$ST" >"$tmp/latest.note"
# A backup older than the last published checkpoint (on a small ledger of
# its own: a backup from before the rotation would not even know the new
# key): verify says the signed state and the checkpoint are ahead; the
# server refuses to start.
old="$tmp/old" old_st="$tmp/old-state"
mkdir -p "$old_st" && chmod 700 "$old_st"
$L init --dir "$old" --origin factory.example.eu/ledger --signed_state_dir "$old_st" >/dev/null
$L keygen --out "$tmp/n1.key" >/dev/null && $L keygen --out "$tmp/n2.key" >/dev/null
$L enroll --dir "$old" --signed_state_dir "$old_st" --pub "$tmp/n1.key.pub" --role collector >/dev/null
$L snapshot --dir "$old" --signed_state_dir "$old_st" --out "$tmp/old-snap" >/dev/null
$L enroll --dir "$old" --signed_state_dir "$old_st" --pub "$tmp/n2.key.pub" --role collector >/dev/null
$L checkpoint --dir "$old" --signed_state_dir "$old_st" >"$tmp/old-newest.note"
mv "$old/db" "$old/db.lost" && cp -a "$tmp/old-snap" "$old/db"
if $L verify --dir "$old" --signed_state_dir "$old_st" --checkpoint "$tmp/old-newest.note" \
    >"$tmp/old.out" 2>&1; then
  cat "$tmp/old.out"; fail "verify accepted a backup older than the last checkpoint"
fi
grep -q "ahead" "$tmp/old.out" || { cat "$tmp/old.out"; fail "verify: no \"ahead\""; }
echo "  old backup, verify: $(grep ahead "$tmp/old.out" | head -n 1 | cut -c1-160)"
if timeout 20 api/server/ledger_server --ledger_dir="$old" --signed_state_dir="$old_st" \
    --insecure_loopback --listen=127.0.0.1:0 >"$tmp/old-server.out" 2>&1; then
  fail "the server started on a backup older than its signed state"
fi
grep -q "restored from an old backup" "$tmp/old-server.out" ||
  { tail -n 5 "$tmp/old-server.out"; fail "server: no \"restored from an old backup\""; }
# The signed state lost: the server refuses; restore-signed-state rebuilds it
# from the newest checkpoint; then the copy verifies.
lost="$tmp/lost"
mkdir -p "$lost/state" && chmod 700 "$lost/state" && cp -a "$D/keys" "$D/db" "$lost/"
if timeout 20 api/server/ledger_server --ledger_dir="$lost" --signed_state_dir="$lost/state" \
    --insecure_loopback --listen=127.0.0.1:0 >"$tmp/lost-server.out" 2>&1; then
  fail "the server started without its signed state"
fi
grep -q "missing" "$tmp/lost-server.out" || { tail -n 5 "$tmp/lost-server.out"; fail "server: no \"missing\""; }
$L restore-signed-state --dir "$lost" --signed_state_dir "$lost/state" \
  --checkpoint "$tmp/latest.note" >"$tmp/restore.out" 2>&1 || { cat "$tmp/restore.out"; fail "restore-signed-state"; }
$L verify --dir "$lost" --signed_state_dir "$lost/state" --checkpoint "$tmp/latest.note" \
  >"$tmp/lost-verify.out" 2>&1 || { cat "$tmp/lost-verify.out"; fail "verify after restore-signed-state"; }
echo "  signed state lost: rebuilt, verified"
echo "PASS: docs/operator-guide.md, $blocks blocks, as written, over mTLS; restore refusals"

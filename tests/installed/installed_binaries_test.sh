#!/bin/bash
# Installed binaries find their rule pack: compliance_check and
# ledger_server --rules_key, copied to a temp folder and run there, use the
# pack built into them and print its version (--version, the report, the
# server's rules_started log line); --pack / --rules_pack still override it.
set -euo pipefail
source common/testonly/test_lib.sh

tmp="${TEST_TMPDIR:?}"
bin="$tmp/bin"
mkdir -p "$bin" "$tmp/work"
cp tools/ledgerctl/ledgerctl tools/compliance_check/compliance_check \
  api/server/ledger_server "$bin/"
want_version=$(sed -n 's/^version: "\(.*\)"$/\1/p' rules/packs/ai_act_gpai_v1.textproto)
[[ -n $want_version ]] || fail "no version in the pack"
sed "s/^version: \".*\"$/version: \"override-test\"/" rules/packs/ai_act_gpai_v1.textproto \
  >"$tmp/other-pack.textproto"
cd "$tmp/work"  # outside the repository and the runfiles tree
[[ ! -e rules ]] || fail "rules/ is visible from the work folder"
use_test_home
L=$bin/ledgerctl C=$bin/compliance_check S=$bin/ledger_server

$C --version | tee version.txt
grep -qx "rule pack $want_version (built-in rules/packs/ai_act_gpai_v1.textproto)" version.txt \
  || fail "compliance_check --version"
$C --version --pack "$tmp/other-pack.textproto" | grep -q "^rule pack override-test " \
  || fail "compliance_check --version --pack"
$S --version | tee server-version.txt
grep -q "built-in rule pack $want_version" server-version.txt || fail "ledger_server --version"

$L init --dir D --origin factory.example.eu/ledger >/dev/null
$L keygen --out rules.key >/dev/null
$L enroll --dir D --pub rules.key.pub --role rules >/dev/null
$C --dir D | tee report.txt
grep -q "with rule pack $want_version" report.txt || fail "compliance_check report"
$C --dir D --pack "$tmp/other-pack.textproto" | grep -q "with rule pack override-test" \
  || fail "compliance_check --pack did not override"
$C --dir D --pack missing.textproto 2>err.txt && fail "a missing --pack was accepted"
grep -q "missing.textproto" err.txt || fail "missing pack: $(cat err.txt)"

port=$(free_port)
start_server() {  # start_server LOG [FLAGS...]: waits for rules_started
  local log=$1; shift
  $S --ledger_dir=D --insecure_loopback --listen=127.0.0.1:$port --rules_key=rules.key \
    "$@" 2>"$log" &
  server_pid=$!
  for _ in $(seq 1 100); do
    grep -q '"rules_started"' "$log" && return 0
    kill -0 $server_pid 2>/dev/null || { cat "$log" >&2; fail "server exited"; }
    sleep 0.1
  done
  cat "$log" >&2; fail "no rules_started line"
}
start_server server.log
trap 'kill $server_pid 2>/dev/null || true' EXIT
grep '"rules_started"' server.log | grep -q "\"pack_version\":\"$want_version\"" \
  || { cat server.log >&2; fail "rules_started lacks the built-in pack's version"; }
grep '"rules_started"' server.log | grep -q '"pack":"built-in ' || fail "rules_started: pack source"
kill -TERM $server_pid; wait $server_pid || fail "server did not exit 0"
start_server server2.log --rules_pack="$tmp/other-pack.textproto"
grep '"rules_started"' server2.log | grep -q '"pack_version":"override-test"' \
  || { cat server2.log >&2; fail "--rules_pack did not override"; }
kill -TERM $server_pid; wait $server_pid || fail "server did not exit 0"
trap - EXIT
echo "PASS: installed binaries use the built-in pack $want_version; overrides work"

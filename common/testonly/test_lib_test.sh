#!/bin/bash
# The shell tests' helpers hold their contract: expect_failure refuses a
# command that succeeds, one that prints no or two stderr lines, and one whose
# line misses the pattern, each with one FAIL line and exit 1; it accepts a
# one-line refusal; dev_pki makes the CA and a named client.
set -euo pipefail
source common/testonly/test_lib.sh
tmp=${TEST_TMPDIR:?}

# must_fail WANT COMMAND...: COMMAND (run in a subshell, as fail exits) exits
# 1 with a last stderr line "FAIL: WANT...".
must_fail() {
  local want=$1 rc=0
  shift
  ("$@") >"$tmp/must.out" 2>"$tmp/must.err" || rc=$?
  [[ $rc -eq 1 ]] || { cat "$tmp/must.err" >&2; fail "exit $rc, want 1: $*"; }
  [[ $(tail -n 1 "$tmp/must.err") == "FAIL: $want"* ]] ||
    { cat "$tmp/must.err" >&2; fail "want \"FAIL: $want\": $*"; }
}
two_lines() { echo "first" >&2; echo "second" >&2; return 3; }
no_line() { return 3; }
one_line() { echo "tool: bad --flag: got x, want y" >&2; return 2; }

must_fail "succeeded but should fail" expect_failure '' true
must_fail "want one stderr line" expect_failure '' two_lines
must_fail "want one stderr line" expect_failure '' no_line
must_fail "want \"want z\"" expect_failure "want z" one_line
expect_failure "bad --flag: got x" one_line >"$tmp/ok.out"
grep -qx "  refused as expected: tool: bad --flag: got x, want y" "$tmp/ok.out" ||
  fail "expect_failure did not say what was refused"
must_fail "plain message" fail "plain message"

use_test_home
[[ $HOME == "$tmp/home" && -d $HOME ]] || fail "use_test_home: HOME=$HOME"
port=$(free_port)
[[ $port =~ ^[0-9]+$ && $port -gt 0 && $port -lt 65536 ]] || fail "free_port: $port"
(cd / && dev_pki "$tmp/pki")  # works from any folder
dev_pki "$tmp/pki" provider:example-b
for f in ca.pem server.pem auditor.pem example-b.pem example-b.key; do
  [[ -s $tmp/pki/$f ]] || fail "dev_pki made no $f"
done
must_fail "dev-pki.sh" dev_pki "$tmp/pki2" wizard:x
echo "PASS: test_lib.sh"

# shellcheck shell=bash
# The helpers the shell tests share: one copy of each, where every test
# used to define its own. A test lists `deps = ["//common/testonly:test_lib"]`
# and sources this file before it changes directory (Bazel starts a test in
# the runfiles root):
#   source common/testonly/test_lib.sh
# It only defines functions; sourcing it runs nothing and sets no options
# (each test keeps its own `set -euo pipefail`).

# The runfiles root, for helpers called after the test has changed directory.
test_lib_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# fail MESSAGE...: one "FAIL: MESSAGE" line on stderr, then exit 1.
fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_failure PATTERN COMMAND...: COMMAND must exit non-zero with exactly
# one stderr line (the command-line contract) that matches the grep basic
# regular expression PATTERN ('' where any message will do). Its stdout and
# stderr are left in $TEST_TMPDIR/out and $TEST_TMPDIR/err.
expect_failure() {
  local pattern=$1 out=${TEST_TMPDIR:?}/out err=${TEST_TMPDIR:?}/err
  shift
  if "$@" >"$out" 2>"$err"; then fail "succeeded but should fail: $*"; fi
  [[ $(wc -l <"$err") -eq 1 ]] || { cat "$err" >&2; fail "want one stderr line: $*"; }
  grep -q -- "$pattern" "$err" || { cat "$err" >&2; fail "want \"$pattern\": $*"; }
  echo "  refused as expected: $(cat "$err")"
}

# use_test_home: HOME becomes $TEST_TMPDIR/home (made), so that nothing the
# test runs reads or writes the real user's files (ledgerctl's trust store).
use_test_home() {
  export HOME="${TEST_TMPDIR:?}/home"
  mkdir -p "$HOME"
}

# free_port: a TCP port on 127.0.0.1 that was free a moment ago (for servers
# whose port the test must know before they start).
free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# dev_pki DIR [ROLE:CN]...: scripts/dev-pki.sh's test PKI in DIR, its output
# hidden: the CA and server certificate (made once), and the named clients
# (dev-pki.sh's default set when none is named; a later call adds to DIR).
dev_pki() {
  "$test_lib_root/scripts/dev-pki.sh" "$@" >/dev/null || fail "dev-pki.sh $*"
}

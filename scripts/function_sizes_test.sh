#!/usr/bin/env bash
# Tests scripts/function_sizes.py --check on planted trees: short functions,
# a long data table, a long test function and digit separators (1'000) pass;
# one non-test function over 80 lines fails and is named.
set -euo pipefail
# shellcheck source=common/testonly/test_lib.sh
source "$(dirname "$0")/../common/testonly/test_lib.sh"
check="$(cd "$(dirname "$0")" && pwd)/function_sizes.py"
tmp="${TEST_TMPDIR:-$(mktemp -d)}/fnsize"
rm -rf "$tmp" && mkdir -p "$tmp/ledger" "$tmp/tests"

# body N: N statement lines.
body() { for ((i = 0; i < $1; i++)); do echo "  x += $i;"; done; }
{
  echo 'int Short(int x) {'; body 10; echo '  return x;'; echo '}'
  echo "long Separators() { return 1'000'000 + 'a'; }"
  echo 'const int kTable[] = {'
  for ((i = 0; i < 120; i++)); do echo "  $i,"; done
  echo '};'
} >"$tmp/ledger/ok.cc"
{ echo 'int LongTest(int x) {'; body 100; echo '  return x;'; echo '}'; } \
  >"$tmp/ledger/ok_test.cc"
{ echo 'int LongTest(int x) {'; body 100; echo '  return x;'; echo '}'; } \
  >"$tmp/tests/anything.cc"
python3 "$check" --check "$tmp" >"$tmp.out" || { cat "$tmp.out" >&2; fail "a clean tree failed"; }

{ echo 'int TooLong(int x) {'; body 80; echo '  return x;'; echo '}'; } \
  >"$tmp/ledger/long.cc"
if python3 "$check" --check "$tmp" >"$tmp.out"; then
  cat "$tmp.out" >&2
  fail "a function of 83 lines passed"
fi
grep -q 'ledger/long.cc:1  TooLong' "$tmp.out" || { cat "$tmp.out" >&2; fail "TooLong not named"; }
# Without --check it reports and exits 0.
python3 "$check" "$tmp" >/dev/null || fail "report mode exited non-zero"
echo "PASS: function_sizes --check passes short functions, tables and tests, fails a long one"

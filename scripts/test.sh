#!/usr/bin/env bash
# The README's test command: installs what is missing, builds everything and
# runs every test, then builds and tests again with the CUDA toolkit hidden to
# prove the tree needs no CUDA. Formatting and the layering of includes are
# checked first, and function sizes. Exits non-zero when anything fails, and ends
# with one summary line "tests: N passed, M failed" (CI reads it), each test
# target counted once per configuration in which it is a different test.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh || exit 1
scripts/check_format.sh || exit 1
# No file includes from a layer above its own (the order is the table in it).
python3 scripts/check_layering.py || exit 1
# No non-test function over 80 lines (data tables excepted; issue 15).
python3 scripts/function_sizes.py --check || exit 1

# Bazel prints one line per test target: "//pkg:name  [(cached) ]STATUS".
# The second configuration changes only the targets that depend on the
# toolkit (@cupti); every other test is the same action, whose result Bazel
# reuses: counting it again would count one test twice. So each target is
# counted once per configuration in which it is a different test.
log1=$(mktemp)
log2=$(mktemp)
toolkit_tests=$(mktemp)
trap 'rm -f "$log1" "$log2" "$toolkit_tests"' EXIT
rc=0
echo "== bazel test //... (CUDA toolkit as installed)"
bazel test //... 2>&1 | tee "$log1" || rc=1
echo "== bazel test //... (CUDA toolkit hidden: LEDGER_CUDA_HOME=/nonexistent)"
LEDGER_CUDA_HOME=/nonexistent bazel test //... 2>&1 | tee "$log2" || rc=1
if ! bazel query 'tests(//...) intersect rdeps(//..., @cupti//...)' >"$toolkit_tests" 2>/dev/null; then
  echo "test.sh: bazel query for the tests that depend on the CUDA toolkit failed" >&2
  rc=1
fi

# targets LOG STATUS-REGEX: the test targets with that status in LOG.
targets() {
  grep -E "^//[^ ]+ +(\(cached\) )?($2)" "$1" | awk '{print $1}' | sort -u
}
only() { grep -Fx -f "$toolkit_tests"; }     # stdin: the toolkit-dependent ones
others() { grep -vFx -f "$toolkit_tests"; }  # stdin: the rest
lines() { grep -c . || true; }
bad='FAILED|TIMEOUT|NO STATUS|INCOMPLETE|FLAKY'
any="PASSED|SKIPPED|$bad"
p1=$(targets "$log1" PASSED | lines)
c1=$(grep -cE '^//[^ ]+ +\(cached\) PASSED' "$log1")
f1=$(targets "$log1" "$bad" | lines)
s1=$(targets "$log1" SKIPPED | lines)
p2=$(targets "$log2" PASSED | only | lines)
f2=$(targets "$log2" "$bad" | only | lines)
s2=$(targets "$log2" SKIPPED | only | lines)
same=$(targets "$log2" "$any" | others | lines)
# A test that is the same action in both configurations and failed in the
# second only (flaky, or failed to build) still counts, once.
late=$(comm -13 <(targets "$log1" "$bad") <(targets "$log2" "$bad" | others) | lines)
echo "configuration 1 (CUDA toolkit as installed): $((p1 + f1 + s1)) test targets:" \
  "$p1 passed ($c1 of them reused from Bazel's cache), $f1 failed, $s1 skipped"
echo "configuration 2 (CUDA toolkit hidden): $((p2 + f2 + s2)) test target(s) depend on the" \
  "toolkit: $p2 passed, $f2 failed, $s2 skipped (incompatible without CUDA); the other" \
  "$same are the same test actions as in configuration 1, not counted again" \
  "($late of them failed only here, counted)"
passed=$((p1 + p2))
failed=$((f1 + f2 + late))
if [[ $passed -eq 0 ]]; then
  echo "test.sh: no test ran" >&2
  rc=1
fi
[[ $failed -eq 0 ]] || rc=1
echo "tests: ${passed} passed, ${failed} failed"
exit $rc

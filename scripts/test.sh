#!/usr/bin/env bash
# The README's test command: installs what is missing, builds everything and
# runs every test, then builds and tests again with the CUDA toolkit hidden to
# prove the tree needs no CUDA. Exits non-zero when anything fails, and ends
# with one summary line "tests: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh || exit 1
scripts/check_format.sh || exit 1

log=$(mktemp)
rc=0
echo "== bazel test //... (CUDA toolkit as installed)"
bazel test //... 2>&1 | tee "$log" || rc=1
echo "== bazel test //... (CUDA toolkit hidden: LEDGER_CUDA_HOME=/nonexistent)"
LEDGER_CUDA_HOME=/nonexistent bazel test //... 2>&1 | tee -a "$log" || rc=1

passed=$(grep -cE '^//[^ ]+ +(\(cached\) )?PASSED' "$log")
failed=$(grep -cE '^//[^ ]+ +(\(cached\) )?(FAILED|TIMEOUT|NO STATUS|INCOMPLETE|FLAKY)' "$log")
rm -f "$log"
if [[ $passed -eq 0 ]]; then
  echo "test.sh: no test ran" >&2
  rc=1
fi
echo "tests: ${passed} passed, ${failed} failed"
exit $rc

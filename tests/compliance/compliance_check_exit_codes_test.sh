#!/bin/bash
# compliance_check's exit codes, running the binary on the scenario ledger:
# 1 with violations, 0 for a clean model or a higher --fail_on, 2 on usage
# and I/O errors (one stderr line).
set -u
bin=tools/compliance_check/compliance_check
dir="$(tests/compliance/make_scenario_ledger)" || { echo "no ledger"; exit 1; }
fail=0
expect() {  # expect CODE ARGS...
  local want="$1"; shift
  "$bin" "$@" >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err"
  local got=$?
  if [[ "$got" != "$want" ]]; then
    echo "FAIL: compliance_check $*: exit $got, want $want"
    cat "$TEST_TMPDIR/err"
    fail=1
  fi
}
expect 1 --dir "$dir"
expect 0 --dir "$dir" --model clean
expect 0 --dir "$dir" --fail_on critical
expect 0 --dir "$dir" --model big --as-of 2026-06-10T10:00:00Z
expect 1 --dir "$dir" --model big --as-of 2026-06-10T10:00:00Z --fail_on warning
expect 1 --dir "$dir" --json
expect 2 --dir "$dir/nope"
expect 2 --fail_on sometimes --dir "$dir"
expect 2 --server localhost:1
expect 0 --help
if [[ $(wc -l <"$TEST_TMPDIR/err") -gt 1 ]]; then fail=1; fi
expect 2
[[ $(wc -l <"$TEST_TMPDIR/err") == 1 ]] || { echo "FAIL: want one stderr line"; fail=1; }
exit $fail

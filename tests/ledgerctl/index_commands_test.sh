#!/bin/bash
# The verifiable per-model index from the command line (index/README.md):
# two ledger folders (the input log and the index's output log), then
# `index-update`, `verify-index`, `index-answer` and `model-complete`, the
# answer checked against the output log and tied to the input log. Caught:
# a stale answer, a stale index (--index_max_lag), an update with a wrong
# map root appended to the output log by its own rules key.
set -euo pipefail
source common/testonly/test_lib.sh

L=$PWD/tools/ledgerctl/ledgerctl
tmp="${TEST_TMPDIR:?}"
use_test_home
cd "$tmp"

$L init --dir in --origin factory.example/log >/dev/null
$L init --dir idx --origin factory.example/index >/dev/null
$L keygen --out p.key >/dev/null
$L keygen --out r.key >/dev/null
$L enroll --dir in --pub p.key.pub --role provider >/dev/null
$L enroll --dir idx --pub r.key.pub --role rules >/dev/null
printf 'model_id: "m-1"\ncompute_flop: 1e25\n' >m1.txt
printf 'model_id: "m-2"\ncompute_flop: 2e25\n' >m2.txt
$L notify --dir in --key p.key m1.txt >/dev/null
$L notify --dir in --key p.key m2.txt >/dev/null
$L notify --dir in --key p.key m1.txt >/dev/null

IDX=(--index_dir idx --index_key r.key --index_store store)
$L index-update --dir in "${IDX[@]}" >update.txt
grep -q "over 2 models; output leaf appended" update.txt || { cat update.txt; fail "index-update"; }
$L index-update --dir in "${IDX[@]}" | grep -q "indexed 0 leaves.*unchanged" || fail "repeat"
$L verify-index --dir in --index_dir idx --index_max_lag 0 | grep -q "^ok: 1 updates replayed" \
  || fail "verify-index"

$L index-answer --dir in --index_dir idx --index_store store --model m-1 --out m1.ans >/dev/null
$L model-complete --model m-1 --answer m1.ans --index_dir idx --dir in >complete.txt
grep -q "^complete as of size 6 (indexed at .*): 2 entries about m-1; input root consistent" \
  complete.txt || { cat complete.txt; fail "model-complete"; }
[[ $(grep -c "aifl.provider.v1.Notification" complete.txt) -eq 2 ]] || fail "entries"
$L model-complete --model m-1 --answer m1.ans --index_dir idx --as_of 5 \
  | grep -q "^complete as of size 5 .*: 1 entries" || fail "as of"
expect_failure "the list does not make" \
  $L model-complete --model m-2 --answer m1.ans --index_dir idx
$L index-answer --dir in --index_dir idx --index_store store --model nobody --out no.ans >/dev/null
$L model-complete --model nobody --answer no.ans --index_dir idx \
  | grep -q "^absent: no entries about nobody as of size 6 (verified non-membership)" \
  || fail "absent"

# The input moves on: a stale index, then a stale answer once it updates.
$L notify --dir in --key p.key m1.txt >/dev/null
expect_failure "stale index" $L verify-index --dir in --index_dir idx --index_max_lag 0
$L index-update --dir in "${IDX[@]}" >/dev/null
expect_failure "stale index" $L model-complete --model m-1 --answer m1.ans --index_dir idx
$L verify-index --dir in --index_dir idx --index_max_lag 0 | grep -q "^ok: 2 updates" \
  || fail "verify-index after update"

# The index's own key appends an update whose map root is not the replay's
# (index/FORMAT.md "Output log": format 1, MapFn v2 as index-update builds,
# size 7, the true input root, a wrong map root, 2 keys, the origin).
root_hex=$($L checkpoint --dir in | sed -n 3p | base64 -d | od -An -tx1 | tr -d ' \n')
/usr/bin/python3 - "$root_hex" >bad.bin <<'PY'
import struct, sys
origin = b"factory.example/log"
sys.stdout.buffer.write(bytes([1]) + struct.pack(">IQ", 2, 7) +
    bytes.fromhex(sys.argv[1]) + b"\x11" * 32 + struct.pack(">QH", 2, len(origin)) + origin)
PY
$L append --dir idx --key r.key --type aifl.rules.v1.IndexUpdate bad.bin >/dev/null
expect_failure "map root at input size 7" $L verify-index --dir in --index_dir idx
echo PASS

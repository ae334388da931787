#!/bin/bash
# The published vectors, checked by check_vectors.py (written from the format
# documents alone) with Debian's /usr/bin/python3 and python3-cryptography;
# then a vector with one flipped byte must be refused.
set -euo pipefail
export PATH="/usr/bin:$PATH"
dir=ledger/testdata/vectors
python3 tests/vectors/check_vectors.py "$dir"
bad="${TEST_TMPDIR:?}/bad"
mkdir -p "$bad"
cp "$dir"/*.json "$bad/"
# Flip one hex digit of the first signature in log.json.
python3 - "$bad/log.json" <<'PY'
import json, sys
p = sys.argv[1]
v = json.load(open(p))
s = v["leaves"][3]["signature_hex"]
v["leaves"][3]["signature_hex"] = ("1" if s[0] != "1" else "2") + s[1:]
json.dump(v, open(p, "w"), indent=2)
PY
if python3 tests/vectors/check_vectors.py "$bad" 2>"$bad/err"; then
  echo "FAIL: a tampered vector was accepted" >&2
  exit 1
fi
grep -q '^check_vectors: ' "$bad/err" || { cat "$bad/err" >&2; exit 1; }
echo "tampered vector refused: $(cat "$bad/err")"

#!/bin/bash
# Checks our RFC 6962 hashes and proofs with Go's golang.org/x/mod/sumdb/tlog
# (Debian: golang-go, golang-golang-x-mod-dev), offline, in GOPATH mode.
# Also checks that the Go checker notices a corrupted root, so a pass is not
# vacuous.
set -euo pipefail

dir=tests/interop/tlog
export PATH="$PATH:/usr/bin:/usr/lib/go/bin"
if ! command -v go >/dev/null 2>&1; then
  echo "FAIL: the Go toolchain ('go') is not installed; this test needs it" \
    "(apt-get install golang-go golang-golang-x-mod-dev)." >&2
  exit 1
fi
if [[ ! -d /usr/share/gocode/src/golang.org/x/mod/sumdb/tlog ]]; then
  echo "FAIL: golang.org/x/mod/sumdb/tlog not found under /usr/share/gocode" \
    "(apt-get install golang-golang-x-mod-dev)." >&2
  exit 1
fi

tmp="${TEST_TMPDIR:?}"
export GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$tmp/gocache" \
  GOFLAGS= HOME="$tmp" GOPROXY=off CGO_ENABLED=0

"$dir/tlog_vectors" >"$tmp/vectors.txt"
echo "tlog_vectors: $(wc -l <"$tmp/vectors.txt") lines"

go build -o "$tmp/verify_tlog" "$dir/verify_tlog.go"
"$tmp/verify_tlog" "$tmp/vectors.txt"

# Corrupt one root (flip its last hex digit): the checker must object.
awk '$1 == "root" && $2 == "777" { d = substr($3, 64, 1);
       $3 = substr($3, 1, 63) (d == "0" ? "1" : "0") } { print }' \
  "$tmp/vectors.txt" >"$tmp/corrupt.txt"
if "$tmp/verify_tlog" "$tmp/corrupt.txt" 2>"$tmp/corrupt.err"; then
  echo "FAIL: verify_tlog accepted a corrupted root" >&2
  exit 1
fi
grep -q "MISMATCH: root 777" "$tmp/corrupt.err" || {
  echo "FAIL: verify_tlog rejected the corrupted file for the wrong reason:" >&2
  cat "$tmp/corrupt.err" >&2
  exit 1
}
echo "PASS: corrupted root detected"

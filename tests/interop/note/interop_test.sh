#!/usr/bin/env bash
# Interop: checkpoints signed by our C++ code must open with Go's
# golang.org/x/mod/sumdb/note, an independent implementation, byte for byte.
# Runs Go offline in GOPATH mode against Debian's golang-golang-x-mod-dev.
# Usage (from Bazel): interop_test.sh <sign_checkpoints> <verify_checkpoints.go>
set -euo pipefail
signer="$1"
verifier="$2"
if ! command -v go >/dev/null 2>&1; then
  echo "interop_test: Go is not installed (apt-get install golang-go golang-golang-x-mod-dev)" >&2
  exit 1
fi
if [[ ! -d /usr/share/gocode/src/golang.org/x/mod/sumdb/note ]]; then
  echo "interop_test: golang.org/x/mod is not installed (apt-get install golang-golang-x-mod-dev)" >&2
  exit 1
fi
out="${TEST_TMPDIR}/checkpoints"
mkdir -p "${out}"
"${signer}" "${out}"
# go run refuses symlinked sources in some versions: copy the file.
cp "${verifier}" "${TEST_TMPDIR}/verify_checkpoints.go"
GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="${TEST_TMPDIR}/gocache" \
  GOFLAGS= HOME="${TEST_TMPDIR}" GOPROXY=off \
  go run "${TEST_TMPDIR}/verify_checkpoints.go" "${out}"
echo "PASS: Go's sumdb/note accepts our checkpoints"

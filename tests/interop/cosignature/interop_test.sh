#!/usr/bin/env bash
# Interop: cosignature/v1 lines made by our C++ code must verify with Go's
# crypto/ed25519, the message and key id rebuilt from the C2SP
# tlog-cosignature layout in Go (not from our code). Standard library only.
# Usage (from Bazel): interop_test.sh <cosign_checkpoints> <verify_cosignatures.go>
set -euo pipefail
signer="$1"
verifier="$2"
if ! command -v go >/dev/null 2>&1; then
  echo "interop_test: Go is not installed (apt-get install golang-go)" >&2
  exit 1
fi
out="${TEST_TMPDIR}/cosigned"
mkdir -p "${out}"
"${signer}" "${out}"
cp "${verifier}" "${TEST_TMPDIR}/verify_cosignatures.go"
GO111MODULE=off GOCACHE="${TEST_TMPDIR}/gocache" GOFLAGS= HOME="${TEST_TMPDIR}" \
  GOPROXY=off go run "${TEST_TMPDIR}/verify_cosignatures.go" "${out}"
echo "PASS: Go's crypto/ed25519 verifies our cosignatures"

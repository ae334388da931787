#!/usr/bin/env bash
# Installs the Debian packages the build and tests need, and only those that
# are missing. Idempotent: prints nothing and exits 0 when all are present.
# Works as root or through sudo; fails with one clear line when apt-get is
# not available (not Debian) or installation fails.
set -euo pipefail

PACKAGES=(
  # Build system and compilers.
  bazel-bootstrap g++ pkg-config
  # Libraries, found by //bazel:debian_deps.bzl through pkg-config.
  librocksdb-dev libsodium-dev libabsl-dev
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
  libgtest-dev libgmock-dev libbenchmark-dev
  # libcrypto: the ledger's SHA-256 (SHA-NI) and client-certificate checks.
  libssl-dev
  # Prometheus metrics (collector_agent --metrics_listen): client library.
  prometheus-cpp-dev
  # The tlog-tiles HTTP endpoint (ledger_server --http_listen) and gzip.
  libmicrohttpd-dev zlib1g-dev
  # The tlog-tiles reader's HTTP client (ledgerctl --tiles).
  libcurl4-openssl-dev
  # Independent verifiers for interop tests (Go's sumdb/note and sumdb/tlog).
  golang-go golang-golang-x-mod-dev
  # Formatting check and the auditor guide's Python recipe (tests/auditor_recipe).
  clang-format python3 python3-grpcio python3-protobuf python3-cryptography
  # Process tools used by the demo and crash tests.
  procps openssl ca-certificates
  # Serves `ledgerctl publish` output in tests/tiles; fetches tiles in tests.
  nginx curl
  # Renders ledgerctl's offline HTML report in tests/ledgerctl (headless).
  chromium
  # Deployment tests (deploy/): a one-node Slurm cluster with munge for the
  # prolog/epilog; systemd-analyze for the units (package systemd);
  # promtool (package prometheus) checks a metrics scrape.
  slurm-wlm munge systemd prometheus
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "bootstrap: apt-get not found; install these Debian 12 packages by hand: ${missing[*]}" >&2
  exit 1
fi
SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "bootstrap: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "bootstrap: installing ${#missing[@]} missing Debian package(s): ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { "${SUDO[@]}" apt-get update -q && \
       "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  tail -n 20 "$log" >&2
  echo "bootstrap: apt-get failed installing: ${missing[*]} (full log: $log)" >&2
  exit 1
fi
rm -f "$log"
echo "bootstrap: done" >&2

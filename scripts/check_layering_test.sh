#!/usr/bin/env bash
# Tests scripts/check_layering.py on small planted trees: a clean tree
# passes; an upward include, an upward proto import, an unknown top-level
# folder and a stale exception each fail with a line naming the cause; tests/
# and *_test.cc may include anything.
set -euo pipefail
# shellcheck source=common/testonly/test_lib.sh
source "$(dirname "$0")/../common/testonly/test_lib.sh"
check="$(cd "$(dirname "$0")" && pwd)/check_layering.py"
tmp="${TEST_TMPDIR:-$(mktemp -d)}/layering"

# plant ROOT: a clean tree with one file per layer, each including downward.
plant() {
  rm -rf "$1"
  mkdir -p "$1"/{common,ledger,schema,rules,api/server,tools/x,tests/e2e}
  echo '#include <string>' >"$1/common/clock.h"
  printf '#include "common/clock.h"\n#include "absl/status/status.h"\n' >"$1/ledger/ledger.h"
  echo 'import "schema/common.proto";' >"$1/schema/collector.proto"
  printf '#include "schema/collector.pb.h"\n#include "ledger/ledger.h"\n' >"$1/rules/engine.h"
  printf '#include "rules/engine.h"\n#include "grpcpp/server.h"\n' >"$1/api/server/server.cc"
  echo '#include "api/server/server.h"' >"$1/tools/x/main.cc"
  echo '#include "tools/x/main.h"' >"$1/tests/e2e/anything.cc"
  echo '#include "tools/x/main.h"' >"$1/ledger/ledger_test.cc"
  mkdir -p "$1/docs" && echo '#include "tools/x/main.h"' >"$1/docs/example.cc"
}

# expect_fail ROOT PATTERN: the check fails and says PATTERN.
expect_fail() {
  if python3 "$check" --no-exceptions "$1" >"$tmp.out" 2>&1; then
    cat "$tmp.out" >&2
    fail "the check passed a tree with: $2"
  fi
  grep -q -- "$2" "$tmp.out" || { cat "$tmp.out" >&2; fail "no line saying: $2"; }
}

plant "$tmp"
python3 "$check" --no-exceptions "$tmp" >"$tmp.out" 2>&1 || { cat "$tmp.out" >&2; fail "clean tree refused"; }
grep -q '^check_layering: 6 files' "$tmp.out" || { cat "$tmp.out" >&2; fail "wrong count"; }

plant "$tmp"
echo '#include "api/v1/collector.pb.h"' >>"$tmp/rules/engine.h"
expect_fail "$tmp" 'rules/engine.h:3: rules includes "api/v1/collector.pb.h" from the higher layer api'

plant "$tmp"
echo '  #  include "ledger/ledger.h"' >>"$tmp/common/clock.h"
expect_fail "$tmp" 'common/clock.h:2: common includes "ledger/ledger.h"'

plant "$tmp"
echo 'import public "rules/rule_pack.proto";' >>"$tmp/schema/collector.proto"
expect_fail "$tmp" 'schema/collector.proto:2: schema includes "rules/rule_pack.proto"'

plant "$tmp"
mkdir -p "$tmp/newthing" && echo 'int x;' >"$tmp/newthing/x.cc"
expect_fail "$tmp" 'newthing/: a top-level folder with sources'

# The repository's exceptions, checked against a tree where they are gone.
plant "$tmp"
if python3 "$check" "$tmp" >"$tmp.out" 2>&1; then
  python3 - "$check" <<'PY' || fail "exceptions listed but the clean tree passed"
import importlib.util, sys
spec = importlib.util.spec_from_file_location("c", sys.argv[1])
c = importlib.util.module_from_spec(spec); spec.loader.exec_module(c)
sys.exit(1 if c.EXCEPTIONS else 0)
PY
else
  grep -q 'stale exception' "$tmp.out" || { cat "$tmp.out" >&2; fail "no stale-exception line"; }
fi
echo "PASS: check_layering passes a clean tree and fails each planted violation"

// Paths of a test's runfiles (the binaries and data a Bazel test lists in
// `data`), and a free loopback port for a server the test starts: what the
// tests that drive real binaries (crash tests, witnesses) all need.
#ifndef COMMON_TESTONLY_RUNFILES_H_
#define COMMON_TESTONLY_RUNFILES_H_

#include <string>

#include "absl/strings/string_view.h"

namespace common::testonly {

// The runfile at `path` relative to the workspace root, e.g.
// "api/server/ledger_server": $TEST_SRCDIR/ai_factory_ledger/<path>
// ("." for $TEST_SRCDIR when it is unset, as when run by hand).
std::string RunfilePath(absl::string_view path);

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0 and
// released), for a child process that must be told its port in advance.
int FreeLoopbackPort();

}  // namespace common::testonly

#endif  // COMMON_TESTONLY_RUNFILES_H_

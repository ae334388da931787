// Starts a program (the real aifl_witness, in tests) as a child process:
// stdout to /dev/null, stderr to a file (appended) or /dev/null. The caller
// signals and reaps it (kill, waitpid).
#ifndef WITNESS_TESTONLY_SPAWN_H_
#define WITNESS_TESTONLY_SPAWN_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace witness::testonly {

// `args[0]` is the program's path. `stderr_path` "" = /dev/null. Returns the
// child's pid (-1 when fork fails; a failed exec exits 127).
pid_t Spawn(const std::vector<std::string>& args,
            const std::string& stderr_path = "");

}  // namespace witness::testonly

#endif  // WITNESS_TESTONLY_SPAWN_H_

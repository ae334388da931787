#include "witness/testonly/spawn.h"

#include <fcntl.h>
#include <unistd.h>

namespace witness::testonly {

pid_t Spawn(const std::vector<std::string>& args,
            const std::string& stderr_path) {
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  const int devnull = ::open("/dev/null", O_WRONLY);
  ::dup2(devnull, 1);
  const int err =
      stderr_path.empty()
          ? devnull
          : ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  ::dup2(err, 2);
  std::vector<char*> argv;
  for (const std::string& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::execv(args[0].c_str(), argv.data());
  ::_exit(127);
}

}  // namespace witness::testonly

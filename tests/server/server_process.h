// A server binary (or a hostile peer) in a child process, for tests that
// measure it from outside: its own RSS and descriptors, not the test's.
#ifndef TESTS_SERVER_SERVER_PROCESS_H_
#define TESTS_SERVER_SERVER_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "grpcpp/channel.h"
#include "tests/server/test_ca.h"

namespace tests::server {

// The whole file, or "" when it cannot be read.
std::string ReadAll(const std::string& path);

// A /proc/<pid>/status field in KiB (e.g. "VmHWM:", "VmRSS:"); 0 if absent.
long StatusKib(pid_t pid, const std::string& field);

// Descriptors open in `pid`; -1 when unknown.
int OpenDescriptors(pid_t pid);

// An mTLS channel to 127.0.0.1:`port` with a connection of its own (no
// sharing between channels), presenting `client` (none when null).
std::shared_ptr<grpc::Channel> TlsChannel(int port, const std::string& ca_pem,
                                          const CertFiles* client);

class ServerProcess {
 public:
  // Starts `argv` with RLIMIT_NOFILE = `limit`, stderr to `log` (stdout to
  // `out` when given). Killed (SIGKILL) by the destructor unless stopped.
  ServerProcess(const std::vector<std::string>& argv, const std::string& log,
                int limit, const std::string& out = "");
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Waits (up to 30 s) for ledger_server's server_started line; returns
  // {port, health port}, {0, 0} (and a test failure) otherwise.
  std::pair<int, int> WaitStarted();

  // Waits up to `timeout_ms` for the process to exit; its exit status (128 +
  // signal when killed), or -1 when it still runs.
  int WaitExit(int timeout_ms);

  // SIGTERM; the exit status.
  int Stop();

  pid_t pid() const { return pid_; }

 private:
  std::string log_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int exit_status_ = -1;
};

}  // namespace tests::server

#endif  // TESTS_SERVER_SERVER_PROCESS_H_

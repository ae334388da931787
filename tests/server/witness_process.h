// One real `aifl_witness serve` process on loopback for a test (the binary
// from the test's runfiles): its key made from a seed, the logs it trusts
// read from a file at start, its port learned from its "witness_started"
// log line. Killed (SIGKILL) on destruction.
#ifndef TESTS_SERVER_WITNESS_PROCESS_H_
#define TESTS_SERVER_WITNESS_PROCESS_H_

#include <sys/types.h>

#include <string>

namespace tests::server {

class WitnessProcess {
 public:
  // Writes its key (every byte `seed`) into `dir`; its name is
  // `<name>.example/witness`.
  WitnessProcess(std::string dir, std::string name, int seed);
  ~WitnessProcess() { Kill(); }

  // Starts it on `port` (0: any) trusting the tlog-policy `log` lines of
  // `logs_file`, and waits for its "witness_started" line (a gtest failure
  // when it does not come).
  void Start(int port, const std::string& logs_file);
  void Kill();
  // Kills it and starts it again on the same port (its state kept).
  void Restart(const std::string& logs_file);

  const std::string& name() const { return name_; }
  const std::string& vkey() const { return vkey_; }
  int port() const { return port_; }

 private:
  std::string dir_, name_, vkey_;
  pid_t pid_ = 0;
  int port_ = 0;
};

}  // namespace tests::server

#endif  // TESTS_SERVER_WITNESS_PROCESS_H_

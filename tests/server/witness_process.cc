#include "tests/server/witness_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/testonly/runfiles.h"
#include "gtest/gtest.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/key_file.h"
#include "ledger/note/cosignature.h"
#include "witness/testonly/spawn.h"

namespace tests::server {

WitnessProcess::WitnessProcess(std::string dir, std::string name, int seed)
    : dir_(std::move(dir)), name_(std::move(name)) {
  auto key = *ledger::crypto::SigningKey::FromSeed(std::string(32, seed));
  EXPECT_TRUE(
      ledger::crypto::WriteSecretKeyFile(dir_ + "/" + name_ + ".key", *key)
          .ok());
  vkey_ = (*ledger::note::Cosigner::Create(name_ + ".example/witness",
                                           std::move(key)))
              ->VerifierKey();
}

void WitnessProcess::Start(int port, const std::string& logs_file) {
  const std::string log = absl::StrCat(dir_, "/", name_, ".log");
  ::unlink(log.c_str());
  const std::string binary =
      common::testonly::RunfilePath("witness/aifl_witness");
  const std::vector<std::string> args = {
      binary,
      "serve",
      absl::StrCat("--key_file=", dir_, "/", name_, ".key"),
      absl::StrCat("--name=", name_, ".example/witness"),
      absl::StrCat("--logs=", logs_file),
      absl::StrCat("--state_dir=", dir_, "/", name_, ".state"),
      absl::StrCat("--listen=127.0.0.1:", port)};
  // It logs on stderr (JSON lines): its port is read from there.
  pid_ = witness::testonly::Spawn(args, log);
  for (int i = 0; i < 400 && port_ == 0; ++i) {
    absl::SleepFor(absl::Milliseconds(50));
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    const size_t at = s.find("\"event\":\"witness_started\"");
    if (at == std::string::npos) continue;
    const size_t p = s.find("\"port\":\"", at);
    if (p == std::string::npos) continue;
    const size_t begin = p + 8;
    ASSERT_TRUE(
        absl::SimpleAtoi(s.substr(begin, s.find('"', begin) - begin), &port_));
  }
  ASSERT_NE(port_, 0) << "aifl_witness " << name_ << " did not start";
}

void WitnessProcess::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = 0;
}

void WitnessProcess::Restart(const std::string& logs_file) {
  const int port = port_;
  Kill();
  port_ = 0;
  Start(port, logs_file);
}

}  // namespace tests::server

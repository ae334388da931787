#include "tests/server/server_process.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "grpc/impl/codegen/grpc_types.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"

namespace tests::server {
namespace {

int ExitStatus(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

long StatusKib(pid_t pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(field.size()));
  }
  return 0;
}

int OpenDescriptors(pid_t pid) {
  DIR* dir = ::opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
  if (dir == nullptr) return -1;
  int n = 0;
  while (const dirent* e = ::readdir(dir)) n += e->d_name[0] != '.';
  ::closedir(dir);
  return n;
}

std::shared_ptr<grpc::Channel> TlsChannel(int port, const std::string& ca_pem,
                                          const CertFiles* client) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ca_pem;
  if (client != nullptr) {
    ssl.pem_private_key = ReadWholeFile(client->key).value();
    ssl.pem_cert_chain = ReadWholeFile(client->cert).value();
  }
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride("localhost");
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port),
                                   grpc::SslCredentials(ssl), args);
}

ServerProcess::ServerProcess(const std::vector<std::string>& argv,
                             const std::string& log, int limit,
                             const std::string& out)
    : log_(log) {
  pid_ = ::fork();
  if (pid_ == 0) {
    struct rlimit r = {static_cast<rlim_t>(limit), static_cast<rlim_t>(limit)};
    ::setrlimit(RLIMIT_NOFILE, &r);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 2);
    if (!out.empty())
      ::dup2(::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644), 1);
    std::vector<char*> args;
    for (const std::string& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0 && !exited_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

std::pair<int, int> ServerProcess::WaitStarted() {
  const std::regex started(
      R"re("event":"server_started".*"port":"(\d+)","health_port":"(\d+)")re");
  for (int i = 0; i < 300; ++i) {
    std::smatch m;
    const std::string text = ReadAll(log_);
    if (std::regex_search(text, m, started))
      return {std::stoi(m[1]), std::stoi(m[2])};
    if (WaitExit(0) >= 0) {
      ADD_FAILURE() << "server exited: " << text;
      return {0, 0};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ADD_FAILURE() << "server did not start: " << ReadAll(log_);
  return {0, 0};
}

int ServerProcess::WaitExit(int timeout_ms) {
  for (int waited = 0; !exited_; waited += 10) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      exit_status_ = ExitStatus(status);
      break;
    }
    if (waited >= timeout_ms) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return exit_status_;
}

int ServerProcess::Stop() {
  if (exited_) return exit_status_;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  exited_ = true;
  exit_status_ = ExitStatus(status);
  return exit_status_;
}

}  // namespace tests::server

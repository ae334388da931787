#include "api/server/grpc_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "grpc/grpc.h"
#include "grpc/support/log.h"
#include "gtest/gtest.h"

namespace api::server {
namespace {

// gRPC's own log lines used to be gRPC's plain-text format on stderr,
// interleaved with the server's JSON lines.
TEST(GrpcLogTest, GrpcLinesBecomeJsonLines) {
  const std::string path =
      std::string(std::getenv("TEST_TMPDIR")) + "/stderr.log";
  int file = ::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0600);
  ASSERT_GE(file, 0);
  int saved = ::dup(2);
  ::dup2(file, 2);
  RouteGrpcLogsToJsonLog();
  grpc_init();  // sets gRPC's log verbosity, as a server's first object does
  gpr_log(GPR_ERROR, "peer %s sent garbage", "ipv4:10.0.0.1:5");
  grpc_shutdown();
  ::dup2(saved, 2);
  ::close(saved);
  ::close(file);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  const std::string line = text.str();
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.front(), '{') << line;
  EXPECT_NE(line.find("\"level\":\"error\",\"event\":\"grpc\""),
            std::string::npos)
      << line;
  EXPECT_NE(line.find("\"message\":\"peer ipv4:10.0.0.1:5 sent garbage\""),
            std::string::npos)
      << line;
}

}  // namespace
}  // namespace api::server

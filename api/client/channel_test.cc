#include "api/client/channel.h"

#include "gtest/gtest.h"

namespace api::client {
namespace {

TEST(ChannelTest, KnowsLoopbackTargets) {
  EXPECT_TRUE(IsLoopbackTarget("127.0.0.1:7443"));
  EXPECT_TRUE(IsLoopbackTarget("localhost:7443"));
  EXPECT_TRUE(IsLoopbackTarget("[::1]:7443"));
  EXPECT_TRUE(IsLoopbackTarget("unix:/run/ledger.sock"));
  EXPECT_FALSE(IsLoopbackTarget("ledger.example:7443"));
  EXPECT_FALSE(IsLoopbackTarget("10.0.0.1:7443"));
  EXPECT_FALSE(IsLoopbackTarget("localhost.evil.example:7443"));
  EXPECT_FALSE(IsLoopbackTarget("127.evil.example:7443"));
}

TEST(ChannelTest, PlaintextOnlyToLoopback) {
  ChannelOptions options;
  options.insecure = true;
  options.target = "127.0.0.1:7443";
  EXPECT_TRUE(MakeChannel(options).ok());
  options.target = "ledger.example:7443";
  EXPECT_EQ(MakeChannel(options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ChannelTest, TlsNeedsBothCertificateAndKeyAndReadableFiles) {
  ChannelOptions options;
  options.target = "ledger.example:7443";
  options.cert_file = "/nonexistent/client.pem";
  EXPECT_EQ(MakeChannel(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.key_file = "/nonexistent/client.key";
  EXPECT_EQ(MakeChannel(options).status().code(), absl::StatusCode::kNotFound);
  options.cert_file.clear();
  options.key_file.clear();
  options.ca_file = "/nonexistent/ca.pem";
  EXPECT_EQ(MakeChannel(options).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace api::client

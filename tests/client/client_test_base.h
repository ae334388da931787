// Shared setup of the client suites: a FakeLedgerServer and helpers to make
// clients and submit entries through them.
#ifndef TESTS_CLIENT_CLIENT_TEST_BASE_H_
#define TESTS_CLIENT_CLIENT_TEST_BASE_H_

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "api/client/ledger_client.h"
#include "gtest/gtest.h"
#include "tests/client/fake_ledger_server.h"

namespace client_test {

class ClientTestBase : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = FakeLedgerServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
  }

  // A client of the fake server, with trust in `store_dir` ("" = memory).
  std::unique_ptr<api::client::LedgerClient> NewClient(
      const std::string& store_dir = "") {
    api::client::LedgerClientOptions options;
    options.trusted_store_dir = store_dir;
    options.rpc_timeout = absl::Seconds(10);
    auto client = api::client::LedgerClient::Create(
        server_->NewChannel(), server_->verifier_key(), options);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? std::move(*client) : nullptr;
  }

  // Signs and submits `n` entries through `client`; all must be accepted.
  std::vector<api::client::SubmittedEntry> SubmitEntries(
      api::client::LedgerClient& client, int n) {
    std::vector<std::string> envelopes;
    for (int i = 0; i < n; ++i) {
      envelopes.push_back(
          server_->SignEnvelope("payload " + std::to_string(i)));
    }
    std::vector<api::client::SubmittedEntry> entries;
    auto results = client.Submit(envelopes);
    EXPECT_TRUE(results.ok()) << results.status();
    if (!results.ok()) return entries;
    for (size_t i = 0; i < results->size(); ++i) {
      EXPECT_TRUE((*results)[i].ok()) << (*results)[i].status();
      if ((*results)[i].ok()) entries.push_back({envelopes[i], *(*results)[i]});
    }
    return entries;
  }

  std::unique_ptr<FakeLedgerServer> server_;
};

// Matches a status with code kDataLoss whose message contains `text`, and
// logs the refusal so the test log shows what a user would read.
#define EXPECT_DATA_LOSS(expr, text)                                         \
  do {                                                                       \
    const absl::Status status_ = (expr);                                     \
    std::cerr << "refused: " << status_ << "\n";                             \
    EXPECT_EQ(status_.code(), absl::StatusCode::kDataLoss) << status_;       \
    EXPECT_THAT(std::string(status_.message()), ::testing::HasSubstr(text)); \
  } while (false)

}  // namespace client_test

#endif  // TESTS_CLIENT_CLIENT_TEST_BASE_H_

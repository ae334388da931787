// A per-model index for a test server (ServerOptions::open_index): a fresh
// output log with a rules key enrolled, reopened for the server, and a
// fresh index store.
#ifndef TESTS_SERVER_TEST_INDEX_H_
#define TESTS_SERVER_TEST_INDEX_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "api/index/index_host.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"
#include "schema/collector.pb.h"

namespace tests::server {

// An output log made (and closed) before the server starts, so that its
// verifier key can be given to witnesses first.
struct TestOutputLog {
  std::string dir;
  std::unique_ptr<ledger::EntrySigner> signer;  // its enrolled rules key
  std::string vkey;
};
absl::StatusOr<TestOutputLog> MakeTestOutputLog(
    const std::string& origin = "test.example/index");

// Opens the index of `served` over `made`.
absl::StatusOr<std::unique_ptr<api::index::IndexHost>> OpenTestIndex(
    const ledger::Ledger& served, TestOutputLog made);

// Both: `*output_vkey` (which must outlive the server's start) receives the
// output log's verifier key.
absl::StatusOr<std::unique_ptr<api::index::IndexHost>> OpenTestIndex(
    const ledger::Ledger& served, std::string* output_vkey);

// The i-th interval report of the index tests' logs: run-(i % 2) on node
// n1, an hour ending at now_ms + i, 8 GPUs, 1e9 J, pre-training, FLOP
// [flop_lower, flop_upper] measured; about model-a for even i, model-b for
// odd.
aifl::collector::v1::IntervalReport AlternatingModelInterval(int i,
                                                             int64_t now_ms,
                                                             double flop_lower,
                                                             double flop_upper);

}  // namespace tests::server

#endif  // TESTS_SERVER_TEST_INDEX_H_

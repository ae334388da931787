// A per-model index for a test server (ServerOptions::open_index): a fresh
// output log with a rules key enrolled, reopened for the server, and a
// fresh index store.
#ifndef TESTS_SERVER_TEST_INDEX_H_
#define TESTS_SERVER_TEST_INDEX_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "api/index/index_host.h"
#include "ledger/ledger.h"

namespace tests::server {

// Opens the index of `served`; `*output_vkey` (which must outlive the
// server's start) receives the output log's verifier key.
absl::StatusOr<std::unique_ptr<api::index::IndexHost>> OpenTestIndex(
    const ledger::Ledger& served, std::string* output_vkey);

}  // namespace tests::server

#endif  // TESTS_SERVER_TEST_INDEX_H_

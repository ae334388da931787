// An input ModelLog, an index over it and its output log, advanced together
// by Grow: the fixture of the answer tests (whole and paged) and of the
// server's GetModelEntries tests.
#ifndef INDEX_TESTONLY_INDEXED_LOG_H_
#define INDEX_TESTONLY_INDEXED_LOG_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "index/index_builder.h"
#include "index/output_log.h"
#include "index/testonly/model_log.h"
#include "ledger/testonly/ledger_fixture.h"

namespace vindex::testonly {

class IndexedLog {
 public:
  // Fresh input and output ledgers (a rules key enrolled in the output) and
  // a fresh index.
  static absl::StatusOr<std::unique_ptr<IndexedLog>> Create();

  // Appends n entries over models m0..m2 and all kinds (entry i is about
  // "m<i % 3>", kind i % 4), indexes them and publishes the update.
  absl::Status Grow(int n);

  ModelLog& input() { return *in_; }
  ledger::Ledger& output() { return out_->ledger(); }
  IndexBuilder& builder() { return *builder_; }
  // Publishes what a test says (a lying update, for the replay's tests).
  OutputLog& output_log() { return *output_; }

 private:
  std::unique_ptr<ModelLog> in_;
  std::unique_ptr<ledger::testonly::LedgerFixture> out_;
  std::unique_ptr<OutputLog> output_;
  std::unique_ptr<IndexBuilder> builder_;
};

}  // namespace vindex::testonly

#endif  // INDEX_TESTONLY_INDEXED_LOG_H_

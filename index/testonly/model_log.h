// A real ledger (ledger/testonly/ledger_fixture.h) with provider, collector
// and rules keys enrolled, and one-line appends of entries about a model:
// the input log of the index's tests and benchmark.
#ifndef INDEX_TESTONLY_MODEL_LOG_H_
#define INDEX_TESTONLY_MODEL_LOG_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "index/index_builder.h"
#include "ledger/entry_signer.h"
#include "ledger/testonly/ledger_fixture.h"

namespace vindex::testonly {

class ModelLog {
 public:
  static absl::StatusOr<std::unique_ptr<ModelLog>> Create(
      const std::string& origin = "test.example/factory");

  ledger::testonly::LedgerFixture& fixture() { return *fixture_; }
  ledger::Ledger& ledger() { return fixture_->ledger(); }

  // The envelope of an entry about `model_id`, by kind: 0 RunStarted
  // (collector), 1 IntervalReport (collector), 2 Notification (provider),
  // 3 Finding (rules); anything else: a collector Blob about no model.
  absl::StatusOr<std::string> Envelope(const std::string& model_id, int kind);

  // Appends Envelope(model_id, kind); returns its leaf index.
  absl::StatusOr<uint64_t> Append(const std::string& model_id, int kind);

  // Appends many envelopes in one group commit.
  absl::Status AppendAll(const std::vector<std::string>& envelopes);

  // The checkpoint of the current tree (size and root).
  absl::StatusOr<InputCheckpoint> Checkpoint() const;

  // The leaves [start, end).
  absl::StatusOr<std::vector<std::string>> Leaves(uint64_t start,
                                                  uint64_t end) const;

  // Indexes every leaf `builder` has not seen at the current tree's
  // checkpoint, in one update.
  absl::Status IndexUnseen(IndexBuilder& builder) const;

  // Appends n kind-0 entries in one group commit, the one at leaf index i
  // about model_of(i), then indexes every leaf `builder` has not seen at the
  // new tree's checkpoint (one update).
  absl::Status AppendAndIndex(
      int n, const std::function<std::string(uint64_t)>& model_of,
      IndexBuilder& builder);

 private:
  std::unique_ptr<ledger::testonly::LedgerFixture> fixture_;
  std::unique_ptr<ledger::EntrySigner> collector_, provider_, rules_;
};

}  // namespace vindex::testonly

#endif  // INDEX_TESTONLY_MODEL_LOG_H_

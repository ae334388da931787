// compliance_check --record --index_dir O --index_store S: the ledger's
// per-model index, opened from its folders (as ledger_server --index_dir O
// --index_store S hosts it, or `ledgerctl index-update` keeps it), citing
// for the recorded findings through the one implementation the server's
// rules runner cites through (index/model_citations.h): a finding recorded
// here carries the bytes the server would have given it for the same
// ledger and index.
//
// Not thread-safe (one run, one thread).
#ifndef TOOLS_COMPLIANCE_CHECK_INDEX_CITER_H_
#define TOOLS_COMPLIANCE_CHECK_INDEX_CITER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "index/index_builder.h"
#include "index/model_citations.h"
#include "ledger/ledger.h"

namespace compliance_check {

class IndexCiter {
 public:
  // Opens the output log in `index_dir` read-only (for its origin, which
  // the citations name) and the index in `index_store`, which must exist
  // (kNotFound: a mistyped folder would otherwise become a new, empty
  // index). kFailedPrecondition when the index is not `input`'s: it has
  // indexed more leaves than `input` holds, or `input`'s root at its input
  // size is not its input root. Ledger::Open's and IndexBuilder::Open's
  // errors otherwise. `input` is not owned and must outlive the citer.
  // `max_extension`: how far past its state the index cites (CiteModels).
  static absl::StatusOr<std::unique_ptr<IndexCiter>> Open(
      const ledger::Ledger& input, const std::string& index_dir,
      const std::string& index_store, uint64_t max_extension);

  // Cites through vindex::CiteModels; valid while the citer lives.
  vindex::CiteFn cite() const;

 private:
  IndexCiter(const ledger::Ledger& input, uint64_t max_extension)
      : input_(input), max_extension_(max_extension) {}

  const ledger::Ledger& input_;
  const uint64_t max_extension_;
  std::string origin_;  // the output log's
  std::unique_ptr<vindex::IndexBuilder> builder_;
};

}  // namespace compliance_check

#endif  // TOOLS_COMPLIANCE_CHECK_INDEX_CITER_H_

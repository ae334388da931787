#include "tools/compliance_check/index_citer.h"

#include <sys/stat.h>

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "index/ledger_input.h"
#include "ledger/merkle/hash.h"

namespace compliance_check {
namespace {

// kFailedPrecondition unless `state` indexes a prefix of `input`.
absl::Status CheckIndexOf(const ledger::Ledger& input,
                          const vindex::IndexState& state) {
  if (state.input_size == 0) return absl::OkStatus();
  if (state.input_size > input.Size()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--index_store: the index is as of input size ", state.input_size,
        ", past this ledger's ", input.Size(), " leaves: not its index"));
  }
  ASSIGN_OR_RETURN(ledger::merkle::Hash root, input.RootAt(state.input_size));
  if (root != state.input_root) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--index_store: the index's input root at size ", state.input_size,
        " is ", ledger::merkle::HashToHex(state.input_root),
        ", this ledger's is ", ledger::merkle::HashToHex(root),
        ": not its index"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<IndexCiter>> IndexCiter::Open(
    const ledger::Ledger& input, const std::string& index_dir,
    const std::string& index_store, uint64_t max_extension) {
  struct stat st;
  if (::stat(index_store.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::NotFoundError(absl::StrCat(
        "--index_store ", index_store,
        ": no index there (ledger_server --index_store or ledgerctl "
        "index-update makes it)"));
  }
  std::unique_ptr<IndexCiter> citer(new IndexCiter(input, max_extension));
  ledger::LedgerOptions options;
  options.dir = index_dir;
  options.read_only = true;
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::Ledger> output,
                   ledger::Ledger::Open(options));
  citer->origin_ = output->origin();
  vindex::BuilderOptions builder_options;
  builder_options.input = vindex::LedgerLeaves(input);
  ASSIGN_OR_RETURN(
      citer->builder_,
      vindex::IndexBuilder::Open(index_store, std::move(builder_options)));
  RETURN_IF_ERROR(CheckIndexOf(input, citer->builder_->state()));
  return citer;
}

vindex::CiteFn IndexCiter::cite() const {
  return
      [this](const std::vector<std::string>& model_ids, uint64_t input_size) {
        return vindex::CiteModels(*builder_, input_, origin_, model_ids,
                                  input_size, max_extension_);
      };
}

}  // namespace compliance_check

#include "index/testonly/indexed_log.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/proto/key_event.pb.h"

namespace vindex::testonly {

absl::StatusOr<std::unique_ptr<IndexedLog>> IndexedLog::Create() {
  auto log = std::unique_ptr<IndexedLog>(new IndexedLog());
  ASSIGN_OR_RETURN(log->in_, ModelLog::Create("test.example/factory"));
  ASSIGN_OR_RETURN(
      log->out_, ledger::testonly::LedgerFixture::Create("test.example/index"));
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::EntrySigner> signer,
                   log->out_->EnrolNewKey(aifl::ledger::v1::ROLE_RULES));
  ASSIGN_OR_RETURN(log->output_,
                   OutputLog::Create(&log->out_->ledger(), std::move(signer)));
  ASSIGN_OR_RETURN(log->builder_,
                   IndexBuilder::Open(ledger::testonly::FreshDir("index")));
  return log;
}

absl::Status IndexedLog::Grow(int n) {
  for (int i = 0; i < n; ++i) {
    RETURN_IF_ERROR(in_->Append(absl::StrCat("m", i % 3), i % 4).status());
  }
  RETURN_IF_ERROR(in_->IndexUnseen(*builder_));
  return output_->Publish({in_->ledger().origin(), builder_->state()}).status();
}

}  // namespace vindex::testonly

#include "index/testonly/model_log.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/roles.h"
#include "rules/payload_types.h"
#include "schema/collector.pb.h"
#include "schema/findings.pb.h"
#include "schema/provider.pb.h"

namespace vindex::testonly {

absl::StatusOr<std::unique_ptr<ModelLog>> ModelLog::Create(
    const std::string& origin) {
  auto log = std::unique_ptr<ModelLog>(new ModelLog());
  ASSIGN_OR_RETURN(log->fixture_,
                   ledger::testonly::LedgerFixture::Create(origin));
  ASSIGN_OR_RETURN(log->collector_, log->fixture_->EnrolNewKey(
                                        aifl::ledger::v1::ROLE_COLLECTOR));
  ASSIGN_OR_RETURN(log->provider_,
                   log->fixture_->EnrolNewKey(aifl::ledger::v1::ROLE_PROVIDER));
  ASSIGN_OR_RETURN(log->rules_,
                   log->fixture_->EnrolNewKey(aifl::ledger::v1::ROLE_RULES));
  return log;
}

absl::StatusOr<std::string> ModelLog::Envelope(const std::string& model_id,
                                               int kind) {
  switch (kind) {
    case 0: {
      aifl::collector::v1::RunStarted m;
      m.set_run_id(absl::StrCat("c/", collector_->next_sequence()));
      m.set_model_id(model_id);
      return collector_->SignNext(rules::kRunStartedType,
                                  m.SerializeAsString());
    }
    case 1: {
      aifl::collector::v1::IntervalReport m;
      m.set_run_id("c/1");
      m.set_model_id(model_id);
      return collector_->SignNext(rules::kIntervalReportType,
                                  m.SerializeAsString());
    }
    case 2: {
      aifl::provider::v1::Notification m;
      m.set_model_id(model_id);
      return provider_->SignNext(rules::kNotificationType,
                                 m.SerializeAsString());
    }
    case 3: {
      aifl::rules::v1::Finding m;
      m.set_model_id(model_id);
      return rules_->SignNext(rules::kFindingType, m.SerializeAsString());
    }
    default: {
      ASSIGN_OR_RETURN(std::string blob, ledger::OpaqueBlobType(
                                             aifl::ledger::v1::ROLE_COLLECTOR));
      return collector_->SignNext(blob, model_id);
    }
  }
}

absl::StatusOr<uint64_t> ModelLog::Append(const std::string& model_id,
                                          int kind) {
  ASSIGN_OR_RETURN(std::string env, Envelope(model_id, kind));
  return fixture_->AppendOne(env);
}

absl::Status ModelLog::AppendAll(const std::vector<std::string>& envelopes) {
  for (const ledger::AppendResult& r : ledger().Append(envelopes)) {
    RETURN_IF_ERROR(r.status);
  }
  return absl::OkStatus();
}

absl::StatusOr<InputCheckpoint> ModelLog::Checkpoint() const {
  InputCheckpoint cp;
  cp.size = fixture_->ledger().Size();
  ASSIGN_OR_RETURN(cp.root, fixture_->ledger().RootAt(cp.size));
  return cp;
}

absl::StatusOr<std::vector<std::string>> ModelLog::Leaves(uint64_t start,
                                                          uint64_t end) const {
  std::vector<std::string> out;
  while (start + out.size() < end) {
    // GetLeaves returns at most 1000 leaves a call.
    ASSIGN_OR_RETURN(std::vector<std::string> got,
                     fixture_->ledger().GetLeaves(
                         start + out.size(),
                         std::min<uint64_t>(1000, end - start - out.size())));
    for (std::string& leaf : got) out.push_back(std::move(leaf));
  }
  return out;
}

absl::Status ModelLog::AppendAndIndex(
    int n, const std::function<std::string(uint64_t)>& model_of,
    IndexBuilder& builder) {
  std::vector<std::string> envelopes;
  for (int i = 0; i < n; ++i) {
    ASSIGN_OR_RETURN(std::string env,
                     Envelope(model_of(fixture_->ledger().Size() + i), 0));
    envelopes.push_back(std::move(env));
  }
  RETURN_IF_ERROR(AppendAll(envelopes));
  return IndexUnseen(builder);
}

absl::Status ModelLog::IndexUnseen(IndexBuilder& builder) const {
  ASSIGN_OR_RETURN(InputCheckpoint cp, Checkpoint());
  ASSIGN_OR_RETURN(std::vector<std::string> leaves,
                   Leaves(builder.state().input_size, cp.size));
  return builder.Apply(cp, leaves);
}

}  // namespace vindex::testonly

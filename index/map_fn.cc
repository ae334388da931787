#include "index/map_fn.h"

#include <algorithm>
#include <optional>

#include "compliance/leaf_entry.h"
#include "rules/payload_types.h"
#include "schema/collector.pb.h"
#include "schema/findings.pb.h"
#include "schema/office.pb.h"
#include "schema/provider.pb.h"

namespace vindex {
namespace {

// The model_id field of a message with one; empty when it does not parse.
template <typename Msg>
std::vector<std::string> ModelIdOf(absl::string_view payload) {
  Msg msg;
  if (!msg.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return {};
  }
  return {msg.model_id()};
}

// A declaration is about its model and, when it names one, its base model
// (a modification or further development of it).
std::vector<std::string> DeclarationModels(absl::string_view payload) {
  aifl::provider::v1::ModelDeclaration d;
  if (!d.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return {};
  }
  return {d.model_id(), d.base_model().model_id()};
}

std::vector<std::string> NamedModels(absl::string_view t,
                                     absl::string_view payload) {
  namespace collector = aifl::collector::v1;
  namespace provider = aifl::provider::v1;
  namespace office = aifl::office::v1;
  if (t == rules::kRunStartedType) {
    return ModelIdOf<collector::RunStarted>(payload);
  }
  if (t == rules::kIntervalReportType) {
    return ModelIdOf<collector::IntervalReport>(payload);
  }
  if (t == rules::kModelDeclarationType) return DeclarationModels(payload);
  if (t == rules::kDocumentSubmissionType) {
    return ModelIdOf<provider::DocumentSubmission>(payload);
  }
  if (t == rules::kNotificationType) {
    return ModelIdOf<provider::Notification>(payload);
  }
  if (t == rules::kEvaluationReportType) {
    return ModelIdOf<provider::EvaluationReport>(payload);
  }
  if (t == rules::kIncidentReportType) {
    return ModelIdOf<provider::IncidentReport>(payload);
  }
  if (t == rules::kDesignationType) {
    return ModelIdOf<office::Designation>(payload);
  }
  if (t == rules::kRebuttalDecisionType) {
    return ModelIdOf<office::RebuttalDecision>(payload);
  }
  if (t == rules::kFindingType) {
    return ModelIdOf<aifl::rules::v1::Finding>(payload);
  }
  return {};
}

}  // namespace

std::vector<std::string> ModelsOfPayload(absl::string_view payload_type,
                                         absl::string_view payload) {
  std::vector<std::string> out;
  for (std::string& id : NamedModels(payload_type, payload)) {
    if (id.empty() || std::find(out.begin(), out.end(), id) != out.end()) {
      continue;
    }
    out.push_back(std::move(id));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> ModelsOfLeaf(
    uint64_t index, absl::string_view leaf_bytes) {
  absl::StatusOr<MappedLeaf> mapped = MapLeaf(index, leaf_bytes);
  if (!mapped.ok()) return mapped.status();
  return std::move(mapped->models);
}

absl::StatusOr<MappedLeaf> MapLeaf(uint64_t index,
                                   absl::string_view leaf_bytes) {
  // The one leaf decoding (compliance/leaf_entry.h). MapFn does not ask
  // whether the signer was enrolled, so the registry it consults is empty
  // and the conversion's "not evidence" verdict is not used.
  absl::StatusOr<compliance::ConvertedLeaf> leaf = compliance::ConvertLeaf(
      index, leaf_bytes,
      [](const ledger::crypto::KeyId&) -> std::optional<ledger::KeyInfo> {
        return std::nullopt;
      });
  if (!leaf.ok()) return leaf.status();
  MappedLeaf out;
  out.models = ModelsOfPayload(leaf->entry.payload_type, leaf->entry.payload);
  out.payload_type = std::move(leaf->entry.payload_type);
  out.payload = std::move(leaf->entry.payload);
  return out;
}

}  // namespace vindex

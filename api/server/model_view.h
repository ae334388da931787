// The smallest interface the Audit service needs for models and findings.
// The implementation (ledger_model_view.h) folds ledger entries; tests may
// substitute their own. Implementations are thread-safe.
#ifndef API_SERVER_MODEL_VIEW_H_
#define API_SERVER_MODEL_VIEW_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "api/v1/ledger_service.pb.h"

namespace api::server {

// Which findings a reader wants. UNSPECIFIED / "" match everything.
struct FindingFilter {
  aifl::rules::v1::Unit unit = aifl::rules::v1::UNIT_UNSPECIFIED;
  aifl::rules::v1::Severity min_severity =
      aifl::rules::v1::SEVERITY_UNSPECIFIED;
  std::string model_id;

  bool Matches(const aifl::rules::v1::Finding& f) const {
    return (unit == aifl::rules::v1::UNIT_UNSPECIFIED || f.unit() == unit) &&
           f.severity() >= min_severity &&
           (model_id.empty() || f.model_id() == model_id);
  }
};

class ModelView {
 public:
  using FindingSink =
      std::function<void(const aifl::api::v1::RecordedFinding&)>;

  virtual ~ModelView() = default;

  // Reads the entries appended since the last call. kDataLoss when a stored
  // leaf does not parse.
  virtual absl::Status CatchUp() = 0;

  // Models ordered by id, after the model id `page_token` (the last id of the
  // previous page; "" = from the start); next_page_token is the last id of
  // this page (AuditService encodes both as the wire token).
  // REQUIRES: 1 ≤ page_size ≤ 1000.
  virtual absl::StatusOr<aifl::api::v1::ListModelsResponse> ListModels(
      uint32_t page_size, const std::string& page_token) = 0;
  // kNotFound for an unknown model.
  virtual absl::StatusOr<aifl::api::v1::ModelDetail> GetModel(
      const std::string& model_id) = 0;

  // Recorded findings matching `filter` in leaf order, at or after leaf
  // `from_leaf`, at most `limit`; `*next_leaf` is where to continue (0 when
  // there is nothing more).
  virtual std::vector<aifl::api::v1::RecordedFinding> Findings(
      const FindingFilter& filter, uint64_t from_leaf, uint32_t limit,
      uint64_t* next_leaf) = 0;

  // Calls `sink` (on the thread that runs CatchUp) for every finding
  // recorded after this call. Returns an id for Unsubscribe.
  virtual uint64_t Subscribe(FindingSink sink) = 0;
  // After it returns, the sink is not called again.
  virtual void Unsubscribe(uint64_t id) = 0;
};

}  // namespace api::server

#endif  // API_SERVER_MODEL_VIEW_H_

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

// What a caller may read of models, findings and leaves. `everything`:
// office, auditors, the local operator. Otherwise a provider: the models
// owned by one of `principals` (model_ownership.h) and the leaves about
// them only.
struct ReadScope {
  bool everything = true;
  std::vector<std::string> principals;
};

// Which findings a reader wants. UNSPECIFIED / "" match everything. `scope`
// is applied by the view on top of Matches.
struct FindingFilter {
  aifl::rules::v1::Unit unit = aifl::rules::v1::UNIT_UNSPECIFIED;
  aifl::rules::v1::Severity min_severity =
      aifl::rules::v1::SEVERITY_UNSPECIFIED;
  std::string model_id;
  ReadScope scope;

  bool Matches(const aifl::rules::v1::Finding& f) const {
    return (unit == aifl::rules::v1::UNIT_UNSPECIFIED || f.unit() == unit) &&
           f.severity() >= min_severity &&
           (model_id.empty() || f.model_id() == model_id);
  }
};

// The one answer to a provider about a model outside its scope, whether it
// exists or not.
inline constexpr char kNotOwnModel[] =
    "model_id: not a model of this provider (a provider reads its own models "
    "only)";

class ModelView {
 public:
  using FindingSink =
      std::function<void(const aifl::api::v1::RecordedFinding&)>;

  virtual ~ModelView() = default;

  // Reads the entries appended since the last call. kDataLoss when a stored
  // leaf does not parse.
  virtual absl::Status CatchUp() = 0;

  // Models in `scope` ordered by id, after the model id `page_token` (the
  // last id of the previous page; "" = from the start); next_page_token is
  // the last id of this page (AuditService encodes both as the wire token).
  // Paging counts models in scope only, so a page says nothing of others.
  // REQUIRES: 1 ≤ page_size ≤ 1000.
  virtual absl::StatusOr<aifl::api::v1::ListModelsResponse> ListModels(
      const ReadScope& scope, uint32_t page_size,
      const std::string& page_token) = 0;
  // kNotFound for an unknown model (whole scope); kPermissionDenied, with
  // kNotOwnModel as the message, for a model outside a provider's scope,
  // known or not.
  virtual absl::StatusOr<aifl::api::v1::ModelDetail> GetModel(
      const ReadScope& scope, const std::string& model_id) = 0;
  // OK when every leaf in [first, first + count) is about the scope's
  // models (always for the whole scope); kPermissionDenied naming the
  // first leaf that is not, with nothing about whose it is.
  virtual absl::Status CheckLeavesInScope(const ReadScope& scope,
                                          uint64_t first, uint64_t count) = 0;

  // Recorded findings matching `filter` (and in its scope) in leaf order, at or
  // after leaf `from_leaf`, at most `limit`; `*next_leaf` is where to continue
  // (0 when there is nothing more).
  virtual std::vector<aifl::api::v1::RecordedFinding> Findings(
      const FindingFilter& filter, uint64_t from_leaf, uint32_t limit,
      uint64_t* next_leaf) = 0;

  // Calls `sink` (on the thread that runs CatchUp) for every finding in
  // `scope` recorded after this call. Returns an id for Unsubscribe.
  virtual uint64_t Subscribe(const ReadScope& scope, FindingSink sink) = 0;
  // After it returns, the sink is not called again.
  virtual void Unsubscribe(uint64_t id) = 0;
};

}  // namespace api::server

#endif  // API_SERVER_MODEL_VIEW_H_

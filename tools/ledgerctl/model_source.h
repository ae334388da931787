// Where ledgerctl's model commands (models, model, accounts, report, form)
// read models and findings from, written once over every log source:
//   - --server: the server's own fold (Audit.ListModels/GetModel/
//     ListFindings), as it serves it;
//   - --dir, --tiles: a fold made here. Every leaf up to the latest
//     checkpoint is audited (api::client::AuditLog: proven, admitted,
//     signatures verified: this is an auditor's tool) and folded into a
//     compliance::LogFold with the built-in rule pack, then turned into the
//     same messages the server returns (api/client/model_records.h).
// Both give the same output for the same log (tests/ledgerctl, tests/tiles
// pin it) once a checkpoint covers it: the server folds leaves as they are
// sequenced, a fold here stops at the checkpoint it audited.
// Evidence leaves are proven through the source's LogReader either way.
//
// Not thread-safe (one command, one thread).
#ifndef TOOLS_LEDGERCTL_MODEL_SOURCE_H_
#define TOOLS_LEDGERCTL_MODEL_SOURCE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "api/client/grpc_log_reader.h"
#include "api/client/log_reader.h"
#include "api/v1/ledger_service.grpc.pb.h"
#include "compliance/log_fold.h"
#include "tools/ledgerctl/local_commands.h"
#include "tools/ledgerctl/server_connection.h"

namespace ledgerctl {

class ModelSource {
 public:
  // Opens the source the flags name (log_source.h) and reads its latest
  // checkpoint; for --dir and --tiles also audits and folds the log up to
  // it. kDataLoss when the audit finds a problem (its message names it).
  static absl::StatusOr<std::unique_ptr<ModelSource>> Open(
      const CommandArgs& args);

  api::client::LogReader& reader() { return *reader_; }
  // The checkpoint read when opening (for --dir/--tiles: the one folded).
  const api::client::VerifiedCheckpoint& checkpoint() const { return cp_; }
  // For the report: --server's value, else the reader's Source().
  const std::string& name() const { return name_; }
  // The log's note verifier key.
  const std::string& verifier_key() const { return verifier_key_; }
  // The server's Audit service; null for --dir and --tiles.
  aifl::api::v1::Audit::Stub* audit() { return server_.audit.get(); }
  // The server's Admin service; null for --dir and --tiles.
  aifl::api::v1::Admin::Stub* admin() { return server_.admin.get(); }

  // Every model, ordered by id.
  absl::StatusOr<std::vector<aifl::api::v1::ModelSummary>> Models();
  // kNotFound for an unknown model.
  absl::StatusOr<aifl::api::v1::ModelDetail> Model(const std::string& id);
  // The recorded findings about `model_id`, in leaf order.
  absl::StatusOr<std::vector<aifl::api::v1::RecordedFinding>> FindingsOf(
      const std::string& model_id);

 private:
  ModelSource() = default;
  absl::Status Fold();

  std::unique_ptr<api::client::LogReader> reader_;
  api::client::VerifiedCheckpoint cp_;
  std::string name_;
  std::string verifier_key_;
  // --server only: the reader (owned by reader_) and the Audit service.
  api::client::GrpcLogReader* grpc_ = nullptr;
  // Its Audit and Admin stubs (its client is the reader's).
  ServerConnection server_;
  // --dir and --tiles only.
  std::unique_ptr<compliance::LogFold> fold_;
};

// The name Model() takes for a listed model: an Office ledger's global model
// by its Office name ("<provider> / <model id>"), a factory's by its id.
inline std::string ModelName(const aifl::api::v1::ModelSummary& m) {
  return m.office_name().empty() ? m.model_id() : m.office_name();
}

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_MODEL_SOURCE_H_

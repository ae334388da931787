#include "tools/ledgerctl/witness_status.h"

#include "absl/strings/str_cat.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "tools/ledgerctl/server_connection.h"

namespace ledgerctl {
namespace {

std::string Ago(int64_t unix_seconds, absl::Time now) {
  if (unix_seconds == 0) return "never";
  const absl::Duration ago = now - absl::FromUnixSeconds(unix_seconds);
  return absl::StrCat(absl::FormatDuration(absl::Trunc(ago, absl::Seconds(1))),
                      " ago");
}

// The ledger's own (ServerStatus) and the index output log's
// (IndexLogStatus) witnesses: both messages name these fields alike.
template <typename Status>
std::string Json(const Status& status) {
  std::string out =
      absl::StrCat("{\"checkpoint_size\":", status.checkpoint_size(),
                   ",\"quorum\":", common::JsonQuote(status.witness_quorum()),
                   ",\"quorum_cosigned_size\":", status.quorum_cosigned_size(),
                   ",\"witnesses\":[");
  for (int i = 0; i < status.witnesses_size(); ++i) {
    const aifl::api::v1::WitnessStatus& w = status.witnesses(i);
    absl::StrAppend(
        &out, i == 0 ? "" : ",", "{\"name\":", common::JsonQuote(w.name()),
        ",\"url\":", common::JsonQuote(w.url()),
        ",\"cosigned_size\":", w.cosigned_size(),
        ",\"cosigned_size_known\":", w.cosigned_size_known() ? "true" : "false",
        ",\"behind\":", w.behind(),
        ",\"last_success_unix\":", w.last_success_unix(),
        ",\"failing\":", w.failing() ? "true" : "false",
        ",\"last_error\":", common::JsonQuote(w.last_error()),
        ",\"last_error_unix\":", w.last_error_unix(), "}");
  }
  absl::StrAppend(&out, "]");
  return out;
}

template <typename Status>
std::string Text(const Status& status, absl::Time now) {
  if (status.witnesses_size() == 0) {
    return absl::StrCat("checkpoint ", status.checkpoint_size(),
                        "  no witnesses\n");
  }
  std::string out =
      absl::StrCat("checkpoint ", status.checkpoint_size(), "  quorum ",
                   status.witness_quorum(), "  quorum cosigned ",
                   status.quorum_cosigned_size(), "\n");
  for (const aifl::api::v1::WitnessStatus& w : status.witnesses()) {
    absl::StrAppend(&out, w.name(), "  cosigned ",
                    w.cosigned_size_known() ? absl::StrCat(w.cosigned_size())
                                            : std::string("?"),
                    "  behind ", w.behind(), "  last success ",
                    Ago(w.last_success_unix(), now));
    if (w.failing()) absl::StrAppend(&out, "  FAILING: ", w.last_error());
    absl::StrAppend(&out, "\n");
  }
  return out;
}

bool HasIndexWitnesses(const aifl::api::v1::ServerStatus& status) {
  return status.has_index_log() && status.index_log().witnesses_size() > 0;
}

}  // namespace

std::string FormatWitnessStatus(const aifl::api::v1::ServerStatus& status,
                                bool json, absl::Time now) {
  const bool index = HasIndexWitnesses(status);
  if (json) {
    std::string out = Json(status);
    if (index) {
      absl::StrAppend(
          &out, ",\"index_log\":", Json(status.index_log()),
          ",\"origin\":", common::JsonQuote(status.index_log().origin()), "}");
    }
    return absl::StrCat(out, "}\n");
  }
  std::string out = Text(status, now);
  if (index) {
    absl::StrAppend(&out, "index output log ", status.index_log().origin(),
                    ": ", Text(status.index_log(), now));
  }
  return out;
}

absl::Status WitnessStatusCommand(const CommandArgs& args, std::ostream& out) {
  ASSIGN_OR_RETURN(ServerConnection conn, Connect());
  ASSIGN_OR_RETURN(aifl::api::v1::ServerStatus status,
                   conn.client->GetStatus());
  if (status.witnesses_size() == 0 && !HasIndexWitnesses(status)) {
    return absl::FailedPreconditionError(
        "the server has no witnesses (it runs without --witness_policy or "
        "--index_witness_policy)");
  }
  out << FormatWitnessStatus(status, args.json, absl::Now());
  return absl::OkStatus();
}

}  // namespace ledgerctl

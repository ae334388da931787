#include "tools/ledgerctl/index_commands.h"

#include <cstdint>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "api/index/index_follow.h"
#include "api/index/index_replay.h"
#include "common/status_macros.h"
#include "index/index_builder.h"
#include "index/output_log.h"
#include "ledger/crypto/key_file.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"
#include "tools/ledgerctl/log_source.h"

ABSL_FLAG(std::string, index_dir, "",
          "index-update, verify-index: the index's output log (a ledger "
          "folder)");
ABSL_FLAG(std::string, index_server, "",
          "verify-index: the output log's ledger server, host:port");
ABSL_FLAG(std::string, index_tiles, "",
          "verify-index: the output log's tlog-tiles URL");
ABSL_FLAG(std::string, index_vkey, "",
          "verify-index: the output log's verifier key (server or tiles)");
ABSL_FLAG(std::string, index_key, "",
          "index-update: a rules key enrolled in the output log");
ABSL_FLAG(std::string, index_store, "",
          "index-update: the index's RocksDB folder (created when absent)");
ABSL_FLAG(int64_t, index_max_lag, -1,
          "verify-index: fail when the index is more than this many leaves "
          "behind the input log (-1: no limit)");

namespace ledgerctl {
namespace {

absl::Status Required(const std::string& value, const char* flag) {
  if (value.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag, " is required"));
  }
  return absl::OkStatus();
}

std::string Line(const vindex::IndexState& s) {
  return absl::StrCat("input size ", s.input_size, "; map root ",
                      ledger::merkle::HashToHex(s.map_root), " over ",
                      s.key_count, " models");
}

}  // namespace

absl::Status IndexUpdate(const CommandArgs& args, std::ostream& out) {
  const std::string out_dir = absl::GetFlag(FLAGS_index_dir);
  const std::string key_path = absl::GetFlag(FLAGS_index_key);
  const std::string store = absl::GetFlag(FLAGS_index_store);
  RETURN_IF_ERROR(Required(out_dir, "index_dir"));
  RETURN_IF_ERROR(Required(key_path, "index_key"));
  RETURN_IF_ERROR(Required(store, "index_store"));
  ASSIGN_OR_RETURN(api::client::OpenedLog input, OpenLog(args));
  ledger::LedgerOptions options;
  options.dir = out_dir;
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::Ledger> output_ledger,
                   ledger::Ledger::Open(options));
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> key,
                   ledger::crypto::ReadSecretKeyFile(key_path));
  ASSIGN_OR_RETURN(std::unique_ptr<vindex::OutputLog> output,
                   vindex::OutputLog::Create(
                       output_ledger.get(),
                       std::make_unique<ledger::EntrySigner>(
                           std::move(key), output_ledger->origin(), 0)));
  vindex::BuilderOptions builder_options;
  builder_options.input = api::index::InputLeavesOf(*input.reader);
  ASSIGN_OR_RETURN(
      std::unique_ptr<vindex::IndexBuilder> builder,
      vindex::IndexBuilder::Open(store, std::move(builder_options)));
  ASSIGN_OR_RETURN(api::index::FollowStep step,
                   api::index::FollowOnce(*input.reader, *builder, *output));
  if (args.json) {
    out << "{\"indexed_leaves\":" << step.indexed_leaves
        << ",\"input_size\":" << step.state.input_size << ",\"map_root\":\""
        << ledger::merkle::HashToHex(step.state.map_root)
        << "\",\"models\":" << step.state.key_count
        << ",\"appended\":" << (step.published ? "true" : "false") << "}\n";
  } else {
    out << "indexed " << step.indexed_leaves << " leaves; " << Line(step.state)
        << "; output leaf " << (step.published ? "appended" : "unchanged")
        << "\n";
  }
  return absl::OkStatus();
}

absl::StatusOr<api::client::LogSourceOptions> IndexLogSourceFromFlags(
    const CommandArgs& args) {
  api::client::LogSourceOptions index_source = LogSourceFromFlags(args);
  index_source.dir = absl::GetFlag(FLAGS_index_dir);
  index_source.server = absl::GetFlag(FLAGS_index_server);
  index_source.tiles_url = absl::GetFlag(FLAGS_index_tiles);
  index_source.vkey = absl::GetFlag(FLAGS_index_vkey);
  index_source.signed_state_dir.clear();
  if (index_source.dir.empty() && index_source.server.empty() &&
      index_source.tiles_url.empty()) {
    return absl::InvalidArgumentError(
        "--index_dir, --index_server or --index_tiles is required");
  }
  return index_source;
}

absl::Status VerifyIndex(const CommandArgs& args, std::ostream& out) {
  ASSIGN_OR_RETURN(api::client::LogSourceOptions index_source,
                   IndexLogSourceFromFlags(args));
  ASSIGN_OR_RETURN(api::client::OpenedLog input, OpenLog(args));
  ASSIGN_OR_RETURN(api::client::OpenedLog output,
                   api::client::OpenLogReader(index_source));
  api::index::ReplayOptions options;
  if (absl::GetFlag(FLAGS_index_max_lag) >= 0) {
    options.max_lag = static_cast<uint64_t>(absl::GetFlag(FLAGS_index_max_lag));
  }
  absl::StatusOr<api::index::ReplayResult> r =
      api::index::ReplayIndex(*input.reader, *output.reader, options);
  if (!r.ok()) {
    return absl::Status(r.status().code(), absl::StrCat("verify-index failed: ",
                                                        r.status().message()));
  }
  if (args.json) {
    out << "{\"ok\":true,\"updates\":" << r->updates
        << ",\"indexed_size\":" << r->indexed_size
        << ",\"input_size\":" << r->input_size << ",\"map_root\":\""
        << ledger::merkle::HashToHex(r->map_root)
        << "\",\"models\":" << r->key_count << "}\n";
  } else {
    out << "ok: " << r->updates << " updates replayed; index as of input size "
        << r->indexed_size << " (input at " << r->input_size << "); map root "
        << ledger::merkle::HashToHex(r->map_root) << " over " << r->key_count
        << " models\n";
  }
  return absl::OkStatus();
}

}  // namespace ledgerctl

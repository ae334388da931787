#include "tools/ledgerctl/log_source.h"

#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "tools/ledgerctl/flags.h"

namespace ledgerctl {

api::client::LogSourceOptions LogSourceFromFlags(const CommandArgs& args) {
  api::client::LogSourceOptions options;
  options.server = absl::GetFlag(FLAGS_server);
  options.tiles_url = absl::GetFlag(FLAGS_tiles);
  options.dir = args.dir;
  options.signed_state_dir = absl::GetFlag(FLAGS_signed_state_dir);
  options.vkey = absl::GetFlag(FLAGS_vkey);
  options.policy_file = absl::GetFlag(FLAGS_policy);
  options.trust_on_first_use = absl::GetFlag(FLAGS_trust_on_first_use);
  options.trusted_dir = absl::GetFlag(FLAGS_trusted_dir);
  if (options.trusted_dir.empty()) {
    const char* home = std::getenv("HOME");
    options.trusted_dir =
        absl::StrCat(home != nullptr ? home : ".", "/.aifl-ledgerctl");
  }
  options.tls_ca = absl::GetFlag(FLAGS_tls_ca);
  options.tls_cert = absl::GetFlag(FLAGS_tls_cert);
  options.tls_key = absl::GetFlag(FLAGS_tls_key);
  return options;
}

absl::StatusOr<api::client::OpenedLog> OpenLog(const CommandArgs& args) {
  return api::client::OpenLogReader(LogSourceFromFlags(args));
}

}  // namespace ledgerctl

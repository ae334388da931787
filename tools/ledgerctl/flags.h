// ledgerctl's flags, shared by main and the commands.
#ifndef TOOLS_LEDGERCTL_FLAGS_H_
#define TOOLS_LEDGERCTL_FLAGS_H_

#include <cstdint>
#include <string>

#include "absl/flags/declare.h"

ABSL_DECLARE_FLAG(std::string, dir);
ABSL_DECLARE_FLAG(std::string, origin);
ABSL_DECLARE_FLAG(std::string, out);
ABSL_DECLARE_FLAG(std::string, pub);
ABSL_DECLARE_FLAG(std::string, key);
ABSL_DECLARE_FLAG(std::string, admin_key);
ABSL_DECLARE_FLAG(std::string, role);
ABSL_DECLARE_FLAG(std::string, organisation);
ABSL_DECLARE_FLAG(std::string, node);
ABSL_DECLARE_FLAG(std::string, tls_identity);
ABSL_DECLARE_FLAG(std::string, key_id);
ABSL_DECLARE_FLAG(std::string, reason);
ABSL_DECLARE_FLAG(std::string, type);
ABSL_DECLARE_FLAG(int64_t, index);
ABSL_DECLARE_FLAG(int64_t, size);
ABSL_DECLARE_FLAG(int64_t, from);
ABSL_DECLARE_FLAG(int64_t, to);
ABSL_DECLARE_FLAG(bool, json);
ABSL_DECLARE_FLAG(std::string, new_key);
ABSL_DECLARE_FLAG(bool, generate);
ABSL_DECLARE_FLAG(std::string, signed_state_dir);
ABSL_DECLARE_FLAG(std::string, checkpoint);
// --server mode (server_connection.h) and the auditor commands.
ABSL_DECLARE_FLAG(std::string, server);
ABSL_DECLARE_FLAG(std::string, tiles);
ABSL_DECLARE_FLAG(std::string, vkey);
ABSL_DECLARE_FLAG(std::string, policy);
ABSL_DECLARE_FLAG(bool, trust_on_first_use);
ABSL_DECLARE_FLAG(std::string, trusted_dir);
ABSL_DECLARE_FLAG(std::string, tls_ca);
ABSL_DECLARE_FLAG(std::string, tls_cert);
ABSL_DECLARE_FLAG(std::string, tls_key);
// Renamed in 0.5.0 to the three above (common/renamed_flag.h); main maps
// them onto the new names. Removed in 0.6.0.
ABSL_DECLARE_FLAG(std::string, ca);
ABSL_DECLARE_FLAG(std::string, cert);
ABSL_DECLARE_FLAG(std::string, key_file);
ABSL_DECLARE_FLAG(std::string, save);
ABSL_DECLARE_FLAG(std::string, since);
ABSL_DECLARE_FLAG(std::string, leaf_file);
ABSL_DECLARE_FLAG(std::string, model);
ABSL_DECLARE_FLAG(std::string, unit);
ABSL_DECLARE_FLAG(bool, follow);
// The provider commands (provider_commands.h).
ABSL_DECLARE_FLAG(std::string, file);
ABSL_DECLARE_FLAG(std::string, sha256);
// model-complete --server and --expand_index (index_answer_commands.h,
// citation_expansion.h).
ABSL_DECLARE_FLAG(bool, refuse_redacted);

#endif  // TOOLS_LEDGERCTL_FLAGS_H_

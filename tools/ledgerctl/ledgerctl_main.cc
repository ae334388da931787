// ledgerctl: the operator's and auditor's command line. Thin: parses flags,
// runs one command from local_commands.h, prints one stderr line on failure.
// Exit codes: 0 success, 1 failure (including a failed audit), 2 usage.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/str_cat.h"
#include "common/production_runtime.h"
#include "common/renamed_flag.h"
#include "common/version.h"
#include "tools/ledgerctl/auditor_commands.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/index_answer_commands.h"
#include "tools/ledgerctl/index_commands.h"
#include "tools/ledgerctl/keys_command.h"
#include "tools/ledgerctl/local_commands.h"
#include "tools/ledgerctl/provider_commands.h"
#include "tools/ledgerctl/read_commands.h"
#include "tools/ledgerctl/remote_commands.h"
#include "tools/ledgerctl/report_command.h"
#include "tools/ledgerctl/statement_command.h"
#include "tools/ledgerctl/verify_command.h"
#include "tools/ledgerctl/witness_status.h"

namespace {

constexpr char kUsage[] = R"(ledgerctl COMMAND [flags]

Commands on a local ledger folder (--dir D):
  init        --dir D --origin ORIGIN        create a ledger; prints the verifier key last
  keygen      --out K                        write a signing key to K and K.pub; prints its id
  enroll      --dir D --pub K.pub --role R   enrol a key (admin-signed) [--organisation --node --tls_identity]
  revoke      --dir D --key_id HEX           revoke a key [--reason]
  append      --dir D --key K FILE...        sign and append each file; prints leaf indices [--type]
  checkpoint  --dir D                        print the latest signed checkpoint note
  leaf        --dir D --index I              write the exact leaf bytes (proven in
                                             the latest checkpoint) to stdout
  prove       --dir D --index I [--size N]   inclusion proof in the checkpoint of
                                             size N, one base64 hash per line
  consistency --dir D --from N0 [--to N]     consistency proof between two
                                             checkpoints, one base64 hash per line
  verify      --dir D [--json] [--checkpoint NOTE] [--signed_state_dir S]
                                             full audit (storage, then every leaf
                                             read back and replayed), and the
                                             stored tree vs. the signed state and
                                             NOTE (which is ahead); exit 0 only
                                             when all checks pass
  restore-signed-state --dir D --checkpoint NOTE [--signed_state_dir S]
                                             rebuild a lost signed state from the
                                             newest published checkpoint
  keys        --dir D [--json]               the enrolled keys and the log keys,
                                             folded from the leaves of the
                                             latest checkpoint
  snapshot    --dir D --out S                consistent copy of the database
  publish     --dir D --out WWW              write the checkpoint and its
                                             tlog-tiles into WWW (for nginx or
                                             an object store), with each
                                             log-key-handover/<E>; checkpoint
                                             last
  rotate-log-key --dir D --new-key K [--generate] [--admin_key A]
                                             offline log-key rotation (stop the
                                             server first); K from keygen, or
                                             --generate writes a fresh K; prints
                                             the new verifier key last
  checkpoint  ... [--save FILE]              also write the note to FILE

Provider commands (with --dir D, or --server S over mTLS as a provider;
FILE is protobuf text format, see docs/provider-guide.md); each prints the
receipt: leaf index, integration time and, with --server, that the inclusion
proof verified against a signed checkpoint:
  declare     --key K FILE                   aifl.provider.v1.ModelDeclaration
  notify      --key K FILE                   aifl.provider.v1.Notification
  document    --key K FILE [--file DOC | --sha256 HEX]
                                             aifl.provider.v1.DocumentSubmission;
                                             --file computes DOC's SHA-256
                                             and size (DOC is not sent)
  declare|notify|document ... --save CP      also write the checkpoint that
                                             includes the entry (for `grew`)

With --server HOST:PORT instead of --dir, against a running ledger_server;
every checkpoint, leaf and proof is verified before it is printed (from a
folder too), and the output is the same as in local mode:
  checkpoint, leaf, prove, consistency, grew, verify, keys (one
    implementation for every source), append, enroll, revoke, declare,
    notify, document
  witness-status [--json]                    what each witness of the server's
                                             --witness_policy last cosigned,
                                             how far behind, its last error
  keys        --key K                        only your own key K, as the server
                                             holds it now (enrolment,
                                             revocation, next sequence; any
                                             submitting role)
  prove       --index I | --leaf_file F      also prints an "ok:" line (stderr
                                             with --index, stdout with --leaf_file;
                                             with --dir too)
  verify      [--json]                       with --server: every leaf read and
                                             proven, the root recomputed, every
                                             entry's admission and signature
  grew        --since FILE                   prove the log only grew since a
                                             checkpoint saved with --save
With --tiles URL --vkey V, the same read commands (checkpoint, leaf, prove,
consistency, grew, verify, keys) read only the log's C2SP tlog-tiles (ledger_server
--http_listen, or any web server over `publish`), verifying every tile and
leaf, and following log-key rotations through the log's handover checkpoints;
`verify --tiles URL` is a full audit from tiles alone. Tiles keep only
the latest signed checkpoint: prove --size N and consistency --from/--to N
compute the root of size N from verified tiles under it (prove says so).
Auditor commands (--json for programs). models, model, accounts, report and
form read any source: --server answers from its own fold of the log; with
--dir or --tiles every leaf up to the latest checkpoint is audited (proven,
admitted, signature verified) and folded here with the built-in rule pack,
giving the same output for the same log. findings needs --server:
  models                                     models, compute, energy, status
  model       --model M                      one model's facts, accounts, runs,
                                             proven evidence and findings
  accounts    [--model M]                    compute per scheduler account
  findings    [--unit safety|compliance] [--model M] [--follow]
  report      [--model M] [--out FILE]       offline HTML report (all models
                                             without --model)
    model and report with --expand_index --index_vkey V (and --server S
    hosting the index): each finding's index citation expanded into its
    proven entries (Audit.GetModelEntries as of the cited size, verified as
    model-complete does); refused unless they are the cited count and list
    root; with --refuse_redacted, refused at the first entry the server
    redacted for this identity, as model-complete --refuse_redacted
  form        --model M                      Model Documentation Form: compute,
                                             energy, time, hardware, evidence
The verifiable per-model index (index/README.md), over any input source:
  index-update --index_dir O --index_key K --index_store S
                                             index the input up to its latest
                                             checkpoint; append the update to
                                             the output log O (a ledger folder)
  verify-index --index_dir O | --index_server H | --index_tiles URL
               [--index_vkey V] [--index_max_lag N]
                                             recompute the index from the input
                                             and check every published root
  index-answer --dir D --index_dir O --index_store S --model M --out F
                                             write M's complete answer to F
  model-complete --model M --answer F --index_dir O | --index_server H |
               --index_tiles URL [--index_vkey V] [--as_of N]
                                             verify it against the output log:
                                             complete as of size N, time T
  model-complete --model M --server S --index_vkey V [--as_of N]
               [--page_size N] [--index_max_lag N] [--refuse_redacted]
                                             the same from a server hosting the
                                             index (Audit.GetModelEntries),
                                             verified page by page; redacted
                                             entries listed, or refused
Provider's statement (provider or office credentials; docs/provider-guide.md):
  statement   --server S --model M [--out FILE]   the form's figures with every
                                             evidence entry, its inclusion proof
                                             and signer key, in one file
    with --answer F (index-answer's) --index_dir O|--index_server H|
    --index_tiles URL [--index_vkey V]: version 2, with the index's answer
  verify-statement FILE --vkey V [--index_vkey V2]  offline: checkpoint
                                             signature, proofs, signatures,
                                             figures re-fold (v2: the index)
Flag names may be written with '-' or '_' (--new-key, --new_key).
Connection flags: --vkey KEY (required, or --trust_on_first_use to take it
from the server), --trusted_dir (default ~/.aifl-ledgerctl), --tls_ca,
--tls_cert, --tls_key (TLS; plaintext only to a loopback address; the old
names --ca, --cert, --key_file work until 0.6.0), --admin_key for
enroll/revoke (default <dir>/keys/admin.key when --dir is given).
Witnessing: --policy FILE (a C2SP tlog-policy) with --server or --tiles
accepts only checkpoints its witness quorum cosigned, naming the missing
witnesses otherwise; without `log` lines the policy stands for --vkey's log.
)";

using Fn = std::function<absl::Status(const ledgerctl::CommandArgs&)>;
using CommandTable = std::map<std::string, Fn>;

// Flag names may use '-' for '_' (absl's names are C++ identifiers): rewrites
// "--new-key=…" to "--new_key=…" in argv[2..] before parsing. argv's
// rewritten entries point into *rewritten, which must outlive them.
void RewriteDashedFlagNames(int argc, char** argv,
                            std::vector<std::string>* rewritten) {
  rewritten->assign(argv, argv + argc);
  for (int i = 2; i < argc; ++i) {
    std::string& arg = (*rewritten)[i];
    if (arg == "--") break;
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) continue;
    const size_t end = std::min(arg.find('='), arg.size());
    for (size_t c = 2; c < end; ++c) {
      if (arg[c] == '-') arg[c] = '_';
    }
    argv[i] = (*rewritten)[i].data();
  }
}

// Moves the old TLS flag names' values to the new names; false (after
// printing why) when both are set.
bool ResolveRenamedTlsFlags(const std::string& command) {
  for (auto [old_flag, new_flag, old_name, new_name] :
       {std::tuple(&FLAGS_ca, &FLAGS_tls_ca, "ca", "tls_ca"),
        std::tuple(&FLAGS_cert, &FLAGS_tls_cert, "cert", "tls_cert"),
        std::tuple(&FLAGS_key_file, &FLAGS_tls_key, "key_file", "tls_key")}) {
    absl::StatusOr<std::string> v = common::ResolveRenamedFlag(
        "ledgerctl", old_name, absl::GetFlag(*old_flag), new_name,
        absl::GetFlag(*new_flag), std::cerr);
    if (!v.ok()) {
      std::cerr << "ledgerctl " << command << ": " << v.status().message()
                << "\n";
      return false;
    }
    absl::SetFlag(new_flag, *v);
  }
  return true;
}

// The read commands: written once, over the log source the flags name
// (log_source.h: --server, --tiles, else --dir; the model commands through
// model_source.h).
const CommandTable& ReadCommands() {
  static const CommandTable* const table = new CommandTable{
      {"checkpoint",
       [](auto& a) { return ledgerctl::Checkpoint(a, std::cout); }},
      {"leaf", [](auto& a) { return ledgerctl::Leaf(a, std::cout); }},
      {"prove",
       [](auto& a) { return ledgerctl::Prove(a, std::cout, std::cerr); }},
      {"consistency",
       [](auto& a) { return ledgerctl::Consistency(a, std::cout); }},
      {"grew", [](auto& a) { return ledgerctl::Grew(a, std::cout); }},
      {"keys", [](auto& a) { return ledgerctl::Keys(a, std::cout); }},
      {"verify",
       [](auto& a) { return ledgerctl::Verify(a, std::cout, std::cerr); }},
      {"models", [](auto& a) { return ledgerctl::Models(a, std::cout); }},
      {"model", [](auto& a) { return ledgerctl::Model(a, std::cout); }},
      {"accounts", [](auto& a) { return ledgerctl::Accounts(a, std::cout); }},
      {"report", [](auto& a) { return ledgerctl::Report(a, std::cout); }},
      {"form", [](auto& a) { return ledgerctl::Form(a, std::cout); }},
      {"index-update",
       [](auto& a) { return ledgerctl::IndexUpdate(a, std::cout); }},
      {"verify-index",
       [](auto& a) { return ledgerctl::VerifyIndex(a, std::cout); }},
      {"index-answer",
       [](auto& a) { return ledgerctl::IndexAnswer(a, std::cout); }},
      {"model-complete",
       [](auto& a) { return ledgerctl::ModelComplete(a, std::cout); }},
  };
  return *table;
}

// The commands on a local ledger folder (--dir).
const CommandTable& LocalCommands() {
  static const CommandTable* const table = new CommandTable{
      {"init", [](auto& a) { return ledgerctl::Init(a, std::cout); }},
      {"keygen", [](auto& a) { return ledgerctl::Keygen(a, std::cout); }},
      {"enroll", [](auto& a) { return ledgerctl::Enroll(a, std::cout); }},
      {"revoke", [](auto& a) { return ledgerctl::Revoke(a, std::cout); }},
      {"append", [](auto& a) { return ledgerctl::Append(a, std::cout); }},
      {"restore-signed-state",
       [](auto& a) {
         return ledgerctl::RestoreSignedStateCommand(a, std::cout);
       }},
      {"snapshot", [](auto& a) { return ledgerctl::Snapshot(a, std::cout); }},
      {"publish", [](auto& a) { return ledgerctl::Publish(a, std::cout); }},
      {"rotate-log-key",
       [](auto& a) { return ledgerctl::RotateLogKey(a, std::cout); }},
      {"declare", [](auto& a) { return ledgerctl::Declare(a, std::cout); }},
      {"notify", [](auto& a) { return ledgerctl::Notify(a, std::cout); }},
      {"document", [](auto& a) { return ledgerctl::Document(a, std::cout); }},
      {"verify-statement",
       [](auto& a) { return ledgerctl::VerifyStatementCommand(a, std::cout); }},
  };
  return *table;
}

// The commands on a ledger server (--server).
const CommandTable& ServerCommands() {
  static const CommandTable* const table = new CommandTable{
      {"append", [](auto& a) { return ledgerctl::RemoteAppend(a, std::cout); }},
      {"enroll", [](auto& a) { return ledgerctl::RemoteEnroll(a, std::cout); }},
      {"revoke", [](auto& a) { return ledgerctl::RemoteRevoke(a, std::cout); }},
      {"findings", [](auto& a) { return ledgerctl::Findings(a, std::cout); }},
      {"statement",
       [](auto& a) { return ledgerctl::StatementCommand(a, std::cout); }},
      {"declare", [](auto& a) { return ledgerctl::Declare(a, std::cout); }},
      {"notify", [](auto& a) { return ledgerctl::Notify(a, std::cout); }},
      {"document", [](auto& a) { return ledgerctl::Document(a, std::cout); }},
      {"witness-status",
       [](auto& a) { return ledgerctl::WitnessStatusCommand(a, std::cout); }},
  };
  return *table;
}

// The command to run, or nullptr after printing why there is none.
const Fn* FindCommand(const std::string& command, bool remote) {
  const CommandTable& by_mode = remote ? ServerCommands() : LocalCommands();
  if (auto read = ReadCommands().find(command); read != ReadCommands().end()) {
    return &read->second;
  } else if (auto it = by_mode.find(command); it != by_mode.end()) {
    return &it->second;
  } else if (!remote && ServerCommands().count(command) > 0) {
    std::cerr << "ledgerctl " << command << ": --server is required\n";
  } else if (remote && LocalCommands().count(command) > 0) {
    std::cerr << "ledgerctl " << command
              << ": not available with --server (use --dir)\n";
  } else {
    std::cerr << "ledgerctl: unknown command \"" << command
              << "\" (run ledgerctl --help)\n";
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  common::UseProductionRuntime();
  absl::SetProgramUsageMessage(kUsage);
  absl::FlagsUsageConfig usage;
  usage.version_string = [] {
    return absl::StrCat("ledgerctl ", common::kVersion, "\n");
  };
  absl::SetFlagsUsageConfig(usage);
  if (argc == 2 && std::string(argv[1]) == "--version") {
    std::cout << usage.version_string();
    return 0;
  }
  if (argc < 2 || argv[1][0] == '-') {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string command = argv[1];
  // Let absl parse the flags after the command word.
  std::vector<std::string> rewritten;
  RewriteDashedFlagNames(argc, argv, &rewritten);
  argv[1] = argv[0];
  std::vector<char*> positional = absl::ParseCommandLine(argc - 1, argv + 1);
  if (!ResolveRenamedTlsFlags(command)) return 2;
  ledgerctl::CommandArgs args;
  args.dir = absl::GetFlag(FLAGS_dir);
  args.json = absl::GetFlag(FLAGS_json);
  args.stderr_is_terminal = isatty(STDERR_FILENO) != 0;
  for (size_t i = 1; i < positional.size(); ++i)
    args.positional.push_back(positional[i]);

  const Fn* run = FindCommand(command, !absl::GetFlag(FLAGS_server).empty());
  if (run == nullptr) return 2;
  const absl::Status status = (*run)(args);
  std::cout.flush();
  if (status.ok()) return 0;
  std::cerr << "ledgerctl " << command << ": " << status.message() << "\n";
  return status.code() == absl::StatusCode::kInvalidArgument &&
                 status.message().find("required") != absl::string_view::npos
             ? 2
             : 1;
}

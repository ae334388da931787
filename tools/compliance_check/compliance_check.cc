#include "tools/compliance_check/compliance_check.h"

#include <map>
#include <memory>
#include <sstream>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "api/client/open_log_reader.h"
#include "api/index/index_host.h"
#include "common/renamed_flag.h"
#include "common/status_macros.h"
#include "common/version.h"
#include "ledger/audit.h"
#include "ledger/ledger.h"
#include "rules/default_pack.h"
#include "rules/engine.h"
#include "rules/rule_pack_loader.h"
#include "tools/compliance_check/findings_recorder.h"
#include "tools/compliance_check/index_citer.h"
#include "tools/compliance_check/log_entries.h"
#include "tools/compliance_check/report.h"

namespace compliance_check {

namespace v1 = aifl::rules::v1;

absl::StatusOr<v1::Severity> ParseSeverity(absl::string_view s) {
  const std::string lower = absl::AsciiStrToLower(s);
  if (lower == "info") return v1::INFO;
  if (lower == "warning") return v1::WARNING;
  if (lower == "violation") return v1::VIOLATION;
  if (lower == "critical") return v1::CRITICAL;
  return absl::InvalidArgumentError(absl::StrCat(
      "--fail_on: got \"", s, "\", want info, warning, violation or critical"));
}

absl::StatusOr<absl::Time> ParseRfc3339(absl::string_view s) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, s, &t, &err)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--as-of: got \"", s, "\", want RFC 3339 (2025-10-01T12:00:00Z)"));
  }
  return t;
}

const char kUsage[] =
    "AI Act compliance findings for a local ledger folder.\n"
    "  bazel run //tools/compliance_check -- --dir D [--model M]\n"
    "      [--as-of RFC3339] [--json] [--fail_on info|warning|violation|"
    "critical]\n"
    "      [--audit] [--record --rules_key K [--index_dir O --index_store S]]\n"
    "      [--pack P]\n"
    "  --dir D        ledger folder, opened read-only (unless --record)\n"
    "  --model M      only this model's findings (default: all)\n"
    "  --as-of T      only entries integrated by T; T is also the "
    "evaluation clock\n"
    "                 (default: now)\n"
    "  --json         JSON instead of text\n"
    "  --fail_on S    lowest severity giving exit code 1 (default: "
    "violation)\n"
    "  --audit        run the full offline ledger audit first (the latest\n"
    "                 checkpoint and the root of the leaves read are always "
    "checked)\n"
    "  --check_recorded  compare each recorded finding's evidence count and\n"
    "                 SHA-256 with a replay of the rules as its recorder saw\n"
    "                 the log; a difference is listed and gives exit code 1\n"
    "  --record       append the raised/cleared findings, signed by "
    "--rules_key K\n"
    "                 (a rules key's secret key file), then a checkpoint\n"
    "  --signed_state_dir S  with --record: where the log key's signed state\n"
    "                 is kept, as given to ledger_server\n"
    "  --index_dir O --index_store S  with --record: the ledger's per-model\n"
    "                 index (as ledger_server --index_dir/--index_store or\n"
    "                 ledgerctl index-update keep it); each recorded finding\n"
    "                 about a model cites the model's index entry, as the\n"
    "                 server's findings do; an index too far behind: recorded\n"
    "                 without, and a stderr line says why\n"
    "  --pack P       rule pack file (default: the v1 pack built into this\n"
    "                 binary, rules/packs/ai_act_gpai_v1.textproto)\n"
    "  --version      print the rule pack's version and source, and exit\n"
    "Exit codes: 0 no finding at or above --fail_on; 1 some; 2 usage or I/O "
    "error.\n"
    "Through a ledger server instead of a folder:\n"
    "  --server H:P --vkey V [--trusted_dir T]\n"
    "      [--tls_ca F --tls_cert F --tls_key F]  (before 0.5.0: --ca, "
    "--cert,\n"
    "                 --key; accepted until 0.6.0)\n"
    "                 fetches every entry the latest checkpoint covers, "
    "checks\n"
    "                 they reproduce its root (and that it extends the\n"
    "                 checkpoint trusted in T), and re-derives the findings\n"
    "                 here; not with --record or --audit. Plaintext only to\n"
    "                 loopback.\n"
    "Or from the log's C2SP tlog-tiles alone (ledger_server --http_listen,\n"
    "or any web server over `ledgerctl publish`):\n"
    "  --tiles URL --vkey V [--trusted_dir T]  as --server.\n"
    "With --server or --tiles, --policy F (a C2SP tlog-policy file) accepts\n"
    "only checkpoints its witness quorum cosigned; the error names the\n"
    "missing witnesses (docs/auditor-guide.md).\n";

namespace {

std::string Resolve(const std::string& cwd, const std::string& path) {
  if (cwd.empty() || path.empty() || path[0] == '/') return path;
  return absl::StrCat(cwd, "/", path);
}

// Sets the option of a flag that takes a value (name: "--" spelt "__");
// the old TLS names go to *deprecated (old name without "--" -> value).
absl::Status SetValueFlag(const std::string& name, const std::string& value,
                          const std::string& cwd, Options* o,
                          std::map<std::string, std::string>* deprecated) {
  if (name == "__dir") {
    o->dir = Resolve(cwd, value);
  } else if (name == "__server") {
    o->server = value;
  } else if (name == "__tiles") {
    o->tiles_url = value;
  } else if (name == "__vkey") {
    o->vkey = value;
  } else if (name == "__policy") {
    o->policy_file = Resolve(cwd, value);
  } else if (name == "__trusted_dir") {
    o->trusted_dir = Resolve(cwd, value);
  } else if (name == "__tls_ca") {
    o->ca_file = Resolve(cwd, value);
  } else if (name == "__tls_cert") {
    o->cert_file = Resolve(cwd, value);
  } else if (name == "__tls_key") {
    o->key_file = Resolve(cwd, value);
  } else if (name == "__ca" || name == "__cert" || name == "__key") {
    (*deprecated)[name.substr(2)] = Resolve(cwd, value);
  } else if (name == "__model") {
    o->model = value;
  } else if (name == "__as_of") {
    ASSIGN_OR_RETURN(absl::Time t, ParseRfc3339(value));
    o->as_of = t;
  } else if (name == "__fail_on") {
    ASSIGN_OR_RETURN(o->fail_on, ParseSeverity(value));
  } else if (name == "__rules_key") {
    o->rules_key = Resolve(cwd, value);
  } else if (name == "__index_dir") {
    o->index_dir = Resolve(cwd, value);
  } else if (name == "__index_store") {
    o->index_store = Resolve(cwd, value);
  } else if (name == "__signed_state_dir") {
    o->signed_state_dir = Resolve(cwd, value);
  } else if (name == "__pack") {
    o->pack_path = Resolve(cwd, value);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown flag --", name.substr(2), " (see --help)"));
  }
  return absl::OkStatus();
}

// The TLS flags' names before 0.5.0 (common/renamed_flag.h): moves their
// values to the new names, with the deprecation lines in o->deprecation_lines.
absl::Status ResolveRenamedTlsFlags(
    std::map<std::string, std::string>* deprecated, Options* o) {
  std::ostringstream lines;
  for (auto [old_name, new_name, field] :
       {std::tuple("ca", "tls_ca", &o->ca_file),
        std::tuple("cert", "tls_cert", &o->cert_file),
        std::tuple("key", "tls_key", &o->key_file)}) {
    ASSIGN_OR_RETURN(
        *field, common::ResolveRenamedFlag("compliance_check", old_name,
                                           (*deprecated)[old_name], new_name,
                                           *field, lines));
  }
  o->deprecation_lines = lines.str();
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Options> ParseArgs(const std::vector<std::string>& args,
                                  const std::string& cwd, absl::Time now,
                                  bool* help) {
  Options o;
  o.now = now;
  *help = false;
  std::map<std::string, std::string> deprecated;  // old name -> value
  for (size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    if (name == "--help" || name == "-h") {
      *help = true;
      return o;
    }
    if (name.rfind("--", 0) != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected argument \"", name, "\" (see --help)"));
    }
    std::string value;
    bool has_value = false;
    const size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    for (char& c : name) c = c == '-' ? '_' : c;  // --as-of == --as_of
    if (name == "__version" && !has_value) {
      o.version = true;
      continue;
    }
    if (name == "__json" || name == "__audit" || name == "__record" ||
        name == "__check_recorded") {
      if (has_value && value != "true" && value != "false") {
        return absl::InvalidArgumentError(
            absl::StrCat(args[i], ": want true or false"));
      }
      const bool on = !has_value || value == "true";
      (name == "__json"             ? o.json
       : name == "__audit"          ? o.audit
       : name == "__check_recorded" ? o.check_recorded
                                    : o.record) = on;
      continue;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat(args[i], " needs a value"));
      }
      value = args[++i];
    }
    RETURN_IF_ERROR(SetValueFlag(name, value, cwd, &o, &deprecated));
  }
  RETURN_IF_ERROR(ResolveRenamedTlsFlags(&deprecated, &o));
  return o;
}

absl::StatusOr<std::string> VersionText(const Options& options) {
  ASSIGN_OR_RETURN(rules::RulePack pack,
                   rules::LoadRulePack(options.pack_path));
  return absl::StrCat("compliance_check ", common::kVersion, "\nrule pack ",
                      pack.version(), " (",
                      rules::RulePackSource(options.pack_path), ")\n");
}

namespace {

absl::Status Validate(const Options& o) {
  if (o.index_dir.empty() != o.index_store.empty()) {
    return absl::InvalidArgumentError(
        "--index_dir and --index_store go together");
  }
  if (!o.index_dir.empty() && !o.record) {
    return absl::InvalidArgumentError(
        "--index_dir and --index_store go with --record (the recorded "
        "findings cite the index)");
  }
  if (!o.server.empty() && !o.tiles_url.empty()) {
    return absl::InvalidArgumentError("--server does not go with --tiles");
  }
  if (!o.server.empty() || !o.tiles_url.empty()) {
    const char* flag = o.server.empty() ? "--tiles" : "--server";
    if (o.vkey.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(flag, " needs --vkey"));
    }
    if (!o.dir.empty() || o.record || o.audit) {
      return absl::InvalidArgumentError(
          absl::StrCat(flag, " does not go with --dir, --record or --audit"));
    }
    return absl::OkStatus();
  }
  if (!o.policy_file.empty()) {
    return absl::InvalidArgumentError(
        "--policy goes with --server or --tiles (a ledger folder is the "
        "operator's own log and carries no cosignatures)");
  }
  if (o.dir.empty()) {
    return absl::InvalidArgumentError(
        "--dir (or --server, or --tiles) is required");
  }
  if (o.record && o.rules_key.empty()) {
    return absl::InvalidArgumentError("--record needs --rules_key");
  }
  if (o.record && o.as_of.has_value()) {
    return absl::InvalidArgumentError(
        "--record records findings as of now: do not combine it with --as-of");
  }
  return absl::OkStatus();
}

// Keeps the findings of `options.model` (all when empty) and counts those
// at or above fail_on.
void Collect(const Options& options, std::vector<v1::Finding> all,
             CheckResult* result) {
  for (v1::Finding& f : all) {
    if (!options.model.empty() && f.model_id() != options.model) continue;
    if (f.severity() >= options.fail_on) ++result->failing;
    result->findings.push_back(std::move(f));
  }
}

// The source `options` names, for the one reading path (log_entries.h):
// the server, the tiles, or the folder whose ledger `opened` this run already
// opened.
api::client::LogSourceOptions SourceOf(const Options& options,
                                       const ledger::Ledger* opened) {
  api::client::LogSourceOptions source;
  source.server = options.server;
  source.tiles_url = options.tiles_url;
  source.vkey = options.vkey;
  source.policy_file = options.policy_file;
  source.trusted_dir = options.trusted_dir;
  source.tls_ca = options.ca_file;
  source.tls_cert = options.cert_file;
  source.tls_key = options.key_file;
  source.dir = options.dir;
  source.open_ledger = opened;
  return source;
}

// Reads through the source, then evaluates.
absl::StatusOr<VerifiedEntries> Evaluate(const Options& options,
                                         const rules::RulePack& pack,
                                         const ledger::Ledger* opened,
                                         CheckResult& result) {
  ASSIGN_OR_RETURN(api::client::OpenedLog log,
                   api::client::OpenLogReader(SourceOf(options, opened)));
  result.origin = log.reader->Origin();
  result.clock = options.as_of.value_or(options.now);
  result.rule_pack_version = pack.version();
  ASSIGN_OR_RETURN(VerifiedEntries read,
                   ReadVerifiedEntries(*log.reader, options.as_of));
  result.checkpoint_size = read.checkpoint_size;
  result.ledger_size = opened != nullptr ? opened->Size() : read.ledger_size;
  result.entries_evaluated = read.entries.size();
  result.not_evidence = std::move(read.not_evidence);
  ASSIGN_OR_RETURN(std::vector<v1::Finding> all,
                   rules::EvaluateAsOf(pack, read.entries, result.clock));
  Collect(options, std::move(all), &result);
  if (options.check_recorded) {
    ASSIGN_OR_RETURN(result.recorded_evidence,
                     CheckRecordedEvidence(pack, read.entries));
  }
  return read;
}

// The index --index_dir/--index_store name (null without them), citing at
// most as far past its state as the server's hosted index does.
absl::StatusOr<std::unique_ptr<IndexCiter>> OpenIndex(
    const Options& options, const ledger::Ledger& ledger) {
  if (options.index_dir.empty()) return nullptr;
  return IndexCiter::Open(ledger, options.index_dir, options.index_store,
                          options.index_max_extension != 0
                              ? options.index_max_extension
                              : api::index::IndexHost::kMaxStepLeaves);
}

}  // namespace

absl::StatusOr<CheckResult> Check(const Options& options) {
  RETURN_IF_ERROR(Validate(options));
  ASSIGN_OR_RETURN(rules::RulePack pack,
                   rules::LoadRulePack(options.pack_path));
  CheckResult result;
  if (!options.server.empty() || !options.tiles_url.empty()) {
    RETURN_IF_ERROR(Evaluate(options, pack, nullptr, result).status());
    return result;
  }
  if (options.audit) {
    ASSIGN_OR_RETURN(ledger::AuditReport audit,
                     ledger::AuditLedgerDir(options.dir, {}));
    if (!audit.ok) {
      return absl::DataLossError(absl::StrCat("audit: ", audit.problem));
    }
  }
  ledger::LedgerOptions lo;
  lo.dir = options.dir;
  lo.read_only = !options.record;
  lo.clock = options.ledger_clock;
  lo.signed_state_dir = options.signed_state_dir;
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::Ledger> ledger,
                   ledger::Ledger::Open(lo));
  if (options.record) {
    // Sign what is there, so that the findings already recorded are read.
    RETURN_IF_ERROR(ledger->PublishCheckpoint().status());
  }
  result.simulated_clock_since = ledger->simulated_clock_since();
  ASSIGN_OR_RETURN(VerifiedEntries read,
                   Evaluate(options, pack, ledger.get(), result));
  if (options.record) {
    ASSIGN_OR_RETURN(std::unique_ptr<IndexCiter> index,
                     OpenIndex(options, *ledger));
    ASSIGN_OR_RETURN(
        RecordResult rec,
        RecordFindings(*ledger, pack, read.entries, options.rules_key,
                       result.clock, options.model,
                       index != nullptr ? index->cite() : nullptr));
    result.recorded = std::move(rec.appended);
    result.recorded_from_leaf = rec.first_leaf;
    result.uncited = std::move(rec.uncited);
    result.ledger_size = ledger->Size();
  }
  return result;
}

int Run(const Options& options, std::ostream& out, std::ostream& err) {
  absl::StatusOr<CheckResult> result = Check(options);
  if (!result.ok()) {
    err << "compliance_check: " << result.status().ToString() << "\n";
    return kExitError;
  }
  if (!result->uncited.ok()) {
    err << "compliance_check: findings recorded without a citation: "
        << result->uncited.ToString() << "\n";
  }
  out << (options.json ? JsonReport(*result, options.fail_on)
                       : TextReport(*result, options.fail_on));
  const bool mismatch = result->recorded_evidence.has_value() &&
                        !result->recorded_evidence->mismatches.empty();
  return result->failing > 0 || mismatch ? kExitFindings : kExitClean;
}

}  // namespace compliance_check

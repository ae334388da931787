#include "office/office_ledger_sink.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "api/client/log_audit.h"
#include "common/status_macros.h"
#include "compliance/leaf_entry.h"
#include "compliance/office_rules.h"
#include "ledger/note/checkpoint.h"
#include "rules/default_pack.h"
#include "rules/payload_types.h"

namespace office {
namespace {

namespace v1 = aifl::rules::v1;

// The body of a stored (verified) checkpoint note: the text before the
// blank line.
absl::StatusOr<ledger::note::Checkpoint> NoteBody(const std::string& note) {
  const size_t end = note.find("\n\n");
  return ledger::note::ParseCheckpointBody(
      note.substr(0, end == std::string::npos ? end : end + 1));
}

}  // namespace

absl::StatusOr<std::unique_ptr<OfficeLedgerSink>> OfficeLedgerSink::Open(
    const OfficeLedgerOptions& options, const Mirror* mirror) {
  common::Clock* clock =
      options.clock != nullptr ? options.clock : common::RealClock::Get();
  OfficeLedgerLinkOptions link_options = options;
  link_options.clock = clock;
  ASSIGN_OR_RETURN(std::unique_ptr<OfficeLedgerLink> link,
                   OpenOfficeLedgerLink(link_options));
  ASSIGN_OR_RETURN(rules::RulePack pack,
                   rules::LoadRulePack(options.rules_pack_path));
  auto sink = std::unique_ptr<OfficeLedgerSink>(
      new OfficeLedgerSink(std::move(link), mirror, clock, options.index_logs));
  absl::MutexLock lock(&sink->mu_);
  OfficeLedgerLink& l = *sink->link_;
  // Read back first: every entry that landed, answered or not, is then in
  // the state, and the keys' sequences are read after it.
  ASSIGN_OR_RETURN(const api::client::VerifiedCheckpoint at,
                   l.Settled(options.settle_timeout));
  compliance::OfficeRuleOptions rule_options;
  rule_options.max_evidence_leaves = options.max_evidence_leaves;
  ASSIGN_OR_RETURN(sink->state_, compliance::OfficeState::Create(
                                     std::move(pack), rule_options));
  RETURN_IF_ERROR(sink->ReadBack(at));
  absl::StatusOr<std::unique_ptr<compliance::OfficeRecorder>> recorder =
      compliance::OfficeRecorder::Create(
          l.rules_target.get(), options.rules_key_path, l.office_target.get(),
          options.office_key_path);
  if (absl::IsPermissionDenied(recorder.status()) && l.ledger == nullptr) {
    // A server reports only the keys this client may submit with.
    return absl::PermissionDeniedError(absl::StrCat(
        recorder.status().message(),
        " (or not bound to the TLS identity of its client certificate: "
        "--office_tls_cert for the office key, --office_rules_tls_cert for "
        "the rules key)"));
  }
  RETURN_IF_ERROR(recorder.status());
  sink->recorder_ = *std::move(recorder);
  return sink;
}

absl::Status OfficeLedgerSink::ReadBack(
    const api::client::VerifiedCheckpoint& at) {
  office_size_ = at.fields.size;
  // The checkpoint covers every leaf and admission is replayed; the
  // envelopes' signatures are the auditors' (ledgerctl verify) to check.
  api::client::LogAuditOptions options;
  options.verify_signatures = false;
  options.visit = [this](uint64_t index, absl::string_view leaf,
                         const ledger::KeyRegistry& registry)
                      ABSL_NO_THREAD_SAFETY_ANALYSIS -> absl::Status {
    ASSIGN_OR_RETURN(
        compliance::ConvertedLeaf c,
        compliance::ConvertLeaf(
            index, leaf, [&registry](const ledger::crypto::KeyId& id) {
              const ledger::KeyInfo* info = registry.Find(id);
              return info == nullptr ? std::nullopt
                                     : std::optional<ledger::KeyInfo>(*info);
            }));
    ReadBackLeaf(c);
    return absl::OkStatus();
  };
  ASSIGN_OR_RETURN(const api::client::LogAuditReport report,
                   api::client::AuditLog(*link_->reader, at, options));
  if (!report.ok) {
    return absl::DataLossError(absl::StrCat("the Office ledger at ",
                                            link_->reader->Source(), ": ",
                                            report.problem));
  }
  return absl::OkStatus();
}

void OfficeLedgerSink::ReadBackLeaf(const compliance::ConvertedLeaf& leaf) {
  const rules::LedgerEntry& e = leaf.entry;
  if (!leaf.evidence()) return;
  if (e.payload_type == rules::kFindingType &&
      e.signer_role == aifl::ledger::v1::ROLE_RULES) {
    v1::Finding f;
    if (!f.ParseFromString(e.payload)) return;
    if (f.rule_id() == compliance::kLogStoppedRule) {
      // Not the fold's finding (Evaluate would clear it): kept apart.
      for (const v1::Figure& fig : f.figures()) {
        if (f.evidence_origins_size() == 1) {
          stopped_.insert(
              {f.evidence_origins(0), static_cast<uint64_t>(fig.lower())});
        }
      }
      return;
    }
    state_->Record(f);
  } else if (e.payload_type == rules::kModelTotalsType &&
             e.signer_role == aifl::ledger::v1::ROLE_OFFICE) {
    aifl::office::v1::ModelTotals t;
    if (t.ParseFromString(e.payload)) state_->RecordTotals(t);
  } else if (e.payload_type == rules::kFactoryCheckpointType &&
             e.signer_role == aifl::ledger::v1::ROLE_OFFICE) {
    aifl::office::v1::FactoryCheckpoint cp;
    if (!cp.ParseFromString(e.payload)) return;
    uint64_t& recorded = checkpoint_size_[cp.origin()];
    recorded = std::max(recorded, cp.size());
  }
}

absl::Status OfficeLedgerSink::Feed(const std::string& origin) {
  // An index's output log is no factory's: nothing of it is folded.
  if (refused_.count(origin) > 0 || index_logs_.count(origin) > 0) {
    return absl::OkStatus();
  }
  uint64_t& position = position_[origin];
  absl::Status s = mirror_->Visit(
      origin, position,
      [&](uint64_t index, absl::string_view leaf) -> absl::Status {
        absl::StatusOr<compliance::LogFold::Added> added =
            state_->Add(origin, index, leaf);
        if (!added.ok()) return added.status();
        position = index + 1;
        return absl::OkStatus();
      });
  if (!s.ok()) {
    refused_.insert(origin);
    return absl::Status(
        s.code(), absl::StrCat("the Office's fold stopped at leaf ", position,
                               " of ", origin, ": ", s.message()));
  }
  return absl::OkStatus();
}

absl::Status OfficeLedgerSink::RecordCheckpoint(const std::string& origin,
                                                OfficeRecorded* out) {
  if (index_logs_.count(origin) > 0) return absl::OkStatus();
  ASSIGN_OR_RETURN(uint64_t size, mirror_->VerifiedSize(origin));
  auto it = checkpoint_size_.find(origin);
  if (size == 0 || (it != checkpoint_size_.end() && it->second >= size)) {
    return absl::OkStatus();
  }
  // Only a checkpoint whose whole tree was verified is recorded; between
  // two (a follow step commits in batches) there is none at this size.
  ASSIGN_OR_RETURN(std::optional<std::string> note,
                   mirror_->VerifiedCheckpoint(origin, size));
  if (!note.has_value()) return absl::OkStatus();
  ASSIGN_OR_RETURN(ledger::note::Checkpoint body, NoteBody(*note));
  aifl::office::v1::FactoryCheckpoint cp;
  cp.set_origin(origin);
  cp.set_size(size);
  cp.set_root_hash(std::string(body.root.begin(), body.root.end()));
  cp.set_checkpoint_note(*note);
  // Counted as recorded once signed: an unanswered append is kept and sent
  // again (office_recorder.h); a refused one is not tried again.
  checkpoint_size_[origin] = size;
  RETURN_IF_ERROR(recorder_->RecordCheckpoint(cp).status());
  ++out->checkpoints;
  return absl::OkStatus();
}

absl::Status OfficeLedgerSink::RecordIncidents(const std::string& origin,
                                               OfficeRecorded* out) {
  ASSIGN_OR_RETURN(std::vector<LogIncident> incidents,
                   mirror_->Incidents(origin));
  std::vector<v1::Finding> findings;
  for (const LogIncident& i : incidents) {
    if (!stopped_.insert({i.origin, i.stopped_at_size}).second) continue;
    findings.push_back(compliance::LogStoppedFinding(
        i.origin, i.stopped_at_size, std::string(IncidentKindName(i.kind)),
        i.reason, absl::FromUnixSeconds(i.detected_unix_seconds)));
  }
  RETURN_IF_ERROR(recorder_->RecordFindings(findings).status());
  out->findings += findings.size();
  return absl::OkStatus();
}

absl::Status OfficeLedgerSink::RecordState(OfficeRecorded* out) {
  const absl::Time now = clock_->Now();
  // What an earlier, unanswered append kept goes first.
  RETURN_IF_ERROR(recorder_->Flush());
  const std::vector<v1::Finding> findings = state_->Evaluate(now);
  RETURN_IF_ERROR(recorder_->RecordFindings(findings).status());
  out->findings += findings.size();
  const std::vector<aifl::office::v1::ModelTotals> totals =
      state_->TotalsToRecord(now);
  RETURN_IF_ERROR(recorder_->RecordTotals(totals).status());
  out->totals += totals.size();
  if (out->checkpoints + out->findings + out->totals > 0) {
    RETURN_IF_ERROR(link_->publish());
  }
  office_size_ = std::max(office_size_, recorder_->appended_up_to());
  out->office_size = office_size_;
  return absl::OkStatus();
}

absl::StatusOr<OfficeRecorded> OfficeLedgerSink::Sync(
    const std::string& origin) {
  absl::MutexLock lock(&mu_);
  OfficeRecorded out;
  const absl::Status fed = Feed(origin);
  RETURN_IF_ERROR(RecordCheckpoint(origin, &out));
  RETURN_IF_ERROR(RecordIncidents(origin, &out));
  RETURN_IF_ERROR(RecordState(&out));
  if (!fed.ok()) return fed;
  return out;
}

absl::StatusOr<OfficeRecorded> OfficeLedgerSink::SyncAll() {
  absl::MutexLock lock(&mu_);
  OfficeRecorded out;
  ASSIGN_OR_RETURN(std::vector<std::string> origins, mirror_->Origins());
  absl::Status first_refusal;
  for (const std::string& origin : origins) {
    const absl::Status fed = Feed(origin);
    if (!fed.ok() && first_refusal.ok()) first_refusal = fed;
    RETURN_IF_ERROR(RecordCheckpoint(origin, &out));
    RETURN_IF_ERROR(RecordIncidents(origin, &out));
  }
  RETURN_IF_ERROR(RecordState(&out));
  if (!first_refusal.ok()) return first_refusal;
  return out;
}

std::vector<aifl::rules::v1::Finding> OfficeLedgerSink::Raised() {
  absl::MutexLock lock(&mu_);
  return state_->Raised();
}

uint64_t OfficeLedgerSink::EvidenceLeavesKept() {
  absl::MutexLock lock(&mu_);
  uint64_t n = 0;
  for (const std::string& origin : state_->fold().origins()) {
    const compliance::LogFold* fold = state_->fold().FoldOf(origin);
    for (const auto& [id, m] : fold->engine().fold().models()) {
      n += m.counted_leaves.size() + m.excluded_leaves.size();
    }
  }
  return n;
}

std::vector<std::string> OfficeLedgerSink::FoldedOrigins() {
  absl::MutexLock lock(&mu_);
  return state_->fold().origins();
}

}  // namespace office

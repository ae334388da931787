#include "office/office_ledger_sink.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "compliance/leaf_entry.h"
#include "compliance/office_rules.h"
#include "ledger/note/checkpoint.h"
#include "rules/default_pack.h"
#include "rules/payload_types.h"

namespace office {
namespace {

namespace v1 = aifl::rules::v1;

// The Office ledger's own leaves, as the rules engine reads them.
absl::StatusOr<compliance::ConvertedLeaf> OfficeLeaf(const ledger::Ledger& l,
                                                     uint64_t index) {
  ASSIGN_OR_RETURN(std::string leaf, l.GetLeaf(index));
  return compliance::ConvertLeaf(
      index, leaf,
      [&l](const ledger::crypto::KeyId& id) { return l.FindKey(id); });
}

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
  ledger::LedgerOptions lo;
  lo.dir = options.ledger_dir;
  lo.clock = clock;
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::Ledger> l, ledger::Ledger::Open(lo));
  ASSIGN_OR_RETURN(rules::RulePack pack,
                   rules::LoadRulePack(options.rules_pack_path));
  auto sink = std::unique_ptr<OfficeLedgerSink>(
      new OfficeLedgerSink(std::move(l), mirror, clock));
  absl::MutexLock lock(&sink->mu_);
  ASSIGN_OR_RETURN(sink->recorder_,
                   compliance::OfficeRecorder::Create(sink->ledger_.get(),
                                                      options.rules_key_path,
                                                      options.office_key_path));
  compliance::OfficeRuleOptions rule_options;
  rule_options.max_evidence_leaves = options.max_evidence_leaves;
  ASSIGN_OR_RETURN(sink->state_, compliance::OfficeState::Create(
                                     std::move(pack), rule_options));
  RETURN_IF_ERROR(sink->ReadBack());
  return sink;
}

absl::Status OfficeLedgerSink::ReadBack() {
  const uint64_t size = ledger_->Size();
  for (uint64_t i = 0; i < size; ++i) {
    ASSIGN_OR_RETURN(compliance::ConvertedLeaf leaf, OfficeLeaf(*ledger_, i));
    const rules::LedgerEntry& e = leaf.entry;
    if (!leaf.evidence()) continue;
    if (e.payload_type == rules::kFindingType &&
        e.signer_role == aifl::ledger::v1::ROLE_RULES) {
      v1::Finding f;
      if (!f.ParseFromString(e.payload)) continue;
      if (f.rule_id() == compliance::kLogStoppedRule) {
        // Not the fold's finding (Evaluate would clear it): kept apart.
        for (const v1::Figure& fig : f.figures()) {
          if (f.evidence_origins_size() == 1) {
            stopped_.insert(
                {f.evidence_origins(0), static_cast<uint64_t>(fig.lower())});
          }
        }
        continue;
      }
      state_->Record(f);
    } else if (e.payload_type == rules::kModelTotalsType &&
               e.signer_role == aifl::ledger::v1::ROLE_OFFICE) {
      aifl::office::v1::ModelTotals t;
      if (t.ParseFromString(e.payload)) state_->RecordTotals(t);
    } else if (e.payload_type == rules::kFactoryCheckpointType &&
               e.signer_role == aifl::ledger::v1::ROLE_OFFICE) {
      aifl::office::v1::FactoryCheckpoint cp;
      if (!cp.ParseFromString(e.payload)) continue;
      uint64_t& recorded = checkpoint_size_[cp.origin()];
      recorded = std::max(recorded, cp.size());
    }
  }
  return absl::OkStatus();
}

absl::Status OfficeLedgerSink::Feed(const std::string& origin) {
  if (refused_.count(origin) > 0) return absl::OkStatus();
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
  RETURN_IF_ERROR(recorder_->RecordCheckpoint(cp).status());
  checkpoint_size_[origin] = size;
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
  const std::vector<v1::Finding> findings = state_->Evaluate(now);
  RETURN_IF_ERROR(recorder_->RecordFindings(findings).status());
  out->findings += findings.size();
  const std::vector<aifl::office::v1::ModelTotals> totals =
      state_->TotalsToRecord(now);
  RETURN_IF_ERROR(recorder_->RecordTotals(totals).status());
  out->totals += totals.size();
  if (out->checkpoints + out->findings + out->totals > 0) {
    RETURN_IF_ERROR(ledger_->PublishCheckpoint().status());
  }
  out->office_size = ledger_->Size();
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

}  // namespace office

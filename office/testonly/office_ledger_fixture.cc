#include "office/testonly/office_ledger_fixture.h"

#include <memory>

#include "common/status_macros.h"
#include "compliance/testonly/factory_log.h"
#include "ledger/ledger.h"
#include "ledger/proto/key_event.pb.h"
#include "rules/payload_types.h"

namespace office::testonly {

absl::StatusOr<OfficeLedgerOptions> FreshOfficeLedger() {
  ASSIGN_OR_RETURN(std::unique_ptr<compliance::testonly::FactoryLog> office,
                   compliance::testonly::FactoryLog::Create("office/log"));
  OfficeLedgerOptions options;
  ASSIGN_OR_RETURN(options.rules_key_path,
                   office->EnrolKeyFile(aifl::ledger::v1::ROLE_RULES,
                                        "AI Office", "office-rules"));
  ASSIGN_OR_RETURN(options.office_key_path,
                   office->EnrolKeyFile(aifl::ledger::v1::ROLE_OFFICE,
                                        "AI Office", "office"));
  RETURN_IF_ERROR(office->ledger().PublishCheckpoint().status());
  options.ledger_dir = office->dir();
  office->Close();
  return options;
}

absl::StatusOr<std::vector<compliance::ConvertedLeaf>> ReadOfficeLedger(
    const std::string& dir) {
  ledger::LedgerOptions read;
  read.dir = dir;
  read.read_only = true;
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::Ledger> l,
                   ledger::Ledger::Open(read));
  std::vector<compliance::ConvertedLeaf> out;
  for (uint64_t i = 0; i < l->Size(); ++i) {
    ASSIGN_OR_RETURN(std::string leaf, l->GetLeaf(i));
    ASSIGN_OR_RETURN(
        compliance::ConvertedLeaf c,
        compliance::ConvertLeaf(i, leaf, [&](const ledger::crypto::KeyId& id) {
          return l->FindKey(id);
        }));
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<aifl::rules::v1::Finding> FindingsOf(
    const std::vector<compliance::ConvertedLeaf>& leaves,
    const std::string& rule_id) {
  std::vector<aifl::rules::v1::Finding> out;
  for (const compliance::ConvertedLeaf& c : leaves) {
    aifl::rules::v1::Finding f;
    if (c.entry.payload_type == rules::kFindingType &&
        c.entry.signer_role == aifl::ledger::v1::ROLE_RULES &&
        f.ParseFromString(c.entry.payload) && f.rule_id() == rule_id) {
      out.push_back(std::move(f));
    }
  }
  return out;
}

std::vector<aifl::office::v1::FactoryCheckpoint> FactoryCheckpoints(
    const std::vector<compliance::ConvertedLeaf>& leaves) {
  std::vector<aifl::office::v1::FactoryCheckpoint> out;
  for (const compliance::ConvertedLeaf& c : leaves) {
    aifl::office::v1::FactoryCheckpoint cp;
    if (c.entry.payload_type == rules::kFactoryCheckpointType &&
        c.entry.signer_role == aifl::ledger::v1::ROLE_OFFICE &&
        cp.ParseFromString(c.entry.payload)) {
      out.push_back(std::move(cp));
    }
  }
  return out;
}

}  // namespace office::testonly

// An Office ledger for a test's OfficeLedgerSink, and its entries read back
// for the test's checks (each leaf converted by compliance::ConvertLeaf with
// the registry the ledger holds).
#ifndef OFFICE_TESTONLY_OFFICE_LEDGER_FIXTURE_H_
#define OFFICE_TESTONLY_OFFICE_LEDGER_FIXTURE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compliance/leaf_entry.h"
#include "office/office_ledger_sink.h"
#include "schema/findings.pb.h"
#include "schema/office.pb.h"

namespace office::testonly {

// A fresh Office ledger folder ("office/log") with a rules and an office
// key enrolled and a first checkpoint, closed: the options for
// OfficeLedgerSink::Open (ledger_dir and both key files).
absl::StatusOr<OfficeLedgerOptions> FreshOfficeLedger();

// Every leaf of the ledger in `dir` (opened read-only), converted.
absl::StatusOr<std::vector<compliance::ConvertedLeaf>> ReadOfficeLedger(
    const std::string& dir);

// The findings of rule `rule_id` among them (rules-signed Finding entries).
std::vector<aifl::rules::v1::Finding> FindingsOf(
    const std::vector<compliance::ConvertedLeaf>& leaves,
    const std::string& rule_id);

// The factory checkpoints among them (office-signed FactoryCheckpoint
// entries).
std::vector<aifl::office::v1::FactoryCheckpoint> FactoryCheckpoints(
    const std::vector<compliance::ConvertedLeaf>& leaves);

}  // namespace office::testonly

#endif  // OFFICE_TESTONLY_OFFICE_LEDGER_FIXTURE_H_

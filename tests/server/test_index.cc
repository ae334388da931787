#include "tests/server/test_index.h"

#include <utility>

#include "common/status_macros.h"
#include "index/output_log.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/testonly/ledger_fixture.h"

namespace tests::server {

absl::StatusOr<std::unique_ptr<api::index::IndexHost>> OpenTestIndex(
    const ledger::Ledger& served, std::string* output_vkey) {
  ASSIGN_OR_RETURN(
      std::unique_ptr<ledger::testonly::LedgerFixture> fixture,
      ledger::testonly::LedgerFixture::Create("test.example/index"));
  ASSIGN_OR_RETURN(
      std::unique_ptr<ledger::EntrySigner> signer,
      fixture->EnrolNewKey(aifl::ledger::v1::ROLE_RULES, "Factory", "indexer"));
  const std::string dir = fixture->dir();
  fixture->Close();
  api::index::OpenedOutputLog output;
  ledger::LedgerOptions options;
  options.dir = dir;
  ASSIGN_OR_RETURN(output.ledger, ledger::Ledger::Open(options));
  ASSIGN_OR_RETURN(output.log, vindex::OutputLog::Create(output.ledger.get(),
                                                         std::move(signer)));
  *output_vkey = output.ledger->VerifierKey();
  return api::index::IndexHost::Open(served, std::move(output),
                                     ledger::testonly::FreshDir("index_store"));
}

}  // namespace tests::server

#include "tests/server/test_index.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "index/output_log.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/testonly/ledger_fixture.h"

namespace tests::server {

absl::StatusOr<TestOutputLog> MakeTestOutputLog(const std::string& origin) {
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::testonly::LedgerFixture> fixture,
                   ledger::testonly::LedgerFixture::Create(origin));
  TestOutputLog out;
  ASSIGN_OR_RETURN(
      out.signer,
      fixture->EnrolNewKey(aifl::ledger::v1::ROLE_RULES, "Factory", "indexer"));
  out.dir = fixture->dir();
  out.vkey = fixture->ledger().VerifierKey();
  fixture->Close();
  return out;
}

absl::StatusOr<std::unique_ptr<api::index::IndexHost>> OpenTestIndex(
    const ledger::Ledger& served, TestOutputLog made) {
  api::index::OpenedOutputLog output;
  ledger::LedgerOptions options;
  options.dir = made.dir;
  ASSIGN_OR_RETURN(output.ledger, ledger::Ledger::Open(options));
  ASSIGN_OR_RETURN(
      output.log,
      vindex::OutputLog::Create(output.ledger.get(), std::move(made.signer)));
  return api::index::IndexHost::Open(served, std::move(output),
                                     ledger::testonly::FreshDir("index_store"));
}

absl::StatusOr<std::unique_ptr<api::index::IndexHost>> OpenTestIndex(
    const ledger::Ledger& served, std::string* output_vkey) {
  ASSIGN_OR_RETURN(TestOutputLog made, MakeTestOutputLog());
  *output_vkey = made.vkey;
  return OpenTestIndex(served, std::move(made));
}

aifl::collector::v1::IntervalReport AlternatingModelInterval(
    int i, int64_t now_ms, double flop_lower, double flop_upper) {
  aifl::collector::v1::IntervalReport r;
  r.set_run_id(absl::StrCat("run-", i % 2));
  r.set_node("n1");
  r.set_start_unix_ms(now_ms - 3600 * 1000 + i);
  r.set_end_unix_ms(now_ms + i);
  r.set_gpu_count(8);
  r.set_energy_joules(1e9);
  r.mutable_flop()->set_lower(flop_lower);
  r.mutable_flop()->set_upper(flop_upper);
  r.mutable_flop()->set_method(aifl::common::v1::MEASURED_TENSOR_ACTIVITY);
  r.set_model_id(i % 2 == 0 ? "model-a" : "model-b");
  r.set_purpose(aifl::common::v1::PRE_TRAINING);
  return r;
}

}  // namespace tests::server

#include "tools/ledgerctl/statement.h"

#include <random>

#include "api/client/folder_log_reader.h"
#include "common/read_file.h"
#include "gtest/gtest.h"
#include "index/index_builder.h"
#include "index/model_answer.h"
#include "index/output_log.h"
#include "index/totals_answer.h"
#include "ledger/roles.h"
#include "ledger/testonly/ledger_fixture.h"
#include "schema/collector.pb.h"
#include "schema/provider.pb.h"
#include "tools/ledgerctl/statement_index.h"
#include "tools/ledgerctl/statement_totals.h"

namespace ledgerctl {
namespace {

// A model with a declaration and `intervals` collector records, a
// checkpoint over them, and its statement.
class StatementTest : public ::testing::Test {
 protected:
  // `omit` last interval records are left out of the statement's evidence.
  void Build(int intervals, int omit = 0) {
    fixture_ = ledger::testonly::LedgerFixture::Create().value();
    auto provider =
        fixture_->EnrolNewKey(aifl::ledger::v1::ROLE_PROVIDER, "Org A", "lab-a")
            .value();
    auto collector =
        fixture_
            ->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR, "Factory", "node-1")
            .value();
    aifl::provider::v1::ModelDeclaration d;
    d.set_model_id("model-a");
    d.set_provider("Org A");
    d.mutable_compute()->set_node_energy_joules(9e12);
    evidence_.push_back(Append(*provider, "aifl.provider.v1.ModelDeclaration",
                               d.SerializeAsString()));
    if (derived_) {  // another model built on this one: not its evidence
      aifl::provider::v1::ModelDeclaration b;
      b.set_model_id("model-b");
      b.mutable_base_model()->set_model_id("model-a");
      Append(*provider, "aifl.provider.v1.ModelDeclaration",
             b.SerializeAsString());
    }
    const int64_t t0 = 1'780'000'000'000;
    for (int i = 0; i < intervals; ++i) {
      aifl::collector::v1::IntervalReport r;
      r.set_run_id("run-1");
      r.set_node(absl::StrCat("n", i % 4));
      r.set_device_model("NVIDIA H100 80GB HBM3");
      r.set_start_unix_ms(t0 + i * 60'000);
      r.set_end_unix_ms(t0 + (i + 1) * 60'000);
      r.set_gpu_count(8);
      r.set_energy_joules(2e8);
      r.mutable_flop()->set_lower(1e20);
      r.mutable_flop()->set_upper(1.2e20);
      r.mutable_flop()->set_method(aifl::common::v1::MEASURED_TENSOR_ACTIVITY);
      r.set_model_id("model-a");
      r.set_purpose(aifl::common::v1::PRE_TRAINING);
      evidence_.push_back(Append(*collector, "aifl.collector.v1.IntervalReport",
                                 r.SerializeAsString()));
    }
    ASSERT_TRUE(fixture_->ledger().PublishCheckpoint().ok());
    reader_ =
        api::client::FolderLogReader::Wrap(fixture_->ledger(), fixture_->dir())
            .value();
    cp_ = reader_->LatestCheckpoint().value();
    const ledger::Ledger& ledger = fixture_->ledger();
    SignerLookup signers =
        [&ledger](
            const ledger::crypto::KeyId& id) -> std::optional<StatementKey> {
      std::optional<ledger::KeyInfo> key = ledger.FindKey(id);
      if (!key.has_value()) return std::nullopt;
      return StatementKey{std::string(key->public_key->bytes()),
                          std::string(ledger::RoleName(key->role))};
    };
    const std::vector<uint64_t> evidence(evidence_.begin(),
                                         evidence_.end() - omit);
    auto statement =
        BuildStatement(*reader_, cp_, "model-a", evidence, signers);
    ASSERT_TRUE(statement.ok()) << statement.status();
    statement_ = *statement;
    bytes_ = EncodeStatement(*statement);
  }

  uint64_t Append(ledger::EntrySigner& key, const std::string& type,
                  const std::string& payload) {
    return fixture_->AppendOne(key.SignNext(type, payload).value()).value();
  }

  absl::Status Check(const std::string& bytes) {
    absl::StatusOr<Statement> parsed = ParseStatement(bytes);
    if (!parsed.ok()) return parsed.status();
    auto verifier =
        api::client::LogVerifier::Create(fixture_->ledger().VerifierKey());
    if (!verifier.ok()) return verifier.status();
    return VerifyStatement(*parsed, *verifier).status();
  }

  // The per-model index of the log as of cp_, its output log with a
  // checkpoint over its update, and the version 2 statement (bytes_).
  void BuildIndex() {
    index_log_ =
        ledger::testonly::LedgerFixture::Create("test.example/index").value();
    auto output =
        vindex::OutputLog::Create(
            &index_log_->ledger(),
            index_log_->EnrolNewKey(aifl::ledger::v1::ROLE_RULES).value())
            .value();
    builder_ =
        vindex::IndexBuilder::Open(ledger::testonly::FreshDir("index")).value();
    vindex::IndexBuilder* builder = builder_.get();
    const ledger::Ledger& in = fixture_->ledger();
    absl::Status applied =
        builder->Apply({cp_.fields.size, cp_.fields.root},
                       in.GetLeaves(0, cp_.fields.size).value());
    ASSERT_TRUE(applied.ok()) << applied;
    ASSERT_TRUE(output->Publish({in.origin(), builder->state()}).ok());
    ASSERT_TRUE(index_log_->ledger().PublishCheckpoint().ok());
    auto reader = api::client::FolderLogReader::Wrap(index_log_->ledger(),
                                                     index_log_->dir())
                      .value();
    const api::client::VerifiedCheckpoint index_cp =
        reader->LatestCheckpoint().value();
    index_cp_ = index_cp;
    auto answer = vindex::MakeModelAnswer(*builder, in, index_log_->ledger(),
                                          index_cp.fields.size, "model-a");
    ASSERT_TRUE(answer.ok()) << answer.status();
    ASSERT_TRUE(AttachIndex(cp_, index_cp, *answer, &statement_).ok());
    bytes_ = EncodeStatement(statement_);
  }

  // VerifyStatement, then VerifyStatementIndex.
  absl::Status CheckV2(const std::string& bytes) {
    absl::StatusOr<Statement> parsed = ParseStatement(bytes);
    if (!parsed.ok()) return parsed.status();
    auto verifier =
        api::client::LogVerifier::Create(fixture_->ledger().VerifierKey());
    auto index_verifier =
        api::client::LogVerifier::Create(index_log_->ledger().VerifierKey());
    if (!verifier.ok() || !index_verifier.ok()) return absl::InternalError("");
    absl::StatusOr<VerifiedStatement> v = VerifyStatement(*parsed, *verifier);
    if (!v.ok()) return v.status();
    return VerifyStatementIndex(*parsed, v->checkpoint, *index_verifier);
  }

  // The version 3 statement (bytes_) of the index BuildIndex made: the
  // declaration and the index's totals.
  void BuildV3() {
    auto answer = vindex::MakeTotalsAnswer(*builder_, index_log_->ledger(),
                                           index_cp_.fields.size, "model-a");
    ASSERT_TRUE(answer.ok()) << answer.status();
    const ledger::Ledger& ledger = fixture_->ledger();
    SignerLookup signers =
        [&ledger](
            const ledger::crypto::KeyId& id) -> std::optional<StatementKey> {
      std::optional<ledger::KeyInfo> key = ledger.FindKey(id);
      if (!key.has_value()) return std::nullopt;
      return StatementKey{std::string(key->public_key->bytes()),
                          std::string(ledger::RoleName(key->role))};
    };
    auto s = BuildTotalsStatement(*reader_, cp_, "model-a", {evidence_[0]},
                                  signers, index_cp_, *answer);
    ASSERT_TRUE(s.ok()) << s.status();
    statement_ = *s;
    bytes_ = EncodeStatement(statement_);
  }

  absl::StatusOr<VerifiedStatement> CheckV3(const std::string& bytes) {
    absl::StatusOr<Statement> parsed = ParseStatement(bytes);
    if (!parsed.ok()) return parsed.status();
    auto verifier =
        api::client::LogVerifier::Create(fixture_->ledger().VerifierKey());
    auto index_verifier =
        api::client::LogVerifier::Create(index_log_->ledger().VerifierKey());
    if (!verifier.ok() || !index_verifier.ok()) return absl::InternalError("");
    return VerifyTotalsStatement(*parsed, *verifier, *index_verifier);
  }

  std::unique_ptr<ledger::testonly::LedgerFixture> fixture_, index_log_;
  std::unique_ptr<vindex::IndexBuilder> builder_;
  api::client::VerifiedCheckpoint index_cp_;
  std::unique_ptr<api::client::FolderLogReader> reader_;
  Statement statement_;
  bool derived_ = false;
  api::client::VerifiedCheckpoint cp_;
  std::vector<uint64_t> evidence_;
  std::string bytes_;
};

TEST_F(StatementTest, VerifiesOfflineAndRefoldsTheFormsFigures) {
  Build(3);
  absl::StatusOr<Statement> parsed = ParseStatement(bytes_);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(EncodeStatement(*parsed), bytes_);
  EXPECT_EQ(parsed->keys.size(), 2u);
  EXPECT_EQ(parsed->leaves.size(), 4u);
  auto verifier =
      api::client::LogVerifier::Create(fixture_->ledger().VerifierKey());
  auto verified = VerifyStatement(*parsed, *verifier);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->checkpoint.fields.size, cp_.fields.size);
  EXPECT_EQ(verified->form.training_intervals, 3u);
  EXPECT_TRUE(verified->form.energy_accelerator.known);
  EXPECT_NE(parsed->form_json.find("\"model_id\":\"model-a\""),
            std::string::npos)
      << parsed->form_json;
  // Another log's key: the checkpoint does not verify.
  auto other = ledger::testonly::LedgerFixture::Create().value();
  auto stranger =
      api::client::LogVerifier::Create(other->ledger().VerifierKey());
  EXPECT_FALSE(VerifyStatement(*parsed, *stranger).ok());
}

TEST_F(StatementTest, EveryChangedByteIsRefused) {
  Build(2);
  ASSERT_TRUE(Check(bytes_).ok()) << Check(bytes_);
  for (size_t i = 0; i < bytes_.size(); ++i) {
    for (char flip : {'\x01', '\x20'}) {
      std::string changed = bytes_;
      changed[i] ^= flip;
      EXPECT_FALSE(Check(changed).ok())
          << "byte " << i << " ^ " << int(flip) << " of " << bytes_.size();
    }
  }
  EXPECT_FALSE(Check(bytes_ + "\n").ok());
  EXPECT_FALSE(Check(bytes_.substr(0, bytes_.size() - 1)).ok());
}

TEST_F(StatementTest, ASampleOfChangedBytesOfALargerStatementIsRefused) {
  Build(200);
  std::mt19937_64 rng(23);
  for (int n = 0; n < 300; ++n) {
    const size_t i = rng() % bytes_.size();
    std::string changed = bytes_;
    changed[i] ^= static_cast<char>(1 + rng() % 255);
    EXPECT_FALSE(Check(changed).ok()) << "byte " << i;
  }
}

TEST_F(StatementTest, LeavingOutEvidenceChangesTheFiguresAndIsRefused) {
  Build(3);
  Statement s = ParseStatement(bytes_).value();
  s.leaves.pop_back();  // drop a record, keep the claimed form
  auto verifier =
      api::client::LogVerifier::Create(fixture_->ledger().VerifierKey());
  absl::Status st = VerifyStatement(s, *verifier).status();
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss) << st;
  EXPECT_NE(st.message().find("re-fold"), std::string::npos) << st;
}

TEST_F(StatementTest, VersionTwoCarriesTheIndexAndVerifies) {
  Build(3);
  const std::string v1 = bytes_;
  BuildIndex();
  ASSERT_TRUE(CheckV2(bytes_).ok()) << CheckV2(bytes_);
  EXPECT_EQ(bytes_.rfind(kStatementHeaderV2, 0), 0u);
  // The entries travel once: the index part is small next to them.
  EXPECT_LT(bytes_.size() - v1.size(), v1.size());
  absl::StatusOr<Statement> parsed = ParseStatement(bytes_);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(EncodeStatement(*parsed), bytes_);
  // A version 1 statement has no index part to check.
  Statement plain = ParseStatement(v1).value();
  EXPECT_FALSE(plain.index.has_value());
  auto verifier =
      api::client::LogVerifier::Create(fixture_->ledger().VerifierKey());
  EXPECT_EQ(VerifyStatementIndex(plain, cp_, *verifier).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(StatementTest, AModelBuiltOnThisOneIsNotMissingEvidence) {
  derived_ = true;  // the index lists model-b's declaration under model-a
  Build(2);
  BuildIndex();
  EXPECT_TRUE(CheckV2(bytes_).ok()) << CheckV2(bytes_);
}

TEST_F(StatementTest, EveryChangedByteOfTheIndexPartIsRefused) {
  Build(2);
  BuildIndex();
  ASSERT_TRUE(CheckV2(bytes_).ok()) << CheckV2(bytes_);
  const size_t start = bytes_.find("\nindex-checkpoint ") + 1;
  const size_t end = bytes_.find("\nform ");
  ASSERT_LT(start, end);
  for (size_t i = start; i < end; ++i) {
    std::string changed = bytes_;
    changed[i] ^= '\x01';
    EXPECT_FALSE(CheckV2(changed).ok()) << "byte " << i;
  }
}

TEST_F(StatementTest, TheIndexCatchesEvidenceLeftOutWithItsFigures) {
  // The last record left out and the form folded without it: version 1
  // cannot tell; the index lists the record.
  Build(3, /*omit=*/1);
  ASSERT_TRUE(Check(bytes_).ok()) << Check(bytes_);
  BuildIndex();
  absl::Status st = CheckV2(bytes_);
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss) << st;
  EXPECT_NE(st.message().find("leaves it out"), std::string::npos) << st;
}

TEST_F(StatementTest, VersionThreeStatesTheIndexsTotalsAndVerifies) {
  Build(40);
  auto verifier =
      api::client::LogVerifier::Create(fixture_->ledger().VerifierKey());
  const ModelForm v1 = VerifyStatement(statement_, *verifier).value().form;
  const size_t v1_size = bytes_.size();
  BuildIndex();
  BuildV3();
  absl::StatusOr<VerifiedStatement> v = CheckV3(bytes_);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(bytes_.rfind(kStatementHeaderV3, 0), 0u);
  EXPECT_EQ(statement_.leaves.size(), 1u);  // the declaration only
  EXPECT_LT(bytes_.size(), v1_size / 4) << bytes_.size() << " vs " << v1_size;
  // The same figures as the re-fold of every entry (version 1).
  EXPECT_EQ(v->form.training_intervals, 40u);
  for (const auto& [name, figure] : NamedFigures(v->form)) {
    SCOPED_TRACE(name);
    const FormFigure* want = nullptr;
    for (const auto& [n, f] : NamedFigures(v1)) {
      if (n == name) want = f;
    }
    ASSERT_NE(want, nullptr);
    EXPECT_EQ(FormFigureText(*figure), FormFigureText(*want));
    EXPECT_EQ(figure->method, want->method);
  }
  ASSERT_EQ(v->form.hardware.size(), 1u);
  EXPECT_EQ(v->form.hardware[0].gpus, v1.hardware[0].gpus);
  EXPECT_EQ(v->form.energy_node.status, "declared");
  // Its figures need the index's key: the version 1 check refuses it.
  EXPECT_EQ(VerifyStatement(ParseStatement(bytes_).value(), *verifier)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(StatementTest, EveryChangedByteOfAVersionThreeStatementIsRefused) {
  Build(3);
  BuildIndex();
  BuildV3();
  ASSERT_TRUE(CheckV3(bytes_).ok()) << CheckV3(bytes_).status();
  for (size_t i = 0; i < bytes_.size(); ++i) {
    std::string changed = bytes_;
    changed[i] ^= '\x01';
    EXPECT_FALSE(CheckV3(changed).ok())
        << "byte " << i << " of " << bytes_.size();
  }
}

TEST_F(StatementTest, VersionThreeFiguresOtherThanTheTotalsAreRefused) {
  Build(3);
  BuildIndex();
  BuildV3();
  Statement lie = statement_;
  const size_t at = lie.form_json.find("\"training_intervals\":3");
  ASSERT_NE(at, std::string::npos) << lie.form_json;
  lie.form_json.replace(at, 22, "\"training_intervals\":2");
  absl::StatusOr<VerifiedStatement> v = CheckV3(EncodeStatement(lie));
  EXPECT_EQ(v.status().code(), absl::StatusCode::kDataLoss) << v.status();
  EXPECT_NE(v.status().message().find("not the index's totals"),
            std::string::npos);
  // A collector record among the leaves: version 3 carries declarations.
  lie = statement_;
  lie.leaves.clear();
  EXPECT_FALSE(CheckV3(EncodeStatement(lie)).ok());
}

// The file format, byte for byte (docs/provider-guide.md): a hand-made
// statement (not a verifying one) encodes to the golden file and back.
TEST(StatementFormatTest, EncodesToTheGoldenFile) {
  Statement s;
  s.model_id = "example-large";
  s.checkpoint_note =
      "test.example/ledger\n2\nAAAA\n\n— test.example/ledger x\n";
  s.keys.push_back({std::string(32, '\x11'), "collector"});
  s.keys.push_back({std::string(32, '\x22'), "provider"});
  ledger::merkle::Hash h1, h2;
  h1.fill(0xab);
  h2.fill(0xcd);
  s.leaves.push_back({0, std::string("leaf-zero"), {}});
  s.leaves.push_back({1, std::string("leaf-one"), {h1, h2}});
  s.form_json = "{\"schema\":\"aifl.model_documentation_form.v1\"}\n";
  const std::string golden =
      common::ReadWholeFile("tools/ledgerctl/testdata/statement-v1.golden")
          .value();
  EXPECT_EQ(EncodeStatement(s), golden);
  absl::StatusOr<Statement> back = ParseStatement(golden);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(EncodeStatement(*back), golden);
  // Version 2: the same with the index part.
  s.index = StatementIndex{"test.example/index\n1\nBBBB\n", "answer"};
  const std::string golden2 =
      common::ReadWholeFile("tools/ledgerctl/testdata/statement-v2.golden")
          .value();
  EXPECT_EQ(EncodeStatement(s), golden2);
  back = ParseStatement(golden2);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(EncodeStatement(*back), golden2);
  // Version 3: the index part is a totals answer.
  s.index = StatementIndex{"test.example/index\n1\nBBBB\n", "totals", true};
  const std::string golden3 =
      common::ReadWholeFile("tools/ledgerctl/testdata/statement-v3.golden")
          .value();
  EXPECT_EQ(EncodeStatement(s), golden3);
  back = ParseStatement(golden3);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(back->index.has_value() && back->index->totals);
  EXPECT_EQ(EncodeStatement(*back), golden3);
}

}  // namespace
}  // namespace ledgerctl

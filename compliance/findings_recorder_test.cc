// FindingsRecorder on a real ledger: findings become entries signed by the
// rules key, numbered on from the key's sequence; other keys are refused.
#include "compliance/findings_recorder.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/key_file.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/roles.h"
#include "ledger/testonly/ledger_fixture.h"
#include "rules/evidence.h"
#include "rules/payload_types.h"

namespace compliance {
namespace {

using ledger::testonly::LedgerFixture;

// Enrols a fresh key with `role` and writes its secret key file; returns
// the file's path.
std::string EnrolKeyFile(LedgerFixture& f, aifl::ledger::v1::Role role,
                         const std::string& name) {
  auto key = ledger::crypto::SigningKey::Generate();
  EXPECT_TRUE(key.ok());
  const std::string path = f.dir() + "/" + name + ".key";
  EXPECT_TRUE(ledger::crypto::WriteSecretKeyFile(path, **key).ok());
  aifl::ledger::v1::KeyEvent enrol;
  enrol.mutable_enrol()->set_public_key(
      std::string((*key)->public_key().bytes()));
  enrol.mutable_enrol()->set_role(role);
  enrol.mutable_enrol()->set_organisation("Rules engine");
  auto envelope =
      f.admin().SignNext(ledger::kKeyEventType, enrol.SerializeAsString());
  EXPECT_TRUE(envelope.ok());
  EXPECT_TRUE(f.AppendOne(*envelope).ok());
  return path;
}

// A real ledger with an enrolled rules key, and a recorder for that key
// (recorder null, with a test failure, when either cannot be made).
struct Recording {
  std::unique_ptr<LedgerFixture> ledger;
  std::unique_ptr<FindingsRecorder> recorder;
};

Recording StartRecording() {
  Recording r;
  auto fixture = LedgerFixture::Create();
  EXPECT_TRUE(fixture.ok()) << fixture.status();
  if (!fixture.ok()) return r;
  r.ledger = std::move(*fixture);
  const std::string path =
      EnrolKeyFile(*r.ledger, aifl::ledger::v1::ROLE_RULES, "rules");
  auto recorder = FindingsRecorder::Create(&r.ledger->ledger(), path);
  EXPECT_TRUE(recorder.ok()) << recorder.status();
  if (recorder.ok()) r.recorder = std::move(*recorder);
  return r;
}

aifl::rules::v1::Finding Raised(const std::string& model) {
  aifl::rules::v1::Finding f;
  f.set_model_id(model);
  f.set_rule_id("C1");
  f.set_state(aifl::rules::v1::RAISED);
  return f;
}

// Issue 16: a finding citing 100,000 leaves, none adjacent (the worst case
// for ranges), is recorded: the compact evidence keeps it under the ledger's
// 65,535-byte leaf limit. The same list in the old form (field 12, every
// index) is refused, so the limit is real here.
TEST(FindingsRecorderTest, FindingCitingHundredThousandLeavesIsRecorded) {
  Recording r = StartRecording();
  ASSERT_NE(r.recorder, nullptr);
  LedgerFixture& f = *r.ledger;
  FindingsRecorder& recorder = *r.recorder;
  std::vector<uint64_t> leaves;
  for (uint64_t i = 0; i < 100000; ++i) leaves.push_back(1000000 + 2 * i);

  aifl::rules::v1::Finding old_form = Raised("m");
  for (uint64_t leaf : leaves) old_form.add_evidence_leaves(leaf);
  const auto refused = recorder.Record({old_form});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("65,535"), std::string::npos)
      << refused.status();

  aifl::rules::v1::Finding compact = Raised("m");
  rules::SetEvidence(leaves, &compact);
  auto at = recorder.Record({compact});
  ASSERT_TRUE(at.ok()) << at.status();
  auto leaf = ledger::entry::ParseLeaf(*f.ledger().GetLeaf(*at));
  auto env = ledger::entry::ParseEnvelope(leaf->envelope);
  aifl::rules::v1::Finding read;
  ASSERT_TRUE(read.ParseFromString(env->payload));
  EXPECT_EQ(rules::EvidenceCount(read), 100000u);
  EXPECT_EQ(read.evidence_sha256(), rules::EvidenceSha256(leaves));
}

TEST(FindingsRecorderTest, AppendsSignedFindingsInOrderAndNumbersOn) {
  Recording r = StartRecording();
  ASSERT_NE(r.recorder, nullptr);
  LedgerFixture& f = *r.ledger;
  FindingsRecorder& recorder = *r.recorder;

  const uint64_t size0 = f.ledger().Size();
  auto first = recorder.Record({Raised("a"), Raised("b")});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, size0);
  auto next = recorder.Record({Raised("c")});
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(*next, size0 + 2);
  EXPECT_EQ(*recorder.Record({}), 0u) << "nothing to record";
  ASSERT_EQ(f.ledger().Size(), size0 + 3);

  std::string models;
  for (uint64_t i = size0; i < size0 + 3; ++i) {
    auto leaf = ledger::entry::ParseLeaf(*f.ledger().GetLeaf(i));
    auto env = ledger::entry::ParseEnvelope(leaf->envelope);
    EXPECT_EQ(env->payload_type, rules::kFindingType);
    EXPECT_EQ(env->sequence, i - size0);
    aifl::rules::v1::Finding finding;
    ASSERT_TRUE(finding.ParseFromString(env->payload));
    models += finding.model_id();
  }
  EXPECT_EQ(models, "abc");
}

TEST(FindingsRecorderTest, RefusesAKeyThatIsNotAnEnrolledRulesKey) {
  auto fixture = LedgerFixture::Create();
  ASSERT_TRUE(fixture.ok());
  LedgerFixture& f = **fixture;
  const std::string provider =
      EnrolKeyFile(f, aifl::ledger::v1::ROLE_PROVIDER, "provider");
  auto refused = FindingsRecorder::Create(&f.ledger(), provider);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(refused.status().message(),
            provider + " is not an enrolled, unrevoked rules key of " +
                f.ledger().origin());

  auto key = ledger::crypto::SigningKey::Generate();
  ASSERT_TRUE(key.ok());
  const std::string stranger = f.dir() + "/stranger.key";
  ASSERT_TRUE(ledger::crypto::WriteSecretKeyFile(stranger, **key).ok());
  EXPECT_EQ(FindingsRecorder::Create(&f.ledger(), stranger).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(FindingsRecorder::Create(&f.ledger(), f.dir() + "/missing.key")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace compliance

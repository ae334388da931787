// One refusal test per key-registry rule (FORMAT.md, "Key-registry rules"),
// with the exact code and message: the rules both appending and the audit
// apply through Admit.
#include "ledger/admission.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/key_id.h"
#include "ledger/key_registry.h"
#include "ledger/roles.h"

namespace ledger {
namespace {

using aifl::ledger::v1::KeyEvent;
using aifl::ledger::v1::Role;

constexpr char kOrigin[] = "example.eu/ledger";

std::string Hex(absl::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(
        std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

class AdmissionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = Key();
    ASSERT_TRUE(Append(admin_, Enrol(admin_, aifl::ledger::v1::ROLE_ADMIN),
                       kKeyEventType)
                    .ok());
    KeyEvent log_key;
    log_key.mutable_log_key()->set_public_key(
        std::string(Key()->public_key().bytes()));
    log_key.mutable_log_key()->set_origin(kOrigin);
    ASSERT_TRUE(
        Append(admin_, log_key.SerializeAsString(), kKeyEventType).ok());
  }

  static std::shared_ptr<crypto::SigningKey> Key() {
    return std::shared_ptr<crypto::SigningKey>(
        crypto::SigningKey::Generate().value());
  }
  static std::string IdString(const crypto::SigningKey& key) {
    return crypto::ComputeKeyId(key.public_key()).ToString();
  }
  static std::string EnrolBytes(absl::string_view public_key, int role,
                                absl::string_view tls_identity = "") {
    KeyEvent event;
    event.mutable_enrol()->set_public_key(std::string(public_key));
    event.mutable_enrol()->set_role(static_cast<Role>(role));
    event.mutable_enrol()->set_tls_identity(std::string(tls_identity));
    return event.SerializeAsString();
  }
  static std::string Enrol(const std::shared_ptr<crypto::SigningKey>& key,
                           int role, absl::string_view tls_identity = "") {
    return EnrolBytes(key->public_key().bytes(), role, tls_identity);
  }
  static std::string Revoke(const crypto::SigningKey& key) {
    KeyEvent event;
    const crypto::KeyId id = crypto::ComputeKeyId(key.public_key());
    event.mutable_revoke()->set_key_id(
        std::string(id.bytes().begin(), id.bytes().end()));
    return event.SerializeAsString();
  }
  entry::Envelope Envelope(const crypto::SigningKey& signer,
                           absl::string_view payload,
                           absl::string_view type) const {
    entry::Envelope e;
    e.key_id = crypto::ComputeKeyId(signer.public_key()).bytes();
    const KeyInfo* info = registry_.Find(crypto::KeyId(e.key_id));
    e.sequence = info == nullptr ? 0 : info->next_sequence;
    e.payload_type = std::string(type);
    e.payload = std::string(payload);
    return e;
  }
  absl::StatusOr<Admission> Check(
      const std::shared_ptr<crypto::SigningKey>& signer,
      absl::string_view payload, absl::string_view type,
      AdmissionMode mode = AdmissionMode::kAppend) const {
    return Admit(registry_, Envelope(*signer, payload, type), next_leaf_,
                 kOrigin, mode);
  }
  // Admits and applies; the status of the admission.
  absl::Status Append(const std::shared_ptr<crypto::SigningKey>& signer,
                      absl::string_view payload, absl::string_view type,
                      AdmissionMode mode = AdmissionMode::kAppend) {
    const entry::Envelope e = Envelope(*signer, payload, type);
    absl::StatusOr<Admission> admitted =
        Admit(registry_, e, next_leaf_, kOrigin, mode);
    if (!admitted.ok()) return admitted.status();
    EXPECT_EQ(admitted->signer_key, signer->public_key());
    absl::Status applied = registry_.Apply(
        e, next_leaf_, admitted->event ? &*admitted->event : nullptr);
    EXPECT_TRUE(applied.ok()) << applied;
    ++next_leaf_;
    return absl::OkStatus();
  }
  std::shared_ptr<crypto::SigningKey> Enrolled(int role) {
    auto key = Key();
    EXPECT_TRUE(Append(admin_, Enrol(key, role), kKeyEventType).ok());
    return key;
  }

  KeyRegistry registry_;
  uint64_t next_leaf_ = 0;
  std::shared_ptr<crypto::SigningKey> admin_;
};

void ExpectRefused(const absl::Status& s, absl::StatusCode code,
                   absl::string_view message) {
  EXPECT_EQ(s.code(), code) << s;
  EXPECT_EQ(s.message(), message);
}

TEST_F(AdmissionTest, GenesisMustBeAnAdminEnrollingItself) {
  KeyRegistry empty;
  auto key = Key();
  entry::Envelope e;
  e.key_id = crypto::ComputeKeyId(key->public_key()).bytes();
  e.payload_type = std::string(kKeyEventType);
  e.payload = Enrol(key, aifl::ledger::v1::ROLE_COLLECTOR);
  ExpectRefused(Admit(empty, e, 0, kOrigin, AdmissionMode::kAppend).status(),
                absl::StatusCode::kPermissionDenied,
                "leaf 0 must be an admin key enrolling itself (genesis)");
  ExpectRefused(Admit(empty, e, 0, kOrigin, AdmissionMode::kReplay).status(),
                absl::StatusCode::kPermissionDenied,
                "leaf 0 must be an admin key enrolling itself (genesis)");
}

TEST_F(AdmissionTest, RefusesRevokingAnUnknownKey) {
  auto stranger = Key();
  ExpectRefused(
      Append(admin_, Revoke(*stranger), kKeyEventType),
      absl::StatusCode::kNotFound,
      absl::StrCat("revoke: key ", IdString(*stranger), " is not enrolled"));
}

TEST_F(AdmissionTest, RefusesRevokingAWrongSizeKeyId) {
  KeyEvent event;
  event.mutable_revoke()->set_key_id("short");
  ExpectRefused(Append(admin_, event.SerializeAsString(), kKeyEventType),
                absl::StatusCode::kInvalidArgument,
                "revoke.key_id: got 5 bytes, want 16");
}

TEST_F(AdmissionTest, RefusesRevokingAnAlreadyRevokedKey) {
  auto collector = Enrolled(aifl::ledger::v1::ROLE_COLLECTOR);
  ASSERT_TRUE(Append(admin_, Revoke(*collector), kKeyEventType).ok());
  ExpectRefused(Append(admin_, Revoke(*collector), kKeyEventType),
                absl::StatusCode::kFailedPrecondition,
                absl::StrCat("revoke: key ", IdString(*collector),
                             " is already revoked"));
}

TEST_F(AdmissionTest, RevokedAtLeafIsTheRevokingLeaf) {
  auto collector = Enrolled(aifl::ledger::v1::ROLE_COLLECTOR);
  ASSERT_TRUE(Append(collector, "x", "aifl.collector.v1.Blob").ok());
  const uint64_t revoke_leaf = next_leaf_;
  ASSERT_TRUE(Append(admin_, Revoke(*collector), kKeyEventType).ok());
  const KeyInfo* info =
      registry_.Find(crypto::ComputeKeyId(collector->public_key()));
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->revoked_at_leaf, revoke_leaf);
  ExpectRefused(Check(collector, "y", "aifl.collector.v1.Blob").status(),
                absl::StatusCode::kPermissionDenied,
                absl::StrCat("key ", IdString(*collector),
                             " was revoked at leaf ", revoke_leaf));
}

TEST_F(AdmissionTest, AdminMayRevokeItselfWhileAnotherAdminRemains) {
  auto second = Enrolled(aifl::ledger::v1::ROLE_ADMIN);
  EXPECT_TRUE(Append(admin_, Revoke(*admin_), kKeyEventType).ok());
  // The revoked admin signs nothing more; the other admin carries on.
  EXPECT_EQ(Check(admin_, Revoke(*second), kKeyEventType).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(AdmissionTest, RefusesRevokingTheLastAdmin) {
  const std::string message = absl::StrCat(
      "revoke: key ", IdString(*admin_),
      " is the last unrevoked admin key; enrol another admin key first "
      "(without one the registry can never change again)");
  // Itself, the only admin.
  ExpectRefused(Check(admin_, Revoke(*admin_), kKeyEventType).status(),
                absl::StatusCode::kFailedPrecondition, message);
  // Another admin, once it is the last: the second revokes the first, then
  // may not revoke itself.
  auto second = Enrolled(aifl::ledger::v1::ROLE_ADMIN);
  ASSERT_TRUE(Append(second, Revoke(*admin_), kKeyEventType).ok());
  ExpectRefused(Check(second, Revoke(*second), kKeyEventType).status(),
                absl::StatusCode::kFailedPrecondition,
                absl::StrCat("revoke: key ", IdString(*second),
                             " is the last unrevoked admin key; enrol another "
                             "admin key first (without one the registry can "
                             "never change again)"));
}

TEST_F(AdmissionTest, AuditAcceptsALastAdminRevocationWrittenBeforeTheRule) {
  EXPECT_TRUE(
      Append(admin_, Revoke(*admin_), kKeyEventType, AdmissionMode::kReplay)
          .ok());
}

TEST_F(AdmissionTest, RefusesEnrollingWithRoleUnspecified) {
  ExpectRefused(Append(admin_, Enrol(Key(), 0), kKeyEventType),
                absl::StatusCode::kInvalidArgument,
                "enrol.role: got 0, want admin, collector, provider, office "
                "or rules");
}

TEST_F(AdmissionTest, RefusesEnrollingWithAnUnknownRoleValue) {
  ExpectRefused(Append(admin_, Enrol(Key(), 9), kKeyEventType),
                absl::StatusCode::kInvalidArgument,
                "enrol.role: got 9, want admin, collector, provider, office "
                "or rules");
}

TEST_F(AdmissionTest, RefusesEnrollingANonCanonicalPublicKey) {
  ExpectRefused(
      Append(admin_,
             EnrolBytes(Hex("ffffffffffffffffffffffffffffffffffffffffffffffff"
                            "ffffffffffffff7f"),
                        aifl::ledger::v1::ROLE_COLLECTOR),
             kKeyEventType),
      absl::StatusCode::kInvalidArgument,
      "enrol.public_key: Ed25519 public key: non-canonical encoding (y >= "
      "2^255 - 19)");
}

TEST_F(AdmissionTest, RefusesEnrollingASmallOrderPublicKey) {
  ExpectRefused(Append(admin_,
                       EnrolBytes(std::string(32, '\0'),
                                  aifl::ledger::v1::ROLE_COLLECTOR),
                       kKeyEventType),
                absl::StatusCode::kInvalidArgument,
                "enrol.public_key: Ed25519 public key: small-order point "
                "(order divides 8); signatures under it can be forged");
}

TEST_F(AdmissionTest, RefusesEnrollingAPointOutsideThePrimeOrderSubgroup) {
  ExpectRefused(
      Append(admin_,
             EnrolBytes(Hex("02000000000000000000000000000000000000000000000000"
                            "00000000000000"),
                        aifl::ledger::v1::ROLE_COLLECTOR),
             kKeyEventType),
      absl::StatusCode::kInvalidArgument,
      "enrol.public_key: Ed25519 public key: not a point of the prime-order "
      "subgroup (off the curve, or with a small-order component)");
}

TEST_F(AdmissionTest, RefusesEnrollingAKeyTwice) {
  auto key = Enrolled(aifl::ledger::v1::ROLE_COLLECTOR);
  ExpectRefused(Append(admin_, Enrol(key, aifl::ledger::v1::ROLE_PROVIDER),
                       kKeyEventType),
                absl::StatusCode::kAlreadyExists,
                absl::StrCat("key ", IdString(*key),
                             " is already enrolled (keys are never re-used)"));
}

TEST_F(AdmissionTest, TlsIdentityNeedNotBeUnique) {
  // Rotation: the new key of a node is enrolled before the old one is
  // revoked, both bound to the node's certificate.
  EXPECT_TRUE(Append(admin_,
                     Enrol(Key(), aifl::ledger::v1::ROLE_COLLECTOR, "node-7"),
                     kKeyEventType)
                  .ok());
  EXPECT_TRUE(Append(admin_,
                     Enrol(Key(), aifl::ledger::v1::ROLE_COLLECTOR, "node-7"),
                     kKeyEventType)
                  .ok());
}

TEST_F(AdmissionTest, RefusesAKeyEventWithNoEventSet) {
  ExpectRefused(Append(admin_, "", kKeyEventType),
                absl::StatusCode::kInvalidArgument,
                "key event: none of enrol, revoke, log_key is set");
}

TEST_F(AdmissionTest, RefusesAPayloadThatIsNotAKeyEvent) {
  ExpectRefused(Append(admin_, "\xff\xff\xff", kKeyEventType),
                absl::StatusCode::kInvalidArgument,
                "payload: not a valid aifl.ledger.v1.KeyEvent");
}

TEST_F(AdmissionTest, RefusesAKeyEventWithUnknownFields) {
  const std::string message =
      "key event: it has fields aifl.ledger.v1.KeyEvent does not define; the "
      "registry cannot interpret them";
  // Field 99, varint 1, at the top level.
  const std::string top =
      Enrol(Key(), aifl::ledger::v1::ROLE_COLLECTOR) + "\x98\x06\x01";
  ExpectRefused(Append(admin_, top, kKeyEventType),
                absl::StatusCode::kInvalidArgument, message);
  // Inside the Enrol message: field 1 (enrol) with the extra field appended.
  std::string enrol;
  KeyEvent event;
  event.ParseFromString(Enrol(Key(), aifl::ledger::v1::ROLE_COLLECTOR));
  enrol = event.enrol().SerializeAsString() + "\x98\x06\x01";
  const std::string nested =
      std::string("\x0a") + static_cast<char>(enrol.size()) + enrol;
  ExpectRefused(Append(admin_, nested, kKeyEventType),
                absl::StatusCode::kInvalidArgument, message);
  // A log written before the rule stays valid.
  EXPECT_TRUE(Append(admin_, top, kKeyEventType, AdmissionMode::kReplay).ok());
}

TEST_F(AdmissionTest, AcceptsANonCanonicalEncodingAsParsed) {
  // Enrol's fields in reverse order: protobuf parsing accepts it, and the
  // stored bytes (not a re-serialization) are what was signed.
  auto key = Key();
  KeyEvent event;
  event.ParseFromString(Enrol(key, aifl::ledger::v1::ROLE_PROVIDER));
  const std::string role = "\x10\x03";  // field 2 = ROLE_PROVIDER
  const std::string pub =
      std::string("\x0a\x20") + std::string(key->public_key().bytes());
  const std::string enrol = role + pub;
  const std::string payload =
      std::string("\x0a") + static_cast<char>(enrol.size()) + enrol;
  ASSERT_NE(payload, event.SerializeAsString());
  ASSERT_TRUE(Append(admin_, payload, kKeyEventType).ok());
  const KeyInfo* info = registry_.Find(crypto::ComputeKeyId(key->public_key()));
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->role, aifl::ledger::v1::ROLE_PROVIDER);
}

TEST_F(AdmissionTest, PayloadTypeWildcardIsOneMessageName) {
  auto collector = Enrolled(aifl::ledger::v1::ROLE_COLLECTOR);
  EXPECT_TRUE(Check(collector, "", "aifl.collector.v1.IntervalReport").ok());
  EXPECT_TRUE(Check(collector, "", "aifl.collector.v1.Blob").ok());
  ExpectRefused(Check(collector, "", "aifl.collector.v1.a.B").status(),
                absl::StatusCode::kInvalidArgument,
                "payload_type: got aifl.collector.v1.a.B, want "
                "aifl.collector.v1.<Name>, one message name (a letter, then "
                "letters, digits or _; no further dots)");
  ExpectRefused(Check(collector, "", "aifl.collector.v1.9Lives").status(),
                absl::StatusCode::kInvalidArgument,
                "payload_type: got aifl.collector.v1.9Lives, want "
                "aifl.collector.v1.<Name>, one message name (a letter, then "
                "letters, digits or _; no further dots)");
  ExpectRefused(Check(collector, "", "aifl.collector.v1.").status(),
                absl::StatusCode::kPermissionDenied,
                "role collector may not sign payload type aifl.collector.v1.; "
                "it may sign aifl.collector.v1.*");
  ExpectRefused(
      Check(collector, "", "aifl.collectorx.v1.A").status(),
      absl::StatusCode::kPermissionDenied,
      "role collector may not sign payload type aifl.collectorx.v1.A; "
      "it may sign aifl.collector.v1.*");
  // A log written before the rule stays valid.
  EXPECT_TRUE(
      Check(collector, "", "aifl.collector.v1.a.B", AdmissionMode::kReplay)
          .ok());
}

TEST_F(AdmissionTest, AdminHasNoBlobType) {
  ExpectRefused(Check(admin_, "", "aifl.admin.v1.Blob").status(),
                absl::StatusCode::kPermissionDenied,
                "role admin may not sign payload type aifl.admin.v1.Blob; it "
                "may sign aifl.ledger.v1.KeyEvent");
  ExpectRefused(OpaqueBlobType(aifl::ledger::v1::ROLE_ADMIN).status(),
                absl::StatusCode::kInvalidArgument,
                "role admin has no opaque Blob type: admin keys sign "
                "aifl.ledger.v1.KeyEvent only; give the payload type "
                "explicitly");
  EXPECT_EQ(OpaqueBlobType(aifl::ledger::v1::ROLE_PROVIDER).value(),
            "aifl.provider.v1.Blob");
}

}  // namespace
}  // namespace ledger

#include "index/output_log.h"

#include <fstream>
#include <map>
#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "index/map_hash.h"
#include "ledger/crypto/sha256.h"
#include "ledger/testonly/ledger_fixture.h"

namespace vindex {
namespace {

IndexUpdate GoldenUpdate() {
  IndexUpdate u;
  u.input_origin = "factory.example/log";
  u.state.map_fn_version = 1;
  u.state.input_size = 1000;
  u.state.input_root = ledger::crypto::Sha256({"in"});
  u.state.map_root = *ledger::merkle::HashFromHex(
      "d4f7d26fce871a7fcd4ebb937a4acfc93ef6c47a5f92ba4c1c37df1e0b4bb031");
  u.state.key_count = 4;
  return u;
}

TEST(IndexUpdateTest, EncodingMatchesTheIndependentScript) {
  std::ifstream in("index/testdata/map_vectors.txt");
  std::map<std::string, std::string> v;
  std::string name, hex;
  while (in >> name >> hex) v[name] = hex;
  ASSERT_FALSE(v["index_update"].empty());
  const std::string bytes = EncodeIndexUpdate(GoldenUpdate());
  EXPECT_EQ(absl::BytesToHexString(bytes), v["index_update"]);
  absl::StatusOr<IndexUpdate> back = DecodeIndexUpdate(bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(*back == GoldenUpdate());
  EXPECT_FALSE(DecodeIndexUpdate(bytes + "x").ok());
  EXPECT_FALSE(DecodeIndexUpdate(bytes.substr(1)).ok());
}

TEST(OutputLogTest, PublishesOnceAndReadsItBack) {
  auto out = ledger::testonly::LedgerFixture::Create("test.example/index");
  ASSERT_TRUE(out.ok());
  auto signer = (*out)->EnrolNewKey(aifl::ledger::v1::ROLE_RULES);
  ASSERT_TRUE(signer.ok());
  auto log = OutputLog::Create(&(*out)->ledger(), std::move(*signer));
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_FALSE((*log)->Last()->has_value());
  const uint64_t size = (*out)->ledger().Size();
  absl::StatusOr<bool> appended = (*log)->Publish(GoldenUpdate());
  ASSERT_TRUE(appended.ok()) << appended.status();
  EXPECT_TRUE(*appended);
  // The same update again (a restart): nothing appended.
  appended = (*log)->Publish(GoldenUpdate());
  ASSERT_TRUE(appended.ok()) << appended.status();
  EXPECT_FALSE(*appended);
  EXPECT_EQ((*out)->ledger().Size(), size + 1);
  ASSERT_TRUE((*log)->Last()->has_value());
  EXPECT_TRUE(**(*log)->Last() == GoldenUpdate());
  absl::StatusOr<std::optional<IndexUpdate>> leaf =
      IndexUpdateOfLeaf(size, *(*out)->ledger().GetLeaf(size));
  ASSERT_TRUE(leaf.ok()) << leaf.status();
  EXPECT_TRUE(leaf->has_value());
  // Leaf 0 is the output log's genesis key event: no update, no error.
  leaf = IndexUpdateOfLeaf(0, *(*out)->ledger().GetLeaf(0));
  ASSERT_TRUE(leaf.ok()) << leaf.status();
  EXPECT_FALSE(leaf->has_value());
  EXPECT_EQ(IndexUpdateOfLeaf(0, "junk").status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(OutputLogTest, RefusesAKeyThatIsNotARulesKey) {
  auto out = ledger::testonly::LedgerFixture::Create("test.example/index");
  ASSERT_TRUE(out.ok());
  auto signer = (*out)->EnrolNewKey(aifl::ledger::v1::ROLE_PROVIDER);
  ASSERT_TRUE(signer.ok());
  EXPECT_EQ(
      OutputLog::Create(&(*out)->ledger(), std::move(*signer)).status().code(),
      absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace vindex

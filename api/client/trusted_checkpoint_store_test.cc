#include "api/client/trusted_checkpoint_store.h"

#include <fstream>

#include "gtest/gtest.h"

namespace api::client {
namespace {

std::string TempDir(const std::string& name) {
  const char* base = std::getenv("TEST_TMPDIR");
  return std::string(base != nullptr ? base : "/tmp") + "/" + name;
}

TrustedCheckpoint Example(uint64_t size) {
  TrustedCheckpoint checkpoint;
  checkpoint.origin = "factory.example/ledger";
  checkpoint.size = size;
  checkpoint.root[0] = static_cast<uint8_t>(size);
  checkpoint.note = "factory.example/ledger\n" + std::to_string(size) +
                    "\nroot\n\n\xe2\x80\x94 sig\n";
  return checkpoint;
}

TEST(TrustedCheckpointStoreTest, SavesAndLoadsPerOrigin) {
  auto store = TrustedCheckpointStore::Open(TempDir("roundtrip"));
  ASSERT_TRUE(store.ok()) << store.status();
  auto empty = (*store)->Load("factory.example/ledger");
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->has_value());

  ASSERT_TRUE((*store)->Save(Example(5)).ok());
  ASSERT_TRUE((*store)->Save(Example(9)).ok());
  auto loaded = (*store)->Load("factory.example/ledger");
  ASSERT_TRUE(loaded.ok() && loaded->has_value()) << loaded.status();
  EXPECT_EQ((*loaded)->size, 9u);
  EXPECT_EQ((*loaded)->root, Example(9).root);
  EXPECT_EQ((*loaded)->note, Example(9).note);
  EXPECT_FALSE((*store)->Load("other.example/ledger")->has_value());
  EXPECT_EQ((*store)->PathFor("factory.example/ledger"),
            TempDir("roundtrip") + "/factory.example%2Fledger.checkpoint");
}

TEST(TrustedCheckpointStoreTest, ReportsAMalformedFileAsDataLoss) {
  auto store = TrustedCheckpointStore::Open(TempDir("malformed"));
  ASSERT_TRUE(store.ok());
  std::ofstream((*store)->PathFor("a.example/log")) << "garbage\n";
  EXPECT_EQ((*store)->Load("a.example/log").status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(TrustedCheckpointStoreTest, RefusesAnEmptyFolder) {
  EXPECT_EQ(TrustedCheckpointStore::Open("").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace api::client

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
  checkpoint.verifier_key = "factory.example/ledger+01020304+AQ==";
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
  EXPECT_EQ((*loaded)->verifier_key, Example(9).verifier_key);
  EXPECT_FALSE((*store)->Load("other.example/ledger")->has_value());
  EXPECT_EQ((*store)->PathFor("factory.example/ledger"),
            TempDir("roundtrip") + "/factory.example%2Fledger.checkpoint");
}

TEST(TrustedCheckpointStoreTest, WritesVersion2ByteForByte) {
  auto store = TrustedCheckpointStore::Open(TempDir("golden"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->Save(Example(5)).ok());
  std::ifstream in((*store)->PathFor("factory.example/ledger"));
  std::string content((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
  EXPECT_EQ(content,
            "aifl-trusted-checkpoint-v2\n"
            "factory.example/ledger\n"
            "5\n"
            "BQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
            "factory.example/ledger+01020304+AQ==\n"
            "factory.example/ledger\n5\nroot\n\n\xe2\x80\x94 sig\n");
}

// A witnessed checkpoint is stored as received: the log's signature line,
// then each cosignature line (cosignature/v1), in the order received. The
// format is unchanged (still version 2): cosignatures are part of the note.
TEST(TrustedCheckpointStoreTest, KeepsCosignatureLinesByteForByte) {
  auto store = TrustedCheckpointStore::Open(TempDir("cosigned"));
  ASSERT_TRUE(store.ok());
  TrustedCheckpoint checkpoint = Example(5);
  checkpoint.note +=
      "\xe2\x80\x94 w1.witness.example "
      "Kz1/RgAAAABrSBkAEGO4CxsHpkc1bxSsDHaRc7ff3CoEkx4c+0PrsLo3+BSq3Jqrs/"
      "RxYAuJOzvaxX3Vp9qRCU1aU5rU0lGzNPgB7GZu6gE=\n"
      "\xe2\x80\x94 w2.witness.example "
      "9EJbKQAAAABrSBkA1P8NFBz8ru37zG3dTfyC9X1+6iHk6Tlh4yVp4/"
      "hxN0o9BqzQdnW+4PIRo9zKy5DS7L5z3c6l7yqvdrkc0k0ACw==\n";
  ASSERT_TRUE((*store)->Save(checkpoint).ok());
  std::ifstream in((*store)->PathFor("factory.example/ledger"));
  std::string content((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
  EXPECT_EQ(content,
            "aifl-trusted-checkpoint-v2\n"
            "factory.example/ledger\n"
            "5\n"
            "BQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
            "factory.example/ledger+01020304+AQ==\n"
            "factory.example/ledger\n5\nroot\n\n"
            "\xe2\x80\x94 sig\n"
            "\xe2\x80\x94 w1.witness.example "
            "Kz1/RgAAAABrSBkAEGO4CxsHpkc1bxSsDHaRc7ff3CoEkx4c+0PrsLo3+BSq3Jqrs/"
            "RxYAuJOzvaxX3Vp9qRCU1aU5rU0lGzNPgB7GZu6gE=\n"
            "\xe2\x80\x94 w2.witness.example "
            "9EJbKQAAAABrSBkA1P8NFBz8ru37zG3dTfyC9X1+6iHk6Tlh4yVp4/"
            "hxN0o9BqzQdnW+4PIRo9zKy5DS7L5z3c6l7yqvdrkc0k0ACw==\n");
  auto loaded = (*store)->Load("factory.example/ledger");
  ASSERT_TRUE(loaded.ok() && loaded->has_value()) << loaded.status();
  EXPECT_EQ((*loaded)->note, checkpoint.note);
}

TEST(TrustedCheckpointStoreTest, ReadsVersion1FilesWithoutAKey) {
  auto store = TrustedCheckpointStore::Open(TempDir("v1"));
  ASSERT_TRUE(store.ok());
  std::ofstream((*store)->PathFor("a.example/log"))
      << "aifl-trusted-checkpoint-v1\na.example/log\n3\n"
         "AwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
         "a.example/log\n3\nroot\n\n\xe2\x80\x94 sig\n";
  auto loaded = (*store)->Load("a.example/log");
  ASSERT_TRUE(loaded.ok() && loaded->has_value()) << loaded.status();
  EXPECT_EQ((*loaded)->size, 3u);
  EXPECT_EQ((*loaded)->verifier_key, "");
  EXPECT_EQ((*loaded)->note, "a.example/log\n3\nroot\n\n\xe2\x80\x94 sig\n");
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

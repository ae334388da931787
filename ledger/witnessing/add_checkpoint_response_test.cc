// InterpretAddCheckpointResponse and AddCosignatures: each kind of answer a
// witness can give, with real cosignatures.
#include "ledger/witnessing/add_checkpoint_response.h"

#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/note/cosignature.h"

namespace ledger::witnessing {
namespace {

TEST(AddCheckpointResponseTest, InterpretsEachAnswer) {
  auto cosigner = *ledger::note::Cosigner::Create(
      "w.example", *ledger::crypto::SigningKey::FromSeed(std::string(32, 'k')));
  auto verifier = *ledger::note::CosignatureVerifier::FromVerifierKey(
      cosigner->VerifierKey());
  auto stranger = *ledger::note::Cosigner::Create(
      "w.example", *ledger::crypto::SigningKey::FromSeed(std::string(32, 's')));
  const std::string body =
      "o.example\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
  const std::string line = *cosigner->CosignatureLine(body, 9);
  auto ok =
      InterpretAddCheckpointResponse(200, "text/plain", line, body, verifier);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->kind, AddCheckpointOutcome::Kind::kCosigned);
  EXPECT_EQ(ok->cosignature, line);
  EXPECT_EQ(ok->timestamp, 9u);
  // Only a stranger's line (same name, other key), or a line over another
  // body: not a cosignature by this witness.
  EXPECT_EQ(InterpretAddCheckpointResponse(
                200, "", *stranger->CosignatureLine(body, 9), body, verifier)
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_FALSE(InterpretAddCheckpointResponse(
                   200, "", *cosigner->CosignatureLine("x\n1\nAAAA\n", 9), body,
                   verifier)
                   .ok());
  auto conflict = InterpretAddCheckpointResponse(409, "text/x.tlog.size",
                                                 "42\n", body, verifier);
  ASSERT_TRUE(conflict.ok());
  EXPECT_EQ(conflict->kind, AddCheckpointOutcome::Kind::kConflict);
  EXPECT_EQ(conflict->witness_size, 42u);
  for (auto [type, text] :
       {std::pair{"text/plain", "42\n"}, std::pair{"text/x.tlog.size", "042\n"},
        std::pair{"text/x.tlog.size", "42"}}) {
    auto refused =
        InterpretAddCheckpointResponse(409, type, text, body, verifier);
    ASSERT_TRUE(refused.ok());
    EXPECT_EQ(refused->kind, AddCheckpointOutcome::Kind::kRefused) << text;
  }
  auto bad = InterpretAddCheckpointResponse(
      422, "text/plain", "proof does not verify\nmore", body, verifier);
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->message, "HTTP 422: proof does not verify");
  EXPECT_EQ(AddCosignatures("n\n\n— l x\n", {"— w y\n", "— w y\n"}),
            "n\n\n— l x\n— w y\n");
}

}  // namespace
}  // namespace ledger::witnessing

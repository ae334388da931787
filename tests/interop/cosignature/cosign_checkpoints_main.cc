// Cosigns a fixed set of checkpoint bodies with a fixed-seed witness key and
// writes them for an independent verifier (verify_cosignatures.go):
//   <dir>/vkey       the witness's verifier key (type 0x04), no newline
//   <dir>/note_<i>   checkpoint body, empty line, one cosignature line
// Usage: cosign_checkpoints <dir>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/durable_file.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/sha256.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/cosignature.h"

namespace {

// Must match verify_cosignatures.go.
constexpr char kOrigin[] = "example.com/aifl-interop";
constexpr char kWitness[] = "witness.example.eu/aifl-interop";

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: cosign_checkpoints <output dir>\n";
    return 2;
  }
  const std::string dir = argv[1];
  std::string seed(32, '\0');
  for (int i = 0; i < 32; ++i) seed[i] = static_cast<char>(i * 11 + 5);
  auto key = ledger::crypto::SigningKey::FromSeed(seed);
  if (!key.ok()) {
    std::cerr << key.status() << "\n";
    return 1;
  }
  auto cosigner = ledger::note::Cosigner::Create(kWitness, std::move(*key));
  if (!cosigner.ok()) {
    std::cerr << cosigner.status() << "\n";
    return 1;
  }
  if (!common::WriteFileDurably(dir + "/vkey", (*cosigner)->VerifierKey()).ok())
    return 1;
  // (size, root seed, timestamp): sizes and times at their edges.
  const struct {
    uint64_t size;
    const char* root;
    uint64_t time;
    bool extension;
  } cases[] = {
      {0, "", 0, false},
      {1, "one", 1679315147, false},
      {20852163, "many", 1800000000, true},
      {~uint64_t{0}, "max", ledger::note::kMaxCosignatureTimestamp, false}};
  int i = 0;
  for (const auto& c : cases) {
    ledger::note::Checkpoint checkpoint;
    checkpoint.origin = kOrigin;
    checkpoint.size = c.size;
    checkpoint.root = ledger::crypto::Sha256({c.root});
    if (c.extension) checkpoint.extensions = {"extension line"};
    const std::string body = ledger::note::FormatCheckpointBody(checkpoint);
    auto line = (*cosigner)->CosignatureLine(body, c.time);
    if (!line.ok()) {
      std::cerr << line.status() << "\n";
      return 1;
    }
    if (!common::WriteFileDurably(absl::StrCat(dir, "/note_", i++),
                                  absl::StrCat(body, "\n", *line))
             .ok()) {
      return 1;
    }
  }
  std::cout << "wrote " << i << " cosigned checkpoints\n";
  return 0;
}

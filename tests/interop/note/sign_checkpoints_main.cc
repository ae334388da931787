// Signs a fixed set of checkpoints with a fixed-seed key and writes them for
// an independent verifier (verify_checkpoints.go):
//   <dir>/vkey            the verifier key, no newline
//   <dir>/checkpoint_<i>  signed notes, i = 0, 1, ...
// Usage: sign_checkpoints <dir>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/durable_file.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/sha256.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/signed_note.h"

namespace {

// Must match verify_checkpoints.go.
constexpr char kOrigin[] = "example.com/aifl-interop";

std::vector<ledger::note::Checkpoint> Checkpoints() {
  std::vector<ledger::note::Checkpoint> out;
  const std::pair<uint64_t, const char*> sizes[] = {
      {0, ""}, {1, "one"}, {20852163, "many"}, {~uint64_t{0}, "max"}};
  for (const auto& [size, seed] : sizes) {
    ledger::note::Checkpoint c;
    c.origin = kOrigin;
    c.size = size;
    c.root = ledger::crypto::Sha256({seed});  // size 0: SHA-256 of nothing.
    out.push_back(c);
  }
  out.back().extensions = {"extension line one", "ext2"};
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: sign_checkpoints <output dir>\n";
    return 2;
  }
  const std::string dir = argv[1];
  std::string seed(32, '\0');
  for (int i = 0; i < 32; ++i) seed[i] = static_cast<char>(i * 7 + 3);
  auto key = ledger::crypto::SigningKey::FromSeed(seed);
  if (!key.ok()) {
    std::cerr << key.status() << "\n";
    return 1;
  }
  auto signer = ledger::note::NoteSigner::Create(kOrigin, std::move(*key));
  if (!signer.ok()) {
    std::cerr << signer.status() << "\n";
    return 1;
  }
  if (!common::WriteFileDurably(dir + "/vkey", (*signer)->VerifierKey()).ok())
    return 1;
  std::cout << (*signer)->VerifierKey() << "\n";
  const std::vector<ledger::note::Checkpoint> checkpoints = Checkpoints();
  for (size_t i = 0; i < checkpoints.size(); ++i) {
    auto note = (*signer)->Sign(FormatCheckpointBody(checkpoints[i]));
    if (!note.ok()) {
      std::cerr << note.status() << "\n";
      return 1;
    }
    if (!common::WriteFileDurably(absl::StrCat(dir, "/checkpoint_", i), *note)
             .ok())
      return 1;
    std::cout << *note << "\n";
  }
  return 0;
}

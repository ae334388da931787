#include "witness/testonly/fake_log.h"

#include "absl/strings/str_cat.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/merkle/node_reader.h"
#include "ledger/note/checkpoint.h"
#include "ledger/witnessing/add_checkpoint_request.h"

namespace witness::testonly {

FakeLog::FakeLog(absl::string_view origin, int key_seed,
                 absl::string_view leaf_seed)
    : origin_(origin), leaf_seed_(leaf_seed) {
  signer_ = *ledger::note::NoteSigner::Create(
      origin, *ledger::crypto::SigningKey::FromSeed(
                  std::string(32, static_cast<char>(key_seed))));
}

void FakeLog::GrowTo(uint64_t size) {
  while (tree_.size() < size) {
    tree_.Append(ledger::merkle::HashLeaf(
        absl::StrCat(leaf_seed_, " leaf ", tree_.size())));
  }
}

ledger::merkle::Hash FakeLog::Root(uint64_t size) const {
  return *tree_.Root(size);
}

std::string FakeLog::Checkpoint(uint64_t size) const {
  ledger::note::Checkpoint c;
  c.origin = origin_;
  c.size = size;
  c.root = Root(size);
  return *signer_->Sign(ledger::note::FormatCheckpointBody(c));
}

std::vector<ledger::merkle::Hash> FakeLog::Proof(uint64_t old_size,
                                                 uint64_t size) const {
  return *ledger::merkle::ConsistencyProof(old_size, size, tree_);
}

std::string FakeLog::Request(uint64_t old_size, uint64_t size) const {
  return ledger::witnessing::FormatAddCheckpointRequest(
      old_size, Proof(old_size, size), Checkpoint(size));
}

std::string FakeLog::LogLine() const {
  return absl::StrCat("log ", signer_->VerifierKey(), "\n");
}

}  // namespace witness::testonly

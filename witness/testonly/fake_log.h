// A log for witness tests and the benchmark: a named Ed25519 key and an
// in-memory RFC 6962 tree whose leaves derive from a seed string, so two
// FakeLogs with one key and different seeds sign conflicting histories (a
// split view). Not thread-safe.
#ifndef WITNESS_TESTONLY_FAKE_LOG_H_
#define WITNESS_TESTONLY_FAKE_LOG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/in_memory_tree.h"
#include "ledger/note/signed_note.h"

namespace witness::testonly {

class FakeLog {
 public:
  // `key_seed` picks the log key (32 bytes of that value); `leaf_seed` the
  // leaves.
  FakeLog(absl::string_view origin, int key_seed, absl::string_view leaf_seed);

  // Appends leaves until the tree has `size` leaves.
  void GrowTo(uint64_t size);

  // The signed checkpoint note of the first `size` leaves.
  std::string Checkpoint(uint64_t size) const;
  ledger::merkle::Hash Root(uint64_t size) const;
  std::vector<ledger::merkle::Hash> Proof(uint64_t old_size,
                                          uint64_t size) const;
  // The add-checkpoint body from `old_size` to `size`, with its proof.
  std::string Request(uint64_t old_size, uint64_t size) const;

  // The `log <vkey>` line for the witness's configuration.
  std::string LogLine() const;
  const std::string& origin() const { return origin_; }
  const ledger::note::NoteSigner& signer() const { return *signer_; }

 private:
  std::string origin_;
  std::string leaf_seed_;
  std::unique_ptr<ledger::note::NoteSigner> signer_;
  mutable ledger::merkle::InMemoryTree tree_;
};

}  // namespace witness::testonly

#endif  // WITNESS_TESTONLY_FAKE_LOG_H_

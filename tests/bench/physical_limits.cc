#include "tests/bench/physical_limits.h"

#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/merkle/hash.h"
#include "ledger/storage/store.h"

namespace ledger::bench {
namespace {

// Calls `fn` in rounds of `round` until `seconds` have passed; returns calls
// per second.
template <typename Fn>
double RatePerSecond(double seconds, int round, Fn fn) {
  const absl::Time start = absl::Now();
  const absl::Time stop = start + absl::Seconds(seconds);
  uint64_t calls = 0;
  absl::Time now = start;
  while (now < stop) {
    for (int i = 0; i < round; ++i) fn(calls + i);
    calls += round;
    now = absl::Now();
  }
  return static_cast<double>(calls) / absl::ToDoubleSeconds(now - start);
}

}  // namespace

absl::StatusOr<double> Ed25519VerifiesPerSecond(size_t message_bytes,
                                                double seconds) {
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::SigningKey> key,
                   crypto::SigningKey::Generate());
  const std::string message(message_bytes, 'm');
  const std::string signature = key->Sign(message);
  const crypto::PublicKey& pub = key->public_key();
  bool all_ok = true;
  const double rate = RatePerSecond(seconds, 64, [&](uint64_t) {
    all_ok &= pub.Verify(message, signature).ok();
  });
  if (!all_ok) return absl::InternalError("a valid signature did not verify");
  return rate;
}

double LeafHashesPerSecond(size_t leaf_bytes, double seconds) {
  std::string leaf(leaf_bytes, 'l');
  uint8_t sink = 0;
  const double rate = RatePerSecond(seconds, 1024, [&](uint64_t i) {
    leaf[0] = static_cast<char>(i);  // a different leaf each time
    sink ^= merkle::HashLeaf(leaf)[0];
  });
  // Keep the hashes observable so the loop is not optimised away.
  if (sink == 0x100) return 0;
  return rate;
}

absl::StatusOr<double> SyncedWritesPerSecond(const std::string& dir,
                                             double seconds) {
  storage::StoreOptions options;
  options.mode = storage::StoreOptions::Mode::kCreate;
  ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store,
                   storage::Store::Open(dir, options));
  absl::Status failed;
  const std::string value(64, 'v');
  const double rate = RatePerSecond(seconds, 1, [&](uint64_t i) {
    storage::Batch batch;
    batch.Put(storage::Family::kMeta, absl::StrCat("probe/", i), value);
    absl::Status s = store->Write(&batch);
    if (!s.ok() && failed.ok()) failed = s;
  });
  RETURN_IF_ERROR(failed);
  return rate;
}

}  // namespace ledger::bench

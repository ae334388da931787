#include "office/replay_state.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "ledger/merkle/compact_range.h"

namespace office {

void SaveReplay(const ledger::LeafReplay& replay,
                aifl::office::monitor::v1::FollowState* state) {
  state->set_verified_size(replay.leaves_done());
  state->clear_frontier();
  for (const ledger::merkle::Hash& h : replay.range().hashes()) {
    state->add_frontier(std::string(h.begin(), h.end()));
  }
  state->set_last_time_micros(replay.last_time_micros());
  state->clear_log_keys();
  for (const ledger::LogKeyEpoch& e : replay.registry().log_keys().epochs()) {
    aifl::office::monitor::v1::LogKeyEpoch* out = state->add_log_keys();
    out->set_announced_at_leaf(e.announced_at_leaf);
    out->set_public_key(std::string(e.key.bytes()));
  }
}

absl::StatusOr<std::unique_ptr<ledger::LeafReplay>> ResumeReplay(
    std::string origin, int threads,
    const aifl::office::monitor::v1::FollowState& state,
    std::vector<ledger::KeyInfo> keys) {
  std::vector<ledger::merkle::Hash> hashes;
  for (const std::string& h : state.frontier()) {
    if (h.size() != ledger::merkle::kHashSize) {
      return absl::DataLossError(absl::StrCat("stored replay state of ", origin,
                                              ": a frontier hash of ", h.size(),
                                              " bytes"));
    }
    ledger::merkle::Hash hash;
    std::copy(h.begin(), h.end(), hash.begin());
    hashes.push_back(hash);
  }
  absl::StatusOr<ledger::merkle::CompactRange> range =
      ledger::merkle::CompactRange::FromFrontier(state.verified_size(),
                                                 std::move(hashes));
  if (!range.ok()) {
    return absl::DataLossError(absl::StrCat("stored replay state of ", origin,
                                            ": ", range.status().message()));
  }
  ledger::LogKeyHistory log_keys;
  for (const aifl::office::monitor::v1::LogKeyEpoch& e : state.log_keys()) {
    absl::StatusOr<ledger::crypto::PublicKey> key =
        ledger::crypto::PublicKey::FromBytes(e.public_key());
    if (!key.ok()) {
      return absl::DataLossError(absl::StrCat("stored log key of ", origin,
                                              ": ", key.status().message()));
    }
    log_keys.Add(e.announced_at_leaf(), *key);
  }
  ledger::KeyRegistry registry;
  for (ledger::KeyInfo& k : keys) registry.Insert(std::move(k));
  registry.set_log_keys(std::move(log_keys));
  registry.TakeDirty();  // what was loaded is stored already
  registry.TakeLogKeysDirty();
  return std::make_unique<ledger::LeafReplay>(
      std::move(origin), threads, /*verify_signatures=*/true,
      std::move(registry), *std::move(range), state.last_time_micros());
}

}  // namespace office

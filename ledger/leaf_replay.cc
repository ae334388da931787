#include "ledger/leaf_replay.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "ledger/admission.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"

namespace ledger {
namespace {

struct Pending {
  uint64_t index;
  entry::Envelope envelope;
  crypto::PublicKey key;
};

// Verifies the signatures of one chunk on `threads` threads; returns the
// position of the first failure, if any, and its status.
std::optional<std::pair<size_t, absl::Status>> VerifyChunk(
    const std::vector<Pending>& chunk, const std::string& origin, int threads) {
  std::vector<absl::Status> status(chunk.size());
  auto work = [&](size_t begin, size_t step) {
    for (size_t i = begin; i < chunk.size(); i += step) {
      const entry::Envelope& e = chunk[i].envelope;
      status[i] =
          chunk[i].key.Verify(entry::SignedMessage(origin, e.key_id, e.sequence,
                                                   e.payload_type, e.payload),
                              e.signature);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, t, threads);
  work(0, threads);
  for (auto& th : pool) th.join();
  for (size_t i = 0; i < status.size(); ++i) {
    if (!status[i].ok()) return std::make_pair(i, status[i]);
  }
  return std::nullopt;
}

LeafFailure Failure(uint64_t index, absl::string_view why) {
  return LeafFailure{index, absl::StrCat("leaf ", index, ": ", why)};
}

}  // namespace

std::optional<LeafFailure> LeafReplay::Replay(
    absl::Span<const std::string> leaves, const Observer& observer) {
  std::vector<Pending> chunk;
  chunk.reserve(leaves.size());
  std::vector<std::pair<merkle::NodeId, merkle::Hash>> completed;
  for (const std::string& bytes : leaves) {
    const uint64_t i = range_.size();
    auto leaf = entry::ParseLeaf(bytes);
    if (!leaf.ok()) return Failure(i, leaf.status().message());
    if (leaf->integration_time_micros < last_time_) {
      return Failure(i, "integration time goes backwards");
    }
    last_time_ = leaf->integration_time_micros;
    auto envelope = entry::ParseEnvelope(leaf->envelope);
    if (!envelope.ok()) return Failure(i, envelope.status().message());
    absl::StatusOr<Admission> admitted =
        Admit(registry_, *envelope, i, origin_, AdmissionMode::kReplay);
    if (!admitted.ok()) return Failure(i, admitted.status().message());
    std::optional<aifl::ledger::v1::KeyEvent>& event = admitted->event;
    absl::Status applied =
        registry_.Apply(*envelope, i, event ? &*event : nullptr);
    if (!applied.ok()) return Failure(i, applied.message());
    if (verify_signatures_) {
      chunk.push_back({i, std::move(*envelope), admitted->signer_key});
    }

    completed.clear();
    range_.Append(merkle::HashLeaf(bytes), &completed);
    if (observer) observer(i, range_, completed);
  }
  // Most specific evidence first: a bad signature names its leaf.
  if (auto bad = VerifyChunk(chunk, origin_, threads_); bad.has_value()) {
    return Failure(chunk[bad->first].index, bad->second.message());
  }
  return std::nullopt;
}

}  // namespace ledger

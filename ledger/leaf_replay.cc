#include "ledger/leaf_replay.h"

#include <cassert>
#include <thread>

#include "absl/strings/str_cat.h"
#include "ledger/admission.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"

namespace ledger {
namespace {

LeafFailure Failure(uint64_t index, absl::string_view why) {
  return LeafFailure{index, absl::StrCat("leaf ", index, ": ", why)};
}

}  // namespace

std::optional<LeafFailure> DeferredSignatures::VerifyOne(size_t i) const {
  const entry::Envelope& e = pending_[i].envelope;
  absl::Status ok =
      pending_[i].key.Verify(entry::SignedMessage(origin_, e.key_id, e.sequence,
                                                  e.payload_type, e.payload),
                             e.signature);
  if (ok.ok()) return std::nullopt;
  return Failure(pending_[i].index, ok.message());
}

std::optional<LeafFailure> DeferredSignatures::Verify(int threads) const {
  if (threads < 1) threads = 1;
  std::vector<std::optional<LeafFailure>> bad(pending_.size());
  auto work = [&](size_t begin, size_t step) {
    for (size_t i = begin; i < pending_.size(); i += step)
      bad[i] = VerifyOne(i);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, t, threads);
  work(0, threads);
  for (auto& th : pool) th.join();
  // Leaves were added in order: the first bad one is the lowest index.
  for (std::optional<LeafFailure>& b : bad) {
    if (b.has_value()) return std::move(b);
  }
  return std::nullopt;
}

std::optional<LeafFailure> LeafReplay::Replay(
    absl::Span<const std::string> leaves, const Observer& observer) {
  DeferredSignatures signatures(origin_);
  if (auto bad = ReplayDeferred(leaves, &signatures, observer)) return bad;
  // Most specific evidence first: a bad signature names its leaf.
  return signatures.Verify(threads_);
}

std::optional<LeafFailure> LeafReplay::ReplayDeferred(
    absl::Span<const std::string> leaves, DeferredSignatures* signatures,
    const Observer& observer) {
  return ReplayLeaves(leaves, {}, signatures, observer);
}

std::optional<LeafFailure> LeafReplay::ReplayDeferred(
    absl::Span<const std::string> leaves,
    absl::Span<const merkle::Hash> leaf_hashes, DeferredSignatures* signatures,
    const Observer& observer) {
  assert(leaf_hashes.size() == leaves.size());
  return ReplayLeaves(leaves, leaf_hashes, signatures, observer);
}

std::optional<LeafFailure> LeafReplay::ReplayLeaves(
    absl::Span<const std::string> leaves,
    absl::Span<const merkle::Hash> leaf_hashes, DeferredSignatures* signatures,
    const Observer& observer) {
  std::vector<std::pair<merkle::NodeId, merkle::Hash>> completed;
  for (size_t k = 0; k < leaves.size(); ++k) {
    const std::string& bytes = leaves[k];
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
      signatures->Add(i, std::move(*envelope), admitted->signer_key);
    }

    completed.clear();
    range_.Append(
        leaf_hashes.empty() ? merkle::HashLeaf(bytes) : leaf_hashes[k],
        &completed);
    if (observer) observer(i, range_, completed);
  }
  return std::nullopt;
}

}  // namespace ledger

#include "ledger/derived_state_check.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ledger/admission.h"
#include "ledger/entry/byte_io.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/node_id.h"
#include "ledger/storage_keys.h"

namespace ledger {
namespace {

using storage::Family;

// Admits leaf `index` by the one admission rule, as the audit replays it
// (admission.h, kReplay), and applies it to `registry`. Signatures are the
// audit's business. kDataLoss when it does not parse, is not admissible or
// cannot be applied.
absl::Status ReplayLeaf(uint64_t index, absl::string_view bytes,
                        absl::string_view origin, KeyRegistry& registry) {
  auto leaf = entry::ParseLeaf(bytes);
  if (!leaf.ok()) {
    return absl::DataLossError(
        absl::StrCat("leaf ", index, ": ", leaf.status().message()));
  }
  auto envelope = entry::ParseEnvelope(leaf->envelope);
  if (!envelope.ok()) {
    return absl::DataLossError(
        absl::StrCat("leaf ", index, ": ", envelope.status().message()));
  }
  absl::StatusOr<Admission> admitted =
      Admit(registry, *envelope, index, origin, AdmissionMode::kReplay);
  if (!admitted.ok()) {
    return absl::DataLossError(
        absl::StrCat("leaf ", index, ": ", admitted.status().message()));
  }
  const std::optional<aifl::ledger::v1::KeyEvent>& event = admitted->event;
  absl::Status applied =
      registry.Apply(*envelope, index, event ? &*event : nullptr);
  if (!applied.ok()) {
    return absl::DataLossError(
        absl::StrCat("leaf ", index, ": ", applied.message()));
  }
  return absl::OkStatus();
}

absl::Status Differs(absl::string_view what) {
  return absl::DataLossError(absl::StrCat(
      "the stored key registry differs from the one replayed from the "
      "leaves: ",
      what,
      " (derived state was edited; run `ledgerctl verify` and restore or "
      "rebuild the folder)"));
}

}  // namespace

absl::Status CheckKeyRegistryReplay(const storage::Store& store,
                                    uint64_t tree_size,
                                    const KeyRegistry& stored) {
  absl::StatusOr<std::optional<std::string>> origin =
      store.Get(Family::kMeta, keys::kOrigin);
  if (!origin.ok()) return origin.status();
  if (!origin->has_value())
    return absl::DataLossError("the ledger database has no origin");
  KeyRegistry replayed;
  absl::Status problem;
  uint64_t expected = 0;
  absl::Status scanned =
      store.Scan(Family::kLeaves, keys::Leaf(0), keys::Leaf(tree_size),
                 [&](absl::string_view key, absl::string_view value) {
                   const uint64_t index = entry::DecodeU64(key);
                   if (index != expected) {
                     problem = absl::DataLossError(
                         absl::StrCat("leaf ", expected, " is missing"));
                     return false;
                   }
                   ++expected;
                   problem = ReplayLeaf(index, value, **origin, replayed);
                   // The dirty list only matters to appends; keep it from
                   // growing.
                   if (index % 4096 == 0) replayed.TakeDirty();
                   return problem.ok();
                 });
  if (!scanned.ok()) return scanned;
  if (!problem.ok()) return problem;
  if (expected != tree_size) {
    return absl::DataLossError(absl::StrCat("leaf ", expected, " is missing"));
  }
  if (replayed.size() != stored.size()) {
    return Differs(absl::StrCat(stored.size(), " stored keys, ",
                                replayed.size(), " enrolled in the leaves"));
  }
  for (const KeyInfo& info : stored.All()) {
    const KeyInfo* mine = replayed.Find(info.id);
    if (mine == nullptr) {
      return Differs(absl::StrCat("key ", info.id.ToString(),
                                  " is stored but never enrolled"));
    }
    if (EncodeKeyInfo(*mine) != EncodeKeyInfo(info)) {
      return Differs(absl::StrCat("the record of key ", info.id.ToString()));
    }
  }
  const auto& a = replayed.log_keys().epochs();
  const auto& b = stored.log_keys().epochs();
  bool same = a.size() == b.size();
  for (size_t i = 0; same && i < a.size(); ++i) {
    same = a[i].announced_at_leaf == b[i].announced_at_leaf &&
           a[i].key == b[i].key;
  }
  if (!same) return Differs("the log-key history");
  return absl::OkStatus();
}

absl::Status CheckNewestLeaves(const storage::Store& store, TreeState& tree,
                               uint64_t tree_size, uint64_t count) {
  const uint64_t first = tree_size > count ? tree_size - count : 0;
  std::vector<merkle::NodeId> ids;
  std::vector<merkle::Hash> hashes;
  absl::Status scanned =
      store.Scan(Family::kLeaves, keys::Leaf(first), keys::Leaf(tree_size),
                 [&](absl::string_view key, absl::string_view value) {
                   ids.push_back(merkle::NodeId{0, entry::DecodeU64(key)});
                   hashes.push_back(merkle::HashLeaf(value));
                   return true;
                 });
  if (!scanned.ok()) return scanned;
  for (uint64_t i = 0; i < tree_size - first; ++i) {
    if (i >= ids.size() || ids[i].index != first + i) {
      return absl::DataLossError(
          absl::StrCat("leaf ", first + i, " is missing"));
    }
  }
  auto stored = tree.ReadNodes(ids);
  if (!stored.ok()) return stored.status();
  for (size_t i = 0; i < ids.size(); ++i) {
    if ((*stored)[i] != hashes[i]) {
      return absl::DataLossError(absl::StrCat(
          "leaf ", ids[i].index,
          ": its bytes do not hash to the stored tree's leaf hash (the leaf "
          "was changed in storage; run `ledgerctl verify`)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace ledger

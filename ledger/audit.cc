#include "ledger/audit.h"

#include <sys/stat.h>

#include <map>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/checkpoint_note.h"
#include "ledger/entry/byte_io.h"
#include "ledger/key_registry.h"
#include "ledger/leaf_replay.h"
#include "ledger/ledger.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/storage_keys.h"
#include "ledger/stored_log_keys.h"
#include "ledger/tree_state.h"

namespace ledger {
namespace {

using merkle::Hash;
using storage::Family;

constexpr uint64_t kChunk = 4096;

AuditReport Fail(AuditReport report, std::optional<uint64_t> index,
                 std::string problem) {
  report.ok = false;
  report.first_bad_index = index;
  report.problem = std::move(problem);
  return report;
}

}  // namespace

absl::StatusOr<AuditReport> AuditStore(const storage::Store& store,
                                       const AuditOptions& options) {
  AuditReport report;
  ASSIGN_OR_RETURN(auto origin, store.Get(Family::kMeta, keys::kOrigin));
  ASSIGN_OR_RETURN(auto size_bytes, store.Get(Family::kMeta, keys::kTreeSize));
  ASSIGN_OR_RETURN(auto log_pub_bytes,
                   store.Get(Family::kMeta, keys::kLogPublicKey));
  if (!origin.has_value() || !log_pub_bytes.has_value()) {
    return Fail(report, std::nullopt,
                "not a ledger: the origin or log key is missing");
  }
  auto log_pub = crypto::PublicKey::FromBytes(*log_pub_bytes);
  if (!log_pub.ok())
    return Fail(report, std::nullopt, "the stored log public key is invalid");
  const uint64_t size =
      size_bytes.has_value() ? entry::DecodeU64(*size_bytes) : 0;
  absl::StatusOr<std::optional<uint64_t>> simulated =
      ReadSimulatedClockMark(store);
  if (!simulated.ok())
    return Fail(report, std::nullopt,
                std::string(simulated.status().message()));
  report.simulated_clock_since = *simulated;
  // The stored log-key history verifies the checkpoints; it is compared
  // with the one replayed from the leaves at the end.
  absl::StatusOr<LogKeyHistory> stored_log_keys = ReadLogKeyHistory(store);
  if (!stored_log_keys.ok()) {
    return Fail(report, std::nullopt,
                std::string(stored_log_keys.status().message()));
  }
  const LogKeyHistory& log_keys = *stored_log_keys;
  if (log_keys.empty()) {
    return Fail(report, std::nullopt, "no log key has been announced");
  }

  // Every stored checkpoint, by size: each must verify with the log key for
  // its size, a handover (the first after a LogKey) with the previous key
  // too, and match the leaves.
  std::map<uint64_t, CheckpointFields> checkpoints;
  std::string checkpoint_problem;
  std::optional<size_t> previous_epoch;
  RETURN_IF_ERROR(store.Scan(
      Family::kMeta, "checkpoint/", "checkpoint0",
      [&](absl::string_view key, absl::string_view note) {
        if (key.size() != 19) {
          checkpoint_problem = "a checkpoint is stored under a malformed key";
          return false;
        }
        const uint64_t key_size = entry::DecodeU64(key.substr(11));
        const size_t epoch = log_keys.EpochForSize(key_size);
        const bool handover =
            epoch >= 1 && (!previous_epoch || *previous_epoch < epoch);
        const size_t first_new = previous_epoch ? *previous_epoch + 1 : 1;
        if (handover && epoch > first_new) {
          checkpoint_problem =
              absl::StrCat("the stored checkpoint of size ", key_size,
                           " follows the log-key announcements at leaves ",
                           log_keys.epochs()[epoch - 1].announced_at_leaf,
                           " and ", log_keys.epochs()[epoch].announced_at_leaf,
                           " without a handover checkpoint between them");
          return false;
        }
        previous_epoch = epoch;
        auto fields = log_keys.VerifyCheckpoint(note, *origin, handover);
        if (!fields.ok()) {
          checkpoint_problem =
              absl::StrCat("the stored checkpoint of size ", key_size,
                           " does not verify: ", fields.status().message());
          return false;
        }
        if (fields->size != key_size) {
          checkpoint_problem = "a checkpoint is stored under a wrong size";
          return false;
        }
        checkpoints[fields->size] = *fields;
        return true;
      }));
  if (!checkpoint_problem.empty())
    return Fail(report, std::nullopt, checkpoint_problem);
  ASSIGN_OR_RETURN(auto latest,
                   store.Get(Family::kMeta, keys::kLatestCheckpoint));
  if (!latest.has_value() || checkpoints.empty()) {
    return Fail(report, std::nullopt, "no signed checkpoint is stored");
  }
  auto latest_fields = log_keys.VerifyCheckpoint(*latest, *origin, false);
  if (!latest_fields.ok()) {
    return Fail(report, std::nullopt,
                absl::StrCat("the latest checkpoint does not verify: ",
                             latest_fields.status().message()));
  }
  report.latest_checkpoint_size = latest_fields->size;
  if (checkpoints.rbegin()->first != latest_fields->size) {
    return Fail(report, std::nullopt,
                "the latest checkpoint is not the largest stored one");
  }
  if (latest_fields->size > size) {
    return Fail(
        report, std::nullopt,
        absl::StrCat("the latest checkpoint covers ", latest_fields->size,
                     " leaves but only ", size, " are stored"));
  }

  // The stored tree is compared node by node with the recomputed one, so a
  // changed leaf or tree hash is pinned to its index.
  ASSIGN_OR_RETURN(std::unique_ptr<TreeState> tree,
                   TreeState::Load(&store, size, /*recent_blocks=*/0));
  LeafReplay replay(*origin, options.threads);
  for (uint64_t start = 0; start < size; start += kChunk) {
    const uint64_t end = std::min(size, start + kChunk);
    // The leaves present from `start` on, up to the first missing one.
    std::vector<std::string> leaves;
    std::optional<uint64_t> missing;
    RETURN_IF_ERROR(
        store.Scan(Family::kLeaves, keys::Leaf(start), keys::Leaf(end),
                   [&](absl::string_view key, absl::string_view value) {
                     if (entry::DecodeU64(key) != start + leaves.size())
                       return false;
                     leaves.emplace_back(value);
                     return true;
                   }));
    if (start + leaves.size() < end) missing = start + leaves.size();
    std::vector<merkle::NodeId> node_ids;
    std::vector<Hash> node_hashes;
    std::vector<uint64_t>
        node_leaf;  // the leaf whose append completed the node
    std::optional<std::pair<uint64_t, uint64_t>>
        root_mismatch;  // (leaf, checkpoint size)
    const auto observe =
        [&](uint64_t i, const merkle::CompactRange& range,
            absl::Span<const std::pair<merkle::NodeId, Hash>> completed) {
          for (const auto& [id, hash] : completed) {
            node_ids.push_back(id);
            node_hashes.push_back(hash);
            node_leaf.push_back(i);
          }
          auto cp = checkpoints.find(i + 1);
          if (cp != checkpoints.end()) {
            if (range.Root() != cp->second.root && !root_mismatch)
              root_mismatch = {i, i + 1};
            ++report.checkpoints;
          }
        };
    if (std::optional<LeafFailure> bad = replay.Replay(leaves, observe)) {
      return Fail(report, bad->index, bad->problem);
    }
    if (missing) {
      return Fail(report, *missing,
                  absl::StrCat("leaf ", *missing, " is missing"));
    }
    auto stored_nodes = tree->ReadNodes(node_ids);
    if (!stored_nodes.ok()) {
      return Fail(
          report, std::nullopt,
          absl::StrCat("stored tree: ", stored_nodes.status().message()));
    }
    for (size_t n = 0; n < node_ids.size(); ++n) {
      if ((*stored_nodes)[n] != node_hashes[n]) {
        const uint64_t leaf = node_leaf[n];
        return Fail(
            report,
            node_ids[n].level == 0 ? std::optional<uint64_t>(leaf)
                                   : std::nullopt,
            node_ids[n].level == 0
                ? absl::StrCat("leaf ", leaf,
                               ": its hash differs from the stored tree (the "
                               "leaf or the "
                               "tree block was changed)")
                : absl::StrCat("stored tree node ", node_ids[n].ToString(),
                               " differs from the hash of its leaves"));
      }
    }
    if (root_mismatch) {
      return Fail(
          report, root_mismatch->first,
          absl::StrCat(
              "the leaves do not reproduce the checkpoint root at size ",
              root_mismatch->second));
    }
    report.entries = end;
    if (options.progress) options.progress(end, size);
  }
  if (checkpoints.count(0) != 0) ++report.checkpoints;
  report.root = replay.range().Root();

  // The stored tree must give the same root as the leaves.
  if (tree->Root() != report.root) {
    return Fail(report, std::nullopt,
                "the stored tree hashes do not match the leaves");
  }
  for (const auto& [cp_size, fields] : checkpoints) {
    auto root = tree->RootAt(cp_size);
    if (!root.ok() || *root != fields.root) {
      return Fail(
          report, std::nullopt,
          absl::StrCat(
              "the stored tree does not reproduce the checkpoint at size ",
              cp_size));
    }
  }
  // The stored (derived) key registry must equal the replayed one.
  const KeyRegistry& registry = replay.registry();
  size_t stored_keys = 0;
  std::string key_problem;
  RETURN_IF_ERROR(store.Scan(
      Family::kKeys, "", "", [&](absl::string_view, absl::string_view v) {
        ++stored_keys;
        auto info = DecodeKeyInfo(v);
        const KeyInfo* replayed = info.ok() ? registry.Find(info->id) : nullptr;
        if (replayed == nullptr ||
            EncodeKeyInfo(*replayed) != EncodeKeyInfo(*info)) {
          key_problem =
              "the stored key registry differs from the one replayed from the "
              "leaves";
          return false;
        }
        return true;
      }));
  if (key_problem.empty() && stored_keys != registry.size()) {
    key_problem =
        "the stored key registry has a different number of keys than the "
        "leaves enrol";
  }
  if (!key_problem.empty()) return Fail(report, std::nullopt, key_problem);
  // The stored log-key history (and current key) must equal the replayed.
  const std::vector<LogKeyEpoch>& replayed = registry.log_keys().epochs();
  bool same_history = replayed.size() == log_keys.epochs().size();
  for (size_t i = 0; same_history && i < replayed.size(); ++i) {
    same_history = replayed[i].announced_at_leaf ==
                       log_keys.epochs()[i].announced_at_leaf &&
                   replayed[i].key == log_keys.epochs()[i].key;
  }
  if (!same_history) {
    return Fail(report, std::nullopt,
                "the stored log-key history differs from the LogKey events "
                "in the leaves");
  }
  if (*log_pub != log_keys.current().key) {
    return Fail(report, std::nullopt,
                "the stored current log key is not the last one announced");
  }
  report.ok = true;
  return report;
}

absl::StatusOr<AuditReport> AuditLedgerDir(const std::string& dir,
                                           const AuditOptions& options) {
  struct stat st;
  const std::string db =
      ::stat((dir + "/CURRENT").c_str(), &st) == 0 ? dir : DbPath(dir);
  storage::StoreOptions store_options;
  store_options.mode = storage::StoreOptions::Mode::kReadOnly;
  ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store,
                   storage::Store::Open(db, store_options));
  return AuditStore(*store, options);
}

}  // namespace ledger

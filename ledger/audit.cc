#include "ledger/audit.h"

#include <sys/stat.h>

#include <map>
#include <variant>

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

// An audit finding: the first bad leaf index where known, and what is wrong.
struct Problem {
  std::optional<uint64_t> index;
  std::string text;
};

std::optional<Problem> Bad(std::string text,
                           std::optional<uint64_t> index = std::nullopt) {
  return Problem{index, std::move(text)};
}

// A check's outcome: a store error, a problem, or nothing wrong (nullopt).
using CheckResult = absl::StatusOr<std::optional<Problem>>;

// What identifies the log: its origin, stored size, current log key and the
// stored log-key history that verifies the checkpoints.
struct LogIdentity {
  std::string origin;
  uint64_t size = 0;
  crypto::PublicKey log_pub;
  LogKeyHistory log_keys;
};

// Reads the log's identity, or the problem that makes the store no ledger.
// Sets report->simulated_clock_since.
absl::StatusOr<std::variant<LogIdentity, Problem>> ReadLogIdentity(
    const storage::Store& store, AuditReport* report) {
  ASSIGN_OR_RETURN(auto origin, store.Get(Family::kMeta, keys::kOrigin));
  ASSIGN_OR_RETURN(auto size_bytes, store.Get(Family::kMeta, keys::kTreeSize));
  ASSIGN_OR_RETURN(auto log_pub_bytes,
                   store.Get(Family::kMeta, keys::kLogPublicKey));
  if (!origin.has_value() || !log_pub_bytes.has_value()) {
    return *Bad("not a ledger: the origin or log key is missing");
  }
  auto log_pub = crypto::PublicKey::FromBytes(*log_pub_bytes);
  if (!log_pub.ok()) return *Bad("the stored log public key is invalid");
  const uint64_t size =
      size_bytes.has_value() ? entry::DecodeU64(*size_bytes) : 0;
  absl::StatusOr<std::optional<uint64_t>> simulated =
      ReadSimulatedClockMark(store);
  if (!simulated.ok()) return *Bad(std::string(simulated.status().message()));
  report->simulated_clock_since = *simulated;
  // The stored log-key history verifies the checkpoints; it is compared
  // with the one replayed from the leaves at the end.
  absl::StatusOr<LogKeyHistory> stored_log_keys = ReadLogKeyHistory(store);
  if (!stored_log_keys.ok()) {
    return *Bad(std::string(stored_log_keys.status().message()));
  }
  if (stored_log_keys->empty()) return *Bad("no log key has been announced");
  return LogIdentity{*std::move(origin), size, *std::move(log_pub),
                     *std::move(stored_log_keys)};
}

// Every stored checkpoint, by size: each must verify with the log key for
// its size, a handover (the first after a LogKey) with the previous key
// too, and match the leaves. Fills *checkpoints.
CheckResult ReadStoredCheckpoints(
    const storage::Store& store, const LogIdentity& log,
    std::map<uint64_t, CheckpointFields>* checkpoints) {
  const LogKeyHistory& log_keys = log.log_keys;
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
        auto fields = log_keys.VerifyCheckpoint(note, log.origin, handover);
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
        (*checkpoints)[fields->size] = *fields;
        return true;
      }));
  if (!checkpoint_problem.empty()) return Bad(checkpoint_problem);
  return std::optional<Problem>();
}

// The latest checkpoint must verify, be the largest stored one and cover no
// more leaves than are stored. Sets report->latest_checkpoint_size.
CheckResult CheckLatestCheckpoint(
    const storage::Store& store, const LogIdentity& log,
    const std::map<uint64_t, CheckpointFields>& checkpoints,
    AuditReport* report) {
  ASSIGN_OR_RETURN(auto latest,
                   store.Get(Family::kMeta, keys::kLatestCheckpoint));
  if (!latest.has_value() || checkpoints.empty()) {
    return Bad("no signed checkpoint is stored");
  }
  auto latest_fields =
      log.log_keys.VerifyCheckpoint(*latest, log.origin, false);
  if (!latest_fields.ok()) {
    return Bad(absl::StrCat("the latest checkpoint does not verify: ",
                            latest_fields.status().message()));
  }
  report->latest_checkpoint_size = latest_fields->size;
  if (checkpoints.rbegin()->first != latest_fields->size) {
    return Bad("the latest checkpoint is not the largest stored one");
  }
  if (latest_fields->size > log.size) {
    return Bad(absl::StrCat("the latest checkpoint covers ",
                            latest_fields->size, " leaves but only ", log.size,
                            " are stored"));
  }
  return std::optional<Problem>();
}

// The tree nodes completed by replaying one chunk of leaves.
struct ReplayedNodes {
  std::vector<merkle::NodeId> ids;
  std::vector<Hash> hashes;
  std::vector<uint64_t> leaf;  // the leaf whose append completed the node
};

// Compares the stored tree nodes with the recomputed ones, so a changed leaf
// or tree hash is pinned to its index.
CheckResult CompareStoredNodes(TreeState& tree, const ReplayedNodes& nodes) {
  auto stored_nodes = tree.ReadNodes(nodes.ids);
  if (!stored_nodes.ok()) {
    return Bad(absl::StrCat("stored tree: ", stored_nodes.status().message()));
  }
  for (size_t n = 0; n < nodes.ids.size(); ++n) {
    if ((*stored_nodes)[n] != nodes.hashes[n]) {
      const uint64_t leaf = nodes.leaf[n];
      return Bad(
          nodes.ids[n].level == 0
              ? absl::StrCat("leaf ", leaf,
                             ": its hash differs from the stored tree (the "
                             "leaf or the "
                             "tree block was changed)")
              : absl::StrCat("stored tree node ", nodes.ids[n].ToString(),
                             " differs from the hash of its leaves"),
          nodes.ids[n].level == 0 ? std::optional<uint64_t>(leaf)
                                  : std::nullopt);
    }
  }
  return std::optional<Problem>();
}

// Replays the leaves [start, end) and compares them with the stored tree and
// the checkpoints. Counts the checkpoints met in report->checkpoints.
CheckResult AuditChunk(const storage::Store& store, TreeState& tree,
                       const std::map<uint64_t, CheckpointFields>& checkpoints,
                       uint64_t start, uint64_t end, LeafReplay* replay,
                       AuditReport* report) {
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
  ReplayedNodes nodes;
  std::optional<std::pair<uint64_t, uint64_t>>
      root_mismatch;  // (leaf, checkpoint size)
  const auto observe =
      [&](uint64_t i, const merkle::CompactRange& range,
          absl::Span<const std::pair<merkle::NodeId, Hash>> completed) {
        for (const auto& [id, hash] : completed) {
          nodes.ids.push_back(id);
          nodes.hashes.push_back(hash);
          nodes.leaf.push_back(i);
        }
        auto cp = checkpoints.find(i + 1);
        if (cp != checkpoints.end()) {
          if (range.Root() != cp->second.root && !root_mismatch)
            root_mismatch = {i, i + 1};
          ++report->checkpoints;
        }
      };
  if (std::optional<LeafFailure> bad = replay->Replay(leaves, observe)) {
    return Bad(bad->problem, bad->index);
  }
  if (missing)
    return Bad(absl::StrCat("leaf ", *missing, " is missing"), missing);
  ASSIGN_OR_RETURN(std::optional<Problem> node_problem,
                   CompareStoredNodes(tree, nodes));
  if (node_problem) return node_problem;
  if (root_mismatch) {
    return Bad(
        absl::StrCat("the leaves do not reproduce the checkpoint root at size ",
                     root_mismatch->second),
        root_mismatch->first);
  }
  return std::optional<Problem>();
}

// The stored tree must give the same root as the leaves, now and at every
// checkpoint.
std::optional<Problem> CheckTreeRoots(
    TreeState& tree, const Hash& root,
    const std::map<uint64_t, CheckpointFields>& checkpoints) {
  if (tree.Root() != root) {
    return Bad("the stored tree hashes do not match the leaves");
  }
  for (const auto& [cp_size, fields] : checkpoints) {
    auto root_at = tree.RootAt(cp_size);
    if (!root_at.ok() || *root_at != fields.root) {
      return Bad(absl::StrCat(
          "the stored tree does not reproduce the checkpoint at size ",
          cp_size));
    }
  }
  return std::nullopt;
}

// The stored (derived) key registry must equal the replayed one.
CheckResult CheckKeyRegistry(const storage::Store& store,
                             const KeyRegistry& registry) {
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
  if (!key_problem.empty()) return Bad(key_problem);
  return std::optional<Problem>();
}

// The stored log-key history (and current key) must equal the replayed.
std::optional<Problem> CheckLogKeyHistory(const KeyRegistry& registry,
                                          const LogIdentity& log) {
  const LogKeyHistory& log_keys = log.log_keys;
  const std::vector<LogKeyEpoch>& replayed = registry.log_keys().epochs();
  bool same_history = replayed.size() == log_keys.epochs().size();
  for (size_t i = 0; same_history && i < replayed.size(); ++i) {
    same_history = replayed[i].announced_at_leaf ==
                       log_keys.epochs()[i].announced_at_leaf &&
                   replayed[i].key == log_keys.epochs()[i].key;
  }
  if (!same_history) {
    return Bad(
        "the stored log-key history differs from the LogKey events "
        "in the leaves");
  }
  if (log.log_pub != log_keys.current().key) {
    return Bad("the stored current log key is not the last one announced");
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<AuditReport> AuditStore(const storage::Store& store,
                                       const AuditOptions& options) {
  AuditReport report;
  ASSIGN_OR_RETURN(auto identity, ReadLogIdentity(store, &report));
  if (const Problem* problem = std::get_if<Problem>(&identity)) {
    return Fail(report, problem->index, problem->text);
  }
  const LogIdentity& log = std::get<LogIdentity>(identity);

  std::map<uint64_t, CheckpointFields> checkpoints;
  ASSIGN_OR_RETURN(std::optional<Problem> problem,
                   ReadStoredCheckpoints(store, log, &checkpoints));
  if (problem) return Fail(report, problem->index, problem->text);
  ASSIGN_OR_RETURN(problem,
                   CheckLatestCheckpoint(store, log, checkpoints, &report));
  if (problem) return Fail(report, problem->index, problem->text);

  ASSIGN_OR_RETURN(std::unique_ptr<TreeState> tree,
                   TreeState::Load(&store, log.size, /*recent_blocks=*/0));
  LeafReplay replay(log.origin, options.threads);
  for (uint64_t start = 0; start < log.size; start += kChunk) {
    const uint64_t end = std::min(log.size, start + kChunk);
    ASSIGN_OR_RETURN(problem, AuditChunk(store, *tree, checkpoints, start, end,
                                         &replay, &report));
    if (problem) return Fail(report, problem->index, problem->text);
    report.entries = end;
    if (options.progress) options.progress(end, log.size);
  }
  if (checkpoints.count(0) != 0) ++report.checkpoints;
  report.root = replay.range().Root();

  problem = CheckTreeRoots(*tree, report.root, checkpoints);
  if (problem) return Fail(report, problem->index, problem->text);
  ASSIGN_OR_RETURN(problem, CheckKeyRegistry(store, replay.registry()));
  if (problem) return Fail(report, problem->index, problem->text);
  problem = CheckLogKeyHistory(replay.registry(), log);
  if (problem) return Fail(report, problem->index, problem->text);
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

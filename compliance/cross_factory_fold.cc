#include "compliance/cross_factory_fold.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "compliance/office_evidence.h"
#include "rules/payload_types.h"
#include "schema/collector.pb.h"
#include "schema/provider.pb.h"

namespace compliance {
namespace {

// A factory's model state and its global key before lineage.
struct Node {
  GlobalModelKey key;
  std::string origin;
  const rules::ModelState* state;
};

// Union-find over key texts; the root of a group is its model's key.
class Groups {
 public:
  std::string Find(const std::string& k) const {
    std::string at = k;
    for (auto it = parent_.find(at); it != parent_.end() && it->second != at;
         it = parent_.find(at)) {
      at = it->second;
    }
    return at;
  }
  // `joining`'s group becomes part of `into`'s.
  void Join(const std::string& joining, const std::string& into) {
    const std::string a = Find(joining), b = Find(into);
    if (a != b) parent_[a] = b;
  }

 private:
  std::map<std::string, std::string> parent_;
};

}  // namespace

std::vector<std::string> GlobalModel::Origins() const {
  std::vector<std::string> out;
  for (const Share& s : shares) out.push_back(s.origin);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

absl::StatusOr<std::unique_ptr<CrossFactoryFold>> CrossFactoryFold::Create(
    rules::RulePack pack, uint64_t max_evidence_leaves) {
  // Validate the pack once, as every origin's fold will.
  RETURN_IF_ERROR(LogFold::Create(pack).status());
  return std::unique_ptr<CrossFactoryFold>(
      new CrossFactoryFold(std::move(pack), max_evidence_leaves));
}

absl::StatusOr<CrossFactoryFold::OriginLog*> CrossFactoryFold::LogFor(
    const std::string& origin, uint64_t index) {
  if (origin.empty()) {
    return absl::InvalidArgumentError("origin: got \"\", want a log origin");
  }
  if (index > kLeafMask) {
    return absl::OutOfRangeError(
        absl::StrCat(origin, ": leaf index ", index,
                     " does not fit Office evidence (2^40)"));
  }
  auto it = logs_.find(origin);
  if (it == logs_.end()) {
    if (index != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          origin, ": leaf index: got ", index, ", want 0 (a new log)"));
    }
    OriginLog log;
    log.replay = std::make_unique<ledger::LeafReplay>(
        origin, /*threads=*/1, /*verify_signatures=*/false);
    ASSIGN_OR_RETURN(log.fold, LogFold::Create(pack_, max_evidence_leaves_));
    it = logs_.emplace(origin, std::move(log)).first;
  }
  if (!it->second.stopped.ok()) return it->second.stopped;
  if (index != it->second.fold->next_leaf()) {
    return absl::FailedPreconditionError(
        absl::StrCat(origin, ": leaf index: got ", index, ", want ",
                     it->second.fold->next_leaf()));
  }
  return &it->second;
}

absl::StatusOr<LogFold::Added> CrossFactoryFold::Add(
    const std::string& origin, uint64_t index, absl::string_view leaf_bytes) {
  ASSIGN_OR_RETURN(OriginLog * log, LogFor(origin, index));
  // Parse first: a leaf that does not parse changes nothing.
  absl::StatusOr<ConvertedLeaf> converted =
      ConvertLeaf(index, leaf_bytes, [](const ledger::crypto::KeyId&) {
        return std::optional<ledger::KeyInfo>();
      });
  if (!converted.ok()) {
    return absl::DataLossError(
        absl::StrCat(origin, ": ", converted.status().message()));
  }
  const std::string leaf(leaf_bytes);
  if (std::optional<ledger::LeafFailure> failure =
          log->replay->Replay(absl::MakeConstSpan(&leaf, 1))) {
    // LeafReplay must not be used after a failure: this origin stops here.
    log->stopped =
        absl::DataLossError(absl::StrCat(origin, ": ", failure->problem));
    return log->stopped;
  }
  // The registry marks the keys each leaf changed, for a store to persist;
  // this fold stores nothing, so the marks are dropped (kept, they grew by
  // 16 bytes a leaf: fold_bench).
  log->replay->mutable_registry().TakeDirty();
  log->replay->mutable_registry().TakeLogKeysDirty();
  const ledger::KeyRegistry& registry = log->replay->registry();
  const KeyLookup keys = [&registry](const ledger::crypto::KeyId& id) {
    const ledger::KeyInfo* info = registry.Find(id);
    return info == nullptr ? std::nullopt
                           : std::optional<ledger::KeyInfo>(*info);
  };
  ASSIGN_OR_RETURN(LogFold::Added added, log->fold->Add(index, leaf, keys));
  if (added.use == LogFold::Use::kFolded) NoteChange(converted->entry, log);
  return added;
}

void CrossFactoryFold::NoteChange(const rules::LedgerEntry& e, OriginLog* log) {
  std::string model_id;
  if (e.payload_type == rules::kRunStartedType) {
    aifl::collector::v1::RunStarted rs;
    if (!rs.ParseFromString(e.payload)) return;
    log->run_at_leaf[e.leaf_index] = rs.run_id();
    model_id = rs.model_id();
  } else if (e.payload_type == rules::kIntervalReportType) {
    aifl::collector::v1::IntervalReport r;
    if (!r.ParseFromString(e.payload)) return;
    model_id = r.model_id();
  } else if (e.payload_type == rules::kModelDeclarationType) {
    aifl::provider::v1::ModelDeclaration d;
    if (!d.ParseFromString(e.payload)) return;
    model_id = d.model_id();
  }
  if (model_id.empty()) return;
  const rules::ModelState* state = log->fold->engine().fold().Find(model_id);
  if (state != nullptr) {
    log->changed[state] = rules::DatedLeaf{e.leaf_index, e.integration_time};
  }
}

std::vector<std::string> CrossFactoryFold::origins() const {
  std::vector<std::string> out;
  for (const auto& [origin, log] : logs_) out.push_back(origin);
  return out;
}

const LogFold* CrossFactoryFold::FoldOf(const std::string& origin) const {
  auto it = logs_.find(origin);
  return it == logs_.end() ? nullptr : it->second.fold.get();
}

const ledger::KeyRegistry* CrossFactoryFold::RegistryOf(
    const std::string& origin) const {
  auto it = logs_.find(origin);
  return it == logs_.end() ? nullptr : &it->second.replay->registry();
}

rules::DatedLeaf CrossFactoryFold::LastChangeOf(
    const std::string& origin, const rules::ModelState* state) const {
  auto it = logs_.find(origin);
  if (it == logs_.end()) return rules::DatedLeaf{};
  auto c = it->second.changed.find(state);
  return c == it->second.changed.end() ? rules::DatedLeaf{} : c->second;
}

namespace {

// Every factory's model states with their keys before lineage.
std::vector<Node> NodesOf(const std::map<std::string, const LogFold*>& folds,
                          const ProviderIdentities& providers) {
  std::vector<Node> nodes;
  for (const auto& [origin, fold] : folds) {
    std::vector<const rules::ModelState*> states;
    for (const auto& [id, state] : fold->engine().fold().models()) {
      states.push_back(&state);
    }
    std::sort(states.begin(), states.end(),
              [](const rules::ModelState* a, const rules::ModelState* b) {
                return a->model_id < b->model_id;
              });
    for (const rules::ModelState* s : states) {
      nodes.push_back({KeyOf(origin, *s, providers), origin, s});
    }
  }
  return nodes;
}

// Why the model `target` (holding run `run_id`) may not join the model
// `declaring`, whose declaration names that run; "" when it may. Only the
// same provider's model joins: lineage is the provider's word about its
// own runs, and a model whose provider is unknown (no declaration by an
// organisation at its factory) is not shown to be the declarer's. Joined,
// a declaration could pull another user's runs (every run of that id at
// that factory) into the declarer's model and dissolve that model's own
// findings; the provider declares the model at that factory instead.
std::string WhyNotJoined(const GlobalModelKey& declaring,
                         const GlobalModelKey& target,
                         const std::string& run_id) {
  if (declaring.provider.empty()) {
    return absl::StrCat("run ", run_id, " belongs to ", target.Display(),
                        "; the declaring model's provider is unknown, so it "
                        "is not shown to own that run");
  }
  if (target.provider.empty()) {
    return absl::StrCat(
        "run ", run_id, " belongs to ", target.Display(),
        ", a model no organisation declared there: ", declaring.provider,
        " is not shown to own it (declare the model at that "
        "factory)");
  }
  if (target.provider != declaring.provider) {
    return absl::StrCat("run ", run_id, " belongs to ", target.Display(),
                        ", another provider's model");
  }
  return "";
}

}  // namespace

std::vector<GlobalModel> CrossFactoryFold::Models() const {
  ProviderIdentities providers;
  std::map<std::string, const LogFold*> folds;
  for (const auto& [origin, log] : logs_) {
    providers.AddRegistry(log.replay->registry());
    folds[origin] = log.fold.get();
  }
  const std::vector<Node> nodes = NodesOf(folds, providers);
  // (origin, run id) → node holding the run.
  std::map<std::pair<std::string, std::string>, size_t> run_node;
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (const auto& [run_id, run] : nodes[i].state->runs) {
      run_node[{nodes[i].origin, run_id}] = i;
    }
  }
  Groups groups;
  std::map<std::string, std::vector<UnresolvedLineage>> unresolved;
  for (const Node& n : nodes) {
    const aifl::provider::v1::ModelDeclaration* d = n.state->declaration();
    if (d == nullptr) continue;
    for (const aifl::provider::v1::RunAtLog& ref : d->runs_at_other_logs()) {
      UnresolvedLineage u{n.origin, n.state->declaration_leaf()->leaf,
                          ref.origin(), ref.leaf_index(), ""};
      auto log = logs_.find(ref.origin());
      if (log == logs_.end()) {
        u.why = "that log is not followed";
      } else if (auto run = log->second.run_at_leaf.find(ref.leaf_index());
                 run == log->second.run_at_leaf.end()) {
        u.why = absl::StrCat("leaf ", ref.leaf_index(),
                             " is not a RunStarted folded there");
      } else if (auto held = run_node.find({ref.origin(), run->second});
                 held == run_node.end()) {
        u.why = absl::StrCat("run ", run->second,
                             " is attributed to no model there");
      } else if (const Node& t = nodes[held->second]; t.key == n.key) {
        continue;  // the declaring model's own run
      } else if (std::string why = WhyNotJoined(n.key, t.key, run->second);
                 !why.empty()) {
        u.why = std::move(why);
      } else {
        groups.Join(t.key.Text(), n.key.Text());
        continue;
      }
      unresolved[n.key.Text()].push_back(std::move(u));
    }
  }
  std::map<std::string, GlobalModel> by_root;
  for (const Node& n : nodes) {
    const std::string root = groups.Find(n.key.Text());
    GlobalModel& g = by_root[root];
    if (root == n.key.Text()) g.key = n.key;
    g.shares.push_back({n.origin, n.state});
  }
  for (auto& [text, list] : unresolved) {
    GlobalModel& g = by_root[groups.Find(text)];
    g.unresolved.insert(g.unresolved.end(), list.begin(), list.end());
  }
  std::vector<GlobalModel> out;
  for (auto& [root, g] : by_root) out.push_back(std::move(g));
  std::sort(
      out.begin(), out.end(),
      [](const GlobalModel& a, const GlobalModel& b) { return a.key < b.key; });
  return out;
}

}  // namespace compliance

#include "rules/findings_diff.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace rules {

namespace v1 = aifl::rules::v1;

bool SameAsRecorded(const v1::Finding& recorded, const v1::Finding& now) {
  return recorded.state() == now.state() &&
         recorded.severity() == now.severity() &&
         recorded.deadline_unix_ms() == now.deadline_unix_ms() &&
         recorded.message() == now.message() &&
         recorded.rule_pack_version() == now.rule_pack_version();
}

v1::Finding ClearedFinding(const v1::Finding& rec, absl::Time as_of) {
  v1::Finding cleared = rec;
  cleared.set_state(v1::CLEARED);
  cleared.set_message(absl::StrCat("Cleared: ", rec.message()));
  cleared.set_deadline_unix_ms(0);
  cleared.set_evaluated_at_unix_ms(absl::ToUnixMillis(as_of));
  return cleared;
}

RecordedFindings::RecordedFindings(const Evaluator* evaluator)
    : evaluator_(evaluator) {
  const auto& rules = evaluator_->pack().rules();
  for (int i = 0; i < rules.size(); ++i) rule_index_[rules[i].id()] = i;
}

void RecordedFindings::Record(const v1::Finding& finding) {
  ModelRecords& m = by_model_[finding.model_id()];
  auto idx = rule_index_.find(finding.rule_id());
  if (idx == rule_index_.end()) {
    m.other[finding.rule_id()] = finding;
    return;
  }
  if (m.by_rule.empty()) m.by_rule.resize(rule_index_.size());
  std::unique_ptr<Record_>& r = m.by_rule[idx->second];
  if (r != nullptr && SameAsRecorded(r->finding, finding)) {
    // The ledger's copy of what was emitted: the outcome still holds.
    r->finding = finding;
    return;
  }
  if (r == nullptr) r = std::make_unique<Record_>();
  r->finding = finding;
  r->has_outcome = false;
}

void RecordedFindings::Update(const ModelState& state, absl::Time as_of,
                              std::vector<v1::Finding>* out) {
  ModelRecords& m = by_model_[state.model_id];
  if (m.by_rule.empty()) m.by_rule.resize(rule_index_.size());
  std::vector<v1::Finding> cleared;
  evaluator_->Evaluate(
      state, as_of,
      [&](int i, const Outcome& o) {
        Record_* r = m.by_rule[i].get();
        if (o.kind == Outcome::Kind::kPass) {
          if (r != nullptr && r->finding.state() == v1::RAISED) {
            cleared.push_back(ClearedFinding(r->finding, as_of));
            r->finding = cleared.back();
            r->has_outcome = false;
          }
          return false;
        }
        // Render unless the finding on record was rendered from an
        // outcome that reads the same.
        return r == nullptr || r->finding.state() != v1::RAISED ||
               !r->has_outcome || !SameRendering(r->outcome, o);
      },
      [&](int i, const Outcome& o, v1::Finding f) {
        std::unique_ptr<Record_>& r = m.by_rule[i];
        if (r == nullptr) r = std::make_unique<Record_>();
        const bool same =
            !r->finding.rule_id().empty() && SameAsRecorded(r->finding, f);
        if (!same) {
          out->push_back(f);
          r->finding = std::move(f);
        }
        r->has_outcome = true;
        r->outcome = o;
      });
  for (auto& [rule_id, rec] : m.other) {
    if (rec.state() != v1::RAISED) continue;
    cleared.push_back(ClearedFinding(rec, as_of));
    rec = cleared.back();
  }
  std::sort(cleared.begin(), cleared.end(),
            [](const v1::Finding& a, const v1::Finding& b) {
              return a.rule_id() < b.rule_id();
            });
  std::move(cleared.begin(), cleared.end(), std::back_inserter(*out));
}

const v1::Finding* RecordedFindings::Find(const std::string& model_id,
                                          const std::string& rule_id) const {
  auto m = by_model_.find(model_id);
  if (m == by_model_.end()) return nullptr;
  auto idx = rule_index_.find(rule_id);
  if (idx == rule_index_.end()) {
    auto o = m->second.other.find(rule_id);
    return o == m->second.other.end() ? nullptr : &o->second;
  }
  if (m->second.by_rule.empty()) return nullptr;
  const auto& r = m->second.by_rule[idx->second];
  return r == nullptr ? nullptr : &r->finding;
}

}  // namespace rules

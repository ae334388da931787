#include "rules/findings_diff.h"

#include "absl/container/flat_hash_set.h"
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

void RecordedFindings::Record(const v1::Finding& finding) {
  by_model_[finding.model_id()][finding.rule_id()] = finding;
}

const v1::Finding* RecordedFindings::Find(const std::string& model_id,
                                          const std::string& rule_id) const {
  auto m = by_model_.find(model_id);
  if (m == by_model_.end()) return nullptr;
  auto r = m->second.find(rule_id);
  return r == m->second.end() ? nullptr : &r->second;
}

std::vector<v1::Finding> RecordedFindings::Diff(
    const std::string& model_id, const std::vector<v1::Finding>& current,
    absl::Time as_of) const {
  std::vector<v1::Finding> out;
  auto m = by_model_.find(model_id);
  absl::flat_hash_set<std::string> raised;
  for (const v1::Finding& f : current) {
    raised.insert(f.rule_id());
    const v1::Finding* rec = nullptr;
    if (m != by_model_.end()) {
      auto r = m->second.find(f.rule_id());
      if (r != m->second.end()) rec = &r->second;
    }
    if (rec == nullptr || !SameAsRecorded(*rec, f)) out.push_back(f);
  }
  if (m == by_model_.end()) return out;
  for (const auto& [rule_id, rec] : m->second) {
    if (rec.state() != v1::RAISED || raised.contains(rule_id)) continue;
    v1::Finding cleared = rec;
    cleared.set_state(v1::CLEARED);
    cleared.set_message(absl::StrCat("Cleared: ", rec.message()));
    cleared.set_deadline_unix_ms(0);
    cleared.set_evaluated_at_unix_ms(absl::ToUnixMillis(as_of));
    out.push_back(std::move(cleared));
  }
  return out;
}

}  // namespace rules

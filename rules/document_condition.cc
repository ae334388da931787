// Document-presence rules (Art. 53-55, Art. 54(1) timing) and the
// collector data-quality rule.
#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "rules/conditions.h"
#include "rules/deadline.h"

namespace rules {
namespace {

namespace pack = aifl::rules::pack::v1;
namespace v1 = aifl::rules::v1;
using Kind = Outcome::Kind;

Outcome Missing(std::string why) {
  Outcome o;
  o.kind = Kind::kMissing;
  o.message = std::move(why);
  return o;
}

std::string KindsText(const pack::Rule& rule) {
  std::string kinds;
  for (int kind : rule.document_required().any_of()) {
    absl::StrAppend(&kinds, kinds.empty() ? "" : " or ",
                    aifl::provider::v1::DocumentKind_Name(kind));
  }
  return kinds;
}

// The earliest document of the rule's kinds integrated by `as_of`, or null.
const DatedLeaf* FirstDocument(const pack::Rule& rule, const ModelState& s,
                               absl::Time as_of) {
  const DatedLeaf* first = nullptr;
  for (int kind : rule.document_required().any_of()) {
    if (kind <= 0 || kind >= kDocumentKinds) continue;
    for (const DatedLeaf& doc : s.documents[kind]) {
      if (doc.time <= as_of && (first == nullptr || doc.time < first->time)) {
        first = &doc;
      }
    }
  }
  return first;
}

}  // namespace

Outcome DocumentOutcome(const pack::Rule& rule, const RuleDates& dates,
                        const ModelState& s, absl::Time as_of, bool render) {
  const auto* d = s.declaration();
  if (d == nullptr) return Missing("the provider has not declared the model");
  if (d->placed_on_market_unix_ms() == 0) {
    return Missing("the date of placing on the EU market is not declared");
  }
  const bool before = rule.document_required().before_placement();
  const absl::Time placed = absl::FromUnixMillis(d->placed_on_market_unix_ms());
  const bool grace = dates.has_grace && placed < dates.grace_placed_before;
  const absl::Time start = std::max(placed, dates.applies_from);
  const absl::Time due =
      grace ? dates.grace_due : (before ? EndOfDay(BrusselsDay(start)) : start);
  Outcome o;
  const DatedLeaf* doc = FirstDocument(rule, s, as_of);
  if (before) {
    if (doc != nullptr && doc->time < due) return o;
    if (doc == nullptr && as_of < due) return o;
  } else if (as_of < due || doc != nullptr) {
    return o;
  }
  o.kind = Kind::kRaised;
  o.severity = rule.severity();
  o.deadline = due;
  o.key.Add(grace ? 1 : 0);
  o.key.AddTime(placed);
  if (!grace) o.key.AddTime(due);
  if (doc != nullptr) o.key.AddTime(doc->time);
  o.key.Add(doc != nullptr ? doc->leaf : ~uint64_t{0});
  const bool named = !d->authorised_representative().empty();
  if (before) o.key.Add(s.declaration_leaf()->leaf);  // the name printed
  if (!render) return o;
  const std::string why =
      grace ? absl::StrCat("placed on the market on ", DayText(placed),
                           ", before ", rule.grace().placed_before(),
                           ": Art. 111(3) grace period to the end of ",
                           rule.grace().comply_by())
            : absl::StrCat("placed on the market on ", DayText(placed),
                           ", applicable from ", DayText(start));
  const std::string kinds = KindsText(rule);
  if (doc != nullptr) {
    o.message = absl::StrCat(
        "the ", kinds, " was recorded on ", DayText(doc->time), " (leaf ",
        doc->leaf, "), after it was due by the end of ",
        DayText(due - absl::Nanoseconds(1)), " (", why,
        "): it must precede placing on the market and clears nothing for "
        "the time before it.");
    o.evidence.push_back(doc->leaf);
  } else if (before && named) {
    o.message =
        absl::StrCat("the declaration names \"", d->authorised_representative(),
                     "\" as authorised representative, but no ", kinds,
                     " is recorded (", why, ").");
  } else {
    o.message =
        absl::StrCat("no ", kinds, " is recorded for the model (", why, ").");
  }
  o.evidence.push_back(s.declaration_leaf()->leaf);
  return o;
}

namespace {

// "leaf 7: why; leaf 9: why; and 2 more" over the records of `kind` (for
// kOtherOwner: declarations' claims or, `declaration` false, other entries);
// `not_kept` more of them were counted, not kept. `*count`: all of them.
std::string RejectedList(const std::vector<RejectedRecord>& rejected,
                         RejectedRecord::Kind kind, bool declaration,
                         uint64_t not_kept, size_t* count) {
  constexpr size_t kShown = 3;
  std::string list;
  *count = 0;
  for (const RejectedRecord& r : rejected) {
    if (r.kind != kind) continue;
    if (kind == RejectedRecord::Kind::kOtherOwner &&
        r.declaration != declaration) {
      continue;
    }
    if (++*count <= kShown) {
      absl::StrAppend(&list, *count == 1 ? "" : "; ", "leaf ", r.leaf, ": ",
                      r.reason);
    }
  }
  *count += not_kept;
  if (*count > kShown)
    absl::StrAppend(&list, "; and ", *count - kShown, " more");
  return list;
}

v1::Figure CountFigure(const char* name, size_t n) {
  v1::Figure f;
  f.set_name(name);
  f.set_lower(n);
  f.set_upper(n);
  return f;
}

}  // namespace

Outcome DataQualityOutcome(const ModelState& s, bool render) {
  Outcome o;
  if (s.rejected.empty()) return o;
  o.kind = Kind::kRaised;
  o.key.Add(s.rejected_count());
  o.key.Add(s.rejected.front().leaf);
  if (!render) return o;
  const RejectedNotKept& more = s.rejected_not_kept;
  size_t impossible = 0, other_owner = 0, other_entries = 0;
  const std::string impossible_list =
      RejectedList(s.rejected, RejectedRecord::Kind::kImpossibleValue, true,
                   more.impossible, &impossible);
  const std::string other_list =
      RejectedList(s.rejected, RejectedRecord::Kind::kOtherOwner, true,
                   more.other_owner_claims, &other_owner);
  const std::string other_entries_list =
      RejectedList(s.rejected, RejectedRecord::Kind::kOtherOwner, false,
                   more.other_owner_entries, &other_entries);
  if (impossible > 0) {
    o.message = absl::StrCat(
        impossible,
        " collector record(s) hold values that cannot be true and were left "
        "out of every figure (",
        impossible_list, ").");
    o.figures.push_back(CountFigure("rejected_records", impossible));
  }
  if (other_owner > 0) {
    // Ownership: ledger/FORMAT.md, "Ownership of models and records".
    absl::StrAppend(
        &o.message, o.message.empty() ? "" : " ", other_owner,
        " declaration(s) signed for another organisation would have changed "
        "this model or its scheduler accounts and were not folded (",
        other_list, ").");
    o.figures.push_back(CountFigure("other_owner_claims", other_owner));
  }
  if (other_entries > 0) {
    // Documents, notifications, reports: one rule with the claims above.
    absl::StrAppend(&o.message, o.message.empty() ? "" : " ", other_entries,
                    " entry(ies) about this model signed for another "
                    "organisation were not folded (",
                    other_entries_list, ").");
    o.figures.push_back(CountFigure("other_owner_entries", other_entries));
  }
  for (const RejectedRecord& r : s.rejected) o.evidence.push_back(r.leaf);
  o.evidence_not_listed += more.total();
  return o;
}

}  // namespace rules

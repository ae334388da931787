#include "ledger/witness_policy/policy.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"

namespace ledger::witness_policy {
namespace {

bool Blank(char c) { return c == ' ' || c == '\t'; }

std::vector<absl::string_view> Items(absl::string_view line) {
  std::vector<absl::string_view> items;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && Blank(line[i])) ++i;
    const size_t start = i;
    while (i < line.size() && !Blank(line[i])) ++i;
    if (i > start) items.push_back(line.substr(start, i - start));
  }
  return items;
}

bool AllowedOctet(unsigned char c) {
  return c == '\t' || c == '\n' || (c >= 0x20 && c != 0x7f);
}

}  // namespace

const PolicyWitness* Policy::FindWitness(absl::string_view name) const {
  for (const PolicyWitness& w : witnesses) {
    if (w.name == name) return &w;
  }
  return nullptr;
}

const PolicyGroup* Policy::FindGroup(absl::string_view name) const {
  for (const PolicyGroup& g : groups) {
    if (g.name == name) return &g;
  }
  return nullptr;
}

namespace {

// Whether `name` names a witness or a group defined on an earlier line.
bool Defined(const Policy& policy, absl::string_view name) {
  return policy.FindWitness(name) != nullptr ||
         policy.FindGroup(name) != nullptr;
}

// The line's problem (kInvalidArgument, without the line number), if any.
absl::Status LineError(absl::string_view why) {
  return absl::InvalidArgumentError(why);
}

// "log <vkey> [<url>]"
absl::Status ParseLogLine(const std::vector<absl::string_view>& items,
                          Policy* policy) {
  if (items.size() < 2 || items.size() > 3) {
    return LineError("want \"log <vkey> [<url>]\"");
  }
  absl::StatusOr<note::NoteVerifier> v =
      note::NoteVerifier::FromVerifierKey(items[1]);
  if (!v.ok()) return LineError(v.status().message());
  for (const PolicyLog& l : policy->logs) {
    if (l.verifier.public_key() == v->public_key()) {
      return LineError(absl::StrCat("log key of ", v->name(),
                                    " is listed twice (same public key as ",
                                    l.verifier.name(), ")"));
    }
  }
  if (policy->logs.size() >= kMaxPolicyEntries) {
    return LineError("too many logs");
  }
  policy->logs.push_back(
      {*std::move(v), items.size() == 3 ? std::string(items[2]) : ""});
  return absl::OkStatus();
}

// "witness <name> <vkey> [<url>]"
absl::Status ParseWitnessLine(const std::vector<absl::string_view>& items,
                              Policy* policy) {
  if (items.size() < 3 || items.size() > 4) {
    return LineError("want \"witness <name> <vkey> [<url>]\"");
  }
  const absl::string_view name = items[1];
  if (name == "none") return LineError("\"none\" is reserved");
  if (Defined(*policy, name)) {
    return LineError(absl::StrCat("name ", name, " is already defined"));
  }
  absl::StatusOr<note::CosignatureVerifier> v =
      note::CosignatureVerifier::FromVerifierKey(items[2]);
  if (!v.ok()) return LineError(v.status().message());
  for (const PolicyWitness& w : policy->witnesses) {
    if (w.verifier.public_key() == v->public_key()) {
      return LineError(absl::StrCat(
          "witness ", name, " has the same public key as witness ", w.name));
    }
  }
  if (policy->witnesses.size() >= kMaxPolicyEntries) {
    return LineError("too many witnesses");
  }
  policy->witnesses.push_back({std::string(name), *std::move(v),
                               items.size() == 4 ? std::string(items[3]) : ""});
  return absl::OkStatus();
}

// A group's threshold "all", "any" or a decimal 1..n (n members).
absl::StatusOr<int> ParseThreshold(absl::string_view group_name,
                                   absl::string_view k, int n) {
  if (k == "all") return n;
  if (k == "any") return 1;
  int value = 0;
  const bool digits =
      !k.empty() && k[0] != '0' &&
      k.find_first_not_of("0123456789") == absl::string_view::npos;
  if (!digits || !absl::SimpleAtoi(k, &value) || value < 1 || value > n) {
    return LineError(absl::StrCat("group ", group_name, ": threshold \"", k,
                                  "\", want all, any or a decimal 1..", n));
  }
  return value;
}

// "group <name> all|any|<k> <member>..."
absl::Status ParseGroupLine(const std::vector<absl::string_view>& items,
                            Policy* policy) {
  if (items.size() < 4) {
    return LineError("want \"group <name> all|any|<k> <member>...\"");
  }
  PolicyGroup group;
  group.name = std::string(items[1]);
  if (group.name == "none") return LineError("\"none\" is reserved");
  if (Defined(*policy, group.name)) {
    return LineError(absl::StrCat("name ", group.name, " is already defined"));
  }
  absl::flat_hash_set<absl::string_view> seen;
  for (size_t i = 3; i < items.size(); ++i) {
    if (!Defined(*policy, items[i])) {
      return LineError(absl::StrCat("group ", group.name, ": member ", items[i],
                                    " is not defined on an earlier line"));
    }
    if (!seen.insert(items[i]).second) {
      return LineError(absl::StrCat("group ", group.name, ": member ", items[i],
                                    " is listed twice"));
    }
    group.members.push_back(std::string(items[i]));
  }
  ASSIGN_OR_RETURN(group.threshold,
                   ParseThreshold(group.name, items[2],
                                  static_cast<int>(group.members.size())));
  if (policy->groups.size() >= kMaxPolicyEntries) {
    return LineError("too many groups");
  }
  policy->groups.push_back(std::move(group));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Policy> ParsePolicy(absl::string_view text) {
  Policy policy;
  bool have_quorum = false;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    const auto error = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("policy line ", line_number, ": ", why));
    };
    for (unsigned char c : line) {
      if (!AllowedOctet(c)) {
        return error(absl::StrCat("control character 0x",
                                  absl::Hex(c, absl::kZeroPad2),
                                  " (only tab and newline are allowed)"));
      }
    }
    const std::vector<absl::string_view> items = Items(line);
    if (items.empty() || items[0][0] == '#') continue;
    const absl::string_view keyword = items[0];
    if (policy.logs.size() + policy.witnesses.size() + policy.groups.size() >=
        3 * static_cast<size_t>(kMaxPolicyEntries)) {
      return error("too many definitions");
    }
    absl::Status parsed;
    if (keyword == "log") {
      parsed = ParseLogLine(items, &policy);
    } else if (keyword == "witness") {
      parsed = ParseWitnessLine(items, &policy);
    } else if (keyword == "group") {
      parsed = ParseGroupLine(items, &policy);
    } else if (keyword == "quorum") {
      if (items.size() != 2) return error("want \"quorum <name>|none\"");
      if (have_quorum) return error("a second quorum line");
      if (items[1] != "none" && !Defined(policy, items[1])) {
        return error(absl::StrCat("quorum ", items[1],
                                  " is not defined on an earlier line"));
      }
      policy.quorum = std::string(items[1]);
      have_quorum = true;
    } else {
      return error(absl::StrCat("unknown keyword \"", keyword,
                                "\", want log, witness, group or quorum"));
    }
    if (!parsed.ok()) return error(parsed.message());
  }
  if (!have_quorum) {
    return absl::InvalidArgumentError(
        "policy: no quorum line (write \"quorum none\" to require no "
        "cosignatures)");
  }
  return policy;
}

}  // namespace ledger::witness_policy

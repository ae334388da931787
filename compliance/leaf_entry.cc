#include "compliance/leaf_entry.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"

namespace compliance {
namespace {

// Why `key` did not sign evidence at leaf `index`; "" when it did. The
// registry before leaf `index` holds the keys enrolled at earlier leaves; the
// genesis entry (leaf 0) is signed by the key it enrols.
std::string NotEnrolledAt(uint64_t index, const ledger::KeyInfo& key) {
  const bool genesis = index == 0 && key.enrolled_at_leaf == 0;
  if (key.enrolled_at_leaf >= index && !genesis) {
    return absl::StrCat("signer key ", key.id.ToString(),
                        " was enrolled at leaf ", key.enrolled_at_leaf,
                        ", not before this leaf");
  }
  if (key.revoked_at_leaf.has_value() && *key.revoked_at_leaf < index) {
    return absl::StrCat("signer key ", key.id.ToString(),
                        " was revoked at leaf ", *key.revoked_at_leaf,
                        ", before this leaf");
  }
  return "";
}

}  // namespace

absl::StatusOr<ConvertedLeaf> ConvertLeaf(uint64_t index,
                                          absl::string_view leaf_bytes,
                                          const KeyLookup& keys) {
  absl::StatusOr<ledger::entry::Leaf> leaf =
      ledger::entry::ParseLeaf(leaf_bytes);
  if (!leaf.ok()) {
    return absl::DataLossError(
        absl::StrCat("leaf ", index, ": ", leaf.status().message()));
  }
  absl::StatusOr<ledger::entry::Envelope> env =
      ledger::entry::ParseEnvelope(leaf->envelope);
  if (!env.ok()) {
    return absl::DataLossError(
        absl::StrCat("leaf ", index, ": envelope: ", env.status().message()));
  }
  ConvertedLeaf out;
  out.entry.leaf_index = index;
  out.entry.integration_time = leaf->integration_time();
  out.entry.payload_type = std::move(env->payload_type);
  out.entry.payload = std::move(env->payload);
  const ledger::crypto::KeyId key_id(env->key_id);
  const std::optional<ledger::KeyInfo> info = keys(key_id);
  if (!info.has_value()) {
    out.not_evidence = absl::StrCat("signer key ", key_id.ToString(),
                                    " is not in the key registry");
    return out;
  }
  out.not_evidence = NotEnrolledAt(index, *info);
  if (out.evidence()) {
    out.entry.signer_role = info->role;
    out.entry.signer_organisation = info->organisation;
    out.entry.signer_tls_identity = info->tls_identity;
  }
  return out;
}

void NotEvidenceTally::Add(uint64_t index, std::string why) {
  ++count_;
  if (first_.size() < kKept) first_.push_back({index, std::move(why)});
}

std::string NotEvidenceTally::Summary() const {
  if (count_ == 0) return "";
  std::vector<std::string> parts;
  for (const Leaf& l : first_) {
    parts.push_back(absl::StrCat("leaf ", l.index, ": ", l.why));
  }
  return absl::StrCat(count_, count_ == 1 ? " leaf is" : " leaves are",
                      " not evidence (signer not enrolled at that leaf), "
                      "left out: ",
                      absl::StrJoin(parts, "; "),
                      count_ > first_.size() ? "; …" : "");
}

}  // namespace compliance

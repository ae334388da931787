#include "tools/ledgerctl/statement.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/key_id.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "ledger/roles.h"
#include "schema/collector.pb.h"
#include "schema/provider.pb.h"
#include "tools/ledgerctl/model_form.h"

namespace ledgerctl {
namespace {

constexpr char kDeclarationType[] = "aifl.provider.v1.ModelDeclaration";
constexpr char kIntervalType[] = "aifl.collector.v1.IntervalReport";

std::string B64(absl::string_view bytes) { return absl::Base64Escape(bytes); }

std::string HashB64(const ledger::merkle::Hash& h) {
  return B64(
      absl::string_view(reinterpret_cast<const char*>(h.data()), h.size()));
}

absl::Status LineError(size_t line, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("statement line ", line, ": ", why));
}

// Base64 that re-encodes to exactly itself, so that no two files decode to
// the same bytes.
absl::StatusOr<std::string> StrictB64(absl::string_view text, size_t line) {
  std::string out;
  if (text.empty() || !absl::Base64Unescape(text, &out) ||
      absl::Base64Escape(out) != text) {
    return LineError(line, "not canonical base64");
  }
  return out;
}

absl::StatusOr<uint64_t> StrictIndex(absl::string_view text, size_t line) {
  uint64_t n = 0;
  if (!absl::SimpleAtoi(text, &n) || absl::StrCat(n) != text) {
    return LineError(line, "leaf index: not a canonical decimal number");
  }
  return n;
}

absl::StatusOr<StatementLeaf> ParseLeafLine(
    const std::vector<absl::string_view>& f, size_t line) {
  if (f.size() != 4) return LineError(line, "want: leaf INDEX LEAF PROOF");
  StatementLeaf leaf;
  ASSIGN_OR_RETURN(leaf.index, StrictIndex(f[1], line));
  ASSIGN_OR_RETURN(leaf.leaf, StrictB64(f[2], line));
  if (f[3] == "-") return leaf;  // the one-leaf tree's empty proof
  for (absl::string_view h : absl::StrSplit(f[3], ',')) {
    ASSIGN_OR_RETURN(std::string bytes, StrictB64(h, line));
    if (bytes.size() != ledger::merkle::kHashSize) {
      return LineError(line, "proof hash: want 32 bytes");
    }
    ledger::merkle::Hash hash;
    std::copy(bytes.begin(), bytes.end(), hash.begin());
    leaf.proof.push_back(hash);
  }
  return leaf;
}

// Version 2's "index-checkpoint" and "index-answer" lines at *n; *n ends
// on the line after them.
absl::StatusOr<StatementIndex> ParseIndexLines(
    const std::vector<absl::string_view>& lines, size_t* n, bool totals) {
  StatementIndex index;
  index.totals = totals;
  std::string* parts[] = {&index.checkpoint_note, &index.answer};
  const char* names[] = {"index-checkpoint",
                         totals ? "index-totals" : "index-answer"};
  for (int i = 0; i < 2; ++i, ++*n) {
    std::vector<absl::string_view> f = absl::StrSplit(lines[*n], ' ');
    if (f.size() != 2 || f[0] != names[i]) {
      return LineError(*n + 1, absl::StrCat("want: ", names[i]));
    }
    ASSIGN_OR_RETURN(*parts[i], StrictB64(f[1], *n + 1));
  }
  return index;
}

absl::StatusOr<ledger::crypto::KeyId> KeyIdOf(const std::string& public_key) {
  ASSIGN_OR_RETURN(ledger::crypto::PublicKey key,
                   ledger::crypto::PublicKey::FromBytes(public_key));
  return ledger::crypto::ComputeKeyId(key);
}

absl::Status DataLoss(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("statement does not verify: ", what));
}

// The entry's envelope, checked: its signature under the statement's key of
// that id, for the log's origin, and that key's role may sign its type.
absl::StatusOr<ledger::entry::Envelope> CheckedEnvelope(
    const StatementLeaf& l,
    const std::map<ledger::crypto::KeyId, const StatementKey*>& keys,
    absl::string_view origin) {
  ASSIGN_OR_RETURN(ledger::entry::Leaf leaf, ledger::entry::ParseLeaf(l.leaf));
  ASSIGN_OR_RETURN(ledger::entry::Envelope env,
                   ledger::entry::ParseEnvelope(leaf.envelope));
  auto it = keys.find(ledger::crypto::KeyId(env.key_id));
  if (it == keys.end()) {
    return DataLoss(absl::StrCat("leaf ", l.index, ": its signer key ",
                                 ledger::entry::KeyIdToHex(env.key_id),
                                 " is not in the statement"));
  }
  aifl::ledger::v1::Role role;
  RETURN_IF_ERROR(ledger::ParseRoleName(it->second->role, &role));
  if (absl::Status s = ledger::CheckRoleMaySign(role, env.payload_type);
      !s.ok()) {
    return DataLoss(absl::StrCat("leaf ", l.index, ": ", s.message()));
  }
  ASSIGN_OR_RETURN(
      ledger::crypto::PublicKey key,
      ledger::crypto::PublicKey::FromBytes(it->second->public_key));
  const std::string message = ledger::entry::SignedMessage(
      origin, env.key_id, env.sequence, env.payload_type, env.payload);
  if (!key.Verify(message, env.signature).ok()) {
    return DataLoss(absl::StrCat("leaf ", l.index,
                                 ": the entry's signature does not verify"));
  }
  return env;
}

// The model's ids the evidence binds: the declarations' own id and their
// same-provider further developments of it.
absl::Status CheckModelBinding(
    const std::string& model_id,
    const std::vector<std::pair<uint64_t, ledger::entry::Envelope>>& entries) {
  std::set<std::string> ids;
  bool declared = false;
  for (const auto& [index, env] : entries) {
    if (env.payload_type != kDeclarationType) continue;
    aifl::provider::v1::ModelDeclaration d;
    if (!d.ParseFromString(env.payload)) continue;
    if (d.model_id() == model_id) declared = true;
    if (d.model_id() == model_id || (d.base_model().same_provider() &&
                                     d.base_model().model_id() == model_id)) {
      ids.insert(d.model_id());
    }
  }
  if (!declared) {
    return DataLoss(absl::StrCat("no declaration of model \"", model_id,
                                 "\" among the evidence"));
  }
  for (const auto& [index, env] : entries) {
    if (env.payload_type != kIntervalType) continue;
    aifl::collector::v1::IntervalReport r;
    if (r.ParseFromString(env.payload) && !r.model_id().empty() &&
        ids.count(r.model_id()) == 0) {
      return DataLoss(absl::StrCat("leaf ", index, ": a record of model \"",
                                   r.model_id(), "\", not of this model"));
    }
  }
  return absl::OkStatus();
}

ModelForm FoldForm(
    const std::string& model_id,
    const std::vector<std::pair<uint64_t, ledger::entry::Envelope>>& entries) {
  ModelFormBuilder form(model_id);
  for (const auto& [index, env] : entries) {
    form.AddPayload(index, env.payload_type, env.payload);
  }
  return form.Build();
}

}  // namespace

std::string EncodeStatement(const Statement& s) {
  const char* header = !s.index.has_value() ? kStatementHeader
                       : s.index->totals    ? kStatementHeaderV3
                                            : kStatementHeaderV2;
  std::string out = absl::StrCat(header, "\n");
  absl::StrAppend(&out, "model ", B64(s.model_id), "\n");
  absl::StrAppend(&out, "checkpoint ", B64(s.checkpoint_note), "\n");
  for (const StatementKey& k : s.keys) {
    absl::StrAppend(&out, "key ", B64(k.public_key), " ", k.role, "\n");
  }
  for (const StatementLeaf& l : s.leaves) {
    std::vector<std::string> proof;
    for (const ledger::merkle::Hash& h : l.proof) proof.push_back(HashB64(h));
    absl::StrAppend(&out, "leaf ", l.index, " ", B64(l.leaf), " ",
                    proof.empty() ? "-" : absl::StrJoin(proof, ","), "\n");
  }
  if (s.index.has_value()) {
    absl::StrAppend(&out, "index-checkpoint ", B64(s.index->checkpoint_note),
                    s.index->totals ? "\nindex-totals " : "\nindex-answer ",
                    B64(s.index->answer), "\n");
  }
  absl::StrAppend(&out, "form ", B64(s.form_json), "\nend\n");
  return out;
}

absl::StatusOr<Statement> ParseStatement(absl::string_view bytes) {
  std::vector<absl::string_view> lines = absl::StrSplit(bytes, '\n');
  // The last line ends with "\n": the split's last piece is empty.
  if (lines.size() < 6 || !lines.back().empty() ||
      lines[lines.size() - 2] != "end" ||
      (lines[0] != kStatementHeader && lines[0] != kStatementHeaderV2 &&
       lines[0] != kStatementHeaderV3)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "statement: want \"", kStatementHeader, "\" … \"end\" lines"));
  }
  lines.pop_back();
  Statement s;
  size_t n = 1;
  auto fields = [&](size_t i) {
    return std::vector<absl::string_view>(absl::StrSplit(lines[i], ' '));
  };
  std::vector<absl::string_view> f = fields(n);
  if (f.size() != 2 || f[0] != "model") return LineError(n + 1, "want: model");
  ASSIGN_OR_RETURN(s.model_id, StrictB64(f[1], n + 1));
  f = fields(++n);
  if (f.size() != 2 || f[0] != "checkpoint") {
    return LineError(n + 1, "want: checkpoint");
  }
  ASSIGN_OR_RETURN(s.checkpoint_note, StrictB64(f[1], n + 1));
  for (f = fields(++n); f.size() == 3 && f[0] == "key"; f = fields(++n)) {
    StatementKey k;
    ASSIGN_OR_RETURN(k.public_key, StrictB64(f[1], n + 1));
    k.role = std::string(f[2]);
    s.keys.push_back(std::move(k));
  }
  for (; !f.empty() && f[0] == "leaf"; f = fields(++n)) {
    ASSIGN_OR_RETURN(StatementLeaf leaf, ParseLeafLine(f, n + 1));
    if (!s.leaves.empty() && leaf.index <= s.leaves.back().index) {
      return LineError(n + 1, "leaves: want increasing indices");
    }
    s.leaves.push_back(std::move(leaf));
  }
  if (lines[0] == kStatementHeaderV2 || lines[0] == kStatementHeaderV3) {
    ASSIGN_OR_RETURN(
        s.index, ParseIndexLines(lines, &n, lines[0] == kStatementHeaderV3));
    f = fields(n);
  }
  if (f.size() != 2 || f[0] != "form" || n + 2 != lines.size()) {
    return LineError(n + 1, "want: form, then end");
  }
  ASSIGN_OR_RETURN(s.form_json, StrictB64(f[1], n + 1));
  return s;
}

absl::StatusOr<Statement> BuildStatement(
    api::client::LogReader& reader, const api::client::VerifiedCheckpoint& cp,
    const std::string& model_id, const std::vector<uint64_t>& evidence_leaves,
    const SignerLookup& signers) {
  Statement s;
  s.model_id = model_id;
  s.checkpoint_note = cp.note;
  std::vector<uint64_t> indices;
  for (uint64_t i : evidence_leaves) {
    if (i < cp.fields.size) indices.push_back(i);
  }
  std::sort(indices.begin(), indices.end());
  indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
  std::map<ledger::crypto::KeyId, StatementKey> keys;
  ModelFormBuilder form(model_id);
  for (uint64_t index : indices) {
    ASSIGN_OR_RETURN(api::client::ProvenLeaf proven,
                     reader.ProveLeaf(cp, index));
    ASSIGN_OR_RETURN(ledger::entry::Leaf leaf,
                     ledger::entry::ParseLeaf(proven.leaf));
    ASSIGN_OR_RETURN(ledger::entry::Envelope env,
                     ledger::entry::ParseEnvelope(leaf.envelope));
    const ledger::crypto::KeyId id(env.key_id);
    if (keys.count(id) == 0) {
      std::optional<StatementKey> key = signers(id);
      if (!key.has_value()) {
        return absl::NotFoundError(absl::StrCat(
            "leaf ", index, ": signer key ", id.ToString(), " is not listed"));
      }
      keys[id] = *std::move(key);
    }
    form.AddPayload(index, env.payload_type, env.payload);
    s.leaves.push_back(
        {index, std::move(proven.leaf), std::move(proven.proof)});
  }
  for (auto& [id, key] : keys) s.keys.push_back(std::move(key));
  s.form_json = ModelFormJson(form.Build(), cp.fields.size,
                              ledger::merkle::HashToBase64(cp.fields.root));
  return s;
}

absl::StatusOr<VerifiedStatement> VerifyStatement(
    const Statement& s, const api::client::LogVerifier& verifier) {
  if (s.index.has_value() && s.index->totals) {
    return absl::FailedPreconditionError(
        "a version 3 statement: its figures are the index's totals "
        "(verify it with the index's key)");
  }
  ASSIGN_OR_RETURN(VerifiedEntries v, VerifyStatementEntries(s, verifier));
  VerifiedStatement verified{v.checkpoint, FoldForm(s.model_id, v.entries)};
  if (ModelFormJson(verified.form, v.checkpoint.fields.size,
                    ledger::merkle::HashToBase64(v.checkpoint.fields.root)) !=
      s.form_json) {
    return DataLoss(
        "the figures do not re-fold from the evidence (the form differs)");
  }
  return verified;
}

absl::StatusOr<VerifiedEntries> VerifyStatementEntries(
    const Statement& s, const api::client::LogVerifier& verifier) {
  ASSIGN_OR_RETURN(api::client::VerifiedCheckpoint cp,
                   verifier.VerifyCheckpoint(s.checkpoint_note));
  std::map<ledger::crypto::KeyId, const StatementKey*> keys;
  for (const StatementKey& k : s.keys) {
    absl::StatusOr<ledger::crypto::KeyId> id = KeyIdOf(k.public_key);
    if (!id.ok()) return DataLoss(id.status().message());
    // One order (by key id), so that no two files state the same thing.
    if (!keys.empty() && !(keys.rbegin()->first < *id)) {
      return DataLoss("keys: want one per key, ordered by key id");
    }
    keys.emplace(*id, &k);
  }
  std::set<ledger::crypto::KeyId> used;
  std::vector<std::pair<uint64_t, ledger::entry::Envelope>> entries;
  for (const StatementLeaf& l : s.leaves) {
    RETURN_IF_ERROR(verifier.VerifyInclusion(
        l.index, ledger::merkle::HashLeaf(l.leaf), l.proof, cp.fields));
    absl::StatusOr<ledger::entry::Envelope> env =
        CheckedEnvelope(l, keys, verifier.origin());
    if (!env.ok()) {
      return absl::IsDataLoss(env.status())
                 ? env.status()
                 : DataLoss(absl::StrCat("leaf ", l.index, ": ",
                                         env.status().message()));
    }
    used.insert(ledger::crypto::KeyId(env->key_id));
    entries.emplace_back(l.index, *std::move(env));
  }
  if (used.size() != keys.size()) return DataLoss("a key no leaf uses");
  RETURN_IF_ERROR(CheckModelBinding(s.model_id, entries));
  return VerifiedEntries{cp, std::move(entries)};
}

}  // namespace ledgerctl

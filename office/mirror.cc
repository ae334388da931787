#include "office/mirror.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/entry/byte_io.h"

namespace office {
namespace {

using ledger::storage::Family;

// Keys (office/README.md, "Storage"). An origin never holds a NUL byte
// (note syntax), so "<origin>\0" prefixes never overlap.
std::string OriginPrefix(absl::string_view origin) {
  return absl::StrCat(origin, absl::string_view("\0", 1));
}

std::string U64Key(absl::string_view prefix, uint64_t v) {
  std::string out(prefix);
  ledger::entry::PutU64(&out, v);
  return out;
}

std::string EntryKey(absl::string_view origin, uint64_t index) {
  return U64Key(OriginPrefix(origin), index);
}
std::string StateKey(absl::string_view origin) {
  return absl::StrCat("follow/", origin);
}
std::string CheckpointKey(absl::string_view origin, uint64_t size) {
  return U64Key(absl::StrCat("checkpoint/", OriginPrefix(origin)), size);
}
std::string IncidentPrefix(absl::string_view origin) {
  return origin.empty() ? "incident/"
                        : absl::StrCat("incident/", OriginPrefix(origin));
}
std::string KeyKey(absl::string_view origin, const ledger::crypto::KeyId& id) {
  return absl::StrCat(
      OriginPrefix(origin),
      absl::string_view(reinterpret_cast<const char*>(id.bytes().data()),
                        id.bytes().size()));
}

// The end of the key range of every key starting with `prefix`.
std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty() && static_cast<uint8_t>(prefix.back()) == 0xff) {
    prefix.pop_back();
  }
  if (!prefix.empty()) prefix.back() = static_cast<char>(prefix.back() + 1);
  return prefix;
}

uint64_t CheckpointSize(absl::string_view note) {
  // Second line of a note the follower verified before storing it.
  const size_t a = note.find('\n');
  const size_t b = note.find('\n', a + 1);
  uint64_t size = 0;
  for (char c : note.substr(a + 1, b - a - 1)) size = size * 10 + (c - '0');
  return size;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Mirror>> Mirror::Open(const std::string& dir) {
  ledger::storage::StoreOptions options;
  options.mode = ledger::storage::StoreOptions::Mode::kOpenExisting;
  absl::StatusOr<std::unique_ptr<ledger::storage::Store>> store =
      ledger::storage::Store::Open(dir, options);
  if (absl::IsNotFound(store.status())) {
    options.mode = ledger::storage::StoreOptions::Mode::kCreate;
    store = ledger::storage::Store::Open(dir, options);
  }
  RETURN_IF_ERROR(store.status());
  return std::unique_ptr<Mirror>(new Mirror(*std::move(store)));
}

absl::StatusOr<std::vector<std::string>> Mirror::Origins() const {
  std::vector<std::string> out;
  RETURN_IF_ERROR(store_->Scan(Family::kMeta, "follow/", PrefixEnd("follow/"),
                               [&](absl::string_view key, absl::string_view) {
                                 key.remove_prefix(7);
                                 out.emplace_back(key);
                                 return true;
                               }));
  return out;
}

absl::StatusOr<std::optional<FollowState>> Mirror::LoadFollowState(
    absl::string_view origin) const {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                   store_->Get(Family::kMeta, StateKey(origin)));
  if (!bytes.has_value()) return std::nullopt;
  FollowState state;
  if (!state.ParseFromString(*bytes)) {
    return absl::DataLossError(
        absl::StrCat("stored follow state of ", origin, " does not parse"));
  }
  return state;
}

absl::StatusOr<uint64_t> Mirror::VerifiedSize(absl::string_view origin) const {
  ASSIGN_OR_RETURN(std::optional<FollowState> state, LoadFollowState(origin));
  return state.has_value() ? state->verified_size() : 0;
}

absl::Status Mirror::Visit(
    absl::string_view origin, uint64_t from,
    const std::function<absl::Status(uint64_t, absl::string_view)>& fn) const {
  ASSIGN_OR_RETURN(uint64_t size, VerifiedSize(origin));
  if (from >= size) return absl::OkStatus();
  absl::Status result;
  uint64_t next = from;
  RETURN_IF_ERROR(store_->Scan(
      Family::kLeaves, EntryKey(origin, from), EntryKey(origin, size),
      [&](absl::string_view key, absl::string_view leaf) {
        const uint64_t index =
            ledger::entry::DecodeU64(key.substr(key.size() - 8));
        if (index != next) {
          result = absl::DataLossError(absl::StrCat(
              "mirror of ", origin, ": entry ", next, " is missing"));
          return false;
        }
        ++next;
        result = fn(index, leaf);
        return result.ok();
      }));
  RETURN_IF_ERROR(result);
  if (next != size) {
    return absl::DataLossError(
        absl::StrCat("mirror of ", origin, ": entry ", next, " is missing"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> Mirror::VerifiedCheckpoint(
    absl::string_view origin, uint64_t size) const {
  return store_->Get(Family::kMeta, CheckpointKey(origin, size));
}

absl::StatusOr<std::vector<LogIncident>> Mirror::Incidents(
    absl::string_view origin) const {
  std::vector<LogIncident> out;
  absl::Status bad;
  const std::string prefix = IncidentPrefix(origin);
  RETURN_IF_ERROR(store_->Scan(Family::kMeta, prefix, PrefixEnd(prefix),
                               [&](absl::string_view, absl::string_view v) {
                                 absl::StatusOr<LogIncident> i =
                                     DecodeIncident(v);
                                 if (!i.ok()) {
                                   bad = i.status();
                                   return false;
                                 }
                                 out.push_back(*std::move(i));
                                 return true;
                               }));
  RETURN_IF_ERROR(bad);
  return out;
}

absl::StatusOr<std::vector<ledger::KeyInfo>> Mirror::LoadKeys(
    absl::string_view origin) const {
  std::vector<ledger::KeyInfo> out;
  absl::Status bad;
  const std::string prefix = OriginPrefix(origin);
  RETURN_IF_ERROR(store_->Scan(Family::kKeys, prefix, PrefixEnd(prefix),
                               [&](absl::string_view, absl::string_view v) {
                                 absl::StatusOr<ledger::KeyInfo> k =
                                     ledger::DecodeKeyInfo(v);
                                 if (!k.ok()) {
                                   bad = k.status();
                                   return false;
                                 }
                                 out.push_back(*std::move(k));
                                 return true;
                               }));
  RETURN_IF_ERROR(bad);
  return out;
}

absl::Status Mirror::Commit(const FollowCommit& commit) {
  ASSIGN_OR_RETURN(uint64_t have, VerifiedSize(commit.origin));
  if (commit.first_index != have ||
      commit.state.verified_size() != have + commit.entries.size()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "mirror of ", commit.origin, ": a step from ", commit.first_index,
        " to ", commit.state.verified_size(), " does not follow size ", have));
  }
  ledger::storage::Batch batch;
  for (size_t i = 0; i < commit.entries.size(); ++i) {
    batch.Put(Family::kLeaves, EntryKey(commit.origin, commit.first_index + i),
              commit.entries[i]);
  }
  for (const ledger::KeyInfo& key : commit.changed_keys) {
    batch.Put(Family::kKeys, KeyKey(commit.origin, key.id),
              ledger::EncodeKeyInfo(key));
  }
  if (commit.checkpoint_verified) {
    const std::string& note = commit.state.checkpoint_note();
    batch.Put(Family::kMeta, CheckpointKey(commit.origin, CheckpointSize(note)),
              note);
  }
  batch.Put(Family::kMeta, StateKey(commit.origin),
            commit.state.SerializeAsString());
  return store_->Write(&batch);
}

absl::Status Mirror::Stop(const LogIncident& incident) {
  ASSIGN_OR_RETURN(std::optional<FollowState> state,
                   LoadFollowState(incident.origin));
  FollowState next = state.value_or(FollowState());
  next.set_stopped(true);
  ledger::storage::Batch batch;
  batch.Put(Family::kMeta, StateKey(incident.origin), next.SerializeAsString());
  batch.Put(Family::kMeta,
            U64Key(IncidentPrefix(incident.origin), next.verified_size()),
            EncodeIncident(incident));
  return store_->Write(&batch);
}

}  // namespace office

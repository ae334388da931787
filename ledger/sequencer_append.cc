// Sequencer::Append: validation and group commit. See sequencer.h for the
// contract.
#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "ledger/admission.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "ledger/sequencer.h"
#include "ledger/storage_keys.h"
#include "ledger/stored_log_keys.h"

namespace ledger {

using merkle::Hash;
using storage::Family;

// What the leader stages for one group commit.
struct Sequencer::Group {
  storage::Batch batch;
  std::vector<Hash> leaf_hashes;
  std::vector<IndexRuns::Leaf> index_leaves;
  std::vector<Prepared*> accepted;
  uint64_t leaf_bytes = 0;  // of the accepted leaves (metrics)
  uint64_t first_index = 0;
  uint64_t next_index = 0;
  int64_t now = 0;  // the integration time of the group's leaves
  // (key, sequence) appended earlier in this group → its item.
  absl::flat_hash_map<std::pair<crypto::KeyId, uint64_t>, Prepared*> in_group;
  // Retries of entries of this group: acknowledged only with the group.
  std::vector<AppendResult*> in_group_duplicates;
};

void Sequencer::PrepareOne(const std::string& bytes, Prepared* out) const {
  out->bytes = &bytes;
  if (bytes.size() + entry::kLeafHeaderSize > options_.max_leaf_bytes) {
    out->early_error = absl::InvalidArgumentError(absl::StrCat(
        "envelope: ", bytes.size(), " bytes make a leaf of ",
        bytes.size() + entry::kLeafHeaderSize, " bytes, over the limit of ",
        options_.max_leaf_bytes,
        " (a tlog-tiles entry is at most 65,535 bytes: submit large content "
        "by hash)"));
    return;
  }
  auto envelope = entry::ParseEnvelope(bytes);
  if (!envelope.ok()) {
    out->early_error = envelope.status();
    return;
  }
  out->envelope = std::move(*envelope);
  std::optional<crypto::PublicKey> key;
  {
    // Not registry_mu_: a leader holds that across its synced write.
    absl::ReaderMutexLock lock(&verify_keys_mu_);
    auto it = verify_keys_.find(crypto::KeyId(out->envelope.key_id));
    if (it != verify_keys_.end()) key = it->second;
  }
  if (!key.has_value())
    return;  // maybe enrolled earlier in this group: the leader verifies
  const entry::Envelope& e = out->envelope;
  absl::Status s =
      key->Verify(entry::SignedMessage(log_->origin(), e.key_id, e.sequence,
                                       e.payload_type, e.payload),
                  e.signature);
  if (!s.ok()) {
    out->early_error = s;
    return;
  }
  out->verified = true;
}

absl::Status Sequencer::CheckLogKeyAnnouncement(
    const aifl::ledger::v1::LogKey& log_key, bool allow_rotation) const {
  auto pub = crypto::PublicKey::FromBytes(log_key.public_key());
  if (!pub.ok()) return pub.status();
  const std::string& origin = log_->origin();
  if (registry_.log_keys().empty()) {
    const crypto::PublicKey& created = log_->created_log_key();
    if (*pub != created) {
      return absl::FailedPreconditionError(absl::StrCat(
          "log_key: the genesis LogKey must announce the key this ledger was "
          "created with (",
          DescribeLogKey(origin, created), "), got ",
          DescribeLogKey(origin, *pub)));
    }
    return absl::OkStatus();
  }
  if (!allow_rotation) {
    return absl::FailedPreconditionError(absl::StrCat(
        "log_key: announcing a new log key (", DescribeLogKey(origin, *pub),
        ") rotates the log key, an offline operation that needs the new "
        "secret key: stop the server and run `ledgerctl rotate-log-key`"));
  }
  return absl::OkStatus();
}

std::vector<AppendResult> Sequencer::Append(
    absl::Span<const std::string> envelopes) {
  return AppendImpl(envelopes, /*allow_rotation=*/false);
}

AppendResult Sequencer::AppendLogKeyAnnouncement(const std::string& envelope) {
  return AppendImpl({envelope}, /*allow_rotation=*/true)[0];
}

absl::Status Sequencer::CheckWritable() {
  if (log_->store().read_only())
    return absl::FailedPreconditionError("the ledger is open read-only");
  if (free_space_ != nullptr) return free_space_->Check();
  return absl::OkStatus();
}

std::vector<AppendResult> Sequencer::AppendImpl(
    absl::Span<const std::string> envelopes, bool allow_rotation) {
  std::vector<AppendResult> results(envelopes.size());
  if (absl::Status writable = CheckWritable(); !writable.ok()) {
    for (AppendResult& r : results) r.status = writable;
    return results;
  }
  Writer w;
  w.items.resize(envelopes.size());
  // Parse and verify signatures here, in the caller's thread, in parallel
  // with other callers; the leader only does the cheap, ordered part.
  for (size_t i = 0; i < envelopes.size(); ++i) {
    w.items[i].result = &results[i];
    w.items[i].allow_rotation = allow_rotation;
    PrepareOne(envelopes[i], &w.items[i]);
  }
  Commit(w);
  return results;
}

void Sequencer::Commit(Writer& w) {
  absl::MutexLock lock(&queue_mu_);
  writers_.push_back(&w);
  while (!w.done && &w != writers_.front()) w.cv.Wait(&queue_mu_);
  if (w.done) return;

  // This writer leads: take it and whoever queued behind it, up to a bound.
  std::vector<Writer*> group;
  size_t entries = 0;
  for (Writer* other : writers_) {
    if (!group.empty() &&
        entries + other->items.size() > options_.max_group_entries)
      break;
    group.push_back(other);
    entries += other->items.size();
  }
  queue_mu_.Unlock();
  CommitGroup(group);
  queue_mu_.Lock();
  for (Writer* done : group) {
    writers_.pop_front();
    done->done = true;
    if (done != &w) done->cv.Signal();
  }
  if (!writers_.empty()) writers_.front()->cv.Signal();
}

void Sequencer::CommitGroup(std::vector<Writer*>& writers) {
  Group group;
  group.first_index = group.next_index = log_->Size();
  group.now = std::max(absl::ToUnixMicros(clock_->Now()), last_time_micros_);

  absl::MutexLock registry_lock(&registry_mu_);
  for (Writer* writer : writers) {
    for (Prepared& item : writer->items) AdmitItem(item, group);
  }
  if (group.accepted.empty()) return;
  WriteGroup(group);
}

void Sequencer::AnswerUsedSequence(Prepared& item, Group& group) const {
  AppendResult& result = *item.result;
  const entry::Envelope& e = item.envelope;
  const crypto::KeyId key_id(e.key_id);
  auto same = group.in_group.find({key_id, e.sequence});
  if (same != group.in_group.end()) {
    if (*same->second->bytes == *item.bytes) {
      result = *same->second->result;
      result.duplicate = true;
      group.in_group_duplicates.push_back(&result);
    } else {
      result.status = absl::AlreadyExistsError(
          absl::StrCat("sequence ", e.sequence, " of key ", key_id.ToString(),
                       " was already used with different bytes (leaf ",
                       same->second->result->leaf_index, ")"));
    }
    return;
  }
  auto stored = log_->indexes().FindSequence(key_id, e.sequence);
  std::optional<std::string> leaf;
  if (stored.ok() && stored->has_value()) {
    auto leaf_bytes = log_->store().Get(Family::kLeaves, keys::Leaf(**stored));
    if (leaf_bytes.ok()) leaf = std::move(*leaf_bytes);
  }
  auto parsed = leaf.has_value()
                    ? entry::ParseLeaf(*leaf)
                    : absl::StatusOr<entry::Leaf>(absl::NotFoundError(""));
  if (!parsed.ok()) {
    result.status = absl::DataLossError(
        absl::StrCat("sequence ", e.sequence, " of key ", key_id.ToString(),
                     " is recorded as used but its leaf cannot be read"));
  } else if (parsed->envelope != *item.bytes) {
    result.status = absl::AlreadyExistsError(absl::StrCat(
        "sequence ", e.sequence, " of key ", key_id.ToString(),
        " was already used with different bytes (leaf ", **stored, ")"));
  } else {
    result.leaf_index = **stored;
    result.integration_time_micros = parsed->integration_time_micros;
    result.duplicate = true;
  }
}

void Sequencer::AdmitItem(Prepared& item, Group& group) {
  AppendResult& result = *item.result;
  if (!item.early_error.ok()) {
    result.status = item.early_error;
    return;
  }
  const entry::Envelope& e = item.envelope;
  const std::string& origin = log_->origin();
  absl::StatusOr<Admission> admitted =
      Admit(registry_, e, group.next_index, origin, AdmissionMode::kAppend);
  if (admitted.status().code() == absl::StatusCode::kAlreadyExists &&
      registry_.IsUsedSequence(e)) {
    // An idempotent retry returns the original receipt; other bytes under a
    // used sequence number are refused. Not every kAlreadyExists is a used
    // number: enrolling a key enrolled before is one too, and is refused
    // below like any other bad key event (its sequence stays unused).
    AnswerUsedSequence(item, group);
    return;
  }
  if (!admitted.ok()) {
    result.status = admitted.status();
    return;
  }
  const std::optional<aifl::ledger::v1::KeyEvent>& event = admitted->event;
  if (event.has_value() && event->has_log_key()) {
    if (absl::Status s =
            CheckLogKeyAnnouncement(event->log_key(), item.allow_rotation);
        !s.ok()) {
      result.status = s;
      return;
    }
  }
  if (!item.verified) {
    absl::Status s = admitted->signer_key.Verify(
        entry::SignedMessage(origin, e.key_id, e.sequence, e.payload_type,
                             e.payload),
        e.signature);
    if (!s.ok()) {
      result.status = s;
      return;
    }
  }
  if (absl::Status s =
          registry_.Apply(e, group.next_index, event ? &*event : nullptr);
      !s.ok()) {
    result.status = s;
    return;
  }
  const std::string leaf = entry::EncodeLeaf(group.now, *item.bytes);
  group.leaf_bytes += leaf.size();
  const Hash leaf_hash = merkle::HashLeaf(leaf);
  group.batch.Put(Family::kLeaves, keys::Leaf(group.next_index), leaf);
  result.leaf_index = group.next_index;
  result.integration_time_micros = group.now;
  const crypto::KeyId key_id(e.key_id);
  group.in_group[{key_id, e.sequence}] = &item;
  group.accepted.push_back(&item);
  group.leaf_hashes.push_back(leaf_hash);
  group.index_leaves.push_back({leaf_hash, key_id, e.sequence});
  ++group.next_index;
}

void Sequencer::WriteGroup(Group& group) {
  storage::Batch& batch = group.batch;
  const std::vector<crypto::KeyId> dirty = registry_.TakeDirty();
  for (const crypto::KeyId& id : dirty) {
    const KeyInfo* info = registry_.Find(id);
    if (info != nullptr)
      batch.Put(Family::kKeys, keys::KeyRecord(id), EncodeKeyInfo(*info));
  }
  const bool log_keys_changed = registry_.TakeLogKeysDirty();
  if (log_keys_changed) PutLogKeyHistory(registry_.log_keys(), &batch);
  batch.Put(Family::kMeta, keys::kTreeSize, entry::U64Key(group.next_index));
  batch.Put(Family::kMeta, keys::kLastTime,
            entry::U64Key(static_cast<uint64_t>(group.now)));
  PendingAppend pending = log_->StageAppend(group.leaf_hashes, &batch);
  IndexRuns::Staged staged_index = log_->indexes().Stage(
      group.first_index, std::move(group.index_leaves), &batch);
  const absl::Time write_start = absl::Now();  // real time: a latency
  absl::Status written = log_->mutable_store().Write(&batch);
  if (options_.commit_observer != nullptr) {
    options_.commit_observer->OnGroupCommit(
        GroupCommitStats{group.accepted.size(), group.leaf_bytes,
                         absl::Now() - write_start, written.ok()});
  }
  if (!written.ok()) {
    // Nothing of this group is acknowledged. The registry already advanced
    // in memory: restore it from the durable copy.
    for (Prepared* item : group.accepted) *item->result = AppendResult{written};
    for (AppendResult* result : group.in_group_duplicates)
      *result = AppendResult{written};
    // If even the reload fails the registry may run ahead of disk; later
    // appends then fail their checks rather than corrupt anything, and a
    // restart reloads it.
    absl::StatusOr<KeyRegistry> durable = ReadRegistry();
    if (durable.ok()) registry_ = std::move(*durable);
    return;
  }
  last_time_micros_ = group.now;
  if (log_keys_changed) log_->SetLogKeys(registry_.log_keys());
  {
    absl::MutexLock keys_lock(&verify_keys_mu_);
    for (const crypto::KeyId& id : dirty) {
      const KeyInfo* info = registry_.Find(id);
      if (info != nullptr && info->public_key.has_value())
        verify_keys_.insert({id, *info->public_key});
    }
  }
  log_->ApplyAppend(std::move(pending));
  log_->indexes().Apply(std::move(staged_index));
}

}  // namespace ledger

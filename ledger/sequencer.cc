// Sequencer: loading and the open-time checks. The append path is in
// sequencer_append.cc.
#include "ledger/sequencer.h"

#include "common/status_macros.h"
#include "ledger/derived_state_check.h"
#include "ledger/entry/byte_io.h"
#include "ledger/storage_keys.h"
#include "ledger/stored_log_keys.h"

namespace ledger {

using storage::Family;

absl::StatusOr<std::unique_ptr<Sequencer>> Sequencer::Create(
    const LedgerOptions& options, common::Clock* clock, StoredLog* log) {
  auto sequencer =
      std::unique_ptr<Sequencer>(new Sequencer(options, clock, log));
  if (options.min_free_bytes > 0 && !options.read_only) {
    FreeSpaceFloor::Probe probe = options.free_space_probe;
    if (!probe) {
      // What is still in memtables will be written as tables (at close, or
      // by the next open's WAL replay) while its WAL still takes space: that
      // much of the free space is already spoken for.
      probe = [dir = options.dir,
               store = &log->store()]() -> absl::StatusOr<uint64_t> {
        ASSIGN_OR_RETURN(uint64_t free_bytes, StatvfsFreeBytes(dir));
        const uint64_t unflushed = store->UnflushedBytes();
        return free_bytes > unflushed ? free_bytes - unflushed : 0;
      };
    }
    sequencer->free_space_ = std::make_unique<FreeSpaceFloor>(
        options.dir, options.min_free_bytes, options.free_space_recheck, clock,
        std::move(probe));
  }
  ASSIGN_OR_RETURN(std::optional<std::string> time,
                   log->store().Get(Family::kMeta, keys::kLastTime));
  sequencer->last_time_micros_ =
      time.has_value() ? static_cast<int64_t>(entry::DecodeU64(*time)) : 0;
  ASSIGN_OR_RETURN(KeyRegistry registry, sequencer->ReadRegistry());
  {
    absl::MutexLock keys_lock(&sequencer->verify_keys_mu_);
    for (const KeyInfo& info : registry.All()) {
      if (info.public_key.has_value())
        sequencer->verify_keys_.insert({info.id, *info.public_key});
    }
  }
  absl::MutexLock lock(&sequencer->registry_mu_);
  sequencer->registry_ = std::move(registry);
  return sequencer;
}

absl::StatusOr<KeyRegistry> Sequencer::ReadRegistry() const {
  absl::Status decode_error;
  KeyRegistry registry;
  const storage::Store& store = log_->store();
  RETURN_IF_ERROR(store.Scan(Family::kKeys, "", "",
                             [&](absl::string_view, absl::string_view value) {
                               auto info = DecodeKeyInfo(value);
                               if (!info.ok()) {
                                 decode_error = info.status();
                                 return false;
                               }
                               registry.Insert(std::move(*info));
                               return true;
                             }));
  RETURN_IF_ERROR(decode_error);
  ASSIGN_OR_RETURN(LogKeyHistory log_keys, ReadLogKeyHistory(store));
  registry.set_log_keys(std::move(log_keys));
  registry.TakeDirty();
  return registry;
}

std::vector<KeyInfo> Sequencer::Keys() const {
  absl::ReaderMutexLock lock(&registry_mu_);
  return registry_.All();
}

std::optional<KeyInfo> Sequencer::FindKey(const crypto::KeyId& id) const {
  absl::ReaderMutexLock lock(&registry_mu_);
  const KeyInfo* info = registry_.Find(id);
  return info == nullptr ? std::nullopt : std::optional<KeyInfo>(*info);
}

absl::Status Sequencer::MarkSimulatedClock() {
  if (log_->simulated_clock_since().has_value()) return absl::OkStatus();
  const uint64_t size = log_->Size();
  storage::Batch batch;
  batch.Put(Family::kMeta, keys::kSimulatedClock, entry::U64Key(size));
  RETURN_IF_ERROR(log_->mutable_store().Write(&batch));
  log_->set_simulated_clock_since(size);
  return absl::OkStatus();
}

absl::Status Sequencer::CheckDerivedState() const {
  RETURN_IF_ERROR(log_->CheckNewestLeaves(kNewestLeavesChecked));
  absl::ReaderMutexLock lock(&registry_mu_);
  return CheckKeyRegistryReplay(log_->store(), log_->Size(), registry_);
}

}  // namespace ledger

#include "ledger/log_key_history.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "ledger/note/signed_note.h"

namespace ledger {

std::string DescribeLogKey(absl::string_view origin,
                           const crypto::PublicKey& key) {
  return absl::StrFormat("note key id %08x", note::NoteKeyId(origin, key));
}

absl::Status LogKeyHistory::CheckAnnounce(const crypto::PublicKey& key,
                                          absl::string_view origin) const {
  if (!epochs_.empty() && current().key == key) {
    return absl::FailedPreconditionError(
        absl::StrCat("log_key: ", DescribeLogKey(origin, key),
                     " is already the current log key (announced at leaf ",
                     current().announced_at_leaf, ")"));
  }
  const uint32_t id = note::NoteKeyId(origin, key);
  for (const LogKeyEpoch& epoch : epochs_) {
    if (epoch.key == key) {
      return absl::FailedPreconditionError(absl::StrCat(
          "log_key: ", DescribeLogKey(origin, key),
          " was a log key before (announced at leaf ", epoch.announced_at_leaf,
          "); log keys are never re-used"));
    }
    if (note::NoteKeyId(origin, epoch.key) == id) {
      return absl::FailedPreconditionError(
          absl::StrCat("log_key: the new key's ", DescribeLogKey(origin, key),
                       " equals that of the log key announced at leaf ",
                       epoch.announced_at_leaf, "; generate another key"));
    }
  }
  return absl::OkStatus();
}

void LogKeyHistory::Add(uint64_t leaf, const crypto::PublicKey& key) {
  epochs_.push_back({leaf, key});
}

bool LogKeyHistory::Contains(const crypto::PublicKey& key) const {
  return std::any_of(epochs_.begin(), epochs_.end(),
                     [&](const LogKeyEpoch& e) { return e.key == key; });
}

size_t LogKeyHistory::EpochForSize(uint64_t size) const {
  size_t i = 0;
  while (i + 1 < epochs_.size() && epochs_[i + 1].announced_at_leaf < size) ++i;
  return i;
}

absl::StatusOr<CheckpointFields> LogKeyHistory::VerifyCheckpoint(
    absl::string_view note_text, absl::string_view origin,
    bool handover) const {
  if (epochs_.empty()) {
    return absl::FailedPreconditionError("no log key has been announced");
  }
  // Every log key the log ever had is a candidate: a signature line by any
  // of them must verify; which of them are required depends on the size.
  std::vector<crypto::PublicKey> keys;
  for (const LogKeyEpoch& epoch : epochs_) keys.push_back(epoch.key);
  ASSIGN_OR_RETURN(OpenedCheckpoint opened,
                   OpenCheckpoint(note_text, origin, keys));
  const CheckpointFields& checkpoint = opened.fields;
  const size_t epoch = EpochForSize(checkpoint.size);
  auto signed_by = [&](size_t e) {
    const uint32_t id = note::NoteKeyId(origin, epochs_[e].key);
    return std::find(opened.signed_by.begin(), opened.signed_by.end(), id) !=
           opened.signed_by.end();
  };
  if (!signed_by(epoch)) {
    return absl::UnauthenticatedError(absl::StrCat(
        "checkpoint of size ", checkpoint.size,
        " has no signature by the log key for that size (",
        DescribeLogKey(origin, epochs_[epoch].key), ", announced at leaf ",
        epochs_[epoch].announced_at_leaf, ")"));
  }
  if (handover) {
    if (epoch == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("checkpoint of size ", checkpoint.size,
                       " cannot be a handover: no log key precedes the first"));
    }
    if (!signed_by(epoch - 1)) {
      return absl::UnauthenticatedError(
          absl::StrCat("handover checkpoint of size ", checkpoint.size,
                       " has no signature by the previous log key (",
                       DescribeLogKey(origin, epochs_[epoch - 1].key), ")"));
    }
  }
  return checkpoint;
}

}  // namespace ledger

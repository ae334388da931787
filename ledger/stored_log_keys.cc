#include "ledger/stored_log_keys.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/entry/byte_io.h"
#include "ledger/storage_keys.h"

namespace ledger {

using storage::Family;

absl::StatusOr<bool> HasStoredLogKeys(const storage::Store& store) {
  bool found = false;
  RETURN_IF_ERROR(store.Scan(Family::kMeta, keys::kLogKeyPrefix,
                             keys::kLogKeyEnd,
                             [&](absl::string_view, absl::string_view) {
                               found = true;
                               return false;
                             }));
  return found;
}

absl::StatusOr<LogKeyHistory> ReadLogKeyHistory(const storage::Store& store) {
  LogKeyHistory history;
  std::string problem;
  RETURN_IF_ERROR(store.Scan(
      Family::kMeta, keys::kLogKeyPrefix, keys::kLogKeyEnd,
      [&](absl::string_view key, absl::string_view value) {
        auto pub = crypto::PublicKey::FromBytes(value);
        if (key.size() != keys::kLogKeyPrefix.size() + 8 || !pub.ok()) {
          problem = "a stored log-key history value is malformed";
          return false;
        }
        history.Add(entry::DecodeU64(key.substr(keys::kLogKeyPrefix.size())),
                    *pub);
        return true;
      }));
  if (!problem.empty()) return absl::DataLossError(problem);
  if (!history.empty()) return history;
  // Written before rotation existed: one log key, announced at genesis.
  ASSIGN_OR_RETURN(std::optional<std::string> size,
                   store.Get(Family::kMeta, keys::kTreeSize));
  ASSIGN_OR_RETURN(std::optional<std::string> current,
                   store.Get(Family::kMeta, keys::kLogPublicKey));
  if (!size.has_value() || entry::DecodeU64(*size) < 2 ||
      !current.has_value()) {
    return history;
  }
  auto pub = crypto::PublicKey::FromBytes(*current);
  if (!pub.ok())
    return absl::DataLossError("the stored log public key is invalid");
  history.Add(1, *pub);
  return history;
}

void PutLogKeyHistory(const LogKeyHistory& history, storage::Batch* batch) {
  for (const LogKeyEpoch& epoch : history.epochs()) {
    batch->Put(Family::kMeta, keys::LogKeyAt(epoch.announced_at_leaf),
               epoch.key.bytes());
  }
  batch->Put(Family::kMeta, keys::kLogPublicKey, history.current().key.bytes());
}

}  // namespace ledger

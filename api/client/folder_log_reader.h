// FolderLogReader: the LogReader of a local ledger folder (ledger::Ledger,
// normally opened read-only, so it works while a server holds the folder).
//
// The folder is data like any server's answer and is checked the same way:
// every checkpoint note's signature under the log key for its size (the
// folder's log-key history, itself replayed by `ledgerctl verify`), every
// leaf's inclusion proof against the checkpoint asked about, every
// consistency proof, and each new checkpoint reconciled with the last one
// this reader trusted (in memory: a folder has no trusted store), as
// LedgerClient does. Ledger::Open already checked the stored tree against
// the latest checkpoint; the signed state beside the log key is checked by
// `ledgerctl verify` (a read-only open does not). Damage is kDataLoss naming
// the folder.
//
// Not thread-safe (one command, one thread).
#ifndef API_CLIENT_FOLDER_LOG_READER_H_
#define API_CLIENT_FOLDER_LOG_READER_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/client/log_reader.h"
#include "api/client/log_verifier.h"
#include "ledger/ledger.h"

namespace api::client {

class FolderLogReader : public LogReader {
 public:
  // Opens the ledger in `dir` read-only (LedgerOptions::signed_state_dir =
  // `signed_state_dir`). Errors as Ledger::Open.
  static absl::StatusOr<std::unique_ptr<FolderLogReader>> Open(
      const std::string& dir, const std::string& signed_state_dir);
  // Reads `ledger`, already open (e.g. read-write, to record into it), which
  // must outlive the reader; `dir` names it in messages.
  static absl::StatusOr<std::unique_ptr<FolderLogReader>> Wrap(
      const ledger::Ledger& ledger, const std::string& dir);

  std::string Source() const override;
  std::string Origin() const override;
  absl::StatusOr<VerifiedCheckpoint> LatestCheckpoint() override;
  absl::StatusOr<VerifiedCheckpoint> CheckpointAt(uint64_t size) override;
  absl::StatusOr<std::vector<VerifiedLeaf>> ReadLeaves(
      const VerifiedCheckpoint& at, uint64_t start,
      uint64_t max_count) override;
  absl::StatusOr<ProvenLeaf> ProveLeaf(const VerifiedCheckpoint& at,
                                       uint64_t index) override;
  absl::StatusOr<std::vector<ledger::merkle::Hash>> ProveConsistency(
      const VerifiedCheckpoint& older,
      const VerifiedCheckpoint& newer) override;

  // The ledger read (for what only a folder has: its key registry, stored
  // size, simulated-clock mark).
  const ledger::Ledger& ledger() const { return *ledger_; }

 private:
  FolderLogReader(std::unique_ptr<ledger::Ledger> owned,
                  const ledger::Ledger* ledger, std::string dir,
                  LogVerifier verifier);

  // Verifies `note` (from the folder) and reconciles it with the trusted
  // checkpoint; `latest`: a smaller size is a rollback.
  absl::StatusOr<VerifiedCheckpoint> Accept(absl::string_view note,
                                            bool latest);
  // The verified consistency proof between two checkpoints of this folder.
  absl::StatusOr<std::vector<ledger::merkle::Hash>> Consistency(
      const ledger::CheckpointFields& older,
      const ledger::CheckpointFields& newer) const;
  // The verified inclusion proof of `leaf` at `index` in `at`'s tree.
  absl::StatusOr<std::vector<ledger::merkle::Hash>> Inclusion(
      const VerifiedCheckpoint& at, uint64_t index,
      absl::string_view leaf) const;
  // `status` as kDataLoss naming the folder, when it is about stored data.
  absl::Status Damaged(const absl::Status& status) const;

  std::unique_ptr<ledger::Ledger> owned_;
  const ledger::Ledger* ledger_;
  std::string dir_;
  // The current log key's verifier: the Merkle checks and their messages.
  LogVerifier verifier_;
  std::optional<VerifiedCheckpoint> trusted_;
};

}  // namespace api::client

#endif  // API_CLIENT_FOLDER_LOG_READER_H_

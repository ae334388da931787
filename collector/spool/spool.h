// Spool: the agent's durable outbox, a folder with two stages.
//
//   pending/<id>.rec  unsigned payloads, fsynced on Enqueue. Near the size
//                     bound, pending IntervalReports of the same run and
//                     node are merged (interval_merge.h) instead of dropped.
//   sealed/<id>.env   signed envelopes: Seal() signs the oldest pending
//                     records with the RecordSigner and fsyncs the envelope
//                     BEFORE it is ever sent; it is re-sent byte for byte
//                     until a verified receipt arrives (Ack), so shipping is
//                     idempotent and merging never touches signed bytes.
//   rejected/         envelopes the ledger refused permanently: kept, never
//                     overwritten nor deleted (a name already taken gets a
//                     suffix: <id>.env, <id>.1.env, …). Requeue() re-queues
//                     a rejected measurement and moves its file on to
//                     rejected/reshipped/ (same no-overwrite rule).
//
// Crash safety: each file is written tmp + fsync + rename + fsync(dir). A
// file that supersedes others names them (`replaces`); Open() deletes
// superseded files, *.tmp leftovers, and moves undecodable files to
// corrupt/. Nothing acknowledged by Enqueue is lost and no record is both
// pending and sealed after recovery. collector/README.md has the design.
//
// Thread-compatible: one owner thread (the agent's spool loop), and one
// process per folder (the binary takes <dir>/lock: LockExclusively in
// spool_file.h).
#ifndef COLLECTOR_SPOOL_SPOOL_H_
#define COLLECTOR_SPOOL_SPOOL_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collector/spool/record_signer.h"

namespace collector {
namespace spool {

struct SpoolOptions {
  // Bound on the bytes of pending + sealed files. Default: 1 GiB.
  uint64_t max_bytes = uint64_t{1} << 30;
  // Merging starts when the spool holds more than this share of max_bytes.
  // Default: 0.8.
  double merge_at = 0.8;
  // Where loud messages go (merges, rejections, corrupt files).
  // Default: stderr.
  std::function<void(const std::string&)> log;
};

struct SpoolEntry {
  uint64_t id = 0;
  bool sealed = false;
  std::string payload_type;
  std::string bytes;  // payload (pending) or envelope (sealed)
};

class Spool {
 public:
  // Opens or creates the spool in `dir` and recovers it (see above).
  // common::ErrnoToStatus on I/O errors (a full disk: kResourceExhausted).
  static absl::StatusOr<std::unique_ptr<Spool>> Open(const std::string& dir,
                                                     SpoolOptions options = {});

  // Durably adds an unsigned payload. OK means it is on disk (fsynced).
  // Near the bound, merges first; kResourceExhausted when even after merging
  // it does not fit (the caller keeps the record and retries later: nothing
  // is dropped).
  absl::Status Enqueue(absl::string_view payload_type,
                       absl::string_view payload);

  // Signs up to `max` oldest pending records into sealed envelopes. Returns
  // how many were sealed; stops at the first signer error and returns it.
  absl::StatusOr<size_t> Seal(RecordSigner* signer, size_t max);

  // Up to `max` oldest sealed envelopes, read from disk.
  absl::StatusOr<std::vector<SpoolEntry>> Sealed(size_t max) const;

  // Deletes a sealed envelope after its receipt verified.
  absl::Status Ack(uint64_t id);
  // Moves a sealed envelope the ledger refused permanently to rejected/,
  // never over an existing file there. Returns its name in rejected/.
  absl::StatusOr<std::string> Reject(uint64_t id);
  // Keeps the refused sealed envelope in rejected/ (a hard link, never over
  // an existing file) and replaces it, under the same id (so in the same
  // shipping order), with `envelope` (a refusal marker carrying the same
  // sequence number). Returns the kept original's name in rejected/. Each
  // step is durable; a crash in between leaves the original sealed, to be
  // refused again (and kept a second time, under another name).
  absl::StatusOr<std::string> ReplaceSealed(uint64_t id,
                                            absl::string_view payload_type,
                                            absl::string_view envelope);

  // The files directly in rejected/ (not its subfolders), oldest id first,
  // with their payload type and envelope bytes. Files that do not decode are
  // listed with `error` set (and left alone).
  struct RejectedFile {
    std::string name;
    std::string payload_type;
    std::string envelope;
    absl::Status error;
  };
  absl::StatusOr<std::vector<RejectedFile>> Rejected() const;

  // Re-queues a rejected measurement: durably enqueues `payload` (the
  // refused envelope's exact payload bytes) as a new pending record, to be
  // signed under a new sequence number, unless a pending record already
  // holds these exact bytes (a re-run after a crash), then moves
  // rejected/<name> to rejected/reshipped/ (never over a file there).
  // Errors as Enqueue (kResourceExhausted: nothing moved), kNotFound when
  // rejected/<name> is gone.
  absl::Status Requeue(const std::string& name, absl::string_view payload_type,
                       absl::string_view payload);

  // Every entry, pending and sealed, oldest first (tests, inspection).
  absl::StatusOr<std::vector<SpoolEntry>> All() const;

  uint64_t bytes() const { return bytes_; }
  size_t pending_count() const;
  size_t sealed_count() const;
  uint64_t merged_records() const { return merged_records_; }

 private:
  struct Meta {
    bool sealed = false;
    uint64_t size = 0;
    std::string payload_type;
  };
  Spool(std::string dir, SpoolOptions options);
  absl::Status Recover();
  absl::Status MergePending();
  std::string PathOf(uint64_t id, bool sealed) const;
  void Log(const std::string& msg) const;

  const std::string dir_;
  const SpoolOptions options_;
  std::map<uint64_t, Meta> index_;  // id -> file, ordered oldest first
  uint64_t next_id_ = 1;
  uint64_t bytes_ = 0;
  uint64_t merged_records_ = 0;
};

}  // namespace spool
}  // namespace collector

#endif  // COLLECTOR_SPOOL_SPOOL_H_

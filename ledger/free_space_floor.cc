#include "ledger/free_space_floor.h"

#include <sys/statvfs.h>

#include <cerrno>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/errno_status.h"

namespace ledger {

absl::StatusOr<uint64_t> StatvfsFreeBytes(const std::string& path) {
  struct statvfs st;
  if (::statvfs(path.c_str(), &st) != 0) {
    return common::ErrnoToStatus(errno, absl::StrCat("statvfs ", path));
  }
  return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
}

FreeSpaceFloor::FreeSpaceFloor(std::string what, uint64_t floor_bytes,
                               absl::Duration recheck,
                               const common::Clock* clock, Probe probe)
    : what_(std::move(what)),
      floor_bytes_(floor_bytes),
      recheck_(recheck),
      clock_(clock),
      probe_(std::move(probe)) {}

absl::Status FreeSpaceFloor::Check() {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_->Now();
  if (now - checked_at_ < recheck_) return last_;
  checked_at_ = now;
  absl::StatusOr<uint64_t> free_bytes = probe_();
  if (!free_bytes.ok()) {
    last_ = free_bytes.status();
  } else if (*free_bytes < floor_bytes_) {
    last_ = absl::ResourceExhaustedError(absl::StrFormat(
        "free space on %s: %.1f MiB, below the floor of %.1f MiB; appends "
        "are refused until space is freed (reads still work)",
        what_, *free_bytes / 1048576.0, floor_bytes_ / 1048576.0));
  } else {
    last_ = absl::OkStatus();
  }
  return last_;
}

}  // namespace ledger

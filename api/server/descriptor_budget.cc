#include "api/server/descriptor_budget.h"

#include <dirent.h>
#include <sys/resource.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "common/errno_status.h"

namespace api::server {
namespace {

absl::Status ErrnoError(absl::string_view what) {
  return common::ErrnoToStatus(errno, what);
}

absl::StatusOr<uint64_t> OpenDescriptors() {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return ErrnoError("opendir /proc/self/fd");
  uint64_t n = 0;
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.') ++n;
  }
  ::closedir(dir);
  return n > 0 ? n - 1 : 0;  // not the descriptor reading the folder
}

}  // namespace

absl::StatusOr<DescriptorBudget> CurrentDescriptorBudget() {
  struct rlimit limit;
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
    return ErrnoError("getrlimit(RLIMIT_NOFILE)");
  absl::StatusOr<uint64_t> open = OpenDescriptors();
  if (!open.ok()) return open.status();
  return DescriptorBudget{static_cast<uint64_t>(limit.rlim_cur), *open};
}

absl::StatusOr<DescriptorBudget> RaiseDescriptorLimit() {
  struct rlimit limit;
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
    return ErrnoError("getrlimit(RLIMIT_NOFILE)");
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0)
      return ErrnoError("setrlimit(RLIMIT_NOFILE)");
  }
  return CurrentDescriptorBudget();
}

absl::Status CheckDescriptorReserve(uint64_t reserve) {
  absl::StatusOr<DescriptorBudget> budget = CurrentDescriptorBudget();
  if (!budget.ok()) return budget.status();
  if (budget->free() >= reserve) return absl::OkStatus();
  return absl::ResourceExhaustedError(
      absl::StrCat("only ", budget->free(), " of ", budget->limit,
                   " file descriptors are free (", budget->open,
                   " open), --fd_reserve "
                   "wants ",
                   reserve,
                   ": raise the limit (systemd LimitNOFILE=, ulimit -n) "
                   "or lower --rocksdb_max_open_files"));
}

}  // namespace api::server

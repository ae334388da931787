#include "collector/spool/spool_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "common/durable_file.h"
#include "common/errno_status.h"

namespace collector {
namespace spool {
namespace {

constexpr char kMagic[] = "AIFLSPL1";
constexpr size_t kMagicLen = 8;
constexpr size_t kHashLen = 16;

absl::Status Errno(absl::string_view what, const std::string& path) {
  return common::ErrnoToStatus(errno, absl::StrCat(what, " ", path));
}

void PutU32(std::string* s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s->push_back(static_cast<char>(v >> (8 * i)));
}
void PutU64(std::string* s, uint64_t v) {
  for (int i = 0; i < 8; ++i) s->push_back(static_cast<char>(v >> (8 * i)));
}

class Reader {
 public:
  explicit Reader(absl::string_view b) : b_(b) {}
  bool U32(uint32_t* v) {
    if (b_.size() < 4) return false;
    *v = 0;
    for (int i = 0; i < 4; ++i) *v |= uint32_t(uint8_t(b_[i])) << (8 * i);
    b_.remove_prefix(4);
    return true;
  }
  bool U64(uint64_t* v) {
    if (b_.size() < 8) return false;
    *v = 0;
    for (int i = 0; i < 8; ++i) *v |= uint64_t(uint8_t(b_[i])) << (8 * i);
    b_.remove_prefix(8);
    return true;
  }
  bool Bytes(size_t n, std::string* out) {
    if (b_.size() < n) return false;
    out->assign(b_.data(), n);
    b_.remove_prefix(n);
    return true;
  }

 private:
  absl::string_view b_;
};

std::string Hash(absl::string_view data) {
  unsigned char h[kHashLen];
  crypto_generichash(h, sizeof(h),
                     reinterpret_cast<const unsigned char*>(data.data()),
                     data.size(), nullptr, 0);
  return std::string(reinterpret_cast<char*>(h), sizeof(h));
}

}  // namespace

std::string EncodeSpoolFile(const SpoolFile& f) {
  std::string s(kMagic, kMagicLen);
  PutU64(&s, f.id);
  PutU32(&s, f.payload_type.size());
  s += f.payload_type;
  PutU32(&s, f.replaces.size());
  for (uint64_t r : f.replaces) PutU64(&s, r);
  PutU32(&s, f.body.size());
  s += f.body;
  s += Hash(s);
  return s;
}

absl::StatusOr<SpoolFile> DecodeSpoolFile(absl::string_view bytes) {
  if (bytes.size() < kMagicLen + kHashLen ||
      bytes.substr(0, kMagicLen) != absl::string_view(kMagic, kMagicLen)) {
    return absl::DataLossError("spool file: bad magic or truncated");
  }
  absl::string_view content = bytes.substr(0, bytes.size() - kHashLen);
  if (Hash(content) != bytes.substr(bytes.size() - kHashLen)) {
    return absl::DataLossError("spool file: checksum mismatch");
  }
  Reader r(content.substr(kMagicLen));
  SpoolFile f;
  uint32_t type_len = 0, n = 0, body_len = 0;
  bool ok = r.U64(&f.id) && r.U32(&type_len) &&
            r.Bytes(type_len, &f.payload_type) && r.U32(&n);
  for (uint32_t i = 0; ok && i < n; ++i) {
    uint64_t v = 0;
    ok = r.U64(&v);
    f.replaces.push_back(v);
  }
  ok = ok && r.U32(&body_len) && r.Bytes(body_len, &f.body);
  if (!ok) return absl::DataLossError("spool file: truncated field");
  return f;
}

absl::Status WriteFileDurably(const std::string& dir, const std::string& name,
                              absl::string_view bytes) {
  return common::WriteFileDurably(absl::StrCat(dir, "/", name), bytes, 0600);
}

absl::Status RemoveFileDurably(const std::string& dir,
                               const std::string& name) {
  const std::string path = absl::StrCat(dir, "/", name);
  if (unlink(path.c_str()) != 0 && errno != ENOENT)
    return Errno("unlink", path);
  return common::SyncDir(dir);
}

absl::Status MoveFileDurably(const std::string& dir, const std::string& to_dir,
                             const std::string& name) {
  const std::string from = absl::StrCat(dir, "/", name);
  const std::string to = absl::StrCat(to_dir, "/", name);
  if (rename(from.c_str(), to.c_str()) != 0) return Errno("rename", from);
  absl::Status s = common::SyncDir(to_dir);
  if (!s.ok()) return s;
  return common::SyncDir(dir);
}

absl::StatusOr<std::string> LinkFileUniquely(const std::string& dir,
                                             const std::string& name,
                                             const std::string& to_dir,
                                             const std::string& base,
                                             const std::string& ext) {
  const std::string from = absl::StrCat(dir, "/", name);
  std::string given;
  for (uint64_t n = 0;; ++n) {
    given = n == 0 ? absl::StrCat(base, ext) : absl::StrCat(base, ".", n, ext);
    const std::string to = absl::StrCat(to_dir, "/", given);
    if (link(from.c_str(), to.c_str()) == 0) break;
    if (errno != EEXIST) return Errno("link", to);
  }
  absl::Status s = common::SyncDir(to_dir);
  if (!s.ok()) return s;
  return given;
}

absl::StatusOr<std::string> MoveFileUniquely(const std::string& dir,
                                             const std::string& name,
                                             const std::string& to_dir,
                                             const std::string& base,
                                             const std::string& ext) {
  absl::StatusOr<std::string> given =
      LinkFileUniquely(dir, name, to_dir, base, ext);
  if (!given.ok()) return given.status();
  absl::Status s = RemoveFileDurably(dir, name);
  if (!s.ok()) return s;
  return given;
}

absl::StatusOr<int> LockExclusively(const std::string& path) {
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("open", path);
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    close(fd);
    if (err == EWOULDBLOCK) {
      return absl::FailedPreconditionError(
          absl::StrCat(path,
                       " is locked: another collector_agent uses this "
                       "spool; stop it first"));
    }
    errno = err;
    return Errno("flock", path);
  }
  return fd;
}

absl::Status EnsureDir(const std::string& dir) {
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return Errno("mkdir", dir);
  return absl::OkStatus();
}

}  // namespace spool
}  // namespace collector

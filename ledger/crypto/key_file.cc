#include "ledger/crypto/key_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdint>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/errno_status.h"
#include "common/status_macros.h"
#include "ledger/crypto/base64.h"

namespace ledger::crypto {
namespace {

// Upper bound on a key file's size; anything larger is not a key file.
constexpr size_t kMaxKeyFileSize = 4096;

void Wipe(std::string& s) {
  if (!s.empty()) sodium_memzero(s.data(), s.size());
}

// common::ErrnoToStatus with the key file named, and why an existing file is
// an error here.
absl::Status ErrnoToStatus(int err, absl::string_view what,
                           const std::string& path) {
  const absl::Status status =
      common::ErrnoToStatus(err, absl::StrCat(what, " key file ", path));
  if (err != EEXIST) return status;
  return absl::Status(
      status.code(),
      absl::StrCat(status.message(), " (refusing to overwrite a key file)"));
}

absl::Status WriteNewFile(const std::string& path, absl::string_view content,
                          mode_t mode) {
  const int fd =
      open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode);
  if (fd < 0) return ErrnoToStatus(errno, "cannot create", path);
  // The umask can only narrow the mode; fchmod pins it exactly.
  absl::Status status;
  if (fchmod(fd, mode) != 0) {
    status = ErrnoToStatus(errno, "cannot chmod", path);
  }
  size_t done = 0;
  while (status.ok() && done < content.size()) {
    const ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      status = ErrnoToStatus(errno, "cannot write", path);
    } else {
      done += static_cast<size_t>(n);
    }
  }
  if (status.ok() && fsync(fd) != 0) {
    status = ErrnoToStatus(errno, "cannot fsync", path);
  }
  if (close(fd) != 0 && status.ok()) {
    status = ErrnoToStatus(errno, "cannot close", path);
  }
  if (!status.ok()) unlink(path.c_str());  // Best effort; error already set.
  return status;
}

// Reads the whole file into `out`; `secret` enforces mode 0600 or narrower.
absl::Status ReadKeyFile(const std::string& path, bool secret,
                         std::string& out) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoToStatus(errno, "cannot open", path);
  absl::Cleanup closer = [fd] { close(fd); };
  struct stat st;
  if (fstat(fd, &st) != 0) return ErrnoToStatus(errno, "cannot stat", path);
  if (!S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat("key file ", path, " is not a regular file"));
  }
  const unsigned mode = st.st_mode & 07777;
  if (secret && (mode & 077) != 0) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "key file %s is %s by others (mode %04o); chmod 600 it", path,
        (mode & 044) != 0 ? "readable" : "accessible", mode));
  }
  out.assign(kMaxKeyFileSize + 1, '\0');
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = read(fd, out.data() + done, out.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      Wipe(out);
      return ErrnoToStatus(errno, "cannot read", path);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  if (done > kMaxKeyFileSize) {
    Wipe(out);
    return absl::InvalidArgumentError(absl::StrCat(
        "key file ", path, ": larger than ", kMaxKeyFileSize, " bytes"));
  }
  out.resize(done);
  return absl::OkStatus();
}

// Quotes a line for an error message; secret lines are never echoed.
std::string Describe(absl::string_view line, bool secret) {
  if (secret) return absl::StrCat("a line of ", line.size(), " bytes");
  return absl::StrCat("\"", line.substr(0, 80), line.size() > 80 ? "…" : "",
                      "\"");
}

// Parses "<header>\n<base64 of 32 bytes>\n" into out32. On error, says which
// line and what was wanted, never echoing secret material.
absl::Status ParseKeyFile(const std::string& path, absl::string_view content,
                          absl::string_view header, bool secret,
                          std::array<uint8_t, 32>& out32) {
  const size_t first_nl = content.find('\n');
  const absl::string_view line1 = content.substr(0, first_nl);
  if (line1 != header) {
    return absl::InvalidArgumentError(
        absl::StrCat("key file ", path, ": line 1: got ",
                     Describe(line1, false), ", want \"", header, "\""));
  }
  if (first_nl == absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "key file ", path, ": line 1: missing newline; want 2 lines"));
  }
  const absl::string_view rest = content.substr(first_nl + 1);
  const size_t second_nl = rest.find('\n');
  if (second_nl == absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "key file ", path,
        ": line 2: ", rest.empty() ? "missing" : "not terminated by a newline",
        "; want base64 of 32 bytes and a newline"));
  }
  if (second_nl + 1 != rest.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("key file ", path,
                     ": unexpected data after line 2; want exactly 2 "
                     "lines"));
  }
  const absl::string_view line2 = rest.substr(0, second_nl);
  absl::StatusOr<std::string> decoded = Base64Decode(line2);
  if (!decoded.ok() || decoded->size() != out32.size()) {
    const size_t got = decoded.ok() ? decoded->size() : 0;
    if (decoded.ok()) Wipe(*decoded);
    return absl::InvalidArgumentError(absl::StrCat(
        "key file ", path, ": line 2: got ",
        decoded.ok()
            ? absl::StrCat("base64 of ", got, " bytes")
            : absl::StrCat("invalid base64 (", Describe(line2, secret), ")"),
        ", want padded standard base64 of 32 bytes"));
  }
  memcpy(out32.data(), decoded->data(), out32.size());
  Wipe(*decoded);
  return absl::OkStatus();
}

absl::string_view AsView(const std::array<uint8_t, 32>& a) {
  return absl::string_view(reinterpret_cast<const char*>(a.data()), a.size());
}

}  // namespace

absl::Status WriteSecretKeyFile(const std::string& path,
                                const SigningKey& key) {
  std::array<uint8_t, kEd25519SeedSize> seed;
  key.ExportSeed(absl::MakeSpan(seed));
  std::string encoded = Base64Encode(AsView(seed));
  sodium_memzero(seed.data(), seed.size());
  std::string content = absl::StrCat(kSecretKeyFileHeader, "\n", encoded, "\n");
  Wipe(encoded);
  absl::Status status = WriteNewFile(path, content, 0600);
  Wipe(content);
  return status;
}

absl::StatusOr<std::unique_ptr<SigningKey>> ReadSecretKeyFile(
    const std::string& path) {
  std::string content;
  absl::Status status = ReadKeyFile(path, /*secret=*/true, content);
  if (!status.ok()) return status;
  std::array<uint8_t, kEd25519SeedSize> seed;
  status =
      ParseKeyFile(path, content, kSecretKeyFileHeader, /*secret=*/true, seed);
  Wipe(content);
  if (!status.ok()) return status;
  auto key = SigningKey::FromSeed(AsView(seed));
  sodium_memzero(seed.data(), seed.size());
  return key;
}

absl::Status WritePublicKeyFile(const std::string& path, const PublicKey& key) {
  return WriteNewFile(
      path,
      absl::StrCat(kPublicKeyFileHeader, "\n", Base64Encode(key.bytes()), "\n"),
      0644);
}

absl::StatusOr<PublicKey> ReadPublicKeyFile(const std::string& path) {
  std::string content;
  RETURN_IF_ERROR(ReadKeyFile(path, /*secret=*/false, content));
  std::array<uint8_t, kEd25519PublicKeySize> bytes;
  RETURN_IF_ERROR(ParseKeyFile(path, content, kPublicKeyFileHeader,
                               /*secret=*/false, bytes));
  absl::StatusOr<PublicKey> key = PublicKey::FromBytes(AsView(bytes));
  if (!key.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("key file ", path, ": line 2: ", key.status().message()));
  }
  return key;
}

}  // namespace ledger::crypto

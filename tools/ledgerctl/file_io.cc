#include "tools/ledgerctl/file_io.h"

#include <fstream>

#include "absl/strings/str_cat.h"

namespace ledgerctl {

absl::Status WriteWholeFile(const std::string& path, const std::string& bytes) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << bytes;
  file.close();
  if (!file) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace ledgerctl

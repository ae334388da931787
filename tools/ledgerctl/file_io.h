// Whole-file writes for ledgerctl's outputs (reads: common/read_file.h).
#ifndef TOOLS_LEDGERCTL_FILE_IO_H_
#define TOOLS_LEDGERCTL_FILE_IO_H_

#include <string>

#include "absl/status/statusor.h"

namespace ledgerctl {

// Replaces the file with `bytes`. kUnavailable "cannot write <path>".
absl::Status WriteWholeFile(const std::string& path, const std::string& bytes);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_FILE_IO_H_

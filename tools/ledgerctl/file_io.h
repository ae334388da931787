// Whole-file reads and writes for ledgerctl's inputs and outputs.
#ifndef TOOLS_LEDGERCTL_FILE_IO_H_
#define TOOLS_LEDGERCTL_FILE_IO_H_

#include <string>

#include "absl/status/statusor.h"

namespace ledgerctl {

// The file's bytes. kNotFound "cannot read <path>".
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);
// Replaces the file with `bytes`. kUnavailable "cannot write <path>".
absl::Status WriteWholeFile(const std::string& path, const std::string& bytes);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_FILE_IO_H_

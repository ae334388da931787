#include "tools/ledgerctl/terminal_progress.h"

#include "absl/strings/str_format.h"

namespace ledgerctl {

std::function<void(uint64_t, uint64_t)> TerminalProgress::Pass(
    const char* pass) {
  if (!enabled_) return nullptr;
  return [this, pass](uint64_t done, uint64_t total) {
    err_ << absl::StrFormat("\r%s: %d / %d leaves (%.0f%%)", pass, done, total,
                            total == 0 ? 100.0 : 100.0 * done / total)
         << std::flush;
    drawn_ = true;
  };
}

void TerminalProgress::EndPass() {
  if (!drawn_) return;
  // Carriage return, then ANSI "erase to end of line" (ECMA-48 EL): the
  // next line printed (the result or main's error line) starts clean.
  err_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

}  // namespace ledgerctl

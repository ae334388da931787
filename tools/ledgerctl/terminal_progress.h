// Progress of a long-running command, for a person at a terminal: one line
// redrawn in place ("\raudit: 4096 / 8192 leaves (50%)") and erased when the
// pass ends, whether it passed or failed. Nothing is drawn when stderr is
// not a terminal (a script's file or pipe) or with --json. Either way stderr
// keeps the CLI rule (README.md): a failure ends in exactly one line, the
// one main prints, which scripts can match.
//
// Not thread-safe: one pass at a time, from the command's thread.
#ifndef TOOLS_LEDGERCTL_TERMINAL_PROGRESS_H_
#define TOOLS_LEDGERCTL_TERMINAL_PROGRESS_H_

#include <cstdint>
#include <functional>
#include <ostream>

namespace ledgerctl {

class TerminalProgress {
 public:
  // Draws on `err` (which must outlive this) only when `enabled`: pass
  // CommandArgs::stderr_is_terminal && !CommandArgs::json.
  TerminalProgress(std::ostream& err, bool enabled)
      : err_(err), enabled_(enabled) {}
  // Erases a line still drawn (a pass left by an early return).
  ~TerminalProgress() { EndPass(); }
  TerminalProgress(const TerminalProgress&) = delete;
  TerminalProgress& operator=(const TerminalProgress&) = delete;

  // The callback for one pass named `pass` (a string literal: it is kept),
  // called with (done, total) leaves; null when not enabled. Valid while
  // this object lives.
  std::function<void(uint64_t, uint64_t)> Pass(const char* pass);

  // Erases the drawn line, if any, leaving the cursor at its start.
  void EndPass();

 private:
  std::ostream& err_;
  const bool enabled_;
  bool drawn_ = false;
};

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_TERMINAL_PROGRESS_H_

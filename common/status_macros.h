// Status-propagation macros. Debian's 2022 Abseil ships none, so the project
// keeps this one small header. Every fallible call is checked through these
// or explicitly; a status is never dropped silently.
#ifndef COMMON_STATUS_MACROS_H_
#define COMMON_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define LEDGER_STATUS_CONCAT_INNER_(a, b) a##b
#define LEDGER_STATUS_CONCAT_(a, b) LEDGER_STATUS_CONCAT_INNER_(a, b)

// Evaluates `expr` (an absl::Status); returns it from the enclosing function
// when it is not OK.
#define RETURN_IF_ERROR(expr)                        \
  do {                                               \
    ::absl::Status ledger_status_ = (expr);          \
    if (!ledger_status_.ok()) return ledger_status_; \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status, else
// moves the value into `lhs` (which may be a declaration: `auto x`).
#define ASSIGN_OR_RETURN(lhs, rexpr)                                        \
  ASSIGN_OR_RETURN_IMPL_(LEDGER_STATUS_CONCAT_(ledger_statusor_, __LINE__), \
                         lhs, rexpr)

#define ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                           \
  if (!statusor.ok()) return statusor.status();      \
  lhs = std::move(statusor).value()

#endif  // COMMON_STATUS_MACROS_H_

// Creates a new ledger folder: the log key, the first admin key, the
// database, and the genesis entries (the admin key enrolling itself, then
// the log key announced), with the first checkpoint.
#ifndef LEDGER_LEDGER_INIT_H_
#define LEDGER_LEDGER_INIT_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/clock.h"

namespace ledger {

struct InitResult {
  std::string verifier_key;  // the note verifier key of the log
  std::string admin_key_id;  // hex ledger key id of the first admin key
  std::string checkpoint;    // the first signed checkpoint
};

// Creates the ledger in `dir` (created if missing; its keys/ folder is
// owner-only). kAlreadyExists when a ledger is already there;
// kInvalidArgument for a bad origin. `clock` may be null (real clock).
// The first checkpoint's signed state goes to `signed_state_dir` (see
// LedgerOptions::signed_state_dir; "" = beside the log key).
absl::StatusOr<InitResult> InitLedger(const std::string& dir,
                                      const std::string& origin,
                                      common::Clock* clock,
                                      const std::string& signed_state_dir = "");

}  // namespace ledger

#endif  // LEDGER_LEDGER_INIT_H_

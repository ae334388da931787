// What the Office's unit tests share: their factories' origins and clock, a
// fresh OfficeState on the default pack, and the whole of some factory logs
// folded into one.
#ifndef COMPLIANCE_TESTONLY_OFFICE_TESTING_H_
#define COMPLIANCE_TESTONLY_OFFICE_TESTING_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "compliance/office_state.h"
#include "compliance/testonly/factory_log.h"
#include "rules/default_pack.h"

// Asserts `expr` (a StatusOr) is ok and moves its value into `lhs`.
#define ASSERT_OK_AND_SET(lhs, expr)     \
  do {                                   \
    auto r_ = (expr);                    \
    ASSERT_TRUE(r_.ok()) << r_.status(); \
    lhs = *std::move(r_);                \
  } while (0)

namespace compliance::testonly {

inline constexpr char kA[] = "a.example/log";
inline constexpr char kB[] = "b.example/log";
inline constexpr char kC[] = "c.example/log";

// The tests' clock: hour `hours` after a fixed start (2026-05-30).
inline absl::Time H(int hours) {
  return absl::FromUnixSeconds(1'780'100'000) + absl::Hours(hours);
}

// An OfficeState on the default rule pack.
inline absl::StatusOr<std::unique_ptr<OfficeState>> NewOffice() {
  absl::StatusOr<rules::RulePack> pack = rules::LoadRulePack("");
  if (!pack.ok()) return pack.status();
  return OfficeState::Create(*std::move(pack));
}

// Folds every leaf of each of `logs`, in that order, from leaf 0.
inline absl::Status FeedAll(OfficeState& office,
                            const std::vector<FactoryLog*>& logs) {
  for (FactoryLog* log : logs) {
    absl::StatusOr<std::vector<std::string>> leaves = log->Leaves();
    if (!leaves.ok()) return leaves.status();
    for (uint64_t i = 0; i < leaves->size(); ++i) {
      absl::StatusOr<LogFold::Added> added =
          office.Add(log->origin(), i, (*leaves)[i]);
      if (!added.ok()) return added.status();
    }
  }
  return absl::OkStatus();
}

}  // namespace compliance::testonly

#endif  // COMPLIANCE_TESTONLY_OFFICE_TESTING_H_

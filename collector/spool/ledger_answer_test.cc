#include "collector/spool/ledger_answer.h"

#include "gtest/gtest.h"

namespace collector {
namespace spool {
namespace {

using absl::StatusCode;

// The table of collector/README.md, "What the ledger's answers mean".
TEST(LedgerAnswerTest, KeyAndCertificateRefusalsHoldNeverRefuse) {
  EXPECT_EQ(ClassifyEnvelopeError(StatusCode::kPermissionDenied),
            LedgerAnswer::kHold);
  EXPECT_EQ(ClassifyEnvelopeError(StatusCode::kUnauthenticated),
            LedgerAnswer::kHold);
  EXPECT_EQ(ClassifyBatchError(StatusCode::kPermissionDenied),
            LedgerAnswer::kHold);
  EXPECT_EQ(ClassifyBatchError(StatusCode::kUnauthenticated),
            LedgerAnswer::kHold);
}

TEST(LedgerAnswerTest, OnlyInvalidArgumentIsAVerdictOnTheBytes) {
  EXPECT_EQ(ClassifyEnvelopeError(StatusCode::kInvalidArgument),
            LedgerAnswer::kRefused);
  EXPECT_EQ(ClassifyEnvelopeError(StatusCode::kAlreadyExists),
            LedgerAnswer::kNumberTaken);
  for (StatusCode c : {StatusCode::kFailedPrecondition,
                       StatusCode::kUnavailable, StatusCode::kDeadlineExceeded,
                       StatusCode::kDataLoss, StatusCode::kInternal,
                       StatusCode::kResourceExhausted, StatusCode::kUnknown}) {
    EXPECT_EQ(ClassifyEnvelopeError(c), LedgerAnswer::kRetry) << int(c);
  }
  // A whole call is never a verdict on one envelope.
  for (StatusCode c : {StatusCode::kInvalidArgument, StatusCode::kAlreadyExists,
                       StatusCode::kUnavailable}) {
    EXPECT_EQ(ClassifyBatchError(c), LedgerAnswer::kRetry) << int(c);
  }
}

}  // namespace
}  // namespace spool
}  // namespace collector

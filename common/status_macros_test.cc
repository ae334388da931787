#include "common/status_macros.h"

#include <memory>

#include "gtest/gtest.h"

namespace {

absl::Status FailWhen(bool fail) {
  return fail ? absl::InvalidArgumentError("asked to fail") : absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<int>> MakeInt(bool fail) {
  if (fail) return absl::NotFoundError("no int");
  return std::make_unique<int>(42);
}

absl::Status Chain(bool fail_first, bool fail_second, int* out) {
  RETURN_IF_ERROR(FailWhen(fail_first));
  ASSIGN_OR_RETURN(std::unique_ptr<int> value, MakeInt(fail_second));
  *out = *value;
  return absl::OkStatus();
}

TEST(StatusMacrosTest, ReturnIfErrorPropagatesFirstError) {
  int out = 0;
  absl::Status status = Chain(true, false, &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(out, 0);
}

TEST(StatusMacrosTest, AssignOrReturnPropagatesError) {
  int out = 0;
  absl::Status status = Chain(false, true, &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(out, 0);
}

TEST(StatusMacrosTest, AssignOrReturnMovesValue) {
  int out = 0;
  EXPECT_TRUE(Chain(false, false, &out).ok());
  EXPECT_EQ(out, 42);
}

}  // namespace

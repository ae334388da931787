#include "common/errno_status.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "gtest/gtest.h"

namespace common {
namespace {

TEST(ErrnoToStatus, FullDiskAndQuotaAreResourceExhausted) {
  EXPECT_EQ(ErrnoToStatusCode(ENOSPC), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ErrnoToStatusCode(EDQUOT), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ErrnoToStatusCode(EMFILE), absl::StatusCode::kResourceExhausted);
}

TEST(ErrnoToStatus, MapsTheDocumentedCodes) {
  EXPECT_EQ(ErrnoToStatusCode(ENOENT), absl::StatusCode::kNotFound);
  EXPECT_EQ(ErrnoToStatusCode(EEXIST), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ErrnoToStatusCode(EACCES), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ErrnoToStatusCode(EROFS), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ErrnoToStatusCode(EINVAL), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ErrnoToStatusCode(ENOTDIR), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrnoToStatusCode(EIO), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ErrnoToStatusCode(EINTR), absl::StatusCode::kUnavailable);
}

TEST(ErrnoToStatus, MessageNamesContextAndReason) {
  const absl::Status status = ErrnoToStatus(ENOSPC, "writing /x/y.tmp");
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(status.message(), "writing /x/y.tmp: No space left on device");
}

TEST(ErrnoToStatus, ARealFailedOpen) {
  const int fd = ::open("/nonexistent/for/sure", O_RDONLY);
  ASSERT_LT(fd, 0);
  const absl::Status status = ErrnoToStatus(errno, "opening it");
  EXPECT_TRUE(absl::IsNotFound(status)) << status;
  EXPECT_EQ(status.message(), "opening it: No such file or directory");
}

}  // namespace
}  // namespace common

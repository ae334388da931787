#include "common/hex.h"

#include <string>

#include "gtest/gtest.h"

namespace common {
namespace {

TEST(DecodeHex, DecodesEitherCase) {
  absl::StatusOr<std::string> bytes = DecodeHex("00ff7Fa0");
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, std::string("\x00\xff\x7f\xa0", 4));
}

TEST(DecodeHex, EmptyIsEmpty) {
  absl::StatusOr<std::string> bytes = DecodeHex("");
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, "");
}

TEST(DecodeHex, OddLengthIsRefused) {
  absl::StatusOr<std::string> bytes = DecodeHex("abc");
  EXPECT_EQ(bytes.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bytes.status().message(),
            "got 3 hex characters, want an even number");
}

TEST(DecodeHex, NonHexCharacterIsNamedWithItsOffset) {
  for (const char* bad : {"0g", "g0", "0 ", "-1", "0x"}) {
    absl::StatusOr<std::string> bytes = DecodeHex(bad);
    EXPECT_EQ(bytes.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(DecodeHex("abcdeg").status().message(),
            "got non-hex character 'g' at offset 5");
}

}  // namespace
}  // namespace common

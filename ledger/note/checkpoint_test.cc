#include "ledger/note/checkpoint.h"

#include "gtest/gtest.h"

namespace ledger::note {
namespace {

Checkpoint Example() {
  Checkpoint c;
  c.origin = "example.com/aifl-golden";
  c.size = 20852163;
  for (int i = 0; i < 32; ++i) c.root[i] = static_cast<uint8_t>(0xa0 + i);
  return c;
}

TEST(CheckpointTest, FormatsExactBytes) {
  EXPECT_EQ(FormatCheckpointBody(Example()),
            "example.com/aifl-golden\n"
            "20852163\n"
            "oKGio6SlpqeoqaqrrK2ur7CxsrO0tba3uLm6u7y9vr8=\n");
  Checkpoint with_ext = Example();
  with_ext.extensions = {"ext one", "ext-two"};
  EXPECT_EQ(FormatCheckpointBody(with_ext),
            "example.com/aifl-golden\n"
            "20852163\n"
            "oKGio6SlpqeoqaqrrK2ur7CxsrO0tba3uLm6u7y9vr8=\n"
            "ext one\n"
            "ext-two\n");
}

TEST(CheckpointTest, RoundTrips) {
  Checkpoint c = Example();
  for (uint64_t size : {uint64_t{0}, uint64_t{1}, ~uint64_t{0}}) {
    c.size = size;
    c.extensions.clear();
    auto parsed = ParseCheckpointBody(FormatCheckpointBody(c));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, c);
    c.extensions = {"x"};
    parsed = ParseCheckpointBody(FormatCheckpointBody(c));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, c);
  }
}

TEST(CheckpointTest, ParsesC2spExample) {
  auto c = ParseCheckpointBody(
      "example.com/behind-the-sofa\n"
      "20852163\n"
      "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->origin, "example.com/behind-the-sofa");
  EXPECT_EQ(c->size, 20852163u);
  EXPECT_EQ(c->root[0], 0x0a);
  EXPECT_TRUE(c->extensions.empty());
}

TEST(CheckpointTest, RejectsMalformedBodies) {
  const std::string root = "oKGio6SlpqeoqaqrrK2ur7CxsrO0tba3uLm6u7y9vr8=";
  const std::pair<std::string, std::string> cases[] = {
      {"", "end in a newline"},
      {"o\n1\n" + root, "end in a newline"},
      {"o\n1\n", "got 2 lines"},
      {"\n1\n" + root + "\n", "line 1: empty line"},
      {"o\n\n" + root + "\n", "line 2: empty line"},
      {"o\n1\n" + root + "\n\n", "line 4: empty line"},
      {"o\n1\n" + root + "\next\n\n", "line 5: empty line"},
      {"o\n01\n" + root + "\n", "leading zeros"},
      {"o\n00\n" + root + "\n", "leading zeros"},
      {"o\n+1\n" + root + "\n", "decimal digits"},
      {"o\n-1\n" + root + "\n", "decimal digits"},
      {"o\n 1\n" + root + "\n", "decimal digits"},
      {"o\n1a\n" + root + "\n", "decimal digits"},
      {"o\n18446744073709551616\n" + root + "\n", "64 bits"},
      {"o\n99999999999999999999\n" + root + "\n", "64 bits"},
      {"o\n1\noKGio6SlpqeoqaqrrK2ur7CxsrO0tba3uLm6u7y9vr8\n", "line 3"},
      {"o\n1\noKGio6SlpqeoqaqrrK2ur7CxsrO0tba3uLm6u7y9vr-=\n", "line 3"},
      {"o\n1\nAAAA\n", "got 3 bytes, want 32"},
  };
  for (const auto& [body, want] : cases) {
    auto c = ParseCheckpointBody(body);
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument) << body;
    EXPECT_NE(c.status().message().find(want), absl::string_view::npos)
        << c.status() << "\nwant: " << want;
  }
}

TEST(CheckpointTest, AcceptsLargestSize) {
  auto c = ParseCheckpointBody(
      "o\n18446744073709551615\n"
      "oKGio6SlpqeoqaqrrK2ur7CxsrO0tba3uLm6u7y9vr8=\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->size, ~uint64_t{0});
}

TEST(CheckpointTest, ValidateRejectsBadFields) {
  Checkpoint c = Example();
  c.origin = "";
  EXPECT_EQ(ValidateCheckpoint(c).code(), absl::StatusCode::kInvalidArgument);
  c.origin = "a\nb";
  EXPECT_EQ(ValidateCheckpoint(c).code(), absl::StatusCode::kInvalidArgument);
  c = Example();
  c.extensions = {""};
  EXPECT_EQ(ValidateCheckpoint(c).code(), absl::StatusCode::kInvalidArgument);
  c.extensions = {"a\n"};
  EXPECT_EQ(ValidateCheckpoint(c).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ValidateCheckpoint(Example()).ok());
}

}  // namespace
}  // namespace ledger::note

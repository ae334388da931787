#include "common/renamed_flag.h"

#include <sstream>

#include "gtest/gtest.h"

namespace common {
namespace {

TEST(ResolveRenamedFlag, NewNameAloneIsSilent) {
  std::ostringstream err;
  auto v = ResolveRenamedFlag("prog", "ca", "", "tls_ca", "ca.pem", err);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "ca.pem");
  EXPECT_EQ(err.str(), "");
}

TEST(ResolveRenamedFlag, OldNameWorksWithOneDeprecationLine) {
  std::ostringstream err;
  auto v = ResolveRenamedFlag("prog", "key_file", "c.key", "tls_key", "", err);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "c.key");
  EXPECT_EQ(err.str(),
            "prog: --key_file is deprecated: use --tls_key (the old name is "
            "removed in 0.6.0)\n");
}

TEST(ResolveRenamedFlag, BothNamesWithTheSameValueAreAccepted) {
  std::ostringstream err;
  auto v = ResolveRenamedFlag("prog", "ca", "x", "tls_ca", "x", err);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "x");
}

TEST(ResolveRenamedFlag, RefusesDisagreeingNames) {
  std::ostringstream err;
  auto v = ResolveRenamedFlag("prog", "ca", "a.pem", "tls_ca", "b.pem", err);
  EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(v.status().message().find("--ca (deprecated) and --tls_ca"),
            std::string::npos);
  EXPECT_EQ(err.str(), "");
}

}  // namespace
}  // namespace common

#include "rules/default_pack.h"

#include <fstream>
#include <sstream>

#include "gtest/gtest.h"

namespace rules {
namespace {

TEST(DefaultPackTest, IsTheShippedFileByteForByte) {
  std::ifstream in("rules/packs/ai_act_gpai_v1.textproto", std::ios::binary);
  ASSERT_TRUE(in.good());
  std::stringstream file;
  file << in.rdbuf();
  EXPECT_EQ(DefaultRulePackText(), file.str());
}

TEST(DefaultPackTest, LoadsWithoutAPathAndAPathOverridesIt) {
  auto built_in = LoadRulePack("");
  ASSERT_TRUE(built_in.ok()) << built_in.status();
  EXPECT_EQ(built_in->version(), DefaultRulePackVersion());
  EXPECT_NE(DefaultRulePackVersion(), "invalid");
  EXPECT_EQ(LoadRulePack("/nonexistent/pack.textproto").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(RulePackSource(""),
            "built-in rules/packs/ai_act_gpai_v1.textproto");
  EXPECT_EQ(RulePackSource("p.textproto"), "p.textproto");
}

}  // namespace
}  // namespace rules

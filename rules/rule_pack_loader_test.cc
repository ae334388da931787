#include "rules/rule_pack_loader.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rules {
namespace {

using ::testing::HasSubstr;

constexpr char kRule[] = R"(
  rules {
    id: "X1" title: "t" citation: "Art. 1" fact_status: PRIMARY
    unit: AI_SAFETY severity: INFO
    compute_threshold { quantity: CUMULATIVE_COMPUTE threshold_flop: 1e25 }
  })";

TEST(RulePackLoaderTest, LoadsTheShippedPack) {
  auto pack = LoadRulePackFile("rules/packs/ai_act_gpai_v1.textproto");
  ASSERT_TRUE(pack.ok()) << pack.status();
  EXPECT_EQ(pack->version(), "ai-act-gpai-v1.1");
  EXPECT_EQ(pack->rules_size(), 20);
  ASSERT_EQ(pack->holidays_size(), 1);
  EXPECT_EQ(pack->holidays(0).year(), 2023);
  EXPECT_EQ(pack->holidays(0).days_size(), 18);
}

TEST(RulePackLoaderTest, AcceptsAThresholdRuleWrittenAsData) {
  EXPECT_TRUE(ParseRulePack(std::string("version: \"v\"") + kRule).ok());
}

TEST(RulePackLoaderTest, RejectsSyntaxErrorsWithTheirLine) {
  auto pack = ParseRulePack("version: \"v\"\nrules { id: }");
  EXPECT_EQ(pack.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(pack.status().message(), HasSubstr("line 2"));
}

TEST(RulePackLoaderTest, RejectsDuplicateIds) {
  auto pack = ParseRulePack(std::string("version: \"v\"") + kRule + kRule);
  EXPECT_THAT(pack.status().message(), HasSubstr("rule X1: id"));
}

TEST(RulePackLoaderTest, RejectsBadDates) {
  std::string text = std::string("version: \"v\"") + kRule;
  text.insert(text.rfind('}'), " applies_from: \"2 Aug 2025\" ");
  auto pack = ParseRulePack(text);
  EXPECT_THAT(
      pack.status().message(),
      HasSubstr("rule X1: applies_from: got 2 Aug 2025, want YYYY-MM-DD"));
}

TEST(RulePackLoaderTest, RejectsADefinitionAfterItsUse) {
  auto pack = ParseRulePack(R"(
    version: "v"
    rules {
      id: "USE" title: "t" citation: "c" fact_status: PRIMARY unit: AI_SAFETY
      severity: INFO applies_when { fact: SYSTEMIC_RISK } flag {}
    }
    rules {
      id: "DEF" title: "t" citation: "c" fact_status: PRIMARY unit: AI_SAFETY
      severity: INFO defines: SYSTEMIC_RISK flag {}
    })");
  EXPECT_THAT(pack.status().message(), HasSubstr("rule DEF: defines"));
}

TEST(RulePackLoaderTest, RejectsAProviderTestBeforeTheModifierRules) {
  // DECLARANT_IS_PROVIDER reads MODIFIER_IS_PROVIDER: the modifier rule must
  // come first.
  auto pack = ParseRulePack(R"(
    version: "v"
    rules {
      id: "USE" title: "t" citation: "c" fact_status: PRIMARY unit: AI_SAFETY
      severity: INFO applies_when { fact: DECLARANT_IS_PROVIDER } flag {}
    }
    rules {
      id: "DEF" title: "t" citation: "c" fact_status: PRIMARY unit: AI_SAFETY
      severity: INFO defines: MODIFIER_IS_PROVIDER flag {}
    })");
  EXPECT_THAT(pack.status().message(), HasSubstr("rule DEF: defines"));
}

TEST(RulePackLoaderTest, RejectsHolidayListsWithoutSourceOrOutsideTheirYear) {
  const std::string base = std::string("version: \"v\"") + kRule;
  EXPECT_THAT(
      ParseRulePack(base + R"(holidays { year: 2026 days: "2026-05-01" })")
          .status()
          .message(),
      HasSubstr("holidays 2026: source"));
  EXPECT_THAT(
      ParseRulePack(
          base + R"(holidays { year: 2026 source: "OJ" days: "2025-05-01" })")
          .status()
          .message(),
      HasSubstr("holidays 2026: days: got \"2025-05-01\""));
  EXPECT_TRUE(
      ParseRulePack(
          base + R"(holidays { year: 2026 source: "OJ" days: "2026-05-01" })")
          .ok());
}

TEST(RulePackLoaderTest, RejectsARuleWithoutCondition) {
  auto pack = ParseRulePack(R"(
    version: "v"
    rules { id: "N" title: "t" citation: "c" fact_status: PRIMARY
            unit: AI_SAFETY severity: INFO })");
  EXPECT_THAT(pack.status().message(), HasSubstr("rule N: condition"));
}

}  // namespace
}  // namespace rules

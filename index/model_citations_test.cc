// CiteFindings, the one way findings get their index citations (the
// server's rules runner and compliance_check --record): one call citing
// every model the findings are about, each finding about a model given its
// model's citation, a copied (stale) citation cleared when there is no
// index, when the finding names no model, and when citing fails.
#include "index/model_citations.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "schema/findings.pb.h"

namespace vindex {
namespace {

using aifl::rules::v1::Finding;
using aifl::rules::v1::IndexCitation;

Finding About(const std::string& model, const std::string& stale_key) {
  Finding f;
  f.set_model_id(model);
  f.set_rule_id("R");
  if (!stale_key.empty()) f.mutable_index_citation()->set_model_key(stale_key);
  return f;
}

IndexCitation CitationOf(const std::string& model, uint64_t input_size) {
  IndexCitation c;
  c.set_model_key(model);
  c.set_input_size(input_size);
  c.set_count(model.size());
  return c;
}

TEST(ModelCitationsTest, CitesEachModelOnceAndClearsTheRest) {
  std::vector<Finding> findings = {About("m-b", "stale"), About("m-a", ""),
                                   About("m-b", ""), About("", "stale")};
  int calls = 0;
  const CiteFn cite = [&](const std::vector<std::string>& models,
                          uint64_t size) -> absl::StatusOr<Citations> {
    ++calls;
    EXPECT_EQ(models, (std::vector<std::string>{"m-a", "m-b"}));
    Citations out;
    for (const std::string& m : models) out[m] = CitationOf(m, size);
    return out;
  };
  ASSERT_TRUE(CiteFindings(cite, 42, &findings).ok());
  EXPECT_EQ(calls, 1);
  for (int i : {0, 1, 2}) {
    ASSERT_TRUE(findings[i].has_index_citation()) << i;
    EXPECT_EQ(findings[i].index_citation().SerializeAsString(),
              CitationOf(findings[i].model_id(), 42).SerializeAsString());
  }
  EXPECT_FALSE(findings[3].has_index_citation()) << "no model: no citation";
}

TEST(ModelCitationsTest, WithoutAnIndexOrOnItsErrorNothingIsCited) {
  std::vector<Finding> findings = {About("m-a", "stale")};
  ASSERT_TRUE(CiteFindings(nullptr, 42, &findings).ok());
  EXPECT_FALSE(findings[0].has_index_citation());

  findings = {About("m-a", "stale")};
  const CiteFn failing = [](const std::vector<std::string>&,
                            uint64_t) -> absl::StatusOr<Citations> {
    return absl::UnavailableError("catching up");
  };
  const absl::Status s = CiteFindings(failing, 42, &findings);
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_FALSE(findings[0].has_index_citation());
}

}  // namespace
}  // namespace vindex

#include "office/monitor_config.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/checkpoint_note.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/note/cosignature.h"

namespace office {
namespace {

using ::testing::HasSubstr;

std::string Vkey(const std::string& origin, char seed) {
  auto key = ledger::crypto::SigningKey::FromSeed(std::string(32, seed));
  return ledger::LogVerifierKey(origin, (*key)->public_key());
}

class MonitorConfigTest : public ::testing::Test {
 protected:
  absl::StatusOr<MonitorConfig> Parse(const std::string& text) {
    return ParseMonitorConfig(
        text, "/etc/office",
        [this](const std::string& path) -> absl::StatusOr<std::string> {
          auto it = files_.find(path);
          if (it == files_.end()) {
            return absl::NotFoundError("no such file");
          }
          return it->second;
        });
  }
  void ExpectError(const std::string& text, const std::string& want) {
    auto config = Parse(text);
    ASSERT_FALSE(config.ok()) << text;
    EXPECT_TRUE(absl::IsInvalidArgument(config.status()));
    EXPECT_THAT(std::string(config.status().message()), HasSubstr(want));
  }

  std::map<std::string, std::string> files_;
  const std::string a_ = Vkey("a.example/log", 1);
  const std::string b_ = Vkey("b.example/log", 2);
};

TEST_F(MonitorConfigTest, ParsesLogsWithAndWithoutPolicy) {
  auto w = ledger::crypto::SigningKey::FromSeed(std::string(32, 3));
  auto cosigner = ledger::note::Cosigner::Create("w.example", std::move(*w));
  files_["/etc/office/b.policy"] =
      absl::StrCat("witness w ", (*cosigner)->VerifierKey(), "\nquorum w\n");
  auto config = Parse(absl::StrCat("# factories\n\nlog ", a_,
                                   " https://a.example/tiles/\n", "log\t", b_,
                                   "  http://b.example b.policy\n"));
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_EQ(config->logs.size(), 2u);
  EXPECT_EQ(config->logs[0].origin, "a.example/log");
  EXPECT_EQ(config->logs[0].tiles_url, "https://a.example/tiles");
  EXPECT_FALSE(config->logs[0].policy.has_value());
  EXPECT_EQ(config->logs[1].policy_file, "/etc/office/b.policy");
  ASSERT_TRUE(config->logs[1].policy.has_value());
  // The log's own key is added to the policy's logs.
  ASSERT_EQ(config->logs[1].policy->logs.size(), 1u);
  EXPECT_EQ(config->logs[1].policy->logs[0].verifier.VerifierKey(), b_);
  EXPECT_EQ(config->logs[1].policy->quorum, "w");
}

TEST_F(MonitorConfigTest, RefusesEveryMalformedLineNamingIt) {
  ExpectError("", "no log listed");
  ExpectError("# only a comment\n", "no log listed");
  ExpectError(absl::StrCat("log ", a_, " http://a\nwitness x y\n"),
              "config line 2: unknown keyword \"witness\"");
  ExpectError("log only-a-key\n", "config line 1: got 1 items");
  ExpectError(absl::StrCat("log ", a_, " http://a p extra\n"), "got 4 items");
  ExpectError("log not+a+key http://a\n", "config line 1: vkey");
  ExpectError(absl::StrCat("log ", a_, " ftp://a\n"), "want http://");
  ExpectError(absl::StrCat("log ", a_, " http://a\nlog ", a_, " http://b\n"),
              "config line 2: origin \"a.example/log\" is listed twice");
  ExpectError(absl::StrCat("log ", a_, " http://a missing.policy\n"),
              "policy file /etc/office/missing.policy");
  files_["/abs.policy"] = "quorum nobody\n";
  ExpectError(absl::StrCat("log ", a_, " http://a /abs.policy\n"),
              "policy file /abs.policy: policy line 1");
}

TEST_F(MonitorConfigTest, ParsesAnIndexLineNamingAFollowedLog) {
  const std::string idx = Vkey("a.example/index", 4);
  auto config =
      Parse(absl::StrCat("index ", idx, " http://a.example/index/ ",
                         "a.example/log\nlog ", a_, " http://a.example\n"));
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_EQ(config->logs.size(), 2u);
  EXPECT_EQ(config->logs[0].origin, "a.example/index");
  EXPECT_EQ(config->logs[0].tiles_url, "http://a.example/index");
  EXPECT_EQ(config->logs[0].index_of, "a.example/log");
  EXPECT_EQ(config->logs[1].index_of, "");
}

TEST_F(MonitorConfigTest, RefusesBadIndexLines) {
  const std::string idx = Vkey("a.example/index", 4);
  const std::string log_line = absl::StrCat("log ", a_, " http://a\n");
  ExpectError(absl::StrCat(log_line, "index ", idx, " http://i\n"),
              "config line 2: got 2 items after \"index\"");
  ExpectError(
      absl::StrCat(log_line, "index ", idx, " http://i a.example/log x\n"),
      "config line 2: got 4 items");
  ExpectError(absl::StrCat(log_line, "index ", idx, " ftp://i a.example/log\n"),
              "config line 2: tiles URL");
  ExpectError(
      absl::StrCat(log_line, "\nindex ", idx, " http://i b.example/log\n"),
      "config line 3: input origin \"b.example/log\" is not the origin "
      "of a \"log\" line");
  // An index of an index, or of itself, has no log to replay.
  ExpectError(
      absl::StrCat(log_line, "index ", idx, " http://i a.example/index\n"),
      "config line 2: input origin \"a.example/index\"");
  ExpectError(absl::StrCat("index ", idx, " http://i a.example/log\nlog ",
                           Vkey("a.example/index", 5), " http://a\n"),
              "config line 2: origin \"a.example/index\" is listed twice");
}

}  // namespace
}  // namespace office

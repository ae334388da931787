#include "ledger/witness_policy/policy.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "ledger/note/cosignature.h"

namespace ledger::witness_policy {
namespace {

std::unique_ptr<crypto::SigningKey> Key(int n) {
  std::string seed(32, static_cast<char>(n));
  return *crypto::SigningKey::FromSeed(seed);
}
std::string LogVkey(int n, absl::string_view origin = "log.example/a") {
  return note::VerifierKeyString(origin, Key(n)->public_key());
}
std::string WitnessVkey(int n) {
  return (*note::Cosigner::Create(absl::StrCat("w", n, ".example"), Key(n)))
      ->VerifierKey();
}

// The spec's example policy, keys filled in.
std::string SpecExample() {
  return absl::StrCat("log ", LogVkey(1), "\n\n",            //
                      "witness X1 ", WitnessVkey(11), "\n",  //
                      "witness X2 ", WitnessVkey(12), "\n",  //
                      "witness X3 ", WitnessVkey(13), "\n",  //
                      "group X-witnesses 2 X1 X2 X3\n\n",    //
                      "witness Y1 ", WitnessVkey(21),
                      " https://y1.example/w\n",                      //
                      "witness Y2 ", WitnessVkey(22), "\n",           //
                      "witness Y3 ", WitnessVkey(23), "\n",           //
                      "group Y-witnesses any Y1 Y2 Y3\n\n",           //
                      "group X-and-Y all X-witnesses Y-witnesses\n",  //
                      "quorum X-and-Y\n");
}

TEST(PolicyTest, ParsesTheSpecExample) {
  absl::StatusOr<Policy> p = ParsePolicy(SpecExample());
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->logs.size(), 1u);
  EXPECT_EQ(p->logs[0].verifier.name(), "log.example/a");
  ASSERT_EQ(p->witnesses.size(), 6u);
  EXPECT_EQ(p->witnesses[3].name, "Y1");
  EXPECT_EQ(p->witnesses[3].url, "https://y1.example/w");
  EXPECT_EQ(p->witnesses[3].verifier.name(), "w21.example");
  ASSERT_EQ(p->groups.size(), 3u);
  EXPECT_EQ(p->groups[0].threshold, 2);
  EXPECT_EQ(p->groups[1].threshold, 1);
  EXPECT_EQ(p->groups[2].threshold, 2);  // all of two
  EXPECT_EQ(p->quorum, "X-and-Y");
  EXPECT_NE(p->FindGroup("Y-witnesses"), nullptr);
  EXPECT_EQ(p->FindWitness("Y-witnesses"), nullptr);
}

TEST(PolicyTest, WhitespaceCommentsAndNoFinalNewline) {
  const std::string text = absl::StrCat(
      "# comment\n  \t# indented comment\n\t\n", "  log\t", LogVkey(1), "   \n",
      "witness\tW ", WitnessVkey(2), "\t\n", "quorum W");
  absl::StatusOr<Policy> p = ParsePolicy(text);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->quorum, "W");
  EXPECT_TRUE(ParsePolicy("quorum none\n").ok());
}

TEST(PolicyTest, RefusesWithTheLineAndTheReason) {
  const std::string w = absl::StrCat("witness A ", WitnessVkey(2), "\n",
                                     "witness B ", WitnessVkey(3), "\n");
  const struct {
    std::string text;
    std::string want;
  } cases[] = {
      {"", "no quorum line"},
      {"quorum none\nquorum none\n", "line 2: a second quorum line"},
      {"quorum W\n", "quorum W is not defined"},
      {"frobnicate x\nquorum none\n", "line 1: unknown keyword"},
      {absl::StrCat(w, "group G 2 A A\nquorum G\n"), "A is listed twice"},
      {absl::StrCat(w, "group G 3 A B\nquorum G\n"), "threshold \"3\""},
      {absl::StrCat(w, "group G 0 A B\nquorum G\n"), "threshold \"0\""},
      {absl::StrCat(w, "group G 02 A B\nquorum G\n"), "threshold \"02\""},
      {absl::StrCat(w, "group G any\nquorum G\n"), "line 3: want \"group"},
      {absl::StrCat(w, "group G any A C\nquorum G\n"),
       "member C is not defined on an earlier line"},
      {absl::StrCat("group G any A\n", w, "quorum G\n"),
       "line 1: group G: member A"},
      {absl::StrCat(w, "witness A ", WitnessVkey(4), "\nquorum A\n"),
       "line 3: name A is already defined"},
      {absl::StrCat(w, "witness C ", WitnessVkey(2), "\nquorum C\n"),
       "same public key as witness A"},
      {absl::StrCat("witness none ", WitnessVkey(2), "\nquorum none\n"),
       "reserved"},
      {absl::StrCat("witness W ", LogVkey(2), "\nquorum W\n"), "want 0x04"},
      {absl::StrCat("log ", WitnessVkey(2), "\nquorum none\n"), "want 0x01"},
      {absl::StrCat("log ", LogVkey(2), "\nlog ", LogVkey(2, "other/b"),
                    "\nquorum none\n"),
       "listed twice"},
      {"log\nquorum none\n", "want \"log <vkey> [<url>]\""},
      {"quorum none\r\n", "control character 0x0d"},
      {"quorum none extra\n", "want \"quorum <name>|none\""},
  };
  for (const auto& c : cases) {
    absl::StatusOr<Policy> p = ParsePolicy(c.text);
    ASSERT_FALSE(p.ok()) << c.text;
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(p.status().message().find(c.want), absl::string_view::npos)
        << "got: " << p.status().message() << "\nwant: " << c.want;
  }
}

TEST(PolicyTest, NamesAreOpaqueBytes) {
  // "K" and U+212A KELVIN SIGN are different names.
  const std::string text =
      absl::StrCat("witness K ", WitnessVkey(2), "\nwitness \xe2\x84\xaa ",
                   WitnessVkey(3), "\ngroup G all K \xe2\x84\xaa\nquorum G\n");
  absl::StatusOr<Policy> p = ParsePolicy(text);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->groups[0].threshold, 2);
}

}  // namespace
}  // namespace ledger::witness_policy

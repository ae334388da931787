#include "ledger/witnessing/add_checkpoint_request.h"

#include <string>

#include "gtest/gtest.h"
#include "ledger/merkle/hash.h"

namespace ledger::witnessing {
namespace {

constexpr absl::string_view kNote =
    "example.com/behind-the-sofa\n20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
    "\xe2\x80\x94 example.com/behind-the-sofa "
    "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/"
    "Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";

TEST(AddCheckpointRequestTest, ParsesTheSpecExample) {
  const std::string body = absl::StrCat(
      "old 20852014\n", "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n",
      "jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n",
      "5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n",
      "/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n", "\n", kNote);
  absl::StatusOr<AddCheckpointRequest> r = ParseAddCheckpointRequest(body);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->old_size, 20852014u);
  ASSERT_EQ(r->proof.size(), 4u);
  EXPECT_EQ(ledger::merkle::HashToBase64(r->proof[3]),
            "/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=");
  EXPECT_EQ(r->note, kNote);
  EXPECT_EQ(FormatAddCheckpointRequest(r->old_size, r->proof, r->note), body);
}

TEST(AddCheckpointRequestTest, OldZeroWithoutProof) {
  absl::StatusOr<AddCheckpointRequest> r =
      ParseAddCheckpointRequest(absl::StrCat("old 0\n\n", kNote));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->old_size, 0u);
  EXPECT_TRUE(r->proof.empty());
}

TEST(AddCheckpointRequestTest, RefusesMalformedBodies) {
  const std::string hash = "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n";
  std::string many = "old 1\n";
  for (int i = 0; i < 64; ++i) many += hash;
  const struct {
    std::string body;
    std::string want;
  } cases[] = {
      {"", "line 1: want \"old <size>"},
      {"old 01\n\nx", "line 1"},
      {"old -1\n\nx", "line 1"},
      {"Old 1\n\nx", "line 1"},
      {"old 1 \n\nx", "line 1"},
      {"old 18446744073709551616\n\nx", "line 1"},
      {"old 1\n", "line 2: want a proof line"},
      {"old 1\nnot base64\n\nx", "line 2"},
      {"old 1\nAAAA\n\nx", "line 2"},
      {"old 1\n\n", "line 3: no checkpoint"},
      {absl::StrCat(many, "\nx"), "more than 63"},
  };
  for (const auto& c : cases) {
    absl::StatusOr<AddCheckpointRequest> r = ParseAddCheckpointRequest(c.body);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.want), absl::string_view::npos)
        << r.status().message();
  }
}

}  // namespace
}  // namespace ledger::witnessing

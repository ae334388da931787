// `ledgerctl keys` and `ledgerctl verify` say when a ledger's integration
// times follow a simulated clock (ledger/FORMAT.md, "Storage").
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/ledger.h"
#include "ledger/testonly/ledger_fixture.h"
#include "tools/ledgerctl/keys_command.h"
#include "tools/ledgerctl/local_commands.h"
#include "tools/ledgerctl/verify_command.h"

namespace ledgerctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kLine[] = "SIMULATED CLOCK: this ledger's integration times";

class SimulatedClockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto f = ledger::testonly::LedgerFixture::Create();
    ASSERT_TRUE(f.ok()) << f.status();
    f_ = std::move(*f);
    f_->Close();
    args_.dir = f_->dir();
  }
  void Mark() {
    ledger::LedgerOptions lo;
    lo.dir = f_->dir();
    lo.clock = &f_->clock();
    lo.simulated_clock = true;
    auto marked = ledger::Ledger::Open(lo);
    ASSERT_TRUE(marked.ok()) << marked.status();
    size_ = (*marked)->Size();
  }
  std::string KeysOutput() {
    std::ostringstream out;
    absl::Status s = Keys(args_, out);
    EXPECT_TRUE(s.ok()) << s;
    return out.str();
  }
  std::string VerifyOutput() {
    std::ostringstream out, err;
    absl::Status s = Verify(args_, out, err);
    EXPECT_TRUE(s.ok()) << s;
    return out.str();
  }

  std::unique_ptr<ledger::testonly::LedgerFixture> f_;
  CommandArgs args_;
  uint64_t size_ = 0;
};

TEST_F(SimulatedClockTest, RealClockLedgerHasNoLine) {
  EXPECT_THAT(KeysOutput(), Not(HasSubstr(kLine)));
  EXPECT_THAT(VerifyOutput(), Not(HasSubstr(kLine)));
  args_.json = true;
  EXPECT_THAT(VerifyOutput(), HasSubstr("\"simulated_clock_since\": null}"));
}

TEST_F(SimulatedClockTest, KeysAndVerifySayTheClockWasSimulated) {
  Mark();
  const std::string line = absl::StrCat(
      "SIMULATED CLOCK: this ledger's integration times follow a simulated "
      "clock (marked at tree size ",
      size_, "); it is not a real factory's record\n");
  EXPECT_THAT(KeysOutput(), HasSubstr(line));
  EXPECT_THAT(VerifyOutput(), HasSubstr(line));
  args_.json = true;
  EXPECT_THAT(VerifyOutput(), HasSubstr(absl::StrCat(
                                  "\"simulated_clock_since\": ", size_, "}")));
}

}  // namespace
}  // namespace ledgerctl

#include "tools/ledgerctl/terminal_progress.h"

#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace ledgerctl {
namespace {

TEST(TerminalProgressTest, DrawsNothingWhenNotATerminal) {
  std::ostringstream err;
  {
    TerminalProgress progress(err, /*enabled=*/false);
    EXPECT_EQ(progress.Pass("audit"), nullptr);
    progress.EndPass();
  }
  EXPECT_EQ(err.str(), "");
}

TEST(TerminalProgressTest, RedrawsInPlaceAndErasesAtTheEndOfAPass) {
  std::ostringstream err;
  TerminalProgress progress(err, /*enabled=*/true);
  auto audit = progress.Pass("audit");
  ASSERT_NE(audit, nullptr);
  audit(1, 4);
  audit(4, 4);
  progress.EndPass();
  EXPECT_EQ(err.str(),
            "\raudit: 1 / 4 leaves (25%)\raudit: 4 / 4 leaves (100%)\r\033[K");
  // A pass that drew nothing erases nothing.
  const std::string before = err.str();
  progress.Pass("read back");
  progress.EndPass();
  EXPECT_EQ(err.str(), before);
}

// A pass left by an early return (a failure) is erased when the command
// returns, before main prints its one error line.
TEST(TerminalProgressTest, ErasesALineLeftDrawnOnDestruction) {
  std::ostringstream err;
  {
    TerminalProgress progress(err, /*enabled=*/true);
    progress.Pass("audit")(0, 0);
  }
  EXPECT_EQ(err.str(), "\raudit: 0 / 0 leaves (100%)\r\033[K");
}

}  // namespace
}  // namespace ledgerctl

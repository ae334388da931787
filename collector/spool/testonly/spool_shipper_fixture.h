// A gtest fixture for tests that ship a real Spool (in TEST_TMPDIR, one
// folder per test) through a SpoolShipper with the fakes of fakes.h and a
// fake clock. Log lines of the shipper are collected in log_.
#ifndef COLLECTOR_SPOOL_TESTONLY_SPOOL_SHIPPER_FIXTURE_H_
#define COLLECTOR_SPOOL_TESTONLY_SPOOL_SHIPPER_FIXTURE_H_

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collector/spool/spool.h"
#include "collector/spool/spool_shipper.h"
#include "collector/spool/testonly/fakes.h"
#include "common/clock.h"
#include "gtest/gtest.h"

namespace collector {
namespace spool {

class SpoolShipperFixture : public ::testing::Test {
 protected:
  explicit SpoolShipperFixture(ShipOptions options = {})
      : clock_(absl::FromUnixSeconds(1000)), options_(std::move(options)) {}

  void SetUp() override {
    dir_ = absl::StrCat(
        std::getenv("TEST_TMPDIR"), "/",
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    auto s = Spool::Open(dir_);
    ASSERT_TRUE(s.ok()) << s.status();
    spool_ = std::move(*s);
    options_.log = [this](const std::string& line) { log_.push_back(line); };
    shipper_ = std::make_unique<SpoolShipper>(spool_.get(), &signer_, &ledger_,
                                              &verifier_, &clock_, options_);
  }

  size_t LogLinesWith(absl::string_view text) const {
    size_t n = 0;
    for (const std::string& line : log_) n += absl::StrContains(line, text);
    return n;
  }

  std::string dir_;
  std::vector<std::string> log_;
  common::FakeClock clock_;
  FakeSigner signer_;
  FakeShipper ledger_;
  FakeReceiptVerifier verifier_;
  std::unique_ptr<Spool> spool_;
  std::unique_ptr<SpoolShipper> shipper_;

 private:
  ShipOptions options_;
};

}  // namespace spool
}  // namespace collector

#endif  // COLLECTOR_SPOOL_TESTONLY_SPOOL_SHIPPER_FIXTURE_H_

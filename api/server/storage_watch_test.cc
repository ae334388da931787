#include "api/server/storage_watch.h"

#include <atomic>
#include <memory>

#include "absl/synchronization/notification.h"
#include "grpcpp/health_check_service_interface.h"
#include "gtest/gtest.h"
#include "ledger/storage/testonly/faulty_file_system.h"
#include "ledger/testonly/ledger_fixture.h"

namespace api::server {
namespace {

class FakeHealth : public grpc::HealthCheckServiceInterface {
 public:
  void SetServingStatus(const std::string&, bool serving) override {
    serving_ = serving;
  }
  void SetServingStatus(bool serving) override { serving_ = serving; }
  std::atomic<bool> serving_{true};
};

TEST(StorageWatchTest, FailedStorageTurnsHealthOffAndCallsOnce) {
  auto f = std::move(*ledger::testonly::LedgerFixture::Create());
  auto collector = std::move(*f->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR));
  f->Close();
  auto fs = std::make_shared<ledger::storage::testonly::FaultyFileSystem>();
  auto env = ledger::storage::testonly::MakeEnv(fs);
  ASSERT_TRUE(f->Reopen(env.get()).ok());

  FakeHealth health;
  std::atomic<int> calls{0};
  absl::Notification failed;
  {
    StorageWatch watch(&f->ledger(), &health, absl::Milliseconds(10),
                       [&](const absl::Status& s) {
                         EXPECT_FALSE(s.ok());
                         if (++calls == 1) failed.Notify();
                       });
    // Healthy storage: nothing happens.
    absl::SleepFor(absl::Milliseconds(50));
    EXPECT_TRUE(health.serving_);
    EXPECT_EQ(calls, 0);

    fs->FailFrom(1);  // the disk dies
    f->ledger().Append(
        {*collector->SignNext("aifl.collector.v1.IntervalReport", "x")});
    ASSERT_TRUE(failed.WaitForNotificationWithTimeout(absl::Seconds(10)));
    EXPECT_FALSE(health.serving_);
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(calls, 1);
  fs->Heal();
  f->Close();
}

}  // namespace
}  // namespace api::server

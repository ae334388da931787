// The fixture of the tests of one big list across updates (list_nodes_test,
// list_below_test): an input ModelLog, an index in a fresh folder that can
// be closed and reopened from storage, and Grow, which appends n entries
// (each about the model `ModelOf` names for its leaf index) and indexes
// them in one update.
#ifndef INDEX_TESTONLY_BIG_LIST_TEST_BASE_H_
#define INDEX_TESTONLY_BIG_LIST_TEST_BASE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "index/index_builder.h"
#include "index/testonly/model_log.h"
#include "ledger/testonly/ledger_fixture.h"

namespace vindex::testonly {

class BigListTestBase : public ::testing::Test {
 protected:
  // The model leaf `index` is about.
  virtual std::string ModelOf(uint64_t index) const = 0;

  // A fresh log and an empty index in a fresh folder named after `name`.
  void CreateIndex(const std::string& name) {
    absl::StatusOr<std::unique_ptr<ModelLog>> log = ModelLog::Create();
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    dir_ = ledger::testonly::FreshDir(name);
    Reopen();
  }

  // Closes the index and opens it again from its folder.
  void Reopen() {
    builder_.reset();
    absl::StatusOr<std::unique_ptr<IndexBuilder>> b = IndexBuilder::Open(dir_);
    ASSERT_TRUE(b.ok()) << b.status();
    builder_ = std::move(*b);
  }

  void Grow(int n) {
    ASSERT_TRUE(
        log_->AppendAndIndex(
                n, [this](uint64_t at) { return ModelOf(at); }, *builder_)
            .ok());
  }

  std::unique_ptr<ModelLog> log_;
  std::string dir_;
  std::unique_ptr<IndexBuilder> builder_;
};

}  // namespace vindex::testonly

#endif  // INDEX_TESTONLY_BIG_LIST_TEST_BASE_H_

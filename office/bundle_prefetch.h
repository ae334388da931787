// BundlePrefetch: a TileTree's entry bundles read in order, each one fetched
// (HTTP GET, inflate, parse, leaf hashes checked against the tiles:
// api/client/tile_tree.h) on another thread while the follower replays the
// one before, so that the follower's thread does not wait on the tile
// server and the transfer between two bundles. One fetch thread for the
// object's life (a step's), not one per bundle.
//
// The tree is used by one thread at a time: after Take(i) returned a good
// bundle, the fetch thread owns the tree (and its HttpGetter) until the
// next Take or Drain; the caller must not use either meanwhile. A bundle
// that fails (any error) is returned by Take as TileTree returns it,
// and nothing is fetched after it, so errors and incidents come in the
// order of the bundles. Memory: one bundle ahead.
//
// Thread-compatible.
#ifndef OFFICE_BUNDLE_PREFETCH_H_
#define OFFICE_BUNDLE_PREFETCH_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "api/client/tile_tree.h"

namespace office {

class BundlePrefetch {
 public:
  using Leaves = std::shared_ptr<const api::client::TileTree::VerifiedBundle>;

  // Bundles of `tree` (not owned; must outlive this) up to `last`,
  // inclusive.
  BundlePrefetch(api::client::TileTree* tree, uint64_t last)
      : tree_(tree), last_(last) {}
  ~BundlePrefetch() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();  // after the fetch in flight
  }
  BundlePrefetch(const BundlePrefetch&) = delete;
  BundlePrefetch& operator=(const BundlePrefetch&) = delete;

  // Bundle `index` (TileTree::BundleWithHashes's answer); when it is good and
  // not the last, starts fetching `index + 1`.
  absl::StatusOr<Leaves> Take(uint64_t index) {
    std::optional<absl::StatusOr<Leaves>> ahead = Wait();
    absl::StatusOr<Leaves> leaves = ahead.has_value() && ahead_index_ == index
                                        ? *std::move(ahead)
                                        : tree_->BundleWithHashes(index);
    if (leaves.ok() && index < last_) {
      if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
      std::lock_guard<std::mutex> lock(mu_);
      ahead_index_ = index + 1;
      wanted_ = true;
      changed_.notify_all();
    }
    return leaves;
  }

  // Waits for the fetch in flight, if any, and drops it: the caller may use
  // the tree again.
  void Drain() {
    // Dropped on purpose: the caller gave the bundles after Take's up.
    Wait();
  }

 private:
  // Waits until no fetch is wanted or running; the bundle fetched, if any.
  std::optional<absl::StatusOr<Leaves>> Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock, [this] { return !wanted_; });
    std::optional<absl::StatusOr<Leaves>> fetched = std::move(fetched_);
    fetched_.reset();
    return fetched;
  }

  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      changed_.wait(lock, [this] { return stop_ || wanted_; });
      if (!wanted_) return;  // stop_
      const uint64_t index = ahead_index_;
      lock.unlock();
      absl::StatusOr<Leaves> leaves = tree_->BundleWithHashes(index);
      lock.lock();
      fetched_ = std::move(leaves);
      wanted_ = false;
      changed_.notify_all();
    }
  }

  api::client::TileTree* const tree_;
  const uint64_t last_;
  std::mutex mu_;
  std::condition_variable changed_;  // wanted_ or stop_ changed
  uint64_t ahead_index_ = 0;         // the bundle wanted or fetched
  bool wanted_ = false;              // the fetch thread owes ahead_index_
  std::optional<absl::StatusOr<Leaves>> fetched_;
  bool stop_ = false;
  std::thread thread_;  // started at the first bundle fetched ahead
};

}  // namespace office

#endif  // OFFICE_BUNDLE_PREFETCH_H_

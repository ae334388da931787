// BundlePrefetch: a TileTree's entry bundles read in order, each one fetched
// (HTTP GET, inflate, parse, leaf hashes checked against the tiles:
// api/client/tile_tree.h) on another thread while the follower replays the
// one before, so that the follower's thread does not wait on the tile
// server and the transfer between two bundles.
//
// The tree is used by one thread at a time: after Take(i) returned a good
// bundle, the fetch thread owns the tree (and its HttpGetter) until the
// next Take or Drain; the caller must not use either meanwhile. A bundle
// that fails (any error) is returned by Take as TileTree::Bundle returns it,
// and nothing is fetched after it, so errors and incidents come in the
// order of the bundles. Memory: one bundle ahead.
//
// Thread-compatible.
#ifndef OFFICE_BUNDLE_PREFETCH_H_
#define OFFICE_BUNDLE_PREFETCH_H_

#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "api/client/tile_tree.h"

namespace office {

class BundlePrefetch {
 public:
  using Leaves = std::shared_ptr<const std::vector<std::string>>;

  // Bundles of `tree` (not owned; must outlive this) up to `last`,
  // inclusive.
  BundlePrefetch(api::client::TileTree* tree, uint64_t last)
      : tree_(tree), last_(last) {}
  ~BundlePrefetch() { Drain(); }

  // Bundle `index` (TileTree::Bundle's answer); when it is good and not the
  // last, starts fetching `index + 1`.
  absl::StatusOr<Leaves> Take(uint64_t index) {
    absl::StatusOr<Leaves> leaves =
        ahead_.valid() && ahead_index_ == index ? ahead_.get() : Fetch(index);
    if (leaves.ok() && index < last_) {
      ahead_index_ = index + 1;
      ahead_ = std::async(std::launch::async, [tree = tree_, i = index + 1] {
        return tree->Bundle(i);
      });
    }
    return leaves;
  }

  // Waits for the fetch in flight, if any, and drops it: the caller may use
  // the tree again.
  void Drain() {
    // Dropped on purpose: the caller gave the bundles after Take's up.
    if (ahead_.valid()) ahead_.get().IgnoreError();
  }

 private:
  absl::StatusOr<Leaves> Fetch(uint64_t index) {
    Drain();
    return tree_->Bundle(index);
  }

  api::client::TileTree* const tree_;
  const uint64_t last_;
  uint64_t ahead_index_ = 0;
  std::future<absl::StatusOr<Leaves>> ahead_;
};

}  // namespace office

#endif  // OFFICE_BUNDLE_PREFETCH_H_

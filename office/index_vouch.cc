#include "office/index_vouch.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "api/index/index_replay.h"
#include "office/mirror_log_reader.h"

namespace office {
namespace {

struct Passed {
  absl::Mutex mu;
  // Output origin → the largest size whose every update matched.
  absl::flat_hash_map<std::string, uint64_t> size ABSL_GUARDED_BY(mu);
};

absl::Status Replay(const Mirror* mirror, absl::string_view output_origin,
                    const std::string& input_origin, uint64_t size,
                    const ledger::merkle::Hash& root) {
  api::client::VerifiedCheckpoint at;
  at.fields = {std::string(output_origin), size, root};
  MirrorLogReader output(mirror, std::string(output_origin), at);
  MirrorLogReader input(mirror, input_origin);
  return api::index::ReplayIndex(input, output, {}).status();
}

}  // namespace

witness::Witness::Vouch IndexReplayed(const Mirror* mirror, IndexedLogs indexes,
                                      witness::Witness::Vouch verified,
                                      IndexMismatch on_mismatch) {
  auto passed = std::make_shared<Passed>();
  return [mirror, indexes = std::move(indexes), verified = std::move(verified),
          on_mismatch = std::move(on_mismatch),
          passed](absl::string_view origin, uint64_t size,
                  const ledger::merkle::Hash& root) -> absl::Status {
    if (verified) {
      if (absl::Status s = verified(origin, size, root); !s.ok()) return s;
    }
    auto input = indexes.find(origin);
    if (input == indexes.end()) return absl::OkStatus();
    {
      absl::MutexLock lock(&passed->mu);
      auto it = passed->size.find(origin);
      if (it != passed->size.end() && size <= it->second) {
        return absl::OkStatus();
      }
    }
    absl::Status replayed = Replay(mirror, origin, input->second, size, root);
    if (!replayed.ok()) {
      if (replayed.code() == absl::StatusCode::kDataLoss && on_mismatch) {
        on_mismatch(origin, size, replayed);
      }
      return absl::FailedPreconditionError(
          absl::StrCat("index replay of ", origin, " at size ", size, " over ",
                       input->second, ": ", replayed.message()));
    }
    absl::MutexLock lock(&passed->mu);
    uint64_t& best = passed->size[origin];
    if (size > best) best = size;
    return absl::OkStatus();
  };
}

}  // namespace office

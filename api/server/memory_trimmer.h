// Returns memory to the system after a burst (issue 14 item 4). glibc keeps
// freed heap memory in its arenas: after a flood of large requests the
// server's RSS stayed at its peak (2.2 GiB) although nothing used it. The
// ledger server calls MaybeTrim() once a tick (checkpoint publisher); when
// the heap holds at least `min_free_bytes` of free memory it calls
// malloc_trim(0), at most once per `min_interval`. malloc_trim holds each
// arena's lock while it walks it (milliseconds at these sizes), hence the
// interval. Thread-compatible: call from one thread.
#ifndef API_SERVER_MEMORY_TRIMMER_H_
#define API_SERVER_MEMORY_TRIMMER_H_

#include <cstddef>
#include <functional>

#include "absl/time/time.h"
#include "common/clock.h"

namespace api::server {

// The process heap, as MemoryTrimmer sees it; the real one is
// ProcessHeap(), tests pass fakes.
struct Heap {
  // Bytes free inside the heap's arenas (mallinfo2's fordblks).
  std::function<size_t()> free_bytes;
  // Returns free memory to the system (malloc_trim(0)).
  std::function<void()> trim;
  // Resident bytes of the process (/proc/self/statm), for the log line.
  std::function<size_t()> resident_bytes;
};
Heap ProcessHeap();

class MemoryTrimmer {
 public:
  struct Options {
    size_t min_free_bytes = size_t{64} << 20;  // 0 = never trim
    absl::Duration min_interval = absl::Seconds(10);
  };

  // `clock` outlives this.
  MemoryTrimmer(Options options, const common::Clock* clock, Heap heap);

  // Trims when due (see the file comment); returns whether it did. Logs a
  // `memory_trimmed` line (RSS before and after) when RSS fell by 1 MiB or
  // more.
  bool MaybeTrim();

 private:
  const Options options_;
  const common::Clock* const clock_;
  const Heap heap_;
  absl::Time last_trim_ = absl::InfinitePast();
};

}  // namespace api::server

#endif  // API_SERVER_MEMORY_TRIMMER_H_

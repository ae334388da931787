#include "api/server/memory_trimmer.h"

#include <malloc.h>
#include <unistd.h>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "api/server/log.h"

namespace api::server {
namespace {

size_t ResidentBytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long size = 0, resident = 0;
  const int n = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * static_cast<size_t>(::sysconf(_SC_PAGESIZE)) : 0;
}

}  // namespace

Heap ProcessHeap() {
  Heap heap;
  heap.free_bytes = [] { return static_cast<size_t>(mallinfo2().fordblks); };
  heap.trim = [] { (void)malloc_trim(0); };  // returns whether it released
  heap.resident_bytes = ResidentBytes;
  return heap;
}

MemoryTrimmer::MemoryTrimmer(Options options, const common::Clock* clock,
                             Heap heap)
    : options_(options), clock_(clock), heap_(std::move(heap)) {}

bool MemoryTrimmer::MaybeTrim() {
  if (options_.min_free_bytes == 0) return false;
  const absl::Time now = clock_->Now();
  if (now - last_trim_ < options_.min_interval) return false;
  const size_t free_bytes = heap_.free_bytes();
  if (free_bytes < options_.min_free_bytes) return false;
  last_trim_ = now;
  const size_t before = heap_.resident_bytes();
  const absl::Time start = absl::Now();
  heap_.trim();
  const absl::Duration took = absl::Now() - start;
  const size_t after = heap_.resident_bytes();
  if (before >= after + (size_t{1} << 20)) {
    LogEvent("info", "memory_trimmed",
             {{"heap_free_mib", absl::StrCat(free_bytes >> 20)},
              {"rss_before_mib", absl::StrCat(before >> 20)},
              {"rss_after_mib", absl::StrCat(after >> 20)},
              {"took_ms", absl::StrCat(absl::ToInt64Milliseconds(took))}});
  }
  return true;
}

}  // namespace api::server

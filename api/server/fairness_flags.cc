#include "api/server/fairness_flags.h"

#include <cstdint>

#include "absl/flags/flag.h"
#include "absl/time/time.h"

namespace {
const api::server::FairnessOptions kFair;
const api::server::MemoryTrimmer::Options kTrim;
}  // namespace

ABSL_FLAG(uint64_t, max_submits_per_identity, kFair.max_submits_per_identity,
          "Submit batches one caller identity may have waiting or running at "
          "once; beyond, RESOURCE_EXHAUSTED");
ABSL_FLAG(uint64_t, max_queued_submit_mb, kFair.max_queued_submit_bytes >> 20,
          "request MiB all waiting Submit batches may hold together; beyond, "
          "RESOURCE_EXHAUSTED");
ABSL_FLAG(uint64_t, max_watchers_per_identity, kFair.max_watchers_per_identity,
          "WatchFindings streams one caller identity may hold open");
ABSL_FLAG(double, submit_calls_per_second, kFair.submit_calls_per_second,
          "Submit calls per second per caller identity (token bucket); "
          "beyond, RESOURCE_EXHAUSTED; 0 = no limit");
ABSL_FLAG(double, submit_call_burst, kFair.submit_call_burst,
          "Submit calls one identity may make at once above its rate");
ABSL_FLAG(double, submit_entries_per_second, kFair.submit_entries_per_second,
          "Submit entries (envelopes) per second per caller identity; 0 = no "
          "limit");
ABSL_FLAG(double, submit_entry_burst, kFair.submit_entry_burst,
          "Submit entries one identity may send at once above its rate");
ABSL_FLAG(double, bad_signature_burst, kFair.bad_signature_burst,
          "entries with bad signatures one identity may have refused before "
          "its Submit calls are refused unverified");
ABSL_FLAG(double, bad_signatures_per_second, kFair.bad_signatures_per_second,
          "bad signatures forgiven per second per identity");
ABSL_FLAG(double, bad_signature_disconnect_seconds,
          kFair.bad_signature_disconnect_seconds,
          "an identity owing at least this many seconds of bad signatures "
          "has its connections closed and its TLS handshakes refused until "
          "it owes less (mTLS only); 0 = never");
ABSL_FLAG(uint64_t, malloc_trim_free_mb, kTrim.min_free_bytes >> 20,
          "return freed heap memory to the system (malloc_trim) when this "
          "many MiB are free in the heap; 0 = never");
ABSL_FLAG(absl::Duration, malloc_trim_interval, kTrim.min_interval,
          "at most one malloc_trim per this interval");

namespace api::server {

FairnessOptions FairnessOptionsFromFlags() {
  FairnessOptions o;
  o.max_submits_per_identity = absl::GetFlag(FLAGS_max_submits_per_identity);
  o.max_queued_submit_bytes = absl::GetFlag(FLAGS_max_queued_submit_mb) << 20;
  o.max_watchers_per_identity = absl::GetFlag(FLAGS_max_watchers_per_identity);
  o.submit_calls_per_second = absl::GetFlag(FLAGS_submit_calls_per_second);
  o.submit_call_burst = absl::GetFlag(FLAGS_submit_call_burst);
  o.submit_entries_per_second = absl::GetFlag(FLAGS_submit_entries_per_second);
  o.submit_entry_burst = absl::GetFlag(FLAGS_submit_entry_burst);
  o.bad_signature_burst = absl::GetFlag(FLAGS_bad_signature_burst);
  o.bad_signatures_per_second = absl::GetFlag(FLAGS_bad_signatures_per_second);
  o.bad_signature_disconnect_seconds =
      absl::GetFlag(FLAGS_bad_signature_disconnect_seconds);
  return o;
}

MemoryTrimmer::Options MemoryTrimOptionsFromFlags() {
  MemoryTrimmer::Options o;
  o.min_free_bytes = absl::GetFlag(FLAGS_malloc_trim_free_mb) << 20;
  o.min_interval = absl::GetFlag(FLAGS_malloc_trim_interval);
  return o;
}

}  // namespace api::server

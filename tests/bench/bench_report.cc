#include "tests/bench/bench_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ledger::bench {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;

std::string Row(const std::string& figure, const std::string& measured,
                const std::string& limit, const std::string& target,
                const std::string& met) {
  return absl::StrFormat("| %-34s | %14s | %-34s | %-22s | %-4s |\n", figure,
                         measured, limit, target, met);
}

std::string Rate(double per_s) { return absl::StrFormat("%.0f/s", per_s); }
std::string Met(bool met) { return met ? "yes" : "NO"; }

}  // namespace

std::string FormatTable(const BenchOptions& o, const BenchResults& r) {
  // The appends' limit: verify sampled between their rounds (before/after
  // when there were no appends to sample between).
  const double append_limit =
      r.verify_samples > 0 ? r.verify_during_appends_per_s : r.verify_per_s;
  const double append_target = kAppendTargetOfTwoCoreVerify * 2 * append_limit;
  const double audit_target = kAuditTargetOfVerify * r.verify_per_s;
  std::string out = absl::StrFormat(
      "ledger_bench: %d entries, %d appender threads (%s), batch %d, payload "
      "%d B (envelope %.0f B), %d CPUs (%s)\nload average before: %s, after: "
      "%s\n\n",
      r.entries, o.threads,
      o.pipeline ? "submitting to an AppendPipeline" : "synchronous Append",
      o.batch, o.payload_bytes, r.envelope_bytes, r.cpus, r.cpu_model,
      r.load_before, r.load_after);
  absl::StrAppend(&out, Row("figure", "measured", "physical limit (same run)",
                            "target", "met?"));
  absl::StrAppend(&out, Row("---", "---", "---", "---", "---"));
  absl::StrAppend(
      &out, Row("Ed25519 verify, 300 B, 1 core", Rate(r.verify_per_s),
                absl::StrFormat("(limit: mean of %.0f before, %.0f after)",
                                r.verify_before_per_s, r.verify_after_per_s),
                "", ""));
  absl::StrAppend(
      &out,
      Row("Ed25519 verify, between append rounds",
          Rate(r.verify_during_appends_per_s),
          absl::StrFormat("(limit: %d samples, %.0f…%.0f/s)", r.verify_samples,
                          r.verify_during_min_per_s, r.verify_during_max_per_s),
          "", ""));
  absl::StrAppend(&out, Row("HashLeaf 300 B, 1 core", Rate(r.leaf_hash_per_s),
                            "(limit)", "", ""));
  absl::StrAppend(&out,
                  Row("synced Store::Write, 1 small batch",
                      Rate(r.synced_write_per_s), "(limit: fsync)", "", ""));
  absl::StrAppend(
      &out, Row(absl::StrFormat("durable appends (%d thr, batch %d)", o.threads,
                                o.batch),
                Rate(r.append_per_s),
                absl::StrFormat(
                    "2 x verify = %.0f/s (%.0f%%)", 2 * append_limit,
                    append_limit > 0 ? 100 * r.append_per_s / (2 * append_limit)
                                     : 0.0),
                absl::StrFormat(">= %.0f/s (70%%)", append_target),
                Met(r.append_per_s >= append_target && r.append_errors == 0)));
  absl::StrAppend(
      &out, Row("  Append() calls (group commit)", Rate(r.append_calls_per_s),
                absl::StrFormat("fsync %.0f/s", r.synced_write_per_s), "", ""));
  absl::StrAppend(&out, Row("  CPU cores busy while appending",
                            absl::StrFormat("%.2f", r.append_cpu_seconds /
                                                        r.append_seconds),
                            absl::StrFormat("%d CPUs", r.cpus), "", ""));
  absl::StrAppend(
      &out,
      Row("  appends per CPU-second", Rate(r.append_per_cpu_s),
          absl::StrFormat("verify %.0f/CPU-s (%.0f%%)", r.verify_per_cpu_s,
                          r.verify_per_cpu_s > 0
                              ? 100 * r.append_per_cpu_s / r.verify_per_cpu_s
                              : 0.0),
          "", ""));
  absl::StrAppend(&out, Row("  pre-signing (not timed above)",
                            Rate(r.sign_per_s), "", "", ""));
  absl::StrAppend(&out,
                  Row("inclusion proofs, 1 thread", Rate(r.inclusion_per_s),
                      absl::StrFormat("~%d hashes/proof, tree cache %d MiB",
                                      64 - __builtin_clzll(r.ledger_size | 1),
                                      o.tree_cache_bytes >> 20),
                      ">= 100000/s", Met(r.inclusion_per_s >= 100'000)));
  absl::StrAppend(&out, Row("consistency proofs, 1 thread",
                            Rate(r.consistency_per_s), "", "", ""));
  absl::StrAppend(
      &out,
      Row(absl::StrFormat("full audit (%d threads)", o.audit_threads),
          Rate(r.audit_per_s), absl::StrFormat("verify %.0f/s", r.verify_per_s),
          absl::StrFormat(">= %.0f/s (90%%)", audit_target),
          o.audit_threads == 0
              ? std::string("skipped")
              : Met(r.audit_per_s >= audit_target && r.audit_ok)));
  absl::StrAppend(
      &out, Row("storage bytes / entry (after flush)",
                absl::StrFormat("%.0f B", r.bytes_per_entry),
                absl::StrFormat("envelope %.0f B", r.envelope_bytes), "", ""));
  absl::StrAppend(
      &out, Row("peak RSS", absl::StrFormat("%.0f MiB", r.peak_rss / kMiB), "",
                "", ""));
  absl::StrAppend(
      &out,
      Row("RSS after appends",
          absl::StrFormat("%.0f MiB", r.rss_after_append / kMiB), "", "", ""));
  absl::StrAppend(
      &out, Row("Ledger::MemoryBytes()",
                absl::StrFormat("%.1f MiB", r.ledger_memory_bytes / kMiB), "",
                "", ""));
  absl::StrAppend(
      &out,
      absl::StrFormat(
          "\nsigning %.1f s, appending %.1f s, %d append errors; checkpoint "
          "%.1f ms; close %.0f ms; reopen %.0f ms; db %.1f MiB; audit %.1f s "
          "(%s); %d proofs "
          "verified\n",
          r.sign_seconds, r.append_seconds, r.append_errors, r.checkpoint_ms,
          r.close_ms, r.reopen_ms, r.db_bytes / kMiB, r.audit_seconds,
          o.audit_threads == 0 ? "skipped"
          : r.audit_ok         ? "ok"
                               : "FAILED",
          r.proofs_verified));
  return out;
}

std::string FormatJson(const BenchOptions& o, const BenchResults& r) {
  return absl::StrFormat(
      "{\"entries\":%d,\"threads\":%d,\"batch\":%d,\"payload_bytes\":%d,"
      "\"envelope_bytes\":%.1f,\"cpus\":%d,\"cpu_model\":\"%s\","
      "\"load_before\":\"%s\",\"load_after\":\"%s\","
      "\"verify_per_s\":%.0f,\"verify_before_per_s\":%.0f,"
      "\"verify_after_per_s\":%.0f,\"verify_during_appends_per_s\":%.0f,"
      "\"verify_samples\":%d,\"leaf_hash_per_s\":%.0f,"
      "\"synced_write_per_s\":%.1f,\"sign_seconds\":%.3f,"
      "\"append_seconds\":%.3f,\"append_per_s\":%.0f,"
      "\"append_calls_per_s\":%.1f,\"append_cpu_seconds\":%.3f,\"append_"
      "errors\":%d,\"pipeline\":%s,\"append_per_cpu_s\":%.0f,"
      "\"verify_per_cpu_s\":%.0f,"
      "\"append_target_per_s\":%.0f,\"checkpoint_ms\":%.2f,"
      "\"inclusion_per_s\":%.0f,\"consistency_per_s\":%.0f,"
      "\"proofs_verified\":%d,\"close_ms\":%.1f,\"reopen_ms\":%.1f,\"db_"
      "bytes\":%d,"
      "\"ledger_size\":%d,\"bytes_per_entry\":%.1f,\"audit_seconds\":%.3f,"
      "\"audit_per_s\":%.0f,\"audit_target_per_s\":%.0f,\"audit_ok\":%s,"
      "\"rss_after_append\":%d,\"peak_rss\":%d,\"ledger_memory_bytes\":%d}\n",
      r.entries, o.threads, o.batch, o.payload_bytes, r.envelope_bytes, r.cpus,
      r.cpu_model, r.load_before, r.load_after, r.verify_per_s,
      r.verify_before_per_s, r.verify_after_per_s,
      r.verify_during_appends_per_s, r.verify_samples, r.leaf_hash_per_s,
      r.synced_write_per_s, r.sign_seconds, r.append_seconds, r.append_per_s,
      r.append_calls_per_s, r.append_cpu_seconds, r.append_errors,
      o.pipeline ? "true" : "false", r.append_per_cpu_s, r.verify_per_cpu_s,
      kAppendTargetOfTwoCoreVerify * 2 *
          (r.verify_samples > 0 ? r.verify_during_appends_per_s
                                : r.verify_per_s),
      r.checkpoint_ms, r.inclusion_per_s, r.consistency_per_s,
      r.proofs_verified, r.close_ms, r.reopen_ms, r.db_bytes, r.ledger_size,
      r.bytes_per_entry, r.audit_seconds, r.audit_per_s,
      kAuditTargetOfVerify * r.verify_per_s, r.audit_ok ? "true" : "false",
      r.rss_after_append, r.peak_rss, r.ledger_memory_bytes);
}

}  // namespace ledger::bench

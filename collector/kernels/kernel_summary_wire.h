// The message the CUPTI injection library sends to the node agent over the
// agent's Unix socket (collector/FORMAT.md "Kernel summary message"): one
// text message per window, never raw traces.
//
//   aifl-kernel-summary v1\n
//   job=<SLURM_JOB_ID>\n step=<SLURM_STEP_ID or empty>\n
//   start_ns=<u64>\n end_ns=<u64>\n kernels=<u64>\n busy_ns=<u64>\n
//   tensor_busy_ns=<u64>\n dropped=<u64>\n
//   \n   (an empty line ends the message)
//
// Clocks are CUPTI timestamps (ns, CLOCK_REALTIME-based on Linux).
#ifndef COLLECTOR_KERNELS_KERNEL_SUMMARY_WIRE_H_
#define COLLECTOR_KERNELS_KERNEL_SUMMARY_WIRE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collector/kernels/kernel_aggregator.h"
#include "schema/collector.pb.h"

namespace collector {
namespace kernels {

std::string EncodeKernelSummaryMessage(const KernelTotals& totals,
                                       absl::string_view job,
                                       absl::string_view step);

struct DecodedSummary {
  std::string job;
  std::string step;
  aifl::collector::v1::KernelSummary summary;  // run_id, node, pid unset
};

// kInvalidArgument naming the field when the message is malformed.
absl::StatusOr<DecodedSummary> DecodeKernelSummaryMessage(absl::string_view m);

}  // namespace kernels
}  // namespace collector

#endif  // COLLECTOR_KERNELS_KERNEL_SUMMARY_WIRE_H_

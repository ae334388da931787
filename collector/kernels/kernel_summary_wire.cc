#include "collector/kernels/kernel_summary_wire.h"

#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace collector {
namespace kernels {

std::string EncodeKernelSummaryMessage(const KernelTotals& t,
                                       absl::string_view job,
                                       absl::string_view step) {
  return absl::StrCat(
      "aifl-kernel-summary v1\njob=", job, "\nstep=", step,
      "\nstart_ns=", t.first_start_ns, "\nend_ns=", t.last_end_ns,
      "\nkernels=", t.kernels, "\nbusy_ns=", t.busy_ns,
      "\ntensor_busy_ns=", t.tensor_busy_ns, "\ndropped=", t.dropped, "\n\n");
}

absl::StatusOr<DecodedSummary> DecodeKernelSummaryMessage(absl::string_view m) {
  std::vector<absl::string_view> lines = absl::StrSplit(m, '\n');
  if (lines.empty() || lines[0] != "aifl-kernel-summary v1") {
    return absl::InvalidArgumentError("kernel summary: bad header");
  }
  std::map<std::string, std::string> kv;
  for (size_t i = 1; i < lines.size() && !lines[i].empty(); ++i) {
    std::pair<std::string, std::string> p =
        absl::StrSplit(lines[i], absl::MaxSplits('=', 1));
    kv[p.first] = p.second;
  }
  uint64_t v[6];
  const char* keys[6] = {"start_ns", "end_ns",         "kernels",
                         "busy_ns",  "tensor_busy_ns", "dropped"};
  for (int i = 0; i < 6; ++i) {
    if (!absl::SimpleAtoi(kv[keys[i]], &v[i])) {
      return absl::InvalidArgumentError(absl::StrCat(
          "kernel summary ", keys[i], ": got '", kv[keys[i]], "'"));
    }
  }
  if (kv["job"].empty())
    return absl::InvalidArgumentError("kernel summary job: missing");
  if (v[4] > v[3]) {
    return absl::InvalidArgumentError(
        "kernel summary: tensor_busy_ns > busy_ns");
  }
  DecodedSummary d;
  d.job = kv["job"];
  d.step = kv["step"];
  auto& s = d.summary;
  s.set_start_unix_ms(v[0] / 1000000);
  s.set_end_unix_ms(v[1] / 1000000);
  s.set_kernels(v[2]);
  s.set_busy_seconds(v[3] / 1e9);
  s.set_tensor_kernel_share(v[3] ? static_cast<double>(v[4]) / v[3] : 0.0);
  s.set_dropped_records(v[5]);
  return d;
}

}  // namespace kernels
}  // namespace collector

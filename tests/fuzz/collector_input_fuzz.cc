// The collector reads recorded NVML replay files and kernel summaries from
// job processes over a local socket (the job is not trusted). Both parsers
// must reject bad input with an error, never crash.
#include <cstdint>
#include <string>

#include "collector/kernels/kernel_summary_wire.h"
#include "collector/nvml/replay_gpu_source.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  collector::nvml::ParseReplay(text).status().IgnoreError();
  collector::kernels::DecodeKernelSummaryMessage(text).status().IgnoreError();
  return 0;
}

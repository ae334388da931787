// NvmlLibrary: libnvidia-ml.so.1 opened with dlopen and its entry points
// resolved with dlsym into an NvmlFunctions table (nvml_functions.h). The
// only code that touches the driver's library; nothing is linked at build
// time, so the agent starts on nodes without a driver.
//
// Thread-compatible; the table is valid while this object lives.
#ifndef COLLECTOR_NVML_NVML_LIBRARY_H_
#define COLLECTOR_NVML_NVML_LIBRARY_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "collector/nvml/nvml_functions.h"

namespace collector {
namespace nvml {

class NvmlLibrary {
 public:
  // Opens `library` (a file name searched the dlopen way, or a path) and
  // resolves every entry point of NvmlFunctions; a symbol the library lacks
  // leaves its member empty. kUnavailable with dlerror()'s message when the
  // library cannot be opened (GPU-less node, no driver).
  static absl::StatusOr<std::unique_ptr<NvmlLibrary>> Load(
      const std::string& library);
  ~NvmlLibrary();  // dlclose

  NvmlLibrary(const NvmlLibrary&) = delete;
  NvmlLibrary& operator=(const NvmlLibrary&) = delete;

  const NvmlFunctions& functions() const { return functions_; }

 private:
  explicit NvmlLibrary(void* handle) : handle_(handle) {}

  void* const handle_;
  NvmlFunctions functions_;
};

}  // namespace nvml
}  // namespace collector

#endif  // COLLECTOR_NVML_NVML_LIBRARY_H_

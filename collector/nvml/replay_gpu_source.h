// ReplayGpuSource: a GpuSource that plays back a recorded node from the text
// format in collector/FORMAT.md ("aifl-replay v1"). Used to feed recorded
// nodes through the real agent code (collector_agent run --replay), in tests
// and in the benchmark. Besides samples, a replay file may carry job-start /
// job-end events; they are parsed here (as key=value maps, so this package
// does not depend on the agent) and applied by the replay driver.
//
// Thread-compatible.
#ifndef COLLECTOR_NVML_REPLAY_GPU_SOURCE_H_
#define COLLECTOR_NVML_REPLAY_GPU_SOURCE_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collector/nvml/gpu_source.h"

namespace collector {
namespace nvml {

// A job-start or job-end line of a replay file.
struct ReplayJobEvent {
  enum Kind { kStart, kEnd };
  Kind kind = kStart;
  absl::Time time;
  // job-start: the key=value fields; job-end: "run", "exit".
  std::map<std::string, std::string> fields;
};

// A parsed replay file.
struct ReplayFile {
  std::vector<GpuDeviceInfo> devices;
  std::vector<GpuSample> samples;          // in file order, grouped by time
  std::vector<ReplayJobEvent> job_events;  // in file order
};

// Parses the text of a replay file. kInvalidArgument names the line number
// and the field on any malformed line, an unknown device index, or time
// going backwards.
absl::StatusOr<ReplayFile> ParseReplay(absl::string_view text);

// Reads and parses `path`. kNotFound when it cannot be opened.
absl::StatusOr<ReplayFile> ReadReplayFile(const std::string& path);

class ReplayGpuSource final : public GpuSource {
 public:
  explicit ReplayGpuSource(ReplayFile file) : file_(std::move(file)) {}

  absl::StatusOr<std::vector<GpuDeviceInfo>> ListDevices() override {
    return file_.devices;
  }
  // The next recorded sample; kOutOfRange after the last one.
  absl::StatusOr<GpuSample> Sample() override;

  // Time of the sample the next Sample() returns; nullopt at the end.
  std::optional<absl::Time> PeekTime() const;
  // Restarts from the first sample (benchmarks loop over a short file).
  void Rewind() { next_ = 0; }
  const ReplayFile& file() const { return file_; }

 private:
  ReplayFile file_;
  size_t next_ = 0;
};

}  // namespace nvml
}  // namespace collector

#endif  // COLLECTOR_NVML_REPLAY_GPU_SOURCE_H_

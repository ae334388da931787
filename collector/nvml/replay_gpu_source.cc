#include "collector/nvml/replay_gpu_source.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/read_file.h"

namespace collector {
namespace nvml {
namespace {

absl::Status LineError(int line, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("replay line ", line, ": ", what));
}

absl::StatusOr<absl::Time> ParseTime(int line, absl::string_view field) {
  int64_t ms = 0;
  if (!absl::SimpleAtoi(field, &ms)) {
    return LineError(line, absl::StrCat("timestamp: got '", field,
                                        "', want integer unix milliseconds"));
  }
  return absl::FromUnixMillis(ms);
}

// "-" is an absent reading; anything else must parse.
template <typename T>
absl::Status ParseOptional(int line, absl::string_view field,
                           absl::string_view name, std::optional<T>* out) {
  if (field == "-") return absl::OkStatus();
  T v{};
  bool ok;
  if constexpr (std::is_same_v<T, double>) {
    ok = absl::SimpleAtod(field, &v);
  } else {
    ok = absl::SimpleAtoi(field, &v);
  }
  if (!ok) {
    return LineError(
        line, absl::StrCat(name, ": got '", field, "', want a number or '-'"));
  }
  *out = v;
  return absl::OkStatus();
}

// device <index> <uuid> <mig 0|1> <driver> <name…>
absl::Status ParseDevice(int line_no, const std::vector<absl::string_view>& f,
                         ReplayFile* file) {
  GpuDeviceInfo d;
  if (f.size() < 6 || !absl::SimpleAtoi(f[1], &d.index) ||
      (f[3] != "0" && f[3] != "1")) {
    return LineError(line_no,
                     "device: want 'device <index> <uuid> <0|1> <driver> "
                     "<name>'");
  }
  if (d.index != file->devices.size()) {
    return LineError(line_no, absl::StrCat("device index: got ", d.index,
                                           ", want ", file->devices.size()));
  }
  d.uuid = std::string(f[2]);
  d.mig = f[3] == "1";
  d.driver_version = std::string(f[4]);
  d.name = absl::StrJoin(f.begin() + 5, f.end(), " ");
  file->devices.push_back(d);
  return absl::OkStatus();
}

// job-start|job-end <unix_ms> [key=value…]
absl::Status ParseJobEvent(int line_no, const std::vector<absl::string_view>& f,
                           ReplayFile* file) {
  if (f.size() < 2) return LineError(line_no, "job event: missing time");
  ReplayJobEvent e;
  e.kind = f[0] == "job-start" ? ReplayJobEvent::kStart : ReplayJobEvent::kEnd;
  auto t = ParseTime(line_no, f[1]);
  if (!t.ok()) return t.status();
  e.time = *t;
  for (size_t i = 2; i < f.size(); ++i) {
    std::pair<std::string, std::string> kv =
        absl::StrSplit(f[i], absl::MaxSplits('=', 1));
    if (kv.first.empty() || f[i].find('=') == absl::string_view::npos) {
      return LineError(
          line_no, absl::StrCat("job field: got '", f[i], "', want key=value"));
    }
    e.fields[kv.first] = kv.second;
  }
  file->job_events.push_back(std::move(e));
  return absl::OkStatus();
}

// <unix_ms> <device> <energy_mJ|-> <sm_active|-> <tensor_active|->
// *last: the previous sample's time (samples may not go backwards).
absl::Status ParseSample(int line_no, const std::vector<absl::string_view>& f,
                         absl::Time* last, ReplayFile* file) {
  if (f.size() != 5) {
    return LineError(line_no,
                     absl::StrCat("sample: got ", f.size(), " fields, want 5"));
  }
  auto t = ParseTime(line_no, f[0]);
  if (!t.ok()) return t.status();
  if (*t < *last) return LineError(line_no, "timestamp goes backwards");
  DeviceReading r;
  if (!absl::SimpleAtoi(f[1], &r.index) || r.index >= file->devices.size()) {
    return LineError(line_no, absl::StrCat("device: got '", f[1],
                                           "', want a declared index"));
  }
  absl::Status s = ParseOptional(line_no, f[2], "energy_mJ", &r.energy_mj);
  if (s.ok()) s = ParseOptional(line_no, f[3], "sm_active", &r.sm_active_pct);
  if (s.ok()) {
    s = ParseOptional(line_no, f[4], "tensor_active", &r.tensor_active_pct);
  }
  if (!s.ok()) return s;
  if (file->samples.empty() || file->samples.back().time != *t) {
    file->samples.push_back(GpuSample{*t, {}});
  }
  file->samples.back().devices.push_back(r);
  *last = *t;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ReplayFile> ParseReplay(absl::string_view text) {
  ReplayFile file;
  int line_no = 0;
  bool saw_magic = false;
  absl::Time last = absl::InfinitePast();
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    ++line_no;
    absl::string_view line = absl::StripAsciiWhitespace(raw);
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> f =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (!saw_magic) {
      if (line != "aifl-replay v1") {
        return LineError(line_no, "header: want 'aifl-replay v1'");
      }
      saw_magic = true;
      continue;
    }
    absl::Status s;
    if (f[0] == "device") {
      s = ParseDevice(line_no, f, &file);
    } else if (f[0] == "job-start" || f[0] == "job-end") {
      s = ParseJobEvent(line_no, f, &file);
    } else {
      s = ParseSample(line_no, f, &last, &file);
    }
    if (!s.ok()) return s;
  }
  if (!saw_magic) return absl::InvalidArgumentError("replay: empty file");
  return file;
}

absl::StatusOr<ReplayFile> ReadReplayFile(const std::string& path) {
  absl::StatusOr<std::string> text = common::ReadWholeFile(path);
  if (!text.ok()) {
    return absl::Status(text.status().code(),
                        absl::StrCat("replay file: ", text.status().message()));
  }
  return ParseReplay(*text);
}

absl::StatusOr<GpuSample> ReplayGpuSource::Sample() {
  if (next_ >= file_.samples.size()) {
    return absl::OutOfRangeError("replay: no more samples");
  }
  return file_.samples[next_++];
}

std::optional<absl::Time> ReplayGpuSource::PeekTime() const {
  if (next_ >= file_.samples.size()) return std::nullopt;
  return file_.samples[next_].time;
}

}  // namespace nvml
}  // namespace collector

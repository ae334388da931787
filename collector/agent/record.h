// An unsigned payload on its way to the spool: the payload type name and the
// serialized bytes. The bytes are produced once and are the bytes that get
// signed (never re-serialized after signing).
#ifndef COLLECTOR_AGENT_RECORD_H_
#define COLLECTOR_AGENT_RECORD_H_

#include <string>

namespace collector {
namespace agent {

inline constexpr char kRunStartedType[] = "aifl.collector.v1.RunStarted";
inline constexpr char kIntervalReportType[] =
    "aifl.collector.v1.IntervalReport";
inline constexpr char kRunEndedType[] = "aifl.collector.v1.RunEnded";
inline constexpr char kKernelSummaryType[] = "aifl.collector.v1.KernelSummary";

struct Record {
  std::string payload_type;  // one of the k*Type names above
  std::string payload;       // serialized protobuf bytes
};

}  // namespace agent
}  // namespace collector

#endif  // COLLECTOR_AGENT_RECORD_H_

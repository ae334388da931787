// An unsigned payload on its way to the spool: the payload type name and the
// serialized bytes. The bytes are produced once and are the bytes that get
// signed (never re-serialized after signing).
#ifndef COLLECTOR_AGENT_RECORD_H_
#define COLLECTOR_AGENT_RECORD_H_

#include <string>

#include "rules/payload_types.h"

namespace collector {
namespace agent {

// The payload types the agent signs (spelled once, in rules/payload_types.h).
using rules::kIntervalReportType;
using rules::kKernelSummaryType;
using rules::kRunEndedType;
using rules::kRunStartedType;

struct Record {
  std::string payload_type;  // one of the k*Type names above
  std::string payload;       // serialized protobuf bytes
};

}  // namespace agent
}  // namespace collector

#endif  // COLLECTOR_AGENT_RECORD_H_

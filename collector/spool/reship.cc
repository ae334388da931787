#include "collector/spool/reship.h"

#include "absl/strings/str_cat.h"
#include "collector/spool/record_signer.h"
#include "common/status_macros.h"

namespace collector {
namespace spool {

absl::StatusOr<ReshipCounts> ReshipRejected(
    Spool* spool, const EnvelopeOpener& open,
    const std::function<void(const std::string&)>& log) {
  ReshipCounts counts;
  ASSIGN_OR_RETURN(std::vector<Spool::RejectedFile> files, spool->Rejected());
  for (const Spool::RejectedFile& f : files) {
    if (!f.error.ok()) {
      ++counts.unreadable;
      log(absl::StrCat("rejected/", f.name,
                       " left alone: ", f.error.ToString()));
      continue;
    }
    if (f.payload_type == kRecordRefusedType) {
      ++counts.markers;
      continue;
    }
    absl::StatusOr<OpenedEnvelope> opened = open(f.envelope);
    if (!opened.ok()) {
      ++counts.unreadable;
      log(absl::StrCat("rejected/", f.name,
                       " left alone: ", opened.status().ToString()));
      continue;
    }
    RETURN_IF_ERROR(
        spool->Requeue(f.name, opened->payload_type, opened->payload));
    ++counts.requeued;
  }
  return counts;
}

}  // namespace spool
}  // namespace collector

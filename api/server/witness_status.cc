#include "api/server/witness_status.h"

namespace api::server {
namespace {

int64_t UnixSeconds(absl::Time t) {
  return t == absl::InfinitePast() ? 0 : absl::ToUnixSeconds(t);
}

// Both messages name these fields alike.
template <typename Status>
void Fill(const WitnessCollector& witnesses, Status* status) {
  for (const WitnessReport& report : witnesses.Reports()) {
    aifl::api::v1::WitnessStatus* out = status->add_witnesses();
    out->set_name(report.name);
    out->set_url(report.url);
    out->set_cosigned_size(report.cosigned_size);
    out->set_cosigned_size_known(report.size_known);
    out->set_last_success_unix(UnixSeconds(report.last_success));
    out->set_last_error(report.last_error);
    out->set_last_error_unix(UnixSeconds(report.last_error_time));
    out->set_failing(report.failing);
    out->set_behind(report.behind);
  }
  status->set_quorum_cosigned_size(witnesses.QuorumSize());
  status->set_witness_quorum(witnesses.quorum());
}

}  // namespace

void FillWitnessStatus(const WitnessCollector& witnesses,
                       aifl::api::v1::ServerStatus* status) {
  Fill(witnesses, status);
}

void FillWitnessStatus(const WitnessCollector& witnesses,
                       aifl::api::v1::IndexLogStatus* status) {
  Fill(witnesses, status);
}

}  // namespace api::server

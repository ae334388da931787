// The witnesses' part of Admin.GetStatus (api/v1/ledger_service.proto,
// WitnessStatus) from a WitnessCollector, for the ledger and for the hosted
// index's output log alike. Thread-safe.
#ifndef API_SERVER_WITNESS_STATUS_H_
#define API_SERVER_WITNESS_STATUS_H_

#include "api/server/witness_collector.h"
#include "api/v1/ledger_service.pb.h"

namespace api::server {

// Sets `status`'s witnesses, quorum_cosigned_size and witness_quorum: the
// ledger's own witnesses, and (IndexLogStatus) the index output log's.
void FillWitnessStatus(const WitnessCollector& witnesses,
                       aifl::api::v1::ServerStatus* status);
void FillWitnessStatus(const WitnessCollector& witnesses,
                       aifl::api::v1::IndexLogStatus* status);

}  // namespace api::server

#endif  // API_SERVER_WITNESS_STATUS_H_

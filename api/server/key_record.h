// KeyRecord (api/v1/ledger_service.proto) from the ledger's KeyInfo: one
// conversion for Admin.ListKeys and Ingest.GetOwnKeyState. Pure.
#ifndef API_SERVER_KEY_RECORD_H_
#define API_SERVER_KEY_RECORD_H_

#include "api/v1/ledger_service.pb.h"
#include "ledger/key_registry.h"

namespace api::server {

// Overwrites every field of `*out` with `key`'s.
void FillKeyRecord(const ledger::KeyInfo& key, aifl::api::v1::KeyRecord* out);

}  // namespace api::server

#endif  // API_SERVER_KEY_RECORD_H_

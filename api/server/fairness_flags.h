// ledger_server's flags for each identity's fair share (FairnessOptions) and
// for returning memory after bursts (MemoryTrimmer::Options); documented in
// api/README.md. Defaults are those of the two structs. Link only into the
// binary.
#ifndef API_SERVER_FAIRNESS_FLAGS_H_
#define API_SERVER_FAIRNESS_FLAGS_H_

#include "api/server/fairness_options.h"
#include "api/server/memory_trimmer.h"

namespace api::server {

// The options the flags give. Call after absl::ParseCommandLine.
FairnessOptions FairnessOptionsFromFlags();
MemoryTrimmer::Options MemoryTrimOptionsFromFlags();

}  // namespace api::server

#endif  // API_SERVER_FAIRNESS_FLAGS_H_

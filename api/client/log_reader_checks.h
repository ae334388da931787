// The argument checks every LogReader implementation makes the same way, so
// that each source answers a bad request with the same code and message
// (log_reader.h, "Errors").
#ifndef API_CLIENT_LOG_READER_CHECKS_H_
#define API_CLIENT_LOG_READER_CHECKS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "api/client/log_verifier.h"

namespace api::client {

// kOutOfRange "leaf <index> is beyond the checkpoint's size <n>" when
// index ≥ at's size.
absl::Status CheckLeafInTree(const VerifiedCheckpoint& at, uint64_t index);

// kInvalidArgument "consistency proof: from size <a> > to size <b>" when
// `older` is larger than `newer`.
absl::Status CheckConsistencyOrder(const VerifiedCheckpoint& older,
                                   const VerifiedCheckpoint& newer);

}  // namespace api::client

#endif  // API_CLIENT_LOG_READER_CHECKS_H_

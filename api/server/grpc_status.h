// The one place where absl::Status becomes grpc::Status. Abseil's canonical
// codes are gRPC's codes, value for value. Header-only; thread-safe.
#ifndef API_SERVER_GRPC_STATUS_H_
#define API_SERVER_GRPC_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace api::server {

inline grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

}  // namespace api::server

#endif  // API_SERVER_GRPC_STATUS_H_

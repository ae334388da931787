// Routes gRPC's own log lines (gpr_log) through LogEvent, so that the server
// writes one JSON object per line on stderr and nothing else:
//   {"event":"grpc","level":"error","file":…,"line":…,"message":…}
#ifndef API_SERVER_GRPC_LOG_H_
#define API_SERVER_GRPC_LOG_H_

namespace api::server {

// Installs the route (gpr_set_log_function). Call once from main() before
// any gRPC object exists; thread-safe afterwards.
void RouteGrpcLogsToJsonLog();

}  // namespace api::server

#endif  // API_SERVER_GRPC_LOG_H_

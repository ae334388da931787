// Counts every finished gRPC call by service, method and status code
// (grpc_server_handled_total in ServerMetrics) from the status the server
// sends, after MalformedRequestInterceptor has rewritten it (register this
// one after that one). Calls that end without a status sent (the peer went
// away) are not counted.
#ifndef API_SERVER_CALL_METRICS_INTERCEPTOR_H_
#define API_SERVER_CALL_METRICS_INTERCEPTOR_H_

#include <memory>

#include "api/server/server_metrics.h"
#include "grpcpp/support/server_interceptor.h"

namespace api::server {

// For grpc::ServerBuilder::experimental().SetInterceptorCreators. `metrics`
// is not owned and must outlive the server.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
CallMetricsInterceptorFactory(ServerMetrics* metrics);

}  // namespace api::server

#endif  // API_SERVER_CALL_METRICS_INTERCEPTOR_H_

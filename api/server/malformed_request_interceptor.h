// gRPC 1.51's callback handlers answer a request body that does not parse
// as the method's message with UNIMPLEMENTED and no message (the handler is
// never called, so no service code can say better). This server interceptor
// turns exactly that status, on the ledger's own methods (`/aifl.api.v1.`),
// into INVALID_ARGUMENT with a message a person can act on. Our handlers
// never finish with UNIMPLEMENTED, and gRPC's "unknown method" answers
// carry a message and another path, so nothing else is rewritten.
#ifndef API_SERVER_MALFORMED_REQUEST_INTERCEPTOR_H_
#define API_SERVER_MALFORMED_REQUEST_INTERCEPTOR_H_

#include <memory>

#include "grpcpp/support/server_interceptor.h"

namespace api::server {

// For grpc::ServerBuilder::experimental().SetInterceptorCreators.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MalformedRequestInterceptorFactory();

}  // namespace api::server

#endif  // API_SERVER_MALFORMED_REQUEST_INTERCEPTOR_H_

#include "witness/witness_http_server.h"

#include <microhttpd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "api/tiles_http/listen_address.h"
#include "witness/witness_handler.h"

namespace witness {
namespace {

// Each connection's buffer (headers, read buffer, response headers):
// libmicrohttpd zeroes all of it after every request, 32 KiB by default (2 %
// of the witness's CPU in witness_bench, and 32 KiB of cache evicted under
// the signatures that follow). Requests are a few hundred bytes of headers;
// bodies larger than the read buffer arrive in several calls; a request
// line and headers of a few KiB still fit (witness_http_test).
constexpr size_t kConnectionPoolBytes = 8 << 10;

// One request's body, kept between libmicrohttpd's calls.
struct PendingRequest {
  std::string body;
  bool too_large = false;
  absl::Time started = absl::Now();  // when its headers were in
};

struct ServerContext {
  Witness* witness;
  const WitnessHttpServerOptions* options;
};

MHD_Result Queue(MHD_Connection* connection, const WitnessResponse& r) {
  MHD_Response* response = MHD_create_response_from_buffer(
      r.body.size(), const_cast<char*>(r.body.data()), MHD_RESPMEM_MUST_COPY);
  if (response == nullptr) return MHD_NO;
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
                          r.content_type.c_str());
  MHD_add_response_header(response, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  const MHD_Result queued =
      MHD_queue_response(connection, static_cast<unsigned>(r.status), response);
  MHD_destroy_response(response);
  return queued;
}

// libmicrohttpd calls once when the headers are in, then once per chunk of
// body, then once more with no data: the request is answered on that call.
MHD_Result Serve(void* cls, MHD_Connection* connection, const char* url,
                 const char* method, const char* /*version*/,
                 const char* upload_data, size_t* upload_data_size,
                 void** req_cls) {
  const auto* context = static_cast<const ServerContext*>(cls);
  auto* pending = static_cast<PendingRequest*>(*req_cls);
  if (pending == nullptr) {
    *req_cls = new PendingRequest();
    return MHD_YES;
  }
  if (*upload_data_size != 0) {
    if (pending->body.size() + *upload_data_size >
        context->options->max_body_bytes) {
      pending->too_large = true;
      pending->body.clear();
    } else if (!pending->too_large) {
      pending->body.append(upload_data, *upload_data_size);
    }
    *upload_data_size = 0;
    return MHD_YES;
  }
  const WitnessResponse response =
      pending->too_large
          ? WitnessResponse{413, "text/plain; charset=utf-8",
                            absl::StrCat("request body above ",
                                         context->options->max_body_bytes,
                                         " bytes\n")}
          : HandleWitnessRequest(context->witness, context->options->prefix,
                                 method, url, pending->body);
  if (context->options->on_response) {
    context->options->on_response(method, url, response.status,
                                  absl::Now() - pending->started);
  }
  return Queue(connection, response);
}

void Completed(void* /*cls*/, MHD_Connection* /*connection*/, void** req_cls,
               MHD_RequestTerminationCode /*code*/) {
  delete static_cast<PendingRequest*>(*req_cls);
  *req_cls = nullptr;
}

}  // namespace

absl::StatusOr<std::unique_ptr<WitnessHttpServer>> WitnessHttpServer::Start(
    Witness* witness, const WitnessHttpServerOptions& options) {
  absl::StatusOr<sockaddr_in> addr =
      api::tiles_http::ParseListenAddress(options.listen_address);
  if (!addr.ok()) return addr.status();
  if (options.threads == 0 || options.max_connections == 0 ||
      options.idle_timeout < absl::Seconds(1)) {
    return absl::InvalidArgumentError(
        "witness http server: threads and max_connections must be ≥ 1, "
        "idle_timeout ≥ 1 s");
  }
  if (!options.prefix.empty() &&
      (options.prefix[0] != '/' || absl::EndsWith(options.prefix, "/"))) {
    return absl::InvalidArgumentError(
        absl::StrCat("witness url prefix: got \"", options.prefix,
                     "\", want \"\" or \"/path\" without a final '/'"));
  }
  std::unique_ptr<WitnessHttpServer> server(new WitnessHttpServer());
  server->witness_ = witness;
  server->options_ = options;
  // Lives as long as the server: libmicrohttpd keeps the pointer.
  auto* context = new ServerContext{witness, &server->options_};
  server->daemon_ = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO, 0,
      nullptr, nullptr, &Serve, context, MHD_OPTION_SOCK_ADDR,
      reinterpret_cast<const sockaddr*>(&*addr), MHD_OPTION_THREAD_POOL_SIZE,
      options.threads, MHD_OPTION_CONNECTION_LIMIT, options.max_connections,
      MHD_OPTION_CONNECTION_TIMEOUT,
      static_cast<unsigned>(absl::ToInt64Seconds(options.idle_timeout)),
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, kConnectionPoolBytes,
      MHD_OPTION_NOTIFY_COMPLETED, &Completed, nullptr, MHD_OPTION_END);
  if (server->daemon_ == nullptr) {
    delete context;
    return absl::UnavailableError(absl::StrCat(
        "witness http server: cannot listen on ", options.listen_address));
  }
  server->context_ = context;
  const MHD_DaemonInfo* info =
      MHD_get_daemon_info(server->daemon_, MHD_DAEMON_INFO_BIND_PORT);
  server->port_ = info == nullptr ? 0 : info->port;
  return server;
}

WitnessHttpServer::~WitnessHttpServer() {
  if (daemon_ != nullptr) MHD_stop_daemon(daemon_);
  delete static_cast<ServerContext*>(context_);
}

}  // namespace witness

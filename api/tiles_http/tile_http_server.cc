#include "api/tiles_http/tile_http_server.h"

#include <microhttpd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "api/tiles_http/listen_address.h"

namespace api::tiles_http {
namespace {

std::string HeaderValue(MHD_Connection* connection, const char* name) {
  const char* v =
      MHD_lookup_connection_value(connection, MHD_HEADER_KIND, name);
  return v == nullptr ? "" : v;
}

MHD_Result Serve(void* cls, MHD_Connection* connection, const char* url,
                 const char* method, const char* /*version*/,
                 const char* /*upload_data*/, size_t* upload_data_size,
                 void** req_cls) {
  const auto* handler = static_cast<const HttpHandler*>(cls);
  const bool readable = std::strcmp(method, MHD_HTTP_METHOD_GET) == 0 ||
                        std::strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
  // libmicrohttpd calls once when the headers are in, then again after the
  // body. A GET or HEAD is answered on the second call, which keeps the
  // connection alive; any other method is refused at once (the connection
  // then closes, and its body is never read).
  static int headers_seen;
  if (readable && *req_cls == nullptr) {
    *req_cls = &headers_seen;
    return MHD_YES;
  }
  if (readable && *upload_data_size != 0) {
    *upload_data_size = 0;  // a GET with a body: the body is ignored
    return MHD_YES;
  }
  HttpRequest request;
  request.method = method;
  request.path = url;
  request.if_none_match =
      HeaderValue(connection, MHD_HTTP_HEADER_IF_NONE_MATCH);
  request.accept_encoding =
      HeaderValue(connection, MHD_HTTP_HEADER_ACCEPT_ENCODING);
  const HttpResponse r = handler->Handle(request);
  MHD_Response* response = MHD_create_response_from_buffer(
      r.body.size(), const_cast<char*>(r.body.data()), MHD_RESPMEM_MUST_COPY);
  if (response == nullptr) return MHD_NO;
  for (const auto& [name, value] : r.headers) {
    MHD_add_response_header(response, name.c_str(), value.c_str());
  }
  const MHD_Result queued =
      MHD_queue_response(connection, static_cast<unsigned>(r.status), response);
  MHD_destroy_response(response);
  return queued;
}

}  // namespace

absl::StatusOr<std::unique_ptr<TileHttpServer>> TileHttpServer::Start(
    const HttpHandler* handler, const TileHttpServerOptions& options) {
  absl::StatusOr<sockaddr_in> addr = ParseListenAddress(options.listen_address);
  if (!addr.ok()) return addr.status();
  if (options.threads == 0 || options.max_connections == 0 ||
      options.idle_timeout < absl::Seconds(1)) {
    return absl::InvalidArgumentError(
        "http server: threads and max_connections must be ≥ 1, idle_timeout "
        "≥ 1 s");
  }
  std::unique_ptr<TileHttpServer> server(new TileHttpServer());
  server->handler_ = handler;
  server->daemon_ = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, nullptr, nullptr,
      &Serve, const_cast<HttpHandler*>(handler), MHD_OPTION_SOCK_ADDR,
      reinterpret_cast<const sockaddr*>(&*addr), MHD_OPTION_THREAD_POOL_SIZE,
      options.threads, MHD_OPTION_CONNECTION_LIMIT, options.max_connections,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, options.max_connections_per_ip,
      MHD_OPTION_CONNECTION_TIMEOUT,
      static_cast<unsigned>(absl::ToInt64Seconds(options.idle_timeout)),
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, options.connection_memory_bytes,
      MHD_OPTION_END);
  if (server->daemon_ == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("http server: cannot listen on ", options.listen_address));
  }
  const MHD_DaemonInfo* info =
      MHD_get_daemon_info(server->daemon_, MHD_DAEMON_INFO_BIND_PORT);
  server->port_ = info == nullptr ? 0 : info->port;
  return server;
}

TileHttpServer::~TileHttpServer() {
  if (daemon_ != nullptr) MHD_stop_daemon(daemon_);
}

}  // namespace api::tiles_http

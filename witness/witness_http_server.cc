#include "witness/witness_http_server.h"

#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "api/tiles_http/listen_address.h"
#include "witness/witness_handler.h"

namespace witness {

// One event loop: a libmicrohttpd daemon without threads of its own, run by
// `thread`. The add-checkpoint requests that pass during one round join
// `batch`, stored at the round's end.
struct WitnessHttpServer::Loop {
  Witness* witness = nullptr;
  const WitnessHttpServerOptions* options = nullptr;
  const std::atomic<bool>* stopping = nullptr;
  MHD_Daemon* daemon = nullptr;
  Witness::Batch batch;
  std::thread thread;
};

namespace {

using Loop = WitnessHttpServer::Loop;

// Each connection's buffer (headers, read buffer, response headers):
// libmicrohttpd zeroes all of it after every request, 32 KiB by default (2 %
// of the witness's CPU in witness_bench, and 32 KiB of cache evicted under
// the signatures that follow). Requests are a few hundred bytes of headers;
// bodies larger than the read buffer arrive in several calls; a request
// line and headers of a few KiB still fit (witness_http_test).
constexpr size_t kConnectionPoolBytes = 8 << 10;

// How often an idle loop looks whether the server is stopping.
constexpr int32_t kStopPollMillis = 50;

// One request, kept between libmicrohttpd's calls.
struct PendingRequest {
  std::string body;
  bool too_large = false;
  // Joined its loop's batch; storing the batch writes `answer` (status 0
  // until then).
  bool in_batch = false;
  WitnessResponse answer{0, "", ""};
  absl::Time started = absl::Now();  // when its headers were in
};

MHD_Result Queue(const Loop& loop, MHD_Connection* connection,
                 const char* method, const char* url,
                 const PendingRequest& pending, const WitnessResponse& r) {
  if (loop.options->on_response) {
    loop.options->on_response(method, url, r.status,
                              absl::Now() - pending.started);
  }
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
// One that joined the batch is not answered then, nor suspended (which
// would take its socket out of epoll and put it back, two system calls a
// request): libmicrohttpd keeps calling it, once a round, until the batch
// is stored at the round's end and the answer is there.
MHD_Result Serve(void* cls, MHD_Connection* connection, const char* url,
                 const char* method, const char* /*version*/,
                 const char* upload_data, size_t* upload_data_size,
                 void** req_cls) {
  auto* loop = static_cast<Loop*>(cls);
  auto* pending = static_cast<PendingRequest*>(*req_cls);
  if (pending == nullptr) {
    *req_cls = new PendingRequest();
    return MHD_YES;
  }
  const size_t max_body = loop->options->max_body_bytes;
  if (*upload_data_size != 0) {
    if (pending->body.size() + *upload_data_size > max_body) {
      pending->too_large = true;
      pending->body.clear();
    } else if (!pending->too_large) {
      pending->body.append(upload_data, *upload_data_size);
    }
    *upload_data_size = 0;
    return MHD_YES;
  }
  if (pending->in_batch) {
    if (pending->answer.status == 0) return MHD_YES;  // not stored yet
    return Queue(*loop, connection, method, url, *pending, pending->answer);
  }
  const std::optional<WitnessResponse> now =
      pending->too_large
          ? std::optional<WitnessResponse>(WitnessResponse{
                413, "text/plain; charset=utf-8",
                absl::StrCat("request body above ", max_body, " bytes\n")})
          : HandleWitnessRequest(loop->witness, &loop->batch, &pending->answer,
                                 loop->options->prefix, method, url,
                                 pending->body);
  if (now.has_value()) {
    return Queue(*loop, connection, method, url, *pending, *now);
  }
  pending->in_batch = true;
  if (loop->stopping->load(std::memory_order_acquire)) {
    // The loop is winding down: store it now rather than in a round.
    loop->witness->Commit(&loop->batch);
    return Queue(*loop, connection, method, url, *pending, pending->answer);
  }
  return MHD_YES;
}

void Completed(void* cls, MHD_Connection* /*connection*/, void** req_cls,
               MHD_RequestTerminationCode /*code*/) {
  auto* pending = static_cast<PendingRequest*>(*req_cls);
  // Closed while in the batch: store the batch before its answer goes.
  if (pending != nullptr && pending->in_batch && pending->answer.status == 0) {
    static_cast<Loop*>(cls)->witness->Commit(&static_cast<Loop*>(cls)->batch);
  }
  delete pending;
  *req_cls = nullptr;
}

void Run(Loop* loop) {
  pthread_setname_np(pthread_self(), "witness-loop");
  while (!loop->stopping->load(std::memory_order_acquire)) {
    // Does not wait while a request of the batch awaits its answer.
    MHD_run_wait(loop->daemon, kStopPollMillis);
    loop->witness->Commit(&loop->batch);  // the round's end
  }
  // Stopping: Serve now answers at once; a few rounds send the answers
  // stored last.
  for (int round = 0; round < 3; ++round) {
    MHD_run_wait(loop->daemon, 0);
    loop->witness->Commit(&loop->batch);
  }
}

// A listening TCP socket, non-blocking: every loop accepts from it.
absl::StatusOr<int> Listen(const sockaddr_in& addr, absl::string_view address) {
  const int fd =
      ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("witness http server: socket: ", std::strerror(errno)));
  }
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(fd, SOMAXCONN) != 0) {
    const int e = errno;
    ::close(fd);
    return absl::UnavailableError(
        absl::StrCat("witness http server: cannot listen on ", address, ": ",
                     std::strerror(e)));
  }
  return fd;
}

// The loop's daemon on its own descriptor of the listening socket (each
// daemon closes its own when stopped).
MHD_Daemon* StartDaemon(Loop* loop, int listen_fd, unsigned max_connections) {
  const int own_fd = ::fcntl(listen_fd, F_DUPFD_CLOEXEC, 0);
  if (own_fd < 0) return nullptr;
  MHD_Daemon* daemon = MHD_start_daemon(
      MHD_USE_EPOLL | MHD_USE_TURBO, 0, nullptr, nullptr, &Serve, loop,
      MHD_OPTION_LISTEN_SOCKET, own_fd, MHD_OPTION_CONNECTION_LIMIT,
      max_connections, MHD_OPTION_CONNECTION_TIMEOUT,
      static_cast<unsigned>(absl::ToInt64Seconds(loop->options->idle_timeout)),
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, kConnectionPoolBytes,
      MHD_OPTION_NOTIFY_COMPLETED, &Completed, loop, MHD_OPTION_END);
  if (daemon == nullptr) ::close(own_fd);
  return daemon;
}

absl::Status CheckOptions(const WitnessHttpServerOptions& options) {
  if (options.threads > 1024 || options.max_connections == 0 ||
      options.idle_timeout < absl::Seconds(1)) {
    return absl::InvalidArgumentError(
        "witness http server: threads must be ≤ 1024, max_connections ≥ 1, "
        "idle_timeout ≥ 1 s");
  }
  if (!options.prefix.empty() &&
      (options.prefix[0] != '/' || absl::EndsWith(options.prefix, "/"))) {
    return absl::InvalidArgumentError(
        absl::StrCat("witness url prefix: got \"", options.prefix,
                     "\", want \"\" or \"/path\" without a final '/'"));
  }
  return absl::OkStatus();
}

// The CPUs this process may run on: one loop each when threads is 0.
unsigned CpusAvailable() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0) {
    return static_cast<unsigned>(CPU_COUNT(&set));
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

absl::StatusOr<std::unique_ptr<WitnessHttpServer>> WitnessHttpServer::Start(
    Witness* witness, const WitnessHttpServerOptions& options) {
  absl::StatusOr<sockaddr_in> addr =
      api::tiles_http::ParseListenAddress(options.listen_address);
  if (!addr.ok()) return addr.status();
  if (absl::Status valid = CheckOptions(options); !valid.ok()) return valid;
  absl::StatusOr<int> listen_fd = Listen(*addr, options.listen_address);
  if (!listen_fd.ok()) return listen_fd.status();
  sockaddr_in bound{};
  socklen_t bound_size = sizeof(bound);
  ::getsockname(*listen_fd, reinterpret_cast<sockaddr*>(&bound), &bound_size);

  std::unique_ptr<WitnessHttpServer> server(new WitnessHttpServer());
  server->witness_ = witness;
  server->options_ = options;
  server->port_ = ntohs(bound.sin_port);
  const unsigned loops =
      options.threads != 0 ? options.threads : CpusAvailable();
  const unsigned per_loop = (options.max_connections + loops - 1) / loops;
  for (unsigned i = 0; i < loops; ++i) {
    auto loop = std::make_unique<Loop>();
    loop->witness = witness;
    loop->options = &server->options_;
    loop->stopping = &server->stopping_;
    loop->daemon = StartDaemon(loop.get(), *listen_fd, per_loop);
    if (loop->daemon == nullptr) break;
    server->loops_.push_back(std::move(loop));
  }
  ::close(*listen_fd);  // each daemon holds its own descriptor
  if (server->loops_.size() != loops) {
    return absl::UnavailableError(absl::StrCat(
        "witness http server: cannot serve on ", options.listen_address));
  }
  for (const std::unique_ptr<Loop>& loop : server->loops_) {
    loop->thread = std::thread(&Run, loop.get());
  }
  return server;
}

WitnessHttpServer::~WitnessHttpServer() {
  stopping_.store(true, std::memory_order_release);
  for (const std::unique_ptr<Loop>& loop : loops_) {
    if (loop->thread.joinable()) loop->thread.join();
  }
  for (const std::unique_ptr<Loop>& loop : loops_) {
    MHD_stop_daemon(loop->daemon);
  }
}

}  // namespace witness

// The opt-in CUPTI injection library (CUDA_INJECTION64_PATH=
// libaifl_cupti_inject.so). Thin glue: CUPTI activity buffers in, plain
// KernelRecords out to the pure KernelAggregator (the buffer handling,
// name interning and drop counts are activity_buffers.h, tested without
// CUDA); every `AIFL_SUMMARY_SECONDS`
// (default 60) and at exit a summary message (kernel_summary_wire.h) goes to
// the node agent's socket AIFL_AGENT_SOCKET (default
// /run/aifl/collector.sock). Never raw traces; never blocks the job: bounded
// buffer pool (a refused buffer makes CUPTI drop and count records), a
// non-blocking send that drops the summary when the agent is absent.
//
// Only CONCURRENT_KERNEL is enabled (KIND_KERNEL serialises kernels). CUPTI
// allows one subscriber per process: with torch.profiler or Nsight, do not
// set CUDA_INJECTION64_PATH (or set AIFL_CUPTI_DISABLE=1). CUPTI 13 needs
// driver R580+; on failure the library logs once and does nothing.
#include <cupti.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

#include "collector/cupti/activity_buffers.h"
#include "collector/cupti/cupti_activity_api.h"
#include "collector/kernels/kernel_summary_wire.h"

namespace {

using collector::cupti::ActivityBuffers;
using collector::cupti::CuptiActivityApi;

struct State {
  CuptiActivityApi api;
  ActivityBuffers buffers{&api};
  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stop = false;
  std::thread sender;
};

State* g = nullptr;

const char* Env(const char* k, const char* def) {
  const char* v = std::getenv(k);
  return v && *v ? v : def;
}

void Log(const char* what, CUptiResult r) {
  const char* msg = nullptr;
  cuptiGetResultString(r, &msg);
  std::fprintf(stderr, "aifl_cupti_inject: %s failed: %s (disabled)\n", what,
               msg ? msg : "?");
}

void CUPTIAPI BufferRequested(uint8_t** buffer, size_t* size, size_t* max) {
  g->buffers.Request(buffer, size, max);
}

void CUPTIAPI BufferCompleted(CUcontext ctx, uint32_t stream, uint8_t* buffer,
                              size_t /*size*/, size_t valid) {
  g->buffers.Complete(ctx, stream, buffer, valid);
}

void SendSummary() {
  const std::string msg = collector::kernels::EncodeKernelSummaryMessage(
      g->buffers.Take(), Env("SLURM_JOB_ID", ""), Env("SLURM_STEP_ID", ""));
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path,
               Env("AIFL_AGENT_SOCKET", "/run/aifl/collector.sock"),
               sizeof(addr.sun_path) - 1);
  // Non-blocking: an absent or busy agent costs the job nothing; the
  // summary is then lost (the agent's NVML measurements do not depend on it).
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    (void)send(fd, msg.data(), msg.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  }
  close(fd);
}

void SenderLoop(int seconds) {
  std::unique_lock<std::mutex> lock(g->stop_mu);
  while (!g->stop_cv.wait_for(lock, std::chrono::seconds(seconds),
                              [] { return g->stop; })) {
    lock.unlock();
    cuptiActivityFlushAll(0);
    SendSummary();
    lock.lock();
  }
}

void AtExit() {
  {
    std::lock_guard<std::mutex> lock(g->stop_mu);
    g->stop = true;
  }
  g->stop_cv.notify_all();
  if (g->sender.joinable()) g->sender.join();
  cuptiActivityFlushAll(CUPTI_ACTIVITY_FLAG_FLUSH_FORCED);
  SendSummary();
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int InitializeInjection(
    void) {
  if (g != nullptr || std::atoi(Env("AIFL_CUPTI_DISABLE", "0")) != 0) return 1;
  g = new State();  // lives until process exit
  CUptiResult r =
      cuptiActivityRegisterCallbacks(BufferRequested, BufferCompleted);
  if (r != CUPTI_SUCCESS) {
    Log("cuptiActivityRegisterCallbacks", r);
    return 1;  // never fail the job
  }
  r = cuptiActivityEnable(CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL);
  if (r != CUPTI_SUCCESS) {
    Log("cuptiActivityEnable(CONCURRENT_KERNEL)", r);  // e.g. driver < R580
    return 1;
  }
  const int seconds = std::max(1, std::atoi(Env("AIFL_SUMMARY_SECONDS", "60")));
  g->sender = std::thread(SenderLoop, seconds);
  std::atexit(AtExit);
  return 1;
}

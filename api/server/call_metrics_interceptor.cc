#include "api/server/call_metrics_interceptor.h"

#include <string>

namespace api::server {
namespace {

class CallMetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  CallMetricsInterceptor(ServerMetrics* metrics, const char* method)
      : metrics_(metrics), method_(method == nullptr ? "" : method) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      metrics_->CountCall(method_, static_cast<absl::StatusCode>(
                                       methods->GetSendStatus().error_code()));
    }
    methods->Proceed();
  }

 private:
  ServerMetrics* const metrics_;
  const std::string method_;
};

class Factory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit Factory(ServerMetrics* metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CallMetricsInterceptor(metrics_, info->method());
  }

 private:
  ServerMetrics* const metrics_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
CallMetricsInterceptorFactory(ServerMetrics* metrics) {
  return std::make_unique<Factory>(metrics);
}

}  // namespace api::server

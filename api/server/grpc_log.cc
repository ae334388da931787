#include "api/server/grpc_log.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "api/server/log.h"
#include "grpc/support/log.h"

namespace api::server {
namespace {

// Our level names (gpr_log_severity_string says "E", "I", "D").
absl::string_view Level(gpr_log_severity severity) {
  switch (severity) {
    case GPR_LOG_SEVERITY_DEBUG:
      return "debug";
    case GPR_LOG_SEVERITY_INFO:
      return "info";
    case GPR_LOG_SEVERITY_ERROR:
      return "error";
  }
  return "error";
}

void LogGrpcLine(gpr_log_func_args* args) {
  LogEvent(Level(args->severity), "grpc",
           {{"file", args->file != nullptr ? args->file : ""},
            {"line", absl::StrCat(args->line)},
            {"message", args->message != nullptr ? args->message : ""}});
}

}  // namespace

void RouteGrpcLogsToJsonLog() { gpr_set_log_function(&LogGrpcLine); }

}  // namespace api::server

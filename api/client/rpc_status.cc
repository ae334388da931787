#include "api/client/rpc_status.h"

#include "absl/strings/str_cat.h"

namespace api::client {
namespace {

// kUnauthenticated (16) is the largest canonical code.
constexpr int kMaxCanonicalCode = 16;

}  // namespace

absl::Status FromGrpcStatus(absl::string_view method,
                            const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  int code = static_cast<int>(status.error_code());
  if (code <= 0 || code > kMaxCanonicalCode) {
    code = static_cast<int>(absl::StatusCode::kUnknown);
  }
  return absl::Status(static_cast<absl::StatusCode>(code),
                      absl::StrCat(method, ": ", status.error_message()));
}

absl::Status FromEntryError(const aifl::api::v1::EntryError& error) {
  if (error.code() <= 0 || error.code() > kMaxCanonicalCode) {
    return absl::UnknownError(absl::StrCat(
        "entry error with code ", error.code(), ": ", error.message()));
  }
  return absl::Status(static_cast<absl::StatusCode>(error.code()),
                      error.message());
}

}  // namespace api::client

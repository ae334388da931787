// Admin: key events (enrol, revoke, log-key rotation: admin-signed entries),
// the key list and the server's status. Thin callback handlers. Thread-safe.
#ifndef API_SERVER_ADMIN_SERVICE_H_
#define API_SERVER_ADMIN_SERVICE_H_

#include <string>

#include "api/server/service_deps.h"
#include "api/v1/ledger_service.grpc.pb.h"

namespace api::server {

class AdminService final : public aifl::api::v1::Admin::CallbackService {
 public:
  AdminService(ServiceDeps deps, std::string version)
      : deps_(deps), version_(std::move(version)) {}

  // A key event that cannot be appended fails the call with the ledger's
  // code (the EntryResult's error is not used); success carries the receipt.
  grpc::ServerUnaryReactor* SubmitKeyEvent(
      grpc::CallbackServerContext* ctx,
      const aifl::api::v1::SubmitKeyEventRequest* request,
      aifl::api::v1::EntryResult* response) override;
  grpc::ServerUnaryReactor* ListKeys(
      grpc::CallbackServerContext* ctx,
      const aifl::api::v1::ListKeysRequest* request,
      aifl::api::v1::ListKeysResponse* response) override;
  grpc::ServerUnaryReactor* GetStatus(
      grpc::CallbackServerContext* ctx,
      const aifl::api::v1::GetStatusRequest* request,
      aifl::api::v1::ServerStatus* response) override;

 private:
  ServiceDeps deps_;
  std::string version_;
};

}  // namespace api::server

#endif  // API_SERVER_ADMIN_SERVICE_H_

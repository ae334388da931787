// User-name pseudonymisation: HMAC-SHA256 (libsodium crypto_auth_hmacsha256)
// keyed with the factory's secret, hex-encoded. The clear name never leaves
// this function: it is not stored, logged or shipped.
#ifndef COLLECTOR_AGENT_PSEUDONYM_H_
#define COLLECTOR_AGENT_PSEUDONYM_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace collector {
namespace agent {

class Pseudonymizer {
 public:
  // `secret` is the factory secret, at least 32 bytes (kInvalidArgument
  // otherwise). kInternal if libsodium cannot initialise.
  static absl::StatusOr<Pseudonymizer> Create(absl::string_view secret);

  // "hmac-sha256:<64 hex>" of `user`; "" for an empty user name.
  std::string Pseudonymize(absl::string_view user) const;

 private:
  explicit Pseudonymizer(std::string key) : key_(std::move(key)) {}
  std::string key_;  // 32 bytes
};

}  // namespace agent
}  // namespace collector

#endif  // COLLECTOR_AGENT_PSEUDONYM_H_

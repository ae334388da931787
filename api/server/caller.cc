#include "api/server/caller.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "grpc/grpc_security_constants.h"

namespace api::server {
namespace {

// Splits an RFC 2253 name into (attribute, value) pairs, undoing escapes.
std::vector<std::pair<std::string, std::string>> SplitSubject(
    absl::string_view subject) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string current;
  auto flush = [&]() {
    size_t eq = current.find('=');
    if (eq != std::string::npos) {
      out.emplace_back(absl::AsciiStrToUpper(absl::StripAsciiWhitespace(
                           absl::string_view(current).substr(0, eq))),
                       current.substr(eq + 1));
    }
    current.clear();
  };
  for (size_t i = 0; i < subject.size(); ++i) {
    char c = subject[i];
    if (c == '\\' && i + 1 < subject.size()) {
      current.push_back(subject[++i]);
    } else if (c == ',' || c == '+') {
      flush();
    } else {
      current.push_back(c);
    }
  }
  flush();
  return out;
}

}  // namespace

absl::string_view TlsRoleName(TlsRole role) {
  switch (role) {
    case TlsRole::kLocalOperator:
      return "local";
    case TlsRole::kAdmin:
      return "admin";
    case TlsRole::kCollector:
      return "collector";
    case TlsRole::kProvider:
      return "provider";
    case TlsRole::kOffice:
      return "office";
    case TlsRole::kAuditor:
      return "auditor";
    case TlsRole::kRules:
      return "rules";
  }
  return "unknown";
}

absl::StatusOr<TlsRole> ParseTlsRole(absl::string_view name) {
  for (TlsRole r : {TlsRole::kAdmin, TlsRole::kCollector, TlsRole::kProvider,
                    TlsRole::kOffice, TlsRole::kAuditor, TlsRole::kRules}) {
    if (name == TlsRoleName(r)) return r;
  }
  return absl::UnauthenticatedError(
      absl::StrCat("client certificate OU: got \"", name,
                   "\", want one of admin, collector, provider, office, "
                   "auditor, rules"));
}

absl::StatusOr<Caller> CallerFromSubject(absl::string_view subject) {
  Caller caller;
  std::string ou;
  bool has_cn = false, has_ou = false;
  for (auto& [attr, value] : SplitSubject(subject)) {
    if (attr == "CN" && !has_cn) {
      caller.identity = value;
      has_cn = true;
    } else if (attr == "OU" && !has_ou) {
      ou = value;
      has_ou = true;
    } else if (attr == "O" && caller.organisation.empty()) {
      caller.organisation = value;
    }
  }
  if (!has_cn || caller.identity.empty()) {
    return absl::UnauthenticatedError(absl::StrCat(
        "client certificate subject \"", subject, "\" has no CN (identity)"));
  }
  if (!has_ou) {
    return absl::UnauthenticatedError(absl::StrCat(
        "client certificate subject \"", subject, "\" has no OU (role)"));
  }
  absl::StatusOr<TlsRole> role = ParseTlsRole(ou);
  if (!role.ok()) return role.status();
  caller.role = *role;
  return caller;
}

absl::StatusOr<Caller> IdentifyCaller(const grpc::AuthContext* auth,
                                      bool insecure_loopback) {
  if (insecure_loopback) {
    Caller local;
    local.identity = "local";
    return local;
  }
  if (auth == nullptr || !auth->IsPeerAuthenticated()) {
    return absl::UnauthenticatedError(
        "no verified client certificate: this server requires mTLS");
  }
  std::vector<grpc::string_ref> subjects =
      auth->FindPropertyValues(GRPC_X509_SUBJECT_PROPERTY_NAME);
  if (subjects.empty()) {
    return absl::UnauthenticatedError("client certificate has no subject");
  }
  return CallerFromSubject(
      absl::string_view(subjects[0].data(), subjects[0].size()));
}

}  // namespace api::server

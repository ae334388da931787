#include "tests/server/test_ca.h"

#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace tests::server {
namespace {

absl::Status Shell(const std::string& command) {
  const std::string quiet = absl::StrCat(command, " >/dev/null 2>&1");
  int rc = std::system(quiet.c_str());
  if (rc != 0) {
    return absl::InternalError(
        absl::StrCat("command failed (", rc, "): ", command));
  }
  return absl::OkStatus();
}

absl::Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<TestCa>> TestCa::Create(const std::string& dir) {
  auto ca = std::unique_ptr<TestCa>(new TestCa());
  ca->dir_ = dir;
  ca->ca_cert_ = dir + "/ca.pem";
  ca->ca_key_ = dir + "/ca.key";
  absl::Status s = Shell(absl::StrCat(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
      "-keyout ",
      ca->ca_key_, " -out ", ca->ca_cert_,
      " -days 2 -subj '/O=Test/CN=Throw-away test CA'"));
  if (!s.ok()) return s;
  ca->server_ = {dir + "/server.pem", dir + "/server.key"};
  s = WriteFile(dir + "/server.ext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                "extendedKeyUsage=serverAuth\n");
  if (!s.ok()) return s;
  s = Shell(absl::StrCat(
      "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ",
      ca->server_.key, " -out ", dir, "/server.csr -subj '/CN=localhost' && ",
      "openssl x509 -req -in ", dir, "/server.csr -CA ", ca->ca_cert_,
      " -CAkey ", ca->ca_key_, " -CAcreateserial -days 2 -out ",
      ca->server_.cert, " -extfile ", dir, "/server.ext"));
  if (!s.ok()) return s;
  return ca;
}

absl::StatusOr<CertFiles> TestCa::IssueClient(const std::string& name,
                                              const std::string& cn,
                                              const std::string& role,
                                              const std::string& org) {
  std::string subject = absl::StrCat("/O=", org, "/CN=", cn);
  if (!role.empty())
    subject = absl::StrCat("/O=", org, "/OU=", role, "/CN=", cn);
  return IssueWithSubject(name, subject);
}

absl::StatusOr<CertFiles> TestCa::IssueWithSubject(const std::string& name,
                                                   const std::string& subject) {
  CertFiles files{absl::StrCat(dir_, "/", name, ".pem"),
                  absl::StrCat(dir_, "/", name, ".key")};
  absl::Status s = WriteFile(absl::StrCat(dir_, "/client.ext"),
                             "extendedKeyUsage=clientAuth\n");
  if (!s.ok()) return s;
  s = Shell(absl::StrCat(
      "openssl req -utf8 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
      "-keyout ",
      files.key, " -out ", dir_, "/", name, ".csr -subj '", subject, "' && ",
      "openssl x509 -req -in ", dir_, "/", name, ".csr -CA ", ca_cert_,
      " -CAkey ", ca_key_, " -CAcreateserial -days 2 -out ", files.cert,
      " -extfile ", dir_, "/client.ext"));
  if (!s.ok()) return s;
  return files;
}

absl::StatusOr<std::string> TestCa::WriteCrl(
    const std::vector<std::string>& revoked_certs) {
  const std::string config = absl::StrCat(dir_, "/crl.cnf");
  const std::string index = absl::StrCat(dir_, "/crl-index.txt");
  const std::string crl = absl::StrCat(dir_, "/crl.pem");
  absl::Status s = WriteFile(
      config, absl::StrCat("[ca]\ndefault_ca=d\n[d]\ndatabase=", index,
                           "\ndefault_md=sha256\ndefault_crl_days=2\n"));
  if (!s.ok()) return s;
  s = WriteFile(index, "");
  if (!s.ok()) return s;
  const std::string ca_args = absl::StrCat(" -config ", config, " -keyfile ",
                                           ca_key_, " -cert ", ca_cert_);
  std::string command;
  for (const std::string& cert : revoked_certs) {
    absl::StrAppend(&command, "openssl ca", ca_args, " -revoke ", cert, " && ");
  }
  absl::StrAppend(&command, "openssl ca", ca_args, " -gencrl -out ", crl);
  s = Shell(command);
  if (!s.ok()) return s;
  return crl;
}

}  // namespace tests::server

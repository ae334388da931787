#include "collector/spool/dev_sinks.h"

#include <sodium.h>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "collector/spool/spool_file.h"
#include "common/read_file.h"

namespace collector {
namespace spool {

absl::StatusOr<std::string> DevUnsignedSigner::SignNext(
    absl::string_view payload_type, absl::string_view payload) {
  if (next_ == 1) {
    std::fprintf(stderr,
                 "collector: WARNING envelopes are NOT signed "
                 "(development signer; no ledger signer configured)\n");
  }
  return absl::StrCat("AIFL-DEV-UNSIGNED v1\n", next_++, "\n", payload_type,
                      "\n", payload);
}

absl::StatusOr<std::string> DevUnsignedSigner::SignRefusalMarker(
    absl::string_view refused_envelope, const absl::Status& why) {
  return absl::StrCat("AIFL-DEV-UNSIGNED v1 refusal marker\n", why.ToString(),
                      "\n", refused_envelope);
}

absl::StatusOr<std::vector<absl::StatusOr<Receipt>>> DirectoryShipper::Ship(
    absl::Span<const std::string> envelopes) {
  absl::Status s = EnsureDir(dir_);
  if (!s.ok()) return absl::UnavailableError(s.message());
  std::vector<absl::StatusOr<Receipt>> out;
  for (const std::string& e : envelopes) {
    unsigned char h[16];
    crypto_generichash(h, sizeof(h),
                       reinterpret_cast<const unsigned char*>(e.data()),
                       e.size(), nullptr, 0);
    char hex[33];
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    const std::string name = absl::StrCat(hex, ".env");
    absl::Status w = WriteFileDurably(dir_, name, e);
    if (w.ok()) {
      out.push_back(Receipt{absl::StrCat(dir_, "/", name)});
    } else {
      out.push_back(absl::UnavailableError(w.message()));
    }
  }
  return out;
}

absl::Status DirectoryReceiptVerifier::Verify(absl::string_view envelope,
                                              const Receipt& r) {
  auto bytes = common::ReadWholeFile(r.bytes);
  if (!bytes.ok()) return bytes.status();
  if (*bytes != envelope) return absl::DataLossError("out_dir file differs");
  return absl::OkStatus();
}

}  // namespace spool
}  // namespace collector

#include "witness/witness_handler.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace witness {
namespace {

bool IsLowerHex64(absl::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

WitnessResponse Status(int status, absl::string_view message) {
  return WitnessResponse{status, "text/plain; charset=utf-8",
                         absl::StrCat(message, "\n")};
}

}  // namespace

std::optional<WitnessResponse> HandleWitnessRequest(
    Witness* witness, Witness::Batch* batch, WitnessResponse* answer,
    absl::string_view prefix, absl::string_view method, absl::string_view path,
    absl::string_view body) {
  if (!absl::ConsumePrefix(&path, prefix) || !absl::ConsumePrefix(&path, "/")) {
    return Status(404, "not found");
  }
  const bool get = method == "GET" || method == "HEAD";
  if (path == "add-checkpoint") {
    if (method != "POST") return Status(405, "add-checkpoint takes POST");
    return witness->AddCheckpoint(body, batch, answer);
  }
  // The reads below may need an origin's lock that the batch holds.
  witness->Commit(batch);
  if (path == "evidence") {
    if (!get) return Status(405, "evidence takes GET");
    return witness->EvidenceRecords("");
  }
  const size_t slash = path.find('/');
  if (slash != absl::string_view::npos) {
    const absl::string_view hash = path.substr(0, slash);
    const absl::string_view what = path.substr(slash + 1);
    if (IsLowerHex64(hash) && (what == "checkpoint" || what == "evidence")) {
      if (!get) return Status(405, absl::StrCat(what, " takes GET"));
      return what == "checkpoint" ? witness->LatestCheckpoint(hash)
                                  : witness->EvidenceRecords(hash);
    }
  }
  return Status(404, "not found");
}

}  // namespace witness

#include "ledger/witnessing/add_checkpoint_request.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace ledger::witnessing {
namespace {

bool CanonicalDecimal(absl::string_view s, uint64_t* out) {
  if (s.empty() || (s.size() > 1 && s[0] == '0') ||
      s.find_first_not_of("0123456789") != absl::string_view::npos) {
    return false;
  }
  return absl::SimpleAtoi(s, out);
}

}  // namespace

absl::StatusOr<AddCheckpointRequest> ParseAddCheckpointRequest(
    absl::string_view body) {
  AddCheckpointRequest request;
  int line_number = 0;
  const auto error = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("add-checkpoint body line ", line_number, ": ", why));
  };
  const auto next_line = [&](absl::string_view* line) {
    const size_t nl = body.find('\n');
    if (nl == absl::string_view::npos) return false;
    *line = body.substr(0, nl);
    body.remove_prefix(nl + 1);
    ++line_number;
    return true;
  };
  absl::string_view line;
  if (!next_line(&line)) {
    ++line_number;
    return error("want \"old <size>\\n\"");
  }
  if (!absl::ConsumePrefix(&line, "old ") ||
      !CanonicalDecimal(line, &request.old_size)) {
    return error(
        absl::StrCat("got \"", line.substr(0, 40),
                     "\", want \"old <size>\" (decimal, no leading zeros)"));
  }
  while (true) {
    if (!next_line(&line)) {
      ++line_number;
      return error("want a proof line or the empty line before the checkpoint");
    }
    if (line.empty()) break;
    if (static_cast<int>(request.proof.size()) == kMaxProofLines) {
      return error(absl::StrCat("more than ", kMaxProofLines, " proof lines"));
    }
    absl::StatusOr<ledger::merkle::Hash> hash =
        ledger::merkle::HashFromBase64(line);
    if (!hash.ok()) return error(hash.status().message());
    request.proof.push_back(*hash);
  }
  if (body.empty()) {
    ++line_number;
    return error("no checkpoint after the empty line");
  }
  request.note = std::string(body);
  return request;
}

std::string FormatAddCheckpointRequest(
    uint64_t old_size, const std::vector<ledger::merkle::Hash>& proof,
    absl::string_view note) {
  std::string out = absl::StrCat("old ", old_size, "\n");
  for (const ledger::merkle::Hash& h : proof) {
    absl::StrAppend(&out, ledger::merkle::HashToBase64(h), "\n");
  }
  absl::StrAppend(&out, "\n", note);
  return out;
}

}  // namespace ledger::witnessing

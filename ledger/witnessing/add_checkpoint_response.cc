#include "ledger/witnessing/add_checkpoint_response.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "ledger/note/signed_note.h"

namespace ledger::witnessing {

absl::StatusOr<AddCheckpointOutcome> InterpretAddCheckpointResponse(
    int status, absl::string_view content_type, absl::string_view response,
    absl::string_view body, const ledger::note::CosignatureVerifier& witness) {
  AddCheckpointOutcome out;
  if (status == 200) {
    // The lines parse as the signatures of a note over `body`.
    absl::StatusOr<ledger::note::SplitNote> split =
        ledger::note::SplitSignedNote(absl::StrCat(body, "\n", response));
    if (!split.ok()) {
      return absl::UnauthenticatedError(absl::StrCat(
          "witness ", witness.name(),
          ": malformed cosignature lines: ", split.status().message()));
    }
    for (const ledger::note::SignatureLine& line : split->signatures) {
      if (line.name != witness.name() || line.key_id != witness.key_id()) {
        continue;
      }
      absl::StatusOr<uint64_t> ts = witness.Verify(body, line.signature);
      if (!ts.ok()) {
        return absl::UnauthenticatedError(absl::StrCat(
            "witness ", witness.name(),
            ": cosignature does not verify: ", ts.status().message()));
      }
      out.kind = AddCheckpointOutcome::Kind::kCosigned;
      out.cosignature =
          absl::StrCat("\xe2\x80\x94 ", line.name, " ", line.base64, "\n");
      out.timestamp = *ts;
      return out;
    }
    return absl::UnauthenticatedError(absl::StrCat(
        "witness ", witness.name(), ": 200 without a cosignature by its key"));
  }
  absl::string_view size_text = response;
  if (status == 409 && absl::StartsWith(content_type, "text/x.tlog.size") &&
      absl::ConsumeSuffix(&size_text, "\n") &&
      absl::SimpleAtoi(size_text, &out.witness_size) && !size_text.empty() &&
      (size_text == "0" || size_text[0] != '0')) {
    out.kind = AddCheckpointOutcome::Kind::kConflict;
    return out;
  }
  out.kind = AddCheckpointOutcome::Kind::kRefused;
  const absl::string_view first = response.substr(0, response.find('\n'));
  out.message = absl::StrCat("HTTP ", status, ": ", first.substr(0, 300));
  return out;
}

std::string AddCosignatures(absl::string_view note,
                            const std::vector<std::string>& lines) {
  std::string out(note);
  for (const std::string& line : lines) {
    if (out.find(line) == std::string::npos) out += line;
  }
  return out;
}

}  // namespace ledger::witnessing

#include "api/server/witness_exchange.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "ledger/witnessing/add_checkpoint_request.h"
#include "ledger/witnessing/add_checkpoint_response.h"

namespace api::server {
namespace {

// A witness answers with a few cosignature lines or a size; anything longer
// is not a tlog-witness answer.
constexpr size_t kMaxAnswerBytes = 64 << 10;

WitnessAnswer Failed(const ledger::witness_policy::PolicyWitness& witness,
                     absl::string_view why) {
  WitnessAnswer answer;
  answer.kind = WitnessAnswer::Kind::kFailed;
  answer.error = absl::StrCat("witness ", witness.name, ": ", why);
  return answer;
}

}  // namespace

absl::string_view NoteBody(absl::string_view note) {
  const size_t end = note.find("\n\n");
  return end == absl::string_view::npos ? note : note.substr(0, end + 1);
}

WitnessAnswer AskWitness(client::CurlHttpGetter& http,
                         const ledger::witness_policy::PolicyWitness& witness,
                         const ledger::Ledger& ledger, uint64_t old_size,
                         absl::string_view note, uint64_t size) {
  if (old_size > size) {
    return Failed(witness,
                  absl::StrCat("it cosigned size ", old_size,
                               " of this origin, larger than the latest "
                               "checkpoint (",
                               size,
                               "): this log was rolled back, or another log "
                               "signs under its origin"));
  }
  std::vector<ledger::merkle::Hash> proof;
  if (old_size != 0 && old_size != size) {
    absl::StatusOr<std::vector<ledger::merkle::Hash>> p =
        ledger.ConsistencyProof(old_size, size);
    if (!p.ok()) {
      return Failed(witness, absl::StrCat("consistency proof ", old_size, "→",
                                          size, ": ", p.status().message()));
    }
    proof = *std::move(p);
  }
  absl::string_view prefix = witness.url;
  absl::ConsumeSuffix(&prefix, "/");
  const std::string url = absl::StrCat(prefix, "/add-checkpoint");
  absl::StatusOr<client::HttpAnswer> http_answer = http.Post(
      url, "text/plain; charset=utf-8",
      ledger::witnessing::FormatAddCheckpointRequest(old_size, proof, note),
      kMaxAnswerBytes);
  if (!http_answer.ok()) return Failed(witness, http_answer.status().message());
  absl::StatusOr<ledger::witnessing::AddCheckpointOutcome> outcome =
      ledger::witnessing::InterpretAddCheckpointResponse(
          http_answer->status, http_answer->content_type, http_answer->body,
          NoteBody(note), witness.verifier);
  WitnessAnswer answer;
  if (!outcome.ok()) {  // its message names the witness already
    answer.error = std::string(outcome.status().message());
    return answer;
  }
  switch (outcome->kind) {
    case ledger::witnessing::AddCheckpointOutcome::Kind::kCosigned:
      answer.kind = WitnessAnswer::Kind::kCosigned;
      answer.cosignature = std::move(outcome->cosignature);
      return answer;
    case ledger::witnessing::AddCheckpointOutcome::Kind::kConflict:
      answer.kind = WitnessAnswer::Kind::kConflict;
      answer.witness_size = outcome->witness_size;
      return answer;
    case ledger::witnessing::AddCheckpointOutcome::Kind::kRefused:
      break;
  }
  return Failed(witness, absl::StrCat(url, ": ", outcome->message));
}

}  // namespace api::server

// One C2SP tlog-witness exchange, from the log's side: ask one witness to
// cosign a checkpoint from the size it last cosigned (POST
// <url>/add-checkpoint with the RFC 6962 consistency proof), and say what
// the answer means (ledger/witnessing/add_checkpoint_response.h).
//
// Thread-compatible: one CurlHttpGetter per calling thread.
#ifndef API_SERVER_WITNESS_EXCHANGE_H_
#define API_SERVER_WITNESS_EXCHANGE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "api/client/curl_http_getter.h"
#include "ledger/ledger.h"
#include "ledger/witness_policy/policy.h"

namespace api::server {

struct WitnessAnswer {
  enum class Kind {
    kCosigned,  // `cosignature`: one verified "— name base64\n" line.
    kConflict,  // 409: the witness's cosigned size is `witness_size`.
    kFailed,    // `error` says why (transport, refusal, bad cosignature).
  };
  Kind kind = Kind::kFailed;
  std::string cosignature;
  uint64_t witness_size = 0;
  std::string error;
};

// Asks `witness` to cosign `note` (the ledger's signed checkpoint of `size`
// entries) given that it last cosigned `old_size` (0: nothing). Never
// throws an error out: every failure is a kFailed answer naming the witness.
WitnessAnswer AskWitness(client::CurlHttpGetter& http,
                         const ledger::witness_policy::PolicyWitness& witness,
                         const ledger::Ledger& ledger, uint64_t old_size,
                         absl::string_view note, uint64_t size);

// The body of a signed note: the text its signatures cover (up to and
// including the newline before the empty line). The whole note when it has
// no empty line.
absl::string_view NoteBody(absl::string_view note);

}  // namespace api::server

#endif  // API_SERVER_WITNESS_EXCHANGE_H_

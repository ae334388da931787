// The provider's compute and energy statement (issue 23): the Code of
// Practice form's figures for one model (model_form.h, the one computation
// of them), with every evidence entry they fold from, its inclusion proof
// against one signed checkpoint, and the public keys that signed the
// entries, in one file an auditor verifies offline with the log's verifier
// key alone. Format (version 1, line-based text, byte for byte):
// docs/provider-guide.md, "The compute and energy statement"; pinned by
// statement_test.cc's golden file.
//
// Pure: no network, no files, no clock. Thread-compatible.
#ifndef TOOLS_LEDGERCTL_STATEMENT_H_
#define TOOLS_LEDGERCTL_STATEMENT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "api/client/log_reader.h"
#include "api/client/log_verifier.h"
#include "ledger/crypto/key_id.h"
#include "ledger/entry/envelope.h"
#include "ledger/merkle/hash.h"
#include "tools/ledgerctl/model_form.h"

namespace ledgerctl {

inline constexpr char kStatementHeader[] = "aifl compute-energy statement v1";
// Version 2: version 1 plus the per-model index's commitment to the
// model's entry list (statement_index.h).
inline constexpr char kStatementHeaderV2[] = "aifl compute-energy statement v2";
// Version 3: the figures come from the index's proven per-model totals
// (statement_totals.h); the leaves are the model's declarations only.
inline constexpr char kStatementHeaderV3[] = "aifl compute-energy statement v3";

struct StatementKey {
  std::string public_key;  // 32 bytes (Ed25519)
  std::string role;        // ledger::RoleName: "collector", "provider", …
};

struct StatementLeaf {
  uint64_t index = 0;
  std::string leaf;  // the leaf bytes (ledger/FORMAT.md, "Leaf")
  std::vector<ledger::merkle::Hash> proof;
};

// Version 2's index part: the index output log's signed checkpoint and the
// index's answer for the model (aifl.index.v1.ModelAnswer bytes) whose
// entries that are already among the statement's leaves carry only their
// index (the verifier fills them in from the leaves).
// Version 3's: the same checkpoint and, as `answer`, a totals answer
// (vindex::EncodeTotalsAnswer bytes), `totals` set.
struct StatementIndex {
  std::string checkpoint_note;
  std::string answer;
  bool totals = false;
};

struct Statement {
  std::string model_id;
  std::string checkpoint_note;        // the signed note, as the log served it
  std::vector<StatementKey> keys;     // by key id, each signing some leaf
  std::vector<StatementLeaf> leaves;  // by index, strictly increasing
  std::string form_json;              // ModelFormJson of the evidence, as built
  std::optional<StatementIndex> index;  // versions 2 and 3
};

// The file's bytes. REQUIRES: a Statement as BuildStatement makes it.
std::string EncodeStatement(const Statement& statement);

// Version 1 without `index`, version 2 with it, version 3 with a totals
// index part.
// Parses the file (either version), strictly: any byte that is not where the
// format puts it (header, field names, base64 that does not re-encode to
// itself, numbers not in canonical decimal, keys or leaves out of order, a
// missing "end") is kInvalidArgument naming the line.
absl::StatusOr<Statement> ParseStatement(absl::string_view bytes);

// The public key and role of the enrolled key with this id, or nullopt.
using SignerLookup =
    std::function<std::optional<StatementKey>(const ledger::crypto::KeyId&)>;

// Builds the statement of `model_id` from its evidence leaves (ModelDetail's
// evidence_leaves; those beyond `cp` are left out), each proven against `cp`
// through `reader`, signers looked up in `signers`. The form is built by
// ModelFormBuilder from the same payloads the verifier re-folds. Errors:
// the reader's (kPermissionDenied for a leaf the caller may not read),
// kNotFound for a signer the lookup does not know.
absl::StatusOr<Statement> BuildStatement(
    api::client::LogReader& reader, const api::client::VerifiedCheckpoint& cp,
    const std::string& model_id, const std::vector<uint64_t>& evidence_leaves,
    const SignerLookup& signers);

// Verifies a statement offline against the log's `verifier`: the
// checkpoint's signature; every leaf's inclusion proof against it; every
// entry's signature under the statement's key with that key id, and that
// key's role may sign the entry's payload type (collector records by
// collector keys, declarations by provider keys); that a declaration among
// the evidence names the model and every collector record names it, one of
// its declared same-provider ids, or no model; and that the form re-folds
// from the evidence to exactly `form_json`. kDataLoss naming the first
// failure. Returns the verified checkpoint and the re-folded form.
// kFailedPrecondition for a version 3 statement (its figures need the
// index's key: VerifyTotalsStatement).
struct VerifiedStatement {
  api::client::VerifiedCheckpoint checkpoint;
  ModelForm form;
};
absl::StatusOr<VerifiedStatement> VerifyStatement(
    const Statement& statement, const api::client::LogVerifier& verifier);

// VerifyStatement's checks before the figures: the checkpoint, the keys,
// every leaf's inclusion, signature and signer role, and the model binding.
// Returns the checkpoint and the verified entries, by leaf index.
struct VerifiedEntries {
  api::client::VerifiedCheckpoint checkpoint;
  std::vector<std::pair<uint64_t, ledger::entry::Envelope>> entries;
};
absl::StatusOr<VerifiedEntries> VerifyStatementEntries(
    const Statement& statement, const api::client::LogVerifier& verifier);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_STATEMENT_H_

#include "tools/ledgerctl/read_commands.h"

#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "api/client/log_reader.h"
#include "common/json.h"
#include "common/read_file.h"
#include "common/status_macros.h"
#include "ledger/checkpoint_note.h"
#include "ledger/merkle/hash.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/log_source.h"
#include "tools/ledgerctl/output_format.h"

namespace ledgerctl {
namespace {

using api::client::OpenedLog;
using api::client::VerifiedCheckpoint;
using ledger::merkle::Hash;
using ledger::merkle::HashToBase64;

std::string ProofJson(const std::vector<Hash>& proof) {
  std::string out = "[";
  for (size_t i = 0; i < proof.size(); ++i)
    absl::StrAppend(&out, i ? ", " : "", "\"", HashToBase64(proof[i]), "\"");
  return out + "]";
}

// The verified tree at `size` (≤ 0: the latest checkpoint): a signed
// checkpoint, or from tiles an unsigned tree (empty note) computed under the
// latest signed checkpoint (LogReader::TreeAt).
absl::StatusOr<VerifiedCheckpoint> CheckpointOfSize(OpenedLog& log,
                                                    int64_t size) {
  if (size <= 0) return log.reader->LatestCheckpoint();
  return log.reader->TreeAt(static_cast<uint64_t>(size));
}

// What vouches for an unsigned tree `cp` (TreeAt over tiles): the latest
// signed checkpoint, under which its root was computed and proven a prefix.
absl::StatusOr<VerifiedCheckpoint> SignedCover(OpenedLog& log,
                                               const VerifiedCheckpoint& cp) {
  if (!cp.note.empty()) return cp;
  return log.reader->LatestCheckpoint();
}

// The leaf `prove` is about: --index, or the one whose bytes are in
// --leaf_file (looked up by hash where the source can, else --index).
absl::StatusOr<uint64_t> LeafToProve(OpenedLog& log,
                                     const VerifiedCheckpoint& cp,
                                     int64_t index,
                                     const std::string& leaf_file) {
  if (leaf_file.empty() || (index >= 0 && log.find_leaf == nullptr)) {
    return static_cast<uint64_t>(index);
  }
  if (log.find_leaf == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("--index is required with --leaf_file when reading from ",
                     log.reader->Source()));
  }
  ASSIGN_OR_RETURN(std::string leaf, common::ReadWholeFile(leaf_file));
  return log.find_leaf(ledger::merkle::HashLeaf(leaf), cp);
}

}  // namespace

absl::Status Checkpoint(const CommandArgs& args, std::ostream& out) {
  ASSIGN_OR_RETURN(OpenedLog log, OpenLog(args));
  ASSIGN_OR_RETURN(VerifiedCheckpoint cp, log.reader->LatestCheckpoint());
  RETURN_IF_ERROR(SaveIfAsked(cp.note));
  out << cp.note;
  return absl::OkStatus();
}

absl::Status Leaf(const CommandArgs& args, std::ostream& out) {
  const int64_t index = absl::GetFlag(FLAGS_index);
  if (index < 0) return absl::InvalidArgumentError("--index is required (≥ 0)");
  ASSIGN_OR_RETURN(OpenedLog log, OpenLog(args));
  ASSIGN_OR_RETURN(VerifiedCheckpoint cp, log.reader->LatestCheckpoint());
  ASSIGN_OR_RETURN(api::client::ProvenLeaf leaf,
                   log.reader->ProveLeaf(cp, static_cast<uint64_t>(index)));
  out << leaf.leaf;
  return absl::OkStatus();
}

absl::Status Prove(const CommandArgs& args, std::ostream& out,
                   std::ostream& err) {
  const int64_t index = absl::GetFlag(FLAGS_index);
  const std::string leaf_file = absl::GetFlag(FLAGS_leaf_file);
  if (index < 0 && leaf_file.empty())
    return absl::InvalidArgumentError(
        "--index (≥ 0) or --leaf_file is required");
  ASSIGN_OR_RETURN(OpenedLog log, OpenLog(args));
  ASSIGN_OR_RETURN(VerifiedCheckpoint cp,
                   CheckpointOfSize(log, absl::GetFlag(FLAGS_size)));
  ASSIGN_OR_RETURN(uint64_t at, LeafToProve(log, cp, index, leaf_file));
  ASSIGN_OR_RETURN(api::client::ProvenLeaf proven,
                   log.reader->ProveLeaf(cp, at));
  if (!leaf_file.empty()) {
    ASSIGN_OR_RETURN(std::string leaf, common::ReadWholeFile(leaf_file));
    if (leaf != proven.leaf) {
      return absl::DataLossError(
          absl::StrCat("the log's leaf ", at, " differs from ", leaf_file));
    }
  }
  ASSIGN_OR_RETURN(VerifiedCheckpoint signed_cp, SignedCover(log, cp));
  const std::string root = HashToBase64(cp.fields.root);
  // A tree computed from tiles has no signature of its own: say what
  // vouches for it instead.
  const std::string vouched =
      cp.note.empty()
          ? absl::StrFormat(
                "root computed from tiles under the latest signed checkpoint "
                "(size %d, root %s), whose signature and inclusion proof "
                "verified",
                signed_cp.fields.size, HashToBase64(signed_cp.fields.root))
          : "checkpoint signature and inclusion proof verified";
  const std::string ok_line = absl::StrFormat(
      "ok: leaf %d (hash %s) is in the log at size %d, root %s; %s\n", at,
      HashToBase64(ledger::merkle::HashLeaf(proven.leaf)), cp.fields.size, root,
      vouched);
  if (args.json) {
    // "checkpoint" is the signed note of this size; for a computed tree it
    // is null and "computed_under" holds the signed note that vouches.
    out << absl::StrFormat(
        "{\"ok\": true, \"leaf_index\": %d, \"tree_size\": %d, \"root\": "
        "\"%s\", \"proof\": %s, \"checkpoint\": %s%s}\n",
        at, cp.fields.size, root, ProofJson(proven.proof),
        cp.note.empty() ? "null" : common::JsonQuote(cp.note),
        cp.note.empty() ? absl::StrCat(", \"computed_under\": ",
                                       common::JsonQuote(signed_cp.note))
                        : "");
  } else if (!leaf_file.empty()) {
    out << ok_line;
  } else {
    out << FormatProof(proven.proof);
    err << ok_line;
  }
  return absl::OkStatus();
}

absl::Status Consistency(const CommandArgs& args, std::ostream& out) {
  const int64_t from = absl::GetFlag(FLAGS_from);
  if (from < 0) return absl::InvalidArgumentError("--from is required (≥ 0)");
  ASSIGN_OR_RETURN(OpenedLog log, OpenLog(args));
  ASSIGN_OR_RETURN(VerifiedCheckpoint newer,
                   CheckpointOfSize(log, absl::GetFlag(FLAGS_to)));
  if (static_cast<uint64_t>(from) > newer.fields.size) {
    return absl::InvalidArgumentError(
        absl::StrCat("--from ", from, " is beyond size ", newer.fields.size));
  }
  VerifiedCheckpoint older{
      {log.reader->Origin(), 0, ledger::merkle::EmptyRoot()}, ""};
  if (from > 0) {
    ASSIGN_OR_RETURN(older, log.reader->TreeAt(from));
  }
  ASSIGN_OR_RETURN(std::vector<Hash> proof,
                   log.reader->ProveConsistency(older, newer));
  out << FormatProof(proof);
  return absl::OkStatus();
}

absl::Status Grew(const CommandArgs& args, std::ostream& out) {
  const std::string since = absl::GetFlag(FLAGS_since);
  if (since.empty()) return absl::InvalidArgumentError("--since is required");
  ASSIGN_OR_RETURN(std::string saved_note, common::ReadWholeFile(since));
  ASSIGN_OR_RETURN(OpenedLog log, OpenLog(args));
  // The latest first: it moves trust across any log-key rotation.
  ASSIGN_OR_RETURN(VerifiedCheckpoint latest, log.reader->LatestCheckpoint());
  absl::StatusOr<VerifiedCheckpoint> saved = log.verify_note(saved_note);
  if (!saved.ok()) {
    return absl::DataLossError(
        absl::StrCat("saved checkpoint ", since,
                     " does not verify: ", saved.status().message()));
  }
  if (saved->fields.size > latest.fields.size) {
    return absl::DataLossError(absl::StrCat("the log shrank: size ",
                                            saved->fields.size, " earlier, ",
                                            latest.fields.size, " now"));
  }
  ASSIGN_OR_RETURN(std::vector<Hash> proof,
                   log.reader->ProveConsistency(*saved, latest));
  const std::string old_root = HashToBase64(saved->fields.root);
  const std::string new_root = HashToBase64(latest.fields.root);
  if (args.json) {
    out << absl::StrFormat(
        "{\"ok\": true, \"from_size\": %d, \"from_root\": \"%s\", "
        "\"to_size\": %d, \"to_root\": \"%s\", \"proof\": %s}\n",
        saved->fields.size, old_root, latest.fields.size, new_root,
        ProofJson(proof));
  } else {
    out << absl::StrFormat(
        "ok: the log only grew: size %d (root %s) is a prefix of size %d "
        "(root %s); consistency proof of %d hashes verified\n",
        saved->fields.size, old_root, latest.fields.size, new_root,
        proof.size());
  }
  return absl::OkStatus();
}

}  // namespace ledgerctl

#include "tools/ledgerctl/provider_commands.h"

#include <sodium.h>

#include <fstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "api/client/ledger_client.h"
#include "common/hex.h"
#include "common/json.h"
#include "common/read_file.h"
#include "common/status_macros.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "ledger/note/checkpoint.h"
#include "schema/provider.pb.h"
#include "tools/ledgerctl/file_io.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/remote_commands.h"
#include "tools/ledgerctl/server_connection.h"

namespace ledgerctl {
namespace {

namespace provider = ::aifl::provider::v1;

// Collects the text-format parser's first error with its position.
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (message_.empty())
      message_ = absl::StrCat("line ", line + 1, ", column ", column + 1, ": ",
                              message);
  }
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

// The single positional argument: the text-format file.
absl::StatusOr<std::string> TextFileArg(const CommandArgs& args,
                                        absl::string_view message_name) {
  if (args.positional.size() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "one text-format file of ", message_name, " is required, got ",
        args.positional.size(), " arguments"));
  }
  return args.positional[0];
}

template <typename Message>
absl::StatusOr<Message> ReadTextProto(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, common::ReadWholeFile(path));
  Message message;
  FirstError errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, &message)) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": not a text-format ", Message::descriptor()->full_name(), ": ",
        errors.message()));
  }
  return message;
}

absl::Status NeedField(const std::string& path, absl::string_view field,
                       bool present, absl::string_view want) {
  if (present) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(path, ": ", field, ": missing, want ", want));
}

// SHA-256 and size of the file at `path`, read in blocks.
absl::Status HashFile(const std::string& path, std::string* sha256,
                      uint64_t* size) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<char> block(1 << 20);
  *size = 0;
  while (in) {
    in.read(block.data(), block.size());
    const std::streamsize n = in.gcount();
    if (n <= 0) break;
    crypto_hash_sha256_update(
        &state, reinterpret_cast<const unsigned char*>(block.data()), n);
    *size += static_cast<uint64_t>(n);
  }
  if (in.bad())
    return absl::UnavailableError(absl::StrCat("error reading ", path));
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  sha256->assign(reinterpret_cast<const char*>(digest), sizeof(digest));
  return absl::OkStatus();
}

std::string FormatMicros(int64_t micros) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::FromUnixMicros(micros),
                          absl::UTCTimeZone());
}

// Signs `payload` as `type` with --key, appends or submits it, and prints
// the receipt (see the header).
absl::Status SubmitAndPrint(const CommandArgs& args, const std::string& type,
                            const std::string& payload, const std::string& name,
                            const std::string& model_id, std::ostream& out) {
  const std::string key_path = absl::GetFlag(FLAGS_key);
  if (key_path.empty()) return absl::InvalidArgumentError("--key is required");
  uint64_t leaf_index = 0;
  int64_t integrated = 0;
  bool duplicate = false;
  uint64_t tree_size = 0;
  std::string checkpoint;
  std::string how;
  if (absl::GetFlag(FLAGS_server).empty()) {
    ASSIGN_OR_RETURN(LocalAppendResult appended,
                     AppendPayloads(args, key_path, type, {payload}, {name}));
    leaf_index = appended.leaf_indices[0];
    integrated = appended.integration_times_micros[0];
    checkpoint = appended.checkpoint;
    ASSIGN_OR_RETURN(ledger::note::Checkpoint body,
                     ledger::note::ParseCheckpointBody(
                         checkpoint.substr(0, checkpoint.find("\n\n") + 1)));
    tree_size = body.size;
    how = "published in the local ledger's checkpoint";
  } else {
    ASSIGN_OR_RETURN(ServerConnection conn, Connect());
    ASSIGN_OR_RETURN(std::vector<api::client::SubmittedEntry> submitted,
                     SubmitPayloads(conn, key_path, type, {payload}, {name}));
    const api::client::SubmittedEntry& entry = submitted[0];
    leaf_index = entry.receipt.leaf_index();
    integrated = entry.receipt.integration_time_unix_micros();
    duplicate = entry.receipt.duplicate();
    const uint64_t indices[] = {leaf_index};
    ASSIGN_OR_RETURN(aifl::api::v1::ProofReceipt receipt,
                     conn.client->GetProofReceipt(indices, /*wait=*/true));
    RETURN_IF_ERROR(
        conn.client->VerifyReceipt(entry.envelope, entry.receipt, receipt));
    tree_size = receipt.proofs(0).tree_size();
    checkpoint = receipt.checkpoint();
    how = "ok: inclusion proof verified against the signed checkpoint";
  }
  RETURN_IF_ERROR(SaveIfAsked(checkpoint));
  if (args.json) {
    out << absl::StrFormat(
        "{\"leaf_index\": %d, \"payload_type\": %s, \"model_id\": %s, "
        "\"integration_time\": \"%s\", \"duplicate\": %s, \"tree_size\": %d, "
        "\"inclusion_verified\": %s, \"checkpoint\": %s}\n",
        leaf_index, common::JsonQuote(type), common::JsonQuote(model_id),
        FormatMicros(integrated), duplicate ? "true" : "false", tree_size,
        absl::GetFlag(FLAGS_server).empty() ? "false" : "true",
        common::JsonQuote(checkpoint));
    return absl::OkStatus();
  }
  out << "leaf " << leaf_index << ": " << type << " for model \"" << model_id
      << "\" from " << name << ", integrated " << FormatMicros(integrated)
      << (duplicate ? " (already in the log: this is its original receipt)"
                    : "")
      << "\n"
      << how << " of size " << tree_size
      << (absl::GetFlag(FLAGS_server).empty()
              ? ""
              : " (consistent with every checkpoint this client trusted)")
      << "\n";
  return absl::OkStatus();
}

// The message in the single positional text-format file (its path in
// `*path`), with model_id set.
template <typename Message>
absl::StatusOr<Message> ReadMessageArg(const CommandArgs& args,
                                       std::string* path) {
  ASSIGN_OR_RETURN(*path,
                   TextFileArg(args, Message::descriptor()->full_name()));
  ASSIGN_OR_RETURN(Message message, ReadTextProto<Message>(*path));
  RETURN_IF_ERROR(NeedField(*path, "model_id", !message.model_id().empty(),
                            "the model's id"));
  return message;
}

// Submits `message` as its own type, aifl.provider.v1.<Name>.
template <typename Message>
absl::Status SubmitMessage(const CommandArgs& args, const Message& message,
                           const std::string& path, std::ostream& out) {
  return SubmitAndPrint(args, Message::descriptor()->full_name(),
                        message.SerializeAsString(), path, message.model_id(),
                        out);
}

}  // namespace

absl::Status Declare(const CommandArgs& args, std::ostream& out) {
  std::string path;
  ASSIGN_OR_RETURN(auto declaration,
                   ReadMessageArg<provider::ModelDeclaration>(args, &path));
  RETURN_IF_ERROR(NeedField(path, "provider", !declaration.provider().empty(),
                            "the provider's legal name"));
  return SubmitMessage(args, declaration, path, out);
}

absl::Status Notify(const CommandArgs& args, std::ostream& out) {
  std::string path;
  ASSIGN_OR_RETURN(auto notification,
                   ReadMessageArg<provider::Notification>(args, &path));
  return SubmitMessage(args, notification, path, out);
}

absl::Status Document(const CommandArgs& args, std::ostream& out) {
  std::string path;
  ASSIGN_OR_RETURN(auto document,
                   ReadMessageArg<provider::DocumentSubmission>(args, &path));
  RETURN_IF_ERROR(NeedField(
      path, "kind", document.kind() != provider::DOCUMENT_KIND_UNSPECIFIED,
      "a DocumentKind such as ANNEX_XI_TECHNICAL_DOCUMENTATION"));
  const std::string file = absl::GetFlag(FLAGS_file);
  const std::string hex = absl::GetFlag(FLAGS_sha256);
  if (!file.empty() && !hex.empty()) {
    return absl::InvalidArgumentError("give --file or --sha256, not both");
  }
  std::string sha256;
  if (!file.empty()) {
    uint64_t size = 0;
    RETURN_IF_ERROR(HashFile(file, &sha256, &size));
    if (document.size_bytes() != 0 && document.size_bytes() != size) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": size_bytes: got ", document.size_bytes(),
                       ", but ", file, " has ", size, " bytes"));
    }
    document.set_size_bytes(size);
  } else if (!hex.empty()) {
    absl::StatusOr<std::string> decoded = common::DecodeHex(hex);
    if (hex.size() != 64 || !decoded.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--sha256: got \"", hex, "\", want 64 hex digits"));
    }
    sha256 = *std::move(decoded);
  }
  if (!sha256.empty()) {
    if (!document.sha256().empty() && document.sha256() != sha256) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": sha256 differs from the hash of ",
                       file.empty() ? "--sha256" : file));
    }
    document.set_sha256(sha256);
  }
  if (document.sha256().size() != 32) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": sha256: got ", document.sha256().size(),
                     " bytes, want 32 (or give --file DOC or --sha256 HEX)"));
  }
  RETURN_IF_ERROR(SubmitMessage(args, document, path, out));
  if (!args.json) {
    out << "document sha256 " << absl::BytesToHexString(document.sha256())
        << ", " << document.size_bytes() << " bytes\n";
  }
  return absl::OkStatus();
}

}  // namespace ledgerctl

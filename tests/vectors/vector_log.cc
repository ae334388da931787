#include "tests/vectors/vector_log.h"

#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "ledger/checkpoint_note.h"
#include "ledger/crypto/base64.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/key_id.h"
#include "ledger/crypto/sha256.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "ledger/entry_signer.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/in_memory_tree.h"
#include "ledger/merkle/node_reader.h"
#include "ledger/note/signed_note.h"
#include "ledger/proto/key_event.pb.h"
#include "ledger/roles.h"
#include "schema/collector.pb.h"

namespace vectors {
namespace {

using ledger::merkle::Hash;

constexpr char kOrigin[] = "factory.example.eu/ledger";
constexpr char kIntervalType[] = "aifl.collector.v1.IntervalReport";
// 2026-01-01T00:00:00Z in microseconds; leaf i is integrated i seconds later.
constexpr int64_t kFirstTimeMicros = 1767225600000000;

std::string Hex(absl::string_view bytes) {
  return absl::BytesToHexString(bytes);
}
std::string Hex(const Hash& h) { return ledger::merkle::HashToHex(h); }

// A JSON object whose members keep their order, rendered with two-space
// indentation (one member per line; lists of strings on one line).
class Json {
 public:
  Json& Str(absl::string_view key, absl::string_view value) {
    return Raw(key, common::JsonQuote(value));
  }
  Json& Num(absl::string_view key, int64_t value) {
    return Raw(key, absl::StrCat(value));
  }
  Json& StrList(absl::string_view key, const std::vector<std::string>& list) {
    std::vector<std::string> quoted;
    for (const std::string& s : list) quoted.push_back(common::JsonQuote(s));
    return Raw(key, absl::StrCat("[", absl::StrJoin(quoted, ", "), "]"));
  }
  Json& Obj(absl::string_view key, Json value) {
    members_.emplace_back(std::string(key), [v = std::move(value)](int indent) {
      return v.Render(indent);
    });
    return *this;
  }
  Json& ObjList(absl::string_view key, std::vector<Json> list) {
    members_.emplace_back(std::string(key), [l = std::move(list)](int indent) {
      const std::string pad(indent * 2, ' ');
      std::vector<std::string> items;
      for (const Json& j : l) {
        items.push_back(absl::StrCat(pad, "  ", j.Render(indent + 1)));
      }
      return absl::StrCat("[\n", absl::StrJoin(items, ",\n"), "\n", pad, "]");
    });
    return *this;
  }
  std::string Render(int indent) const {
    const std::string pad(indent * 2, ' ');
    std::vector<std::string> lines;
    for (const auto& [key, render] : members_) {
      lines.push_back(absl::StrCat(pad, "  ", common::JsonQuote(key), ": ",
                                   render(indent + 1)));
    }
    return absl::StrCat("{\n", absl::StrJoin(lines, ",\n"), "\n", pad, "}");
  }

 private:
  Json& Raw(absl::string_view key, std::string json) {
    members_.emplace_back(std::string(key),
                          [json = std::move(json)](int) { return json; });
    return *this;
  }
  std::vector<std::pair<std::string, std::function<std::string(int)>>> members_;
};

std::string Seed(absl::string_view label) {
  const ledger::crypto::Sha256Digest d =
      ledger::crypto::Sha256({"aifl test vector seed: ", label});
  return std::string(d.begin(), d.end());
}

struct Key {
  std::string label;
  std::string seed;
  std::unique_ptr<ledger::crypto::SigningKey> key;
};

absl::StatusOr<Key> MakeKey(absl::string_view label) {
  Key k;
  k.label = std::string(label);
  k.seed = Seed(label);
  ASSIGN_OR_RETURN(k.key, ledger::crypto::SigningKey::FromSeed(k.seed));
  return k;
}

Json KeyJson(const Key& k) {
  Json j;
  j.Str("seed_hex", Hex(k.seed))
      .Str("seed_derivation",
           absl::StrCat("SHA-256(\"aifl test vector seed: ", k.label, "\")"))
      .Str("public_key_hex", Hex(k.key->public_key().bytes()))
      .Str("key_id_hex",
           ledger::crypto::ComputeKeyId(k.key->public_key()).ToString());
  return j;
}

// One appended entry, with every intermediate byte string.
struct Entry {
  std::string description;
  std::string signer;  // label of the signing key
  uint64_t sequence = 0;
  std::string payload_type;
  std::string payload_text;  // protobuf text format of the payload
  std::string payload;
  std::string signed_message;
  std::string signature;
  std::string envelope;
  int64_t time_micros = 0;
  std::string leaf;
  Hash leaf_hash{};
};

Json EntryJson(const Entry& e, uint64_t index) {
  Json j;
  j.Num("leaf_index", index)
      .Str("description", e.description)
      .Str("signer", e.signer)
      .Num("sequence", e.sequence)
      .Str("payload_type", e.payload_type)
      .Str("payload_text", e.payload_text)
      .Str("payload_hex", Hex(e.payload))
      .Str("signed_message_hex", Hex(e.signed_message))
      .Str("signature_hex", Hex(e.signature))
      .Str("envelope_hex", Hex(e.envelope))
      .Num("integration_time_micros", e.time_micros)
      .Str("leaf_hex", Hex(e.leaf))
      .Str("leaf_hash_hex", Hex(e.leaf_hash));
  return j;
}

class Builder {
 public:
  absl::Status Run(std::map<std::string, std::string>* files);

 private:
  absl::Status Append(const Key& signer, uint64_t sequence,
                      absl::string_view type,
                      const google::protobuf::Message& payload,
                      std::string description);
  absl::StatusOr<std::string> Note(uint64_t size,
                                   std::vector<const Key*> signers);

  std::vector<Entry> entries_;
  ledger::merkle::InMemoryTree tree_;
};

absl::Status Builder::Append(const Key& signer, uint64_t sequence,
                             absl::string_view type,
                             const google::protobuf::Message& payload,
                             std::string description) {
  Entry e;
  e.description = std::move(description);
  e.signer = signer.label;
  e.sequence = sequence;
  e.payload_type = std::string(type);
  e.payload_text = payload.ShortDebugString();
  if (!payload.SerializeToString(&e.payload)) {
    return absl::InternalError("payload does not serialize");
  }
  const ledger::crypto::KeyId id =
      ledger::crypto::ComputeKeyId(signer.key->public_key());
  e.signed_message = ledger::entry::SignedMessage(kOrigin, id.bytes(), sequence,
                                                  type, e.payload);
  e.signature = signer.key->Sign(e.signed_message);
  // The envelope through the ledger's own signer, which must agree.
  auto copy = ledger::crypto::SigningKey::FromSeed(signer.seed);
  if (!copy.ok()) return copy.status();
  ledger::EntrySigner entry_signer(*std::move(copy), kOrigin, sequence);
  ASSIGN_OR_RETURN(e.envelope, entry_signer.SignNext(type, e.payload));
  ledger::entry::Envelope parsed;
  parsed.key_id = id.bytes();
  parsed.sequence = sequence;
  parsed.payload_type = e.payload_type;
  parsed.payload = e.payload;
  parsed.signature = e.signature;
  ASSIGN_OR_RETURN(std::string encoded, ledger::entry::EncodeEnvelope(parsed));
  if (encoded != e.envelope) {
    return absl::InternalError("EntrySigner and EncodeEnvelope disagree");
  }
  e.time_micros =
      kFirstTimeMicros + static_cast<int64_t>(entries_.size()) * 1000000;
  e.leaf = ledger::entry::EncodeLeaf(e.time_micros, e.envelope);
  e.leaf_hash = ledger::merkle::HashLeaf(e.leaf);
  tree_.Append(e.leaf_hash);
  entries_.push_back(std::move(e));
  return absl::OkStatus();
}

absl::StatusOr<std::string> Builder::Note(uint64_t size,
                                          std::vector<const Key*> signers) {
  ledger::CheckpointFields fields;
  fields.origin = kOrigin;
  fields.size = size;
  ASSIGN_OR_RETURN(fields.root, tree_.Root(size));
  std::string note;
  for (const Key* k : signers) {
    auto copy = ledger::crypto::SigningKey::FromSeed(k->seed);
    if (!copy.ok()) return copy.status();
    ASSIGN_OR_RETURN(
        std::unique_ptr<ledger::note::NoteSigner> signer,
        ledger::note::NoteSigner::Create(kOrigin, *std::move(copy)));
    if (note.empty()) {
      ASSIGN_OR_RETURN(note, ledger::SignCheckpoint(fields, *signer));
    } else {
      // A further signature line over the same body (the handover).
      const std::string body = note.substr(0, note.find("\n\n") + 1);
      ASSIGN_OR_RETURN(std::string line, signer->SignatureLine(body));
      note += line;
    }
  }
  return note;
}

Json NoteKeyJson(const Key& k) {
  Json j = KeyJson(k);
  const std::string name_and_key = absl::StrCat(
      kOrigin, "\n", std::string(1, '\x01'), k.key->public_key().bytes());
  const ledger::crypto::Sha256Digest d = ledger::crypto::Sha256({name_and_key});
  j.Str("note_key_id_hex",
        Hex(absl::string_view(reinterpret_cast<const char*>(d.data()), 4)))
      .Str("verifier_key",
           ledger::LogVerifierKey(kOrigin, k.key->public_key()));
  return j;
}

Json CheckpointJson(uint64_t size, const Hash& root, const std::string& note) {
  Json j;
  j.Num("size", size)
      .Str("root_hex", Hex(root))
      .Str("root_base64", ledger::merkle::HashToBase64(root))
      .Str("body", note.substr(0, note.find("\n\n") + 1))
      .Str("note", note);
  return j;
}

absl::Status Builder::Run(std::map<std::string, std::string>* files) {
  ASSIGN_OR_RETURN(Key admin, MakeKey("admin"));
  ASSIGN_OR_RETURN(Key collector, MakeKey("collector"));
  ASSIGN_OR_RETURN(Key log1, MakeKey("log key 1"));
  ASSIGN_OR_RETURN(Key log2, MakeKey("log key 2"));
  const std::string key_event_type(ledger::kKeyEventType);

  aifl::ledger::v1::KeyEvent genesis;
  genesis.mutable_enrol()->set_public_key(
      std::string(admin.key->public_key().bytes()));
  genesis.mutable_enrol()->set_role(aifl::ledger::v1::ROLE_ADMIN);
  genesis.mutable_enrol()->set_organisation(kOrigin);
  RETURN_IF_ERROR(Append(admin, 0, key_event_type, genesis,
                         "genesis: the admin key enrols itself"));
  aifl::ledger::v1::KeyEvent announce1;
  announce1.mutable_log_key()->set_public_key(
      std::string(log1.key->public_key().bytes()));
  announce1.mutable_log_key()->set_origin(kOrigin);
  RETURN_IF_ERROR(Append(admin, 1, key_event_type, announce1,
                         "genesis: the first log key is announced"));
  aifl::ledger::v1::KeyEvent enrol;
  enrol.mutable_enrol()->set_public_key(
      std::string(collector.key->public_key().bytes()));
  enrol.mutable_enrol()->set_role(aifl::ledger::v1::ROLE_COLLECTOR);
  enrol.mutable_enrol()->set_organisation("Factory A");
  enrol.mutable_enrol()->set_node("gpu001");
  enrol.mutable_enrol()->set_tls_identity("gpu001");
  RETURN_IF_ERROR(Append(admin, 2, key_event_type, enrol,
                         "the admin enrols a collector key"));
  const auto interval = [&](uint64_t i) {
    aifl::collector::v1::IntervalReport r;
    r.set_run_id("leonardo/4711");
    r.set_node("gpu001");
    r.set_interval_index(i);
    r.set_start_unix_ms(1767225600000 + static_cast<int64_t>(i) * 3600000);
    r.set_end_unix_ms(r.start_unix_ms() + 3600000);
    r.set_gpu_count(8);
    r.set_gpu_seconds_allocated(28800);
    r.set_energy_joules(1.8e7);
    r.mutable_flop()->set_lower(1.1e19);
    r.mutable_flop()->set_upper(2.2e19);
    r.mutable_flop()->set_method(aifl::common::v1::MEASURED_TENSOR_ACTIVITY);
    r.set_model_id("example-model");
    r.set_purpose(aifl::common::v1::PRE_TRAINING);
    return r;
  };
  for (uint64_t i = 0; i < 3; ++i) {
    RETURN_IF_ERROR(Append(collector, i, kIntervalType, interval(i),
                           "a collector's interval record"));
  }
  aifl::ledger::v1::KeyEvent announce2;
  announce2.mutable_log_key()->set_public_key(
      std::string(log2.key->public_key().bytes()));
  announce2.mutable_log_key()->set_origin(kOrigin);
  RETURN_IF_ERROR(Append(admin, 3, key_event_type, announce2,
                         "log-key rotation: log key 2 is announced"));
  RETURN_IF_ERROR(Append(collector, 3, kIntervalType, interval(3),
                         "a collector's interval record"));

  // envelope.json: one entry, every step.
  {
    Json j;
    j.Str("description",
          "One collector entry: signed message, Ed25519 signature, envelope, "
          "leaf and RFC 6962 leaf hash (ledger/FORMAT.md).")
        .Str("origin", kOrigin)
        .Obj("signing_key", KeyJson(collector))
        .Obj("entry", EntryJson(entries_[3], 3));
    (*files)["envelope.json"] = j.Render(0) + "\n";
  }
  // key_event.json: the enrolment of the collector key.
  {
    Json j;
    j.Str("description",
          "A key event (aifl.ledger.v1.KeyEvent, ledger/proto/key_event.proto) "
          "enrolling the collector key, signed by the admin key.")
        .Str("origin", kOrigin)
        .Obj("admin_key", KeyJson(admin))
        .Obj("enrolled_key", KeyJson(collector))
        .Obj("entry", EntryJson(entries_[2], 2));
    (*files)["key_event.json"] = j.Render(0) + "\n";
  }
  // log.json: every leaf, roots, proofs.
  {
    std::vector<Json> leaves;
    for (size_t i = 0; i < entries_.size(); ++i) {
      leaves.push_back(EntryJson(entries_[i], i));
    }
    std::vector<Json> roots, inclusion, consistency;
    const uint64_t n = entries_.size();
    for (uint64_t size = 0; size <= n; ++size) {
      ASSIGN_OR_RETURN(Hash root, tree_.Root(size));
      Json r;
      r.Num("size", size).Str("root_hex", Hex(root));
      roots.push_back(std::move(r));
    }
    for (uint64_t size = 1; size <= n; ++size) {
      for (uint64_t index = 0; index < size; ++index) {
        ASSIGN_OR_RETURN(std::vector<Hash> proof,
                         ledger::merkle::InclusionProof(index, size, tree_));
        std::vector<std::string> hex;
        for (const Hash& h : proof) hex.push_back(Hex(h));
        Json p;
        p.Num("leaf_index", index)
            .Num("tree_size", size)
            .StrList("proof_hex", hex);
        inclusion.push_back(std::move(p));
      }
    }
    for (uint64_t size2 = 1; size2 <= n; ++size2) {
      for (uint64_t size1 = 1; size1 < size2; ++size1) {
        ASSIGN_OR_RETURN(std::vector<Hash> proof,
                         ledger::merkle::ConsistencyProof(size1, size2, tree_));
        std::vector<std::string> hex;
        for (const Hash& h : proof) hex.push_back(Hex(h));
        Json p;
        p.Num("size1", size1).Num("size2", size2).StrList("proof_hex", hex);
        consistency.push_back(std::move(p));
      }
    }
    Json j;
    j.Str("description",
          "A whole small log: genesis (admin Enrol, LogKey), a collector "
          "enrolment, interval records and a log-key rotation; every leaf, "
          "the root of every size and every inclusion and consistency proof "
          "(RFC 6962 / RFC 9162).")
        .Str("origin", kOrigin)
        .Obj("admin_key", KeyJson(admin))
        .Obj("collector_key", KeyJson(collector))
        .ObjList("leaves", leaves)
        .ObjList("roots", roots)
        .ObjList("inclusion_proofs", inclusion)
        .ObjList("consistency_proofs", consistency);
    (*files)["log.json"] = j.Render(0) + "\n";
  }
  // checkpoint.json: size 6, signed by log key 1.
  {
    ASSIGN_OR_RETURN(std::string note, Note(6, {&log1}));
    ASSIGN_OR_RETURN(Hash root, tree_.Root(6));
    Json j;
    j.Str("description",
          "A C2SP signed checkpoint of the log in log.json at size 6, signed "
          "by log key 1 (the key announced at leaf 1).")
        .Str("origin", kOrigin)
        .Obj("log_key", NoteKeyJson(log1))
        .Obj("checkpoint", CheckpointJson(6, root, note));
    (*files)["checkpoint.json"] = j.Render(0) + "\n";
  }
  // rotation.json: the handover at size 8.
  {
    ASSIGN_OR_RETURN(std::string note, Note(8, {&log1, &log2}));
    ASSIGN_OR_RETURN(Hash root, tree_.Root(8));
    ASSIGN_OR_RETURN(std::vector<Hash> proof,
                     ledger::merkle::InclusionProof(6, 8, tree_));
    std::vector<std::string> hex;
    for (const Hash& h : proof) hex.push_back(Hex(h));
    Json j;
    j.Str("description",
          "A log-key rotation: the LogKey leaf 6 announces log key 2, so the "
          "first checkpoint of size > 6 (size 8) is the handover, signed by "
          "log key 1 first, then by log key 2 (ledger/FORMAT.md, \"Log-key "
          "rotation\").")
        .Str("origin", kOrigin)
        .Obj("old_log_key", NoteKeyJson(log1))
        .Obj("new_log_key", NoteKeyJson(log2))
        .Obj("log_key_entry", EntryJson(entries_[6], 6))
        .StrList("log_key_entry_inclusion_proof_hex", hex)
        .Obj("handover", CheckpointJson(8, root, note));
    (*files)["rotation.json"] = j.Render(0) + "\n";
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::map<std::string, std::string>> BuildVectorFiles() {
  std::map<std::string, std::string> files;
  Builder builder;
  RETURN_IF_ERROR(builder.Run(&files));
  return files;
}

}  // namespace vectors

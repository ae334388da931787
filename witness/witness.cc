#include "witness/witness.h"

#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "ledger/crypto/sha256.h"
#include "ledger/merkle/verify.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/signed_note.h"
#include "ledger/witnessing/add_checkpoint_request.h"

namespace witness {
namespace {

WitnessResponse Plain(int status, absl::string_view message) {
  return WitnessResponse{status, "text/plain; charset=utf-8",
                         absl::StrCat(message, "\n")};
}

WitnessResponse Conflict(uint64_t size) {
  return WitnessResponse{409, "text/x.tlog.size", absl::StrCat(size, "\n")};
}

std::string Sha256Hex(absl::string_view s) {
  const ledger::crypto::Sha256Digest d = ledger::crypto::Sha256({s});
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

// The checkpoint as this witness keeps and serves it: the body, the log's
// verified signature lines and the cosignature line.
std::string StoredNote(const ledger::note::VerifiedNote& opened,
                       absl::string_view cosignature_line) {
  std::string out = absl::StrCat(opened.text, "\n");
  for (const ledger::note::NoteSignature& s : opened.verified) {
    absl::StrAppend(&out, "\xe2\x80\x94 ", s.name, " ", s.base64, "\n");
  }
  absl::StrAppend(&out, cosignature_line);
  return out;
}

// Why a validly signed checkpoint of `size` and `root` contradicts the
// cosigned state `s`, or "" when it does not.
std::string Contradiction(const OriginState& s, uint64_t size,
                          const ledger::merkle::Hash& root) {
  if (size < s.size) {
    return absl::StrCat("size ", size, " is below the cosigned size ", s.size);
  }
  if (size == s.size && root != s.root) {
    return absl::StrCat("size ", size, ": root ",
                        ledger::merkle::HashToBase64(root),
                        " differs from the cosigned root ",
                        ledger::merkle::HashToBase64(s.root));
  }
  return "";
}

}  // namespace

Witness::Witness(std::unique_ptr<ledger::note::Cosigner> cosigner,
                 TrustedLogs logs, WitnessStore* store,
                 const common::Clock* clock)
    : cosigner_(std::move(cosigner)),
      logs_(std::move(logs)),
      store_(store),
      clock_(clock) {}

absl::StatusOr<std::unique_ptr<Witness>> Witness::Create(
    std::unique_ptr<ledger::note::Cosigner> cosigner, TrustedLogs logs,
    WitnessStore* store, const common::Clock* clock, Vouch vouch,
    MoreLogKeys more_log_keys) {
  std::unique_ptr<Witness> w(
      new Witness(std::move(cosigner), std::move(logs), store, clock));
  w->vouch_ = std::move(vouch);
  w->more_log_keys_ = std::move(more_log_keys);
  for (const std::string& name : w->logs_.Origins()) {
    auto origin = std::make_unique<Origin>();
    origin->name = name;
    origin->keys = w->logs_.Find(name);
    absl::StatusOr<std::optional<OriginState>> state = store->GetState(name);
    if (!state.ok()) return state.status();
    {
      absl::MutexLock lock(&origin->mu);
      origin->state = *std::move(state);
    }
    absl::StatusOr<std::vector<Evidence>> kept = store->ListEvidence(name);
    if (!kept.ok()) return kept.status();
    origin->evidence_records = kept->size();
    w->by_hash_[Sha256Hex(name)] = origin.get();
    w->origins_[name] = std::move(origin);
  }
  return w;
}

Witness::Origin* Witness::FindByHash(absl::string_view origin_sha256_hex) {
  auto it = by_hash_.find(origin_sha256_hex);
  return it == by_hash_.end() ? nullptr : it->second;
}

std::vector<OriginSummary> Witness::Summaries() const {
  std::vector<OriginSummary> out;
  for (const std::string& name : logs_.Origins()) {
    Origin& origin = *origins_.at(name);
    OriginSummary summary{name, std::nullopt, origin.evidence_records.load()};
    absl::MutexLock lock(&origin.mu);
    if (origin.state.has_value()) summary.cosigned_size = origin.state->size;
    out.push_back(std::move(summary));
  }
  return out;
}

absl::Status Witness::KeepEvidence(Origin& origin, absl::string_view reason,
                                   absl::string_view body,
                                   absl::string_view note) {
  Evidence e;
  e.origin = origin.name;
  e.time = absl::ToUnixSeconds(clock_->Now());
  e.reason = std::string(reason);
  e.request = std::string(body);
  absl::Status added = store_->AddEvidence(e, note);
  if (added.ok()) ++origin.evidence_records;
  return added;
}

WitnessResponse Witness::AddCheckpoint(absl::string_view body) {
  Batch batch;
  WitnessResponse answer;
  std::optional<WitnessResponse> now = AddCheckpoint(body, &batch, &answer);
  if (now.has_value()) return *std::move(now);
  Commit(&batch);
  return answer;
}

// The lock taken here is released here or by Commit: beyond the analysis.
std::optional<WitnessResponse> Witness::AddCheckpoint(
    absl::string_view body, Batch* batch,
    WitnessResponse* answer) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  absl::StatusOr<ledger::witnessing::AddCheckpointRequest> request =
      ledger::witnessing::ParseAddCheckpointRequest(body);
  if (!request.ok()) return Plain(400, request.status().message());
  // The origin is the note's first line; the signature check below covers it.
  const absl::string_view note = request->note;
  const absl::string_view origin_name = note.substr(0, note.find('\n'));
  auto found = origins_.find(origin_name);
  if (found == origins_.end()) {
    return Plain(404, absl::StrCat("unknown log origin \"",
                                   origin_name.substr(0, 200), "\""));
  }
  Origin& origin = *found->second;
  absl::StatusOr<ledger::note::VerifiedNote> opened =
      ledger::note::OpenNote(note, *origin.keys);
  if (!opened.ok() && more_log_keys_) {
    std::vector<ledger::note::NoteVerifier> keys = *origin.keys;
    for (ledger::note::NoteVerifier& k : more_log_keys_(origin.name)) {
      // OpenNote refuses two verifiers of one key id as ambiguous: a key
      // configured and announced (the first) is listed once.
      bool listed = false;
      for (const ledger::note::NoteVerifier& have : keys) {
        listed |= have.name() == k.name() && have.key_id() == k.key_id();
      }
      if (!listed) keys.push_back(std::move(k));
    }
    if (auto again = ledger::note::OpenNote(note, keys); again.ok()) {
      opened = *std::move(again);
    }
  }
  if (!opened.ok()) {
    return Plain(403, absl::StrCat("no trusted signature verifies: ",
                                   opened.status().message()));
  }
  absl::StatusOr<ledger::note::Checkpoint> checkpoint =
      ledger::note::ParseCheckpointBody(opened->text);
  if (!checkpoint.ok()) return Plain(400, checkpoint.status().message());
  if (checkpoint->origin != origin.name) {
    return Plain(403, "checkpoint origin is not the signing key's name");
  }
  LockForBatch(origin, batch);
  std::optional<WitnessResponse> done =
      CosignLocked(origin, *request, *opened, *checkpoint, body, batch, answer);
  // In the batch, the lock is held until Commit.
  if (done.has_value()) origin.mu.Unlock();
  return done;
}

void Witness::LockForBatch(Origin& origin,
                           Batch* batch) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  if (!batch->empty()) {
    bool held = false;
    for (const Batch::Entry& e : batch->entries_) held |= e.origin == &origin;
    if (!held && origin.mu.TryLock()) return;
    // Never wait while holding the batch's locks: another thread's batch
    // may be waiting for one of them.
    Commit(batch);
  }
  origin.mu.Lock();
}

std::optional<WitnessResponse> Witness::CosignLocked(
    Origin& origin, const ledger::witnessing::AddCheckpointRequest& request,
    const ledger::note::VerifiedNote& opened,
    const ledger::note::Checkpoint& checkpoint, absl::string_view body,
    Batch* batch, WitnessResponse* answer) {
  const uint64_t size = checkpoint.size;
  const ledger::merkle::Hash& root = checkpoint.root;
  // Evidence first: a validly signed checkpoint that contradicts the
  // cosigned tree is kept whatever else is wrong with the request.
  if (origin.state) {
    const std::string contradiction = Contradiction(*origin.state, size, root);
    if (!contradiction.empty()) {
      if (absl::Status kept =
              KeepEvidence(origin, contradiction, body, request.note);
          !kept.ok()) {
        return Plain(500, kept.ToString());
      }
    }
  }
  if (std::optional<WitnessResponse> refused =
          CheckExtends(origin, request.old_size, request.proof, size, root,
                       body, request.note)) {
    return refused;
  }
  if (vouch_) {
    if (absl::Status vouched = vouch_(origin.name, size, root); !vouched.ok()) {
      return Plain(503, vouched.message());
    }
  }
  const int64_t now = absl::ToUnixSeconds(clock_->Now());
  absl::StatusOr<std::string> line = cosigner_->CosignatureLine(
      opened.text, now < 0 ? 0 : static_cast<uint64_t>(now));
  if (!line.ok()) return Plain(500, line.status().ToString());
  // The same checkpoint again: its state is stored already.
  if (origin.state && origin.state->size == size) {
    return WitnessResponse{200, "text/plain; charset=utf-8", *std::move(line)};
  }
  batch->entries_.push_back(
      Batch::Entry{&origin, OriginState{size, root, StoredNote(opened, *line)},
                   *std::move(line), answer});
  return std::nullopt;
}

void Witness::Commit(Batch* batch) {
  if (batch->entries_.empty()) return;
  std::vector<std::pair<absl::string_view, const OriginState*>> states;
  states.reserve(batch->entries_.size());
  for (const Batch::Entry& e : batch->entries_) {
    states.emplace_back(e.origin->name, &e.next);
  }
  // Persisted (synced) before any answer; on failure nothing is cosigned.
  const absl::Status put = store_->PutStates(states);
  for (Batch::Entry& e : batch->entries_) {
    e.origin->mu.AssertHeld();
    if (put.ok()) {
      e.origin->state = std::move(e.next);
      *e.answer = WitnessResponse{200, "text/plain; charset=utf-8",
                                  std::move(e.cosignature_line)};
    } else {
      *e.answer = Plain(500, put.ToString());
    }
    e.origin->mu.Unlock();
  }
  batch->entries_.clear();
}

std::optional<WitnessResponse> Witness::CheckExtends(
    Origin& origin, uint64_t old_size,
    const std::vector<ledger::merkle::Hash>& proof, uint64_t size,
    const ledger::merkle::Hash& root, absl::string_view body,
    absl::string_view note) {
  const uint64_t have_size = origin.state ? origin.state->size : 0;
  if (old_size > size) {
    return Plain(400, absl::StrCat("old size ", old_size,
                                   " is above the checkpoint size ", size));
  }
  if (old_size != have_size) return Conflict(have_size);
  if (old_size == size && origin.state && root != origin.state->root) {
    return Conflict(have_size);
  }
  if (size == 0 && root != ledger::merkle::EmptyRoot()) {
    return Plain(422, "a checkpoint of size 0 must have the empty tree's root");
  }
  if (old_size == 0) {
    if (!proof.empty()) {
      return Plain(422, "the consistency proof must be empty when old is 0");
    }
  } else if (absl::Status consistent = ledger::merkle::VerifyConsistency(
                 old_size, size, proof, origin.state->root, root);
             !consistent.ok()) {
    if (absl::Status kept =
            KeepEvidence(origin,
                         absl::StrCat("size ", size,
                                      " is not consistent with the cosigned "
                                      "size ",
                                      old_size, ": ", consistent.message()),
                         body, note);
        !kept.ok()) {
      return Plain(500, kept.ToString());
    }
    return Plain(422,
                 absl::StrCat("consistency proof from ", old_size, " to ", size,
                              " does not verify: ", consistent.message()));
  }
  return std::nullopt;
}

WitnessResponse Witness::LatestCheckpoint(absl::string_view origin_sha256_hex) {
  Origin* origin = FindByHash(origin_sha256_hex);
  if (origin == nullptr) return Plain(404, "unknown origin");
  absl::MutexLock lock(&origin->mu);
  if (!origin->state) return Plain(404, "nothing cosigned for this origin yet");
  return WitnessResponse{200, "text/plain; charset=utf-8", origin->state->note};
}

WitnessResponse Witness::EvidenceRecords(absl::string_view origin_sha256_hex) {
  std::string name;
  if (!origin_sha256_hex.empty()) {
    Origin* origin = FindByHash(origin_sha256_hex);
    if (origin == nullptr) return Plain(404, "unknown origin");
    name = origin->name;
  }
  absl::StatusOr<std::vector<Evidence>> records = store_->ListEvidence(name);
  if (!records.ok()) return Plain(500, records.status().ToString());
  std::string out;
  for (const Evidence& e : *records) out += FormatEvidence(e);
  return WitnessResponse{200, "text/plain; charset=utf-8", std::move(out)};
}

}  // namespace witness

#include "witness/witness_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "ledger/crypto/sha256.h"
#include "ledger/storage/store.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"

namespace witness {
namespace {

constexpr char kStateVersion = 1;
constexpr absl::string_view kEvidenceHeader = "aifl-witness-evidence-v1\n";

absl::Status FromRocksDb(const rocksdb::Status& s, absl::string_view what) {
  return ledger::storage::FromRocksDb(&s, what);
}

std::string Digest(absl::string_view bytes) {
  const ledger::crypto::Sha256Digest d = ledger::crypto::Sha256({bytes});
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

std::string EncodeState(const OriginState& state) {
  std::string out(1, kStateVersion);
  for (int i = 7; i >= 0; --i) {
    out.push_back(static_cast<char>(state.size >> (8 * i)));
  }
  out.append(reinterpret_cast<const char*>(state.root.data()),
             state.root.size());
  out.append(state.note);
  return out;
}

absl::StatusOr<OriginState> DecodeState(absl::string_view origin,
                                        absl::string_view v) {
  if (v.size() < 1 + 8 + 32 || v[0] != kStateVersion) {
    return absl::DataLossError(absl::StrCat(
        "witness state of ", origin, ": malformed record (", v.size(),
        " bytes, version ", v.empty() ? -1 : static_cast<int>(v[0]), ")"));
  }
  OriginState state;
  for (int i = 0; i < 8; ++i) {
    state.size = state.size << 8 | static_cast<uint8_t>(v[1 + i]);
  }
  std::copy_n(v.begin() + 9, 32, state.root.begin());
  state.note = std::string(v.substr(41));
  return state;
}

}  // namespace

std::string FormatEvidence(const Evidence& e) {
  return absl::StrCat(kEvidenceHeader, "origin ", e.origin, "\ntime ", e.time,
                      "\nreason ", e.reason, "\nbytes ", e.request.size(),
                      "\n\n", e.request);
}

absl::StatusOr<Evidence> ParseEvidence(absl::string_view bytes) {
  const auto bad = [](absl::string_view why) {
    return absl::DataLossError(absl::StrCat("evidence record: ", why));
  };
  if (!absl::ConsumePrefix(&bytes, kEvidenceHeader)) return bad("no header");
  Evidence e;
  const auto field = [&](absl::string_view name, std::string* out) {
    if (!absl::ConsumePrefix(&bytes, name)) return false;
    const size_t nl = bytes.find('\n');
    if (nl == absl::string_view::npos) return false;
    *out = std::string(bytes.substr(0, nl));
    bytes.remove_prefix(nl + 1);
    return true;
  };
  std::string time, size;
  if (!field("origin ", &e.origin) || !field("time ", &time) ||
      !field("reason ", &e.reason) || !field("bytes ", &size)) {
    return bad("missing origin, time, reason or bytes line");
  }
  uint64_t n = 0;
  if (!absl::SimpleAtoi(time, &e.time) || !absl::SimpleAtoi(size, &n) ||
      !absl::ConsumePrefix(&bytes, "\n") || bytes.size() != n) {
    return bad("malformed time or length");
  }
  e.request = std::string(bytes);
  return e;
}

absl::StatusOr<std::unique_ptr<WitnessStore>> WitnessStore::Open(
    const std::string& dir) {
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.paranoid_checks = true;
  // Few, small writes: a small WAL cap keeps crash recovery short.
  options.max_total_wal_size = 16 << 20;
  // Writers waiting in a group commit block instead of spinning with
  // sched_yield for up to 100 us: on a witness with one core, a spinning
  // follower only delays the leader's fsync (issue 17 benchmark).
  options.enable_write_thread_adaptive_yield = false;
  // Required by inplace_update_support below; the state's writes are one
  // small Put each, so parallel memtable inserts gain nothing.
  options.allow_concurrent_memtable_write = false;
  // Every add-checkpoint overwrites its origin's one state record: updated
  // in place, the memtable keeps one entry per origin instead of one per
  // request (whose skiplist inserts grew with it, ~10 us each at 20 000
  // entries). Durability is the WAL's, synced on every write as before; the
  // state is read only by Get (no snapshots or iterators, which in-place
  // updates would make inconsistent).
  rocksdb::ColumnFamilyOptions state_options;
  state_options.inplace_update_support = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
      {"state", state_options},
      {"evidence", rocksdb::ColumnFamilyOptions()}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  const rocksdb::Status s =
      rocksdb::DB::Open(options, dir, families, &handles, &db);
  if (!s.ok())
    return FromRocksDb(s, absl::StrCat("opening witness state ", dir));
  std::unique_ptr<WitnessStore> store(new WitnessStore());
  store->db_.reset(db);
  store->default_ = handles[0];
  store->state_ = handles[1];
  store->evidence_ = handles[2];
  return store;
}

WitnessStore::~WitnessStore() {
  if (db_ == nullptr) return;
  for (rocksdb::ColumnFamilyHandle* h : {default_, state_, evidence_}) {
    // Closing: a failure here loses nothing (every write was synced).
    db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  }
  db_->Close().PermitUncheckedError();
}

absl::StatusOr<std::optional<OriginState>> WitnessStore::GetState(
    absl::string_view origin) const {
  std::string value;
  const rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), state_,
               rocksdb::Slice(origin.data(), origin.size()), &value);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) return FromRocksDb(s, "reading witness state");
  absl::StatusOr<OriginState> state = DecodeState(origin, value);
  if (!state.ok()) return state.status();
  return *std::move(state);
}

absl::Status WitnessStore::PutState(absl::string_view origin,
                                    const OriginState& state) {
  return PutStates({{origin, &state}});
}

absl::Status WitnessStore::PutStates(
    const std::vector<std::pair<absl::string_view, const OriginState*>>&
        states) {
  rocksdb::WriteBatch batch;
  for (const auto& [origin, state] : states) {
    const rocksdb::Status put =
        batch.Put(state_, rocksdb::Slice(origin.data(), origin.size()),
                  EncodeState(*state));
    if (!put.ok()) return FromRocksDb(put, "batching witness state");
  }
  rocksdb::WriteOptions sync;
  sync.sync = true;
  return FromRocksDb(db_->Write(sync, &batch), "writing witness state");
}

absl::Status WitnessStore::AddEvidence(const Evidence& evidence,
                                       absl::string_view note) {
  const std::string key = absl::StrCat(Digest(evidence.origin), Digest(note));
  std::string existing;
  const rocksdb::Status got =
      db_->Get(rocksdb::ReadOptions(), evidence_, key, &existing);
  if (got.ok()) return absl::OkStatus();
  if (!got.IsNotFound()) return FromRocksDb(got, "reading evidence");
  rocksdb::WriteOptions sync;
  sync.sync = true;
  return FromRocksDb(db_->Put(sync, evidence_, key, FormatEvidence(evidence)),
                     "writing evidence");
}

absl::StatusOr<std::vector<Evidence>> WitnessStore::ListEvidence(
    absl::string_view origin) const {
  const std::string prefix = origin.empty() ? "" : Digest(origin);
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), evidence_));
  std::vector<Evidence> out;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix);
       it->Next()) {
    absl::StatusOr<Evidence> e = ParseEvidence(
        absl::string_view(it->value().data(), it->value().size()));
    if (!e.ok()) return e.status();
    out.push_back(*std::move(e));
  }
  if (!it->status().ok()) return FromRocksDb(it->status(), "listing evidence");
  std::stable_sort(
      out.begin(), out.end(),
      [](const Evidence& a, const Evidence& b) { return a.time < b.time; });
  return out;
}

}  // namespace witness

#include "office/testonly/hostile_log.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ledger/checkpoint_note.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/key_file.h"
#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "ledger/ledger_options.h"
#include "ledger/merkle/hash.h"
#include "ledger/tiles/tile_path.h"
#include "ledger/tiles/tiles.h"

namespace office::testonly {
namespace {

constexpr char kBlob[] = "aifl.collector.v1.Blob";

}  // namespace

absl::StatusOr<std::unique_ptr<HostileLog>> HostileLog::Create(
    const std::string& origin, size_t cache_bytes) {
  std::unique_ptr<HostileLog> log(new HostileLog());
  log->origin_ = origin;
  ASSIGN_OR_RETURN(log->fixture_,
                   ledger::testonly::LedgerFixture::Create(origin));
  ASSIGN_OR_RETURN(log->collector_, log->fixture_->EnrolNewKey(
                                        aifl::ledger::v1::ROLE_COLLECTOR));
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> key,
                   ledger::crypto::ReadSecretKeyFile(
                       ledger::DefaultLogKeyPath(log->fixture_->dir())));
  ASSIGN_OR_RETURN(log->log_signer_,
                   ledger::note::NoteSigner::Create(origin, std::move(key)));
  api::tiles_http::TileHandlerOptions options;
  options.cache_bytes = cache_bytes;
  log->handler_ =
      std::make_unique<api::tiles_http::TileHandler>(log.get(), options);
  ASSIGN_OR_RETURN(log->server_, api::tiles_http::TileHttpServer::Start(
                                     log->handler_.get(), {}));
  log->url_ = absl::StrCat("http://127.0.0.1:", log->server_->port());
  RETURN_IF_ERROR(log->ServeLedger());
  return log;
}

HostileLog::~HostileLog() { server_.reset(); }

absl::Status HostileLog::Grow(int n) {
  std::vector<std::string> envelopes;
  for (int i = 0; i < n; ++i, ++grown_) {
    ASSIGN_OR_RETURN(
        std::string envelope,
        collector_->SignNext(
            kBlob, std::string(1 + (grown_ * 37) % 700,
                               static_cast<char>('a' + grown_ % 26))));
    envelopes.push_back(std::move(envelope));
  }
  for (const ledger::AppendResult& r : fixture_->ledger().Append(envelopes)) {
    RETURN_IF_ERROR(r.status);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> HostileLog::LedgerLeaves() {
  std::vector<std::string> out;
  const uint64_t size = fixture_->ledger().Size();
  while (out.size() < size) {
    ASSIGN_OR_RETURN(
        std::vector<std::string> page,
        fixture_->ledger().GetLeaves(
            out.size(), std::min<uint64_t>(1000, size - out.size())));
    for (std::string& leaf : page) out.push_back(std::move(leaf));
  }
  return out;
}

absl::Status HostileLog::ServeLedger(int64_t size) {
  ASSIGN_OR_RETURN(std::vector<std::string> leaves, LedgerLeaves());
  if (size >= 0 && static_cast<uint64_t>(size) < leaves.size()) {
    leaves.resize(size);
  }
  return Serve(std::move(leaves));
}

absl::Status HostileLog::Serve(std::vector<std::string> leaves) {
  ledger::merkle::InMemoryTree tree;
  for (const std::string& leaf : leaves) {
    tree.Append(ledger::merkle::HashLeaf(leaf));
  }
  ledger::CheckpointFields fields;
  fields.origin = origin_;
  fields.size = leaves.size();
  ASSIGN_OR_RETURN(fields.root, tree.Root(leaves.size()));
  ASSIGN_OR_RETURN(std::string note,
                   ledger::SignCheckpoint(fields, *log_signer_));
  if (cosigner_ != nullptr) {
    ASSIGN_OR_RETURN(std::string line,
                     cosigner_->CosignatureLine(
                         note.substr(0, note.find("\n\n") + 1), 1'780'000'000));
    note += line;
  }
  absl::MutexLock lock(&mu_);
  leaves_ = std::move(leaves);
  tree_ = std::move(tree);
  note_ = std::move(note);
  return absl::OkStatus();
}

std::string HostileLog::note() const {
  absl::MutexLock lock(&mu_);
  return note_;
}

absl::StatusOr<std::string> HostileLog::UnenrolledLeaf() {
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::crypto::SigningKey> key,
                   ledger::crypto::SigningKey::Generate());
  ledger::EntrySigner stranger(std::move(key), origin_, 0);
  ASSIGN_OR_RETURN(std::string envelope, stranger.SignNext(kBlob, "intruder"));
  return ledger::entry::EncodeLeaf(absl::ToUnixMicros(fixture_->clock().Now()),
                                   envelope);
}

absl::StatusOr<std::string> HostileLog::BadSignatureLeaf() {
  RETURN_IF_ERROR(Grow(1));
  ASSIGN_OR_RETURN(std::vector<std::string> leaves, LedgerLeaves());
  return WithBadSignature(leaves.back());
}

absl::StatusOr<std::string> HostileLog::WithBadSignature(
    const std::string& honest) {
  ASSIGN_OR_RETURN(ledger::entry::Leaf leaf, ledger::entry::ParseLeaf(honest));
  ASSIGN_OR_RETURN(ledger::entry::Envelope envelope,
                   ledger::entry::ParseEnvelope(leaf.envelope));
  envelope.signature[5] ^= 0x01;
  ASSIGN_OR_RETURN(std::string bytes, ledger::entry::EncodeEnvelope(envelope));
  return ledger::entry::EncodeLeaf(leaf.integration_time_micros, bytes);
}

void HostileLog::set_cosigner(const ledger::note::Cosigner* cosigner) {
  cosigner_ = cosigner;
}

void HostileLog::set_tamper(
    std::function<void(const std::string&, std::string&)> f) {
  absl::MutexLock lock(&mu_);
  tamper_ = std::move(f);
}

std::vector<uint64_t> HostileLog::BundlesServed() const {
  absl::MutexLock lock(&mu_);
  return bundles_served_;
}

void HostileLog::ClearBundlesServed() {
  absl::MutexLock lock(&mu_);
  bundles_served_.clear();
}

absl::StatusOr<ledger::tiles::PublishedCheckpoint>
HostileLog::LatestCheckpoint() {
  absl::MutexLock lock(&mu_);
  return ledger::tiles::PublishedCheckpoint{note_, leaves_.size()};
}

absl::StatusOr<std::string> HostileLog::ReadTile(
    const ledger::tiles::TileId& tile, uint64_t size) {
  absl::MutexLock lock(&mu_);
  if (size > leaves_.size()) return absl::NotFoundError("beyond the tree");
  RETURN_IF_ERROR(ledger::tiles::CheckTileInTree(tile, size));
  std::string body;
  if (tile.entries) {
    bundles_served_.push_back(tile.index);
    const ledger::tiles::LeafRange range = ledger::tiles::BundleLeaves(tile);
    ASSIGN_OR_RETURN(body, ledger::tiles::EncodeEntryBundle(absl::MakeConstSpan(
                               leaves_.data() + range.begin, range.count)));
  } else {
    ASSIGN_OR_RETURN(body, ledger::tiles::ReadHashTile(tree_, tile, size));
  }
  if (tamper_) tamper_(ledger::tiles::TilePath(tile), body);
  return body;
}

}  // namespace office::testonly

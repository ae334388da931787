#include "ledger/ledger.h"

#include "common/status_macros.h"

namespace ledger {
namespace {

storage::StoreOptions StoreOptionsFor(const LedgerOptions& options) {
  storage::StoreOptions store_options = options.store_options;
  if (store_options.mode != storage::StoreOptions::Mode::kCreate) {
    store_options.mode = options.read_only
                             ? storage::StoreOptions::Mode::kReadOnly
                             : storage::StoreOptions::Mode::kOpenExisting;
  }
  return store_options;
}

}  // namespace

Ledger::~Ledger() = default;

absl::StatusOr<std::unique_ptr<Ledger>> Ledger::Open(LedgerOptions options) {
  if (options.clock == nullptr) options.clock = common::RealClock::Get();
  if (options.log_key_path.empty())
    options.log_key_path = DefaultLogKeyPath(options.dir);
  ASSIGN_OR_RETURN(
      std::unique_ptr<storage::Store> store,
      storage::Store::Open(DbPath(options.dir), StoreOptionsFor(options)));
  ASSIGN_OR_RETURN(std::unique_ptr<note::NoteSigner> signer,
                   LoadCheckpointSigner(*store, options));
  std::optional<crypto::PublicKey> loaded;
  if (signer != nullptr) loaded = signer->public_key();

  auto ledger = std::unique_ptr<Ledger>(new Ledger());
  ASSIGN_OR_RETURN(ledger->log_,
                   StoredLog::Load(std::move(store), options, loaded));
  ASSIGN_OR_RETURN(ledger->sequencer_, Sequencer::Create(options, options.clock,
                                                         ledger->log_.get()));
  ASSIGN_OR_RETURN(
      ledger->checkpointer_,
      Checkpointer::Create(options, ledger->log_.get(),
                           ledger->sequencer_.get(), std::move(signer)));
  if (!options.read_only) {
    if (options.simulated_clock)
      RETURN_IF_ERROR(ledger->sequencer_->MarkSimulatedClock());
    RETURN_IF_ERROR(ledger->sequencer_->CheckDerivedState());
  }
  return ledger;
}

}  // namespace ledger

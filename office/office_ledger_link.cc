#include "office/office_ledger_link.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "api/client/ingest_entry_target.h"
#include "common/status_macros.h"

namespace office {
namespace {

absl::Status OpenFolder(const OfficeLedgerLinkOptions& options,
                        OfficeLedgerLink* link) {
  ledger::LedgerOptions lo;
  lo.dir = options.ledger_dir;
  lo.clock = options.clock;
  ASSIGN_OR_RETURN(link->ledger, ledger::Ledger::Open(lo));
  ledger::Ledger* l = link->ledger.get();
  link->office_target = std::make_unique<compliance::LedgerEntryTarget>(l);
  link->rules_target = std::make_unique<compliance::LedgerEntryTarget>(l);
  link->publish = [l]() { return l->PublishCheckpoint().status(); };
  api::client::LogSourceOptions source;
  source.dir = options.ledger_dir;
  source.open_ledger = l;
  ASSIGN_OR_RETURN(api::client::OpenedLog opened,
                   api::client::OpenLogReader(source));
  link->reader = std::move(opened.reader);
  return absl::OkStatus();
}

absl::Status OpenServer(const OfficeLedgerLinkOptions& options,
                        OfficeLedgerLink* link) {
  if (options.vkey.empty()) {
    return absl::InvalidArgumentError(
        "the Office ledger server needs its verifier key (--office_vkey)");
  }
  api::client::LogSourceOptions source;
  source.server = options.server;
  source.vkey = options.vkey;
  source.tls_ca = options.tls_ca;
  source.tls_cert = options.tls_cert;
  source.tls_key = options.tls_key;
  ASSIGN_OR_RETURN(link->office_client,
                   api::client::ConnectLedgerClient(source));
  api::client::LogSourceOptions rules = source;
  if (!options.rules_tls_cert.empty()) {
    rules.tls_cert = options.rules_tls_cert;
    rules.tls_key = options.rules_tls_key;
  }
  ASSIGN_OR_RETURN(link->rules_client, api::client::ConnectLedgerClient(rules));
  link->office_target = std::make_unique<api::client::IngestEntryTarget>(
      link->office_client.client.get());
  link->rules_target = std::make_unique<api::client::IngestEntryTarget>(
      link->rules_client.client.get());
  link->publish = []() { return absl::OkStatus(); };
  source.trusted_dir = options.trusted_dir;
  if (!options.tiles_url.empty()) {
    source.server.clear();
    source.tiles_url = options.tiles_url;
  }
  ASSIGN_OR_RETURN(api::client::OpenedLog opened,
                   api::client::OpenLogReader(source));
  link->reader = std::move(opened.reader);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<api::client::VerifiedCheckpoint> OfficeLedgerLink::Settled(
    absl::Duration settle_timeout) {
  if (ledger != nullptr) {
    RETURN_IF_ERROR(publish());
    return reader->LatestCheckpoint();
  }
  ASSIGN_OR_RETURN(aifl::api::v1::ServerStatus status,
                   office_client.client->GetStatus());
  const absl::Time deadline = absl::Now() + settle_timeout;
  while (true) {
    ASSIGN_OR_RETURN(api::client::VerifiedCheckpoint at,
                     reader->LatestCheckpoint());
    if (at.fields.size >= status.tree_size()) return at;
    if (absl::Now() >= deadline) {
      return absl::UnavailableError(absl::StrCat(
          reader->Source(), " holds ", status.tree_size(),
          " entries but its newest checkpoint covers ", at.fields.size,
          " after ", absl::FormatDuration(settle_timeout),
          ": cannot read back what the Office ledger holds"));
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
}

absl::StatusOr<std::unique_ptr<OfficeLedgerLink>> OpenOfficeLedgerLink(
    const OfficeLedgerLinkOptions& options) {
  if (options.ledger_dir.empty() == options.server.empty()) {
    return absl::InvalidArgumentError(
        "the Office ledger is either a folder (--office_ledger_dir) or a "
        "ledger_server (--office_server), one of them");
  }
  auto link = std::make_unique<OfficeLedgerLink>();
  if (!options.ledger_dir.empty()) {
    RETURN_IF_ERROR(OpenFolder(options, link.get()));
  } else {
    RETURN_IF_ERROR(OpenServer(options, link.get()));
  }
  return link;
}

}  // namespace office

// Statement size and build time (issue 23, "Size and speed"): a model with a
// declaration and N collector records in a real ledger (RocksDB, real
// signatures), its statement built through a FolderLogReader (each leaf
// read and proven locally; over --server each leaf is also a GetEntries and
// a GetInclusionProof round trip), encoded, parsed and verified offline.
// Prints one line per N. Usage: statement_bench [N ...] (default 1000
// 10000). Results: docs/PERFORMANCE.md, "Provider statement". Each N also
// gets a "v2" line: the same statement with the per-model index's answer
// (statement_index.h), the index built over the same log, and a "v3" line:
// the bounded statement of the index's proven totals (statement_totals.h).
// With --v3_only the v1 and v2 statements are skipped (at 1M entries they
// take minutes and a gigabyte).
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "api/client/folder_log_reader.h"
#include "index/index_builder.h"
#include "index/model_answer.h"
#include "index/output_log.h"
#include "index/totals_answer.h"
#include "ledger/roles.h"
#include "ledger/testonly/ledger_fixture.h"
#include "schema/collector.pb.h"
#include "schema/provider.pb.h"
#include "tools/ledgerctl/statement.h"
#include "tools/ledgerctl/statement_index.h"
#include "tools/ledgerctl/statement_totals.h"

namespace ledgerctl {
namespace {

bool v3_only = false;

std::string IntervalPayload(int i) {
  aifl::collector::v1::IntervalReport r;
  r.set_run_id("run-1");
  r.set_node(absl::StrCat("gpu-node-", i % 64));
  r.set_device_model("NVIDIA H100 80GB HBM3");
  r.set_start_unix_ms(1'780'000'000'000 + int64_t{i} * 60'000);
  r.set_end_unix_ms(1'780'000'000'000 + int64_t{i + 1} * 60'000);
  r.set_gpu_count(8);
  r.set_energy_joules(2.4e7);
  r.mutable_flop()->set_lower(1.9e17);
  r.mutable_flop()->set_upper(2.4e17);
  r.mutable_flop()->set_method(aifl::common::v1::MEASURED_TENSOR_ACTIVITY);
  r.set_model_id("model-a");
  r.set_purpose(aifl::common::v1::PRE_TRAINING);
  return r.SerializeAsString();
}

// The version 2 statement of `s` (built at `cp` of `in`): indexes the log
// (not timed: the index is kept up to date as the log grows), then times
// the answer, its attachment and encoding, and the full verification.
int RunV2(const ledger::Ledger& in, const api::client::VerifiedCheckpoint& cp,
          Statement s, const api::client::LogVerifier& verifier) {
  auto out =
      ledger::testonly::LedgerFixture::Create("bench.example/index").value();
  auto output = vindex::OutputLog::Create(
                    &out->ledger(),
                    out->EnrolNewKey(aifl::ledger::v1::ROLE_RULES).value())
                    .value();
  auto builder =
      vindex::IndexBuilder::Open(ledger::testonly::FreshDir("index")).value();
  std::vector<std::string> leaves;
  for (uint64_t i = 0; i < cp.fields.size; i += 1000) {
    // A named StatusOr: value() of a temporary would dangle in the loop.
    absl::StatusOr<std::vector<std::string>> got =
        in.GetLeaves(i, std::min<uint64_t>(1000, cp.fields.size - i));
    if (!got.ok()) return 1;
    for (std::string& l : *got) leaves.push_back(std::move(l));
  }
  if (!builder->Apply({cp.fields.size, cp.fields.root}, leaves).ok() ||
      !output->Publish({in.origin(), builder->state()}).ok() ||
      !out->ledger().PublishCheckpoint().ok()) {
    return 1;
  }
  auto reader =
      api::client::FolderLogReader::Wrap(out->ledger(), out->dir()).value();
  const api::client::VerifiedCheckpoint index_cp =
      reader->LatestCheckpoint().value();
  absl::Time t0 = absl::Now();
  absl::StatusOr<vindex::ModelAnswer> answer = vindex::MakeModelAnswer(
      *builder, in, out->ledger(), index_cp.fields.size, s.model_id);
  absl::Status attached =
      answer.ok() ? AttachIndex(cp, index_cp, *std::move(answer), &s)
                  : answer.status();
  const std::string bytes = EncodeStatement(s);
  const double build_s = absl::ToDoubleSeconds(absl::Now() - t0);
  auto index_verifier =
      api::client::LogVerifier::Create(out->ledger().VerifierKey()).value();
  t0 = absl::Now();
  absl::StatusOr<Statement> parsed = ParseStatement(bytes);
  absl::StatusOr<VerifiedStatement> v =
      parsed.ok() ? VerifyStatement(*parsed, verifier)
                  : absl::StatusOr<VerifiedStatement>(parsed.status());
  absl::Status verified =
      !attached.ok() ? attached
      : v.ok() ? VerifyStatementIndex(*parsed, v->checkpoint, index_verifier)
               : v.status();
  const double verify_s = absl::ToDoubleSeconds(absl::Now() - t0);
  if (!verified.ok()) {
    std::fprintf(stderr, "v2: %s\n", verified.ToString().c_str());
    return 1;
  }
  std::printf(
      "v2 evidence=%zu index_part_bytes=%zu bytes=%zu bytes_per_entry=%.0f "
      "extra_build_s=%.2f verify_s=%.2f\n",
      s.leaves.size(), s.index->checkpoint_note.size() + s.index->answer.size(),
      bytes.size(), static_cast<double>(bytes.size()) / s.leaves.size(),
      build_s, verify_s);
  std::fflush(stdout);
  return 0;
}

// The version 3 statement at `cp` of `in`: builds the index (map version 2,
// timed as the index's own cost), then times the totals answer, the
// statement (the declaration at `declaration` proven) and its encoding, and
// the full offline verification.
int RunV3(const ledger::Ledger& in, api::client::LogReader& reader,
          const api::client::VerifiedCheckpoint& cp, uint64_t declaration,
          const SignerLookup& signers,
          const api::client::LogVerifier& verifier) {
  auto out =
      ledger::testonly::LedgerFixture::Create("bench.example/index").value();
  auto output = vindex::OutputLog::Create(
                    &out->ledger(),
                    out->EnrolNewKey(aifl::ledger::v1::ROLE_RULES).value())
                    .value();
  auto builder =
      vindex::IndexBuilder::Open(ledger::testonly::FreshDir("index3")).value();
  absl::Time t0 = absl::Now();
  // One update per 100k leaves, as an updater following the log would.
  for (uint64_t at = 0; at < cp.fields.size;) {
    const uint64_t end = std::min<uint64_t>(cp.fields.size, at + 100'000);
    std::vector<std::string> leaves;
    for (uint64_t i = at; i < end; i += 1000) {
      absl::StatusOr<std::vector<std::string>> got =
          in.GetLeaves(i, std::min<uint64_t>(1000, end - i));
      if (!got.ok()) return 1;
      for (std::string& l : *got) leaves.push_back(std::move(l));
    }
    ledger::merkle::Hash root = cp.fields.root;
    if (end < cp.fields.size) {
      absl::StatusOr<ledger::merkle::Hash> r = in.RootAt(end);
      if (!r.ok()) return 1;
      root = *r;
    }
    absl::Status applied = builder->Apply({end, root}, leaves);
    if (!applied.ok()) {
      std::fprintf(stderr, "v3 index: %s\n", applied.ToString().c_str());
      return 1;
    }
    at = end;
  }
  const double index_s = absl::ToDoubleSeconds(absl::Now() - t0);
  if (!output->Publish({in.origin(), builder->state()}).ok() ||
      !out->ledger().PublishCheckpoint().ok()) {
    return 1;
  }
  auto out_reader =
      api::client::FolderLogReader::Wrap(out->ledger(), out->dir()).value();
  const api::client::VerifiedCheckpoint index_cp =
      out_reader->LatestCheckpoint().value();
  t0 = absl::Now();
  absl::StatusOr<vindex::TotalsAnswer> answer = vindex::MakeTotalsAnswer(
      *builder, out->ledger(), index_cp.fields.size, "model-a");
  absl::StatusOr<Statement> s =
      answer.ok() ? BuildTotalsStatement(reader, cp, "model-a", {declaration},
                                         signers, index_cp, *answer)
                  : absl::StatusOr<Statement>(answer.status());
  if (!s.ok()) {
    std::fprintf(stderr, "v3: %s\n", s.status().ToString().c_str());
    return 1;
  }
  const std::string bytes = EncodeStatement(*s);
  const double build_s = absl::ToDoubleSeconds(absl::Now() - t0);
  auto index_verifier =
      api::client::LogVerifier::Create(out->ledger().VerifierKey()).value();
  t0 = absl::Now();
  absl::StatusOr<Statement> parsed = ParseStatement(bytes);
  absl::Status verified =
      parsed.ok()
          ? VerifyTotalsStatement(*parsed, verifier, index_verifier).status()
          : parsed.status();
  const double verify_s = absl::ToDoubleSeconds(absl::Now() - t0);
  if (!verified.ok()) {
    std::fprintf(stderr, "v3 verify: %s\n", verified.ToString().c_str());
    return 1;
  }
  std::printf(
      "v3 entries=%llu bytes=%zu build_s=%.4f verify_s=%.4f "
      "(index build %.1f s = %.0f leaves/s, not part of the statement)\n",
      static_cast<unsigned long long>(cp.fields.size), bytes.size(), build_s,
      verify_s, index_s, cp.fields.size / std::max(index_s, 1e-9));
  std::fflush(stdout);
  return 0;
}

// Appends `n` IntervalReports of model-a to `fixture` (signed by
// `collector`), their leaf indices to `evidence`. Non-zero on an error.
int AppendIntervals(ledger::testonly::LedgerFixture& fixture,
                    ledger::EntrySigner& collector, int n,
                    std::vector<uint64_t>* evidence) {
  for (int first = 0; first < n; first += 1000) {
    std::vector<std::string> batch;
    for (int i = first; i < std::min(n, first + 1000); ++i) {
      batch.push_back(
          collector
              .SignNext("aifl.collector.v1.IntervalReport", IntervalPayload(i))
              .value());
    }
    for (const auto& r : fixture.ledger().Append(batch)) {
      if (!r.status.ok()) {
        std::fprintf(stderr, "append: %s\n", r.status.ToString().c_str());
        return 1;
      }
      evidence->push_back(r.leaf_index);
    }
  }
  return 0;
}

int RunOne(int n) {
  auto fixture = ledger::testonly::LedgerFixture::Create().value();
  auto provider =
      fixture->EnrolNewKey(aifl::ledger::v1::ROLE_PROVIDER, "Org A", "lab-a")
          .value();
  auto collector =
      fixture->EnrolNewKey(aifl::ledger::v1::ROLE_COLLECTOR, "Factory", "node")
          .value();
  aifl::provider::v1::ModelDeclaration d;
  d.set_model_id("model-a");
  d.set_provider("Org A");
  std::vector<uint64_t> evidence = {
      fixture
          ->AppendOne(provider
                          ->SignNext("aifl.provider.v1.ModelDeclaration",
                                     d.SerializeAsString())
                          .value())
          .value()};
  if (AppendIntervals(*fixture, *collector, n, &evidence) != 0) return 1;
  if (!fixture->ledger().PublishCheckpoint().ok()) return 1;
  auto reader =
      api::client::FolderLogReader::Wrap(fixture->ledger(), fixture->dir())
          .value();
  const api::client::VerifiedCheckpoint cp = reader->LatestCheckpoint().value();
  const ledger::Ledger& ledger = fixture->ledger();
  SignerLookup signers =
      [&ledger](
          const ledger::crypto::KeyId& id) -> std::optional<StatementKey> {
    std::optional<ledger::KeyInfo> key = ledger.FindKey(id);
    if (!key.has_value()) return std::nullopt;
    return StatementKey{std::string(key->public_key->bytes()),
                        std::string(ledger::RoleName(key->role))};
  };
  auto verifier =
      api::client::LogVerifier::Create(fixture->ledger().VerifierKey()).value();
  if (v3_only) {
    return RunV3(fixture->ledger(), *reader, cp, evidence[0], signers,
                 verifier);
  }
  absl::Time t0 = absl::Now();
  absl::StatusOr<Statement> s =
      BuildStatement(*reader, cp, "model-a", evidence, signers);
  if (!s.ok()) {
    std::fprintf(stderr, "build: %s\n", s.status().ToString().c_str());
    return 1;
  }
  const std::string bytes = EncodeStatement(*s);
  const double build_s = absl::ToDoubleSeconds(absl::Now() - t0);
  t0 = absl::Now();
  absl::StatusOr<Statement> parsed = ParseStatement(bytes);
  absl::Status verified = parsed.ok()
                              ? VerifyStatement(*parsed, verifier).status()
                              : parsed.status();
  const double verify_s = absl::ToDoubleSeconds(absl::Now() - t0);
  if (!verified.ok()) {
    std::fprintf(stderr, "verify: %s\n", verified.ToString().c_str());
    return 1;
  }
  std::printf(
      "v1 evidence=%zu tree_size=%llu bytes=%zu bytes_per_entry=%.0f "
      "build_s=%.2f verify_s=%.2f\n",
      s->leaves.size(), static_cast<unsigned long long>(cp.fields.size),
      bytes.size(), static_cast<double>(bytes.size()) / s->leaves.size(),
      build_s, verify_s);
  std::fflush(stdout);
  if (RunV2(fixture->ledger(), cp, *std::move(s), verifier) != 0) return 1;
  return RunV3(fixture->ledger(), *reader, cp, evidence[0], signers, verifier);
}

}  // namespace
}  // namespace ledgerctl

int main(int argc, char** argv) {
  std::vector<int> sizes;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--v3_only") {
      ledgerctl::v3_only = true;
    } else {
      sizes.push_back(std::atoi(argv[i]));
    }
  }
  if (sizes.empty()) sizes = {1000, 10000};
  for (int n : sizes) {
    if (n < 1 || ledgerctl::RunOne(n) != 0) return 1;
  }
  return 0;
}

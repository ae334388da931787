// The crash test's victim: appends to an existing ledger until killed.
//
//   append_loop --dir=LEDGER --keys=K0,K1 [--seed=N] [--max_batches=N]
//               [--pipeline]
//
// One thread per collector key file (writer w = position in --keys) signs
// envelopes with crash::CrashPayload(w, sequence), starting at the sequence
// number the ledger reports for the key, and appends them in batches of 1..32
// entries (sizes from a fixed-seed RNG), publishing a checkpoint every few
// batches. After Append returns (the entries are durable) it writes one line
// per acknowledged entry to stdout with a single write(2):
//
//   ack <writer> <sequence> <leaf_index>
//
// Also "ready <size>" once the ledger is open, and "checkpoint <size>" after
// each publish.
//
// With --pipeline the writers do not wait for their batches: they submit
// them to one small ledger::AppendPipeline (kPipelineEntries) as fast as it
// accepts them, several batches of each key in flight, and the acks are
// printed by the pipeline's callback once the batch is durable. Before its
// first Submit of a batch a writer prints "batch <writer> <first sequence>
// <count>"; when Submit refuses (the pipeline is full) it prints
// "full <verified batches waiting for their commit>" and retries the same
// batch, so kills land while the pipeline holds verified, uncommitted
// batches. Any failed append or checkpoint is printed to stderr and exits
// with status 2. With --max_batches each writer stops after that many batches
// and the process exits 0.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "ledger/append_pipeline.h"
#include "ledger/checkpoint_note.h"
#include "ledger/crypto/key_file.h"
#include "ledger/crypto/key_id.h"
#include "ledger/entry_signer.h"
#include "ledger/ledger.h"
#include "tests/crash/crash_payload.h"

namespace {

absl::Mutex stdout_mu;

// Writes `text` to stdout unbuffered. Each call is one write(2) when it fits
// in the pipe's atomic size, so lines from the two writers never interleave.
void WriteOut(const std::string& text) {
  absl::MutexLock lock(&stdout_mu);
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(1, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) std::_Exit(3);  // the reader is gone
    done += static_cast<size_t>(n);
  }
}

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "append_loop: %s\n", what.c_str());
  std::fflush(stderr);
  std::_Exit(2);
}

// Small, so that it is full most of the time.
constexpr size_t kPipelineEntries = 192;

std::string AckLines(int writer, const std::vector<uint64_t>& sequences,
                     const std::vector<ledger::AppendResult>& results) {
  std::string acks;
  for (size_t i = 0; i < results.size(); ++i) {
    if (!results[i].status.ok()) {
      Fail(absl::StrCat("writer ", writer, " sequence ", sequences[i], ": ",
                        results[i].status.ToString()));
    }
    if (results[i].duplicate) {
      Fail(absl::StrCat("writer ", writer, " sequence ", sequences[i],
                        ": unexpectedly a duplicate of leaf ",
                        results[i].leaf_index));
    }
    absl::StrAppend(&acks, "ack ", writer, " ", sequences[i], " ",
                    results[i].leaf_index, "\n");
  }
  return acks;
}

// Hands the batch to `pipeline`, retrying while it is full; the acks are
// written by the pipeline's commit thread once the batch is durable.
void SubmitToPipeline(ledger::AppendPipeline* pipeline, int writer,
                      std::vector<std::string> envelopes,
                      std::vector<uint64_t> sequences) {
  WriteOut(absl::StrCat("batch ", writer, " ", sequences.front(), " ",
                        sequences.size(), "\n"));
  while (true) {
    // Submit takes the envelopes only when it accepts them.
    absl::Status submitted = pipeline->Submit(
        std::move(envelopes),
        [writer, sequences](std::vector<ledger::AppendResult> r) {
          WriteOut(AckLines(writer, sequences, r));
        });
    if (submitted.ok()) return;
    if (!absl::IsUnavailable(submitted)) Fail(submitted.ToString());
    WriteOut(absl::StrCat("full ", pipeline->Now().verified, "\n"));
    absl::SleepFor(absl::Milliseconds(1));
  }
}

void RunWriter(ledger::Ledger* ledger, ledger::AppendPipeline* pipeline,
               int writer, std::unique_ptr<ledger::EntrySigner> signer,
               uint64_t seed, int64_t max_batches) {
  std::mt19937_64 rng(seed * 1000 + static_cast<uint64_t>(writer));
  std::uniform_int_distribution<int> batch_size(1, 32);
  std::uniform_int_distribution<int> checkpoint_every(2, 6);
  int until_checkpoint = checkpoint_every(rng);
  for (int64_t b = 0; max_batches < 0 || b < max_batches; ++b) {
    const int n = batch_size(rng);
    std::vector<std::string> envelopes;
    std::vector<uint64_t> sequences;
    for (int i = 0; i < n; ++i) {
      const uint64_t sequence = signer->next_sequence();
      auto envelope = signer->SignNext(crash::kCrashPayloadType,
                                       crash::CrashPayload(writer, sequence));
      if (!envelope.ok()) Fail(envelope.status().ToString());
      envelopes.push_back(std::move(*envelope));
      sequences.push_back(sequence);
    }
    if (pipeline != nullptr) {
      SubmitToPipeline(pipeline, writer, std::move(envelopes),
                       std::move(sequences));
    } else {
      WriteOut(AckLines(writer, sequences, ledger->Append(envelopes)));
    }
    if (--until_checkpoint == 0) {
      until_checkpoint = checkpoint_every(rng);
      auto note = ledger->PublishCheckpoint();
      if (!note.ok()) {
        Fail(absl::StrCat("checkpoint: ", note.status().ToString()));
      }
      auto fields = ledger::VerifyCheckpoint(*note, ledger->origin(),
                                             ledger->log_public_key());
      if (!fields.ok()) {
        Fail(
            absl::StrCat("published checkpoint: ", fields.status().ToString()));
      }
      WriteOut(absl::StrCat("checkpoint ", fields->size, "\n"));
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  std::vector<std::string> key_paths;
  uint64_t seed = 1;
  int64_t max_batches = -1;
  bool use_pipeline = false;
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    std::pair<std::string, std::string> kv =
        absl::StrSplit(arg, absl::MaxSplits('=', 1));
    bool ok = true;
    if (kv.first == "--dir") {
      dir = kv.second;
    } else if (kv.first == "--keys") {
      key_paths = absl::StrSplit(kv.second, ',');
    } else if (kv.first == "--seed") {
      ok = absl::SimpleAtoi(kv.second, &seed);
    } else if (kv.first == "--pipeline" && kv.second.empty()) {
      use_pipeline = true;
    } else if (kv.first == "--max_batches") {
      ok = absl::SimpleAtoi(kv.second, &max_batches);
    } else {
      ok = false;
    }
    if (!ok) Fail(absl::StrCat("bad argument: ", arg));
  }
  if (dir.empty() || key_paths.empty()) {
    Fail(
        "usage: append_loop --dir=LEDGER --keys=K0,K1 [--seed=N] "
        "[--max_batches=N] [--pipeline]");
  }
  ledger::LedgerOptions options;
  options.dir = dir;
  options.index_run_leaves = crash::kCrashIndexRunLeaves;
  auto opened = ledger::Ledger::Open(options);
  if (!opened.ok()) Fail(absl::StrCat("open: ", opened.status().ToString()));
  std::unique_ptr<ledger::Ledger> ledger = std::move(*opened);

  std::vector<std::unique_ptr<ledger::EntrySigner>> signers;
  for (const std::string& path : key_paths) {
    auto key = ledger::crypto::ReadSecretKeyFile(path);
    if (!key.ok()) Fail(absl::StrCat("key: ", key.status().ToString()));
    const ledger::crypto::KeyId id =
        ledger::crypto::ComputeKeyId((*key)->public_key());
    const std::optional<ledger::KeyInfo> info = ledger->FindKey(id);
    if (!info.has_value()) Fail(absl::StrCat("key ", path, " is not enrolled"));
    signers.push_back(std::make_unique<ledger::EntrySigner>(
        std::move(*key), ledger->origin(), info->next_sequence));
  }
  std::unique_ptr<ledger::AppendPipeline> pipeline;
  if (use_pipeline) {
    ledger::PipelineOptions pipeline_options;
    pipeline_options.max_entries = kPipelineEntries;
    pipeline_options.verify_threads = 2;
    pipeline =
        ledger::AppendPipeline::Start(&ledger->sequencer(), pipeline_options);
  }
  WriteOut(absl::StrCat("ready ", ledger->Size(), "\n"));

  std::vector<std::thread> threads;
  for (size_t w = 0; w < signers.size(); ++w) {
    threads.emplace_back(RunWriter, ledger.get(), pipeline.get(),
                         static_cast<int>(w), std::move(signers[w]), seed,
                         max_batches);
  }
  for (std::thread& t : threads) t.join();
  pipeline.reset();  // commits and acknowledges what it still holds
  return 0;
}

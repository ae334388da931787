// The child of index_crash_test: indexes an input ledger folder in updates
// of 1..100 leaves (fixed seed) with key checkpoints every --interval
// leaves, printing "opened <size> <key checkpoint size>" once the index is
// open (after any re-apply) and "applied <size>" after each Apply returned
// (one write(2) each, no stdio buffering), then "done" at the input's end.
// Killed with SIGKILL at random moments by the test.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "index/index_builder.h"
#include "index/ledger_input.h"
#include "ledger/ledger.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/hash.h"

ABSL_FLAG(std::string, input, "", "the input ledger folder (read only)");
ABSL_FLAG(std::string, index, "", "the index folder");
ABSL_FLAG(uint64_t, interval, 1500, "BuilderOptions::key_checkpoint_leaves");
ABSL_FLAG(uint32_t, seed, 1, "seed of the update sizes");

namespace {

void Say(const std::string& line) {
  const std::string out = line + "\n";
  if (::write(1, out.data(), out.size()) < 0) std::_Exit(3);
}

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "index_loop: %s\n", s.ToString().c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  ledger::LedgerOptions ledger_options;
  ledger_options.dir = absl::GetFlag(FLAGS_input);
  ledger_options.read_only = true;
  absl::StatusOr<std::unique_ptr<ledger::Ledger>> input =
      ledger::Ledger::Open(ledger_options);
  if (!input.ok()) return Fail(input.status());
  vindex::BuilderOptions options;
  options.input = vindex::LedgerLeaves(**input);
  options.key_checkpoint_leaves = absl::GetFlag(FLAGS_interval);
  absl::StatusOr<std::unique_ptr<vindex::IndexBuilder>> builder =
      vindex::IndexBuilder::Open(absl::GetFlag(FLAGS_index), options);
  if (!builder.ok()) return Fail(builder.status());
  uint64_t size = (*builder)->state().input_size;
  Say(absl::StrCat("opened ", size, " ", (*builder)->key_checkpoint_size()));
  // The input's compact range at the index's size: the roots the updates
  // name (the input is this process's own, trusted).
  ledger::merkle::CompactRange range;
  while (range.size() < size) {
    absl::StatusOr<std::vector<std::string>> before =
        options.input(range.size(), size - range.size());
    if (!before.ok()) return Fail(before.status());
    for (const std::string& leaf : *before) {
      range.Append(ledger::merkle::HashLeaf(leaf), nullptr);
    }
  }
  std::mt19937 rng(absl::GetFlag(FLAGS_seed));
  std::uniform_int_distribution<uint64_t> step(1, 100);
  while (size < (*input)->Size()) {
    const uint64_t n = std::min(step(rng), (*input)->Size() - size);
    absl::StatusOr<std::vector<std::string>> leaves =
        (*input)->GetLeaves(size, n);
    if (!leaves.ok()) return Fail(leaves.status());
    for (const std::string& leaf : *leaves) {
      range.Append(ledger::merkle::HashLeaf(leaf), nullptr);
    }
    absl::Status applied = (*builder)->Apply({size + n, range.Root()}, *leaves);
    if (!applied.ok()) return Fail(applied);
    size += n;
    Say(absl::StrCat("applied ", size));
  }
  Say("done");
  return 0;
}

// Benchmark of a paged answer's list part (index/FORMAT.md, "Pages of a
// list") for one model with --entries list elements, pages of --page
// elements, in memory: the range proof's size per page (the largest over
// every page), the cost of hashing the list's whole tree (what the server
// did for an answer's first page before the builder stored the list's
// nodes, list_nodes.h; index_bench times the stored path) and of proofs
// from it, and the client's verification rate of a page's range proof. Entries'
// inclusion proofs in the input log are not included (index_bench measures
// those). Usage: bazel run -c opt //index:list_range_bench -- [--entries N]
//   [--page P]
#include <algorithm>
#include <cstdio>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "index/list_range.h"
#include "index/map_hash.h"
#include "ledger/merkle/in_memory_tree.h"

ABSL_FLAG(int, entries, 1000000, "elements of the model's list");
ABSL_FLAG(int, page, 1000, "elements per page");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const uint64_t n = absl::GetFlag(FLAGS_entries);
  const uint64_t page = absl::GetFlag(FLAGS_page);
  std::vector<uint64_t> list(n);
  for (uint64_t i = 0; i < n; ++i) list[i] = 3 * i + 7;

  absl::Time t0 = absl::Now();
  ledger::merkle::InMemoryTree tree;
  for (uint64_t i : list) tree.Append(vindex::ListLeafHash(i));
  const double rebuild_s = absl::ToDoubleSeconds(absl::Now() - t0);
  const vindex::Hash root = *tree.Root(n);

  size_t max_hashes = 0, total_hashes = 0, pages = 0;
  double verify_s = 0, prove_s = 0;
  for (uint64_t start = 0; start < n; start += page) {
    const uint64_t end = std::min(n, start + page);
    absl::Time p0 = absl::Now();
    absl::StatusOr<vindex::ListRangeProof> p =
        vindex::ProveListRange(tree, start, end, n);
    prove_s += absl::ToDoubleSeconds(absl::Now() - p0);
    if (!p.ok()) {
      std::fprintf(stderr, "prove: %s\n", p.status().ToString().c_str());
      return 1;
    }
    const size_t hashes = p->left.size() + p->right.size();
    max_hashes = std::max(max_hashes, hashes);
    total_hashes += hashes;
    ++pages;
    absl::Time v0 = absl::Now();
    absl::Status ok = vindex::VerifyListRange(
        root, n, start, absl::MakeConstSpan(list.data() + start, end - start),
        *p);
    verify_s += absl::ToDoubleSeconds(absl::Now() - v0);
    if (!ok.ok()) {
      std::fprintf(stderr, "verify: %s\n", ok.ToString().c_str());
      return 1;
    }
  }
  std::printf(
      "list of %llu elements, pages of %llu: %zu pages\n"
      "range proof: at most %zu hashes (%zu bytes), mean %.1f hashes\n"
      "whole tree hashed in %.3f s (%.0f elements/s); "
      "then %.0f range proofs/s from it\n"
      "client: %.0f pages verified/s (%.0f elements/s), range proof and "
      "leaf hashes only\n",
      static_cast<unsigned long long>(n), static_cast<unsigned long long>(page),
      pages, max_hashes, max_hashes * 32,
      static_cast<double>(total_hashes) / pages, rebuild_s, n / rebuild_s,
      pages / prove_s, pages / verify_s, n / verify_s);
  return 0;
}

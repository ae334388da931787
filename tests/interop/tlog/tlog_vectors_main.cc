// Prints leaf hashes, roots, inclusion proofs and consistency proofs of our
// Merkle code for fixed-seed leaves, for verify_tlog.go to check with Go's
// independent golang.org/x/mod/sumdb/tlog. Output, one record per line, all
// hashes lowercase hex, fields separated by one space:
//
//   # comment
//   leaf <index> <leaf bytes in hex, "-" if empty> <leaf hash>
//   root <size> <root hash>
//   inclusion <index> <size> <n> <hash 1> ... <hash n>
//   consistency <size1> <size2> <n> <hash 1> ... <hash n>
//
// Every leaf of the largest size is listed first, then every root, then the
// proofs. Exits non-zero (with a message on stderr) on any internal error.
#include <cstdint>
#include <iostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/in_memory_tree.h"
#include "ledger/merkle/node_reader.h"

namespace ledger::merkle {
namespace {

std::string ProofLine(absl::string_view kind, absl::string_view sizes,
                      const std::vector<Hash>& proof) {
  std::string line = absl::StrCat(kind, " ", sizes, " ", proof.size());
  for (const Hash& h : proof) absl::StrAppend(&line, " ", HashToHex(h));
  return line;
}

absl::Status Run() {
  const std::vector<uint64_t> sizes = [] {
    std::vector<uint64_t> s;
    for (uint64_t i = 1; i <= 33; ++i) s.push_back(i);
    for (uint64_t i :
         {63, 64, 65, 100, 127, 128, 129, 255, 256, 257, 511, 777, 1000}) {
      s.push_back(i);
    }
    return s;
  }();
  const uint64_t max_size = sizes.back();

  std::mt19937_64 rng(9162);
  InMemoryTree tree;
  std::cout << "# ledger merkle interop vectors v1\n";
  for (uint64_t i = 0; i < max_size; ++i) {
    std::string leaf(rng() % 64, '\0');
    for (char& c : leaf) c = static_cast<char>(rng());
    const Hash hash = HashLeaf(leaf);
    tree.Append(hash);
    std::cout << "leaf " << i << " "
              << (leaf.empty() ? "-" : absl::BytesToHexString(leaf)) << " "
              << HashToHex(hash) << "\n";
  }
  for (uint64_t size : sizes) {
    absl::StatusOr<Hash> root = tree.Root(size);
    if (!root.ok()) return root.status();
    std::cout << "root " << size << " " << HashToHex(*root) << "\n";
  }
  for (uint64_t size : sizes) {
    std::set<uint64_t> indices = {0, size / 2, size - 1};
    for (int i = 0; i < 4; ++i) indices.insert(rng() % size);
    for (uint64_t index : indices) {
      absl::StatusOr<std::vector<Hash>> proof =
          InclusionProof(index, size, tree);
      if (!proof.ok()) return proof.status();
      std::cout << ProofLine("inclusion", absl::StrCat(index, " ", size),
                             *proof)
                << "\n";
    }
  }
  for (uint64_t size2 : sizes) {
    for (uint64_t size1 : sizes) {
      if (size1 > size2) break;
      absl::StatusOr<std::vector<Hash>> proof =
          ConsistencyProof(size1, size2, tree);
      if (!proof.ok()) return proof.status();
      std::cout << ProofLine("consistency", absl::StrCat(size1, " ", size2),
                             *proof)
                << "\n";
    }
  }
  std::cout.flush();
  if (!std::cout) return absl::DataLossError("writing to stdout failed");
  return absl::OkStatus();
}

}  // namespace
}  // namespace ledger::merkle

int main() {
  const absl::Status status = ledger::merkle::Run();
  if (!status.ok()) {
    std::cerr << "tlog_vectors: " << status << "\n";
    return 1;
  }
  return 0;
}

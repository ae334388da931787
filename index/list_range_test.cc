// Pins the list range proof (FORMAT.md, "Pages of a list") to vectors that
// testdata/range_vectors.py computes independently, checks every page of
// lists of every size up to 40, and that every single-bit change of a proof,
// a page element, the root or the start fails.
#include "index/list_range.h"

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/map_hash.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/in_memory_tree.h"

namespace vindex {
namespace {

std::map<std::string, std::string> Vectors() {
  std::ifstream in("index/testdata/range_vectors.txt");
  std::map<std::string, std::string> out;
  std::string name, hex;
  while (in >> name >> hex) out[name] = hex == "-" ? "" : hex;
  return out;
}

std::string Hex(const std::vector<Hash>& hashes) {
  std::string out;
  for (const Hash& h : hashes) out += ledger::merkle::HashToHex(h);
  return out;
}

ledger::merkle::InMemoryTree Tree(const std::vector<uint64_t>& list) {
  ledger::merkle::InMemoryTree tree;
  for (uint64_t i : list) tree.Append(ListLeafHash(i));
  return tree;
}

Hash Root(ledger::merkle::InMemoryTree& tree) {
  return *tree.Root(tree.size());
}

TEST(ListRangeTest, MatchesTheIndependentScript) {
  std::map<std::string, std::string> v = Vectors();
  ASSERT_EQ(v.size(), 11u) << "index/testdata/range_vectors.txt not read";
  const std::vector<uint64_t> list = {3,  9,  12, 20,  21,  40,
                                      41, 77, 78, 100, 1000};
  ledger::merkle::InMemoryTree tree = Tree(list);
  EXPECT_EQ(ledger::merkle::HashToHex(Root(tree)), v["list_root(11)"]);
  for (auto [start, end] : std::vector<std::pair<uint64_t, uint64_t>>{
           {0, 4}, {2, 5}, {5, 11}, {10, 11}, {3, 10}}) {
    const std::string name = absl::StrCat("range(", start, ",", end, ")");
    absl::StatusOr<ListRangeProof> p =
        ProveListRange(tree, start, end, list.size());
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(Hex(p->left), v[name + ".left"]) << name;
    EXPECT_EQ(Hex(p->right), v[name + ".right"]) << name;
  }
}

TEST(ListRangeTest, EveryPageOfEveryListVerifies) {
  for (uint64_t n = 1; n <= 40; ++n) {
    std::vector<uint64_t> list;
    for (uint64_t i = 0; i < n; ++i) list.push_back(3 * i + 1);
    ledger::merkle::InMemoryTree tree = Tree(list);
    const Hash root = Root(tree);
    for (uint64_t start = 0; start < n; ++start) {
      for (uint64_t end = start + 1; end <= n; ++end) {
        absl::StatusOr<ListRangeProof> p = ProveListRange(tree, start, end, n);
        ASSERT_TRUE(p.ok()) << p.status();
        std::vector<uint64_t> page(list.begin() + start, list.begin() + end);
        ASSERT_TRUE(VerifyListRange(root, n, start, page, *p).ok())
            << n << " " << start << " " << end;
        // The page claimed one position later (or earlier) fails.
        if (start + page.size() < n) {
          EXPECT_FALSE(VerifyListRange(root, n, start + 1, page, *p).ok());
        }
        // Dropping the page's last element fails.
        if (page.size() > 1) {
          page.pop_back();
          EXPECT_FALSE(VerifyListRange(root, n, start, page, *p).ok());
        }
      }
    }
  }
}

TEST(ListRangeTest, BadRangesAreRefused) {
  ledger::merkle::InMemoryTree tree = Tree({1, 2, 3});
  EXPECT_FALSE(ProveListRange(tree, 2, 2, 3).ok());
  EXPECT_FALSE(ProveListRange(tree, 0, 4, 3).ok());
  ListRangeProof none;
  EXPECT_FALSE(VerifyListRange(Root(tree), 3, 0, {}, none).ok());
  EXPECT_FALSE(VerifyListRange(Root(tree), 3, 3, {4}, none).ok());
}

void FlipBit(Hash& h, int bit) { h[bit / 8] ^= uint8_t{1} << (bit % 8); }

TEST(ListRangeTest, EverySingleBitChangeFails) {
  std::vector<uint64_t> list;
  for (uint64_t i = 0; i < 13; ++i) list.push_back(10 + i * i);
  ledger::merkle::InMemoryTree tree = Tree(list);
  const Hash root = Root(tree);
  const uint64_t start = 5, end = 9, n = list.size();
  absl::StatusOr<ListRangeProof> p = ProveListRange(tree, start, end, n);
  ASSERT_TRUE(p.ok());
  ASSERT_FALSE(p->left.empty());
  ASSERT_FALSE(p->right.empty());
  const std::vector<uint64_t> page(list.begin() + start, list.begin() + end);
  ASSERT_TRUE(VerifyListRange(root, n, start, page, *p).ok());
  for (int bit = 0; bit < 256; ++bit) {
    for (size_t k = 0; k < p->left.size(); ++k) {
      ListRangeProof q = *p;
      FlipBit(q.left[k], bit);
      EXPECT_FALSE(VerifyListRange(root, n, start, page, q).ok());
    }
    for (size_t k = 0; k < p->right.size(); ++k) {
      ListRangeProof q = *p;
      FlipBit(q.right[k], bit);
      EXPECT_FALSE(VerifyListRange(root, n, start, page, q).ok());
    }
    Hash r = root;
    FlipBit(r, bit);
    EXPECT_FALSE(VerifyListRange(r, n, start, page, *p).ok());
  }
  for (size_t k = 0; k < page.size(); ++k) {
    for (int bit = 0; bit < 64; ++bit) {
      std::vector<uint64_t> q = page;
      q[k] ^= uint64_t{1} << bit;
      EXPECT_FALSE(VerifyListRange(root, n, start, q, *p).ok());
    }
  }
  // The count is not among these: an RFC 6962 root does not commit to its
  // size (9→13 and 9→15 proofs have the same shape), so the count comes
  // authenticated from the map leaf (model_page_test checks a changed one).
  for (int bit = 0; bit < 64; ++bit) {
    EXPECT_FALSE(
        VerifyListRange(root, n, start ^ (uint64_t{1} << bit), page, *p).ok());
  }
}

}  // namespace
}  // namespace vindex

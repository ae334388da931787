#include "index/map_tree.h"

#include <algorithm>
#include <utility>

namespace vindex {

// A leaf (one key) or an inner node (two or more keys below, in one or both
// children). `hash` is always up to date.
struct MapTree::Node {
  Hash hash{};
  bool leaf = false;
  Hash key{};
  KeyValue value;
  std::unique_ptr<Node> child[2];
};

MapTree::MapTree() = default;
MapTree::~MapTree() = default;
MapTree::MapTree(MapTree&&) noexcept = default;
MapTree& MapTree::operator=(MapTree&&) noexcept = default;

Hash MapTree::Root() const {
  return root_ == nullptr ? EmptyMapHash() : root_->hash;
}

void MapTree::Set(const Hash& key_hash, const KeyValue& value) {
  const std::pair<Hash, KeyValue> one[] = {{key_hash, value}};
  root_ = Insert(std::move(root_), 0, one);
}

void MapTree::SetSorted(absl::Span<const std::pair<Hash, KeyValue>> sorted) {
  root_ = Insert(std::move(root_), 0, sorted);
}

std::unique_ptr<MapTree::Node> MapTree::Insert(
    std::unique_ptr<Node> node, int depth,
    absl::Span<const std::pair<Hash, KeyValue>> sorted) {
  if (sorted.empty()) return node;
  const auto& [first_key, first_value] = sorted[0];
  if (sorted.size() == 1 &&
      (node == nullptr || (node->leaf && node->key == first_key))) {
    // One key alone in this subtree: a new leaf, or its new value.
    if (node == nullptr) {
      node = std::make_unique<Node>();
      node->leaf = true;
      node->key = first_key;
      ++size_;
    }
    node->value = first_value;
    node->hash = MapLeafHash(first_key, first_value);
    return node;
  }
  // Two or more keys below from now on: an inner node. A leaf here moves
  // one level down, and the keys go in beside it (further splits happen
  // there while their bits agree).
  if (node == nullptr || node->leaf) {
    auto inner = std::make_unique<Node>();
    if (node != nullptr) {
      const int bit = KeyBit(node->key, depth);
      inner->child[bit] = std::move(node);
    }
    node = std::move(inner);
  }
  // The keys share the first `depth` bits and are ascending: those with
  // bit 0 at `depth` come first.
  const auto split = std::partition_point(
      sorted.begin(), sorted.end(),
      [depth](const auto& kv) { return KeyBit(kv.first, depth) == 0; });
  const size_t zeros = split - sorted.begin();
  node->child[0] =
      Insert(std::move(node->child[0]), depth + 1, sorted.first(zeros));
  node->child[1] =
      Insert(std::move(node->child[1]), depth + 1, sorted.subspan(zeros));
  auto child_hash = [&](int i) {
    return node->child[i] == nullptr ? EmptyMapHash() : node->child[i]->hash;
  };
  node->hash = MapNodeHash(child_hash(0), child_hash(1));
  return node;
}

MapProof MapTree::Prove(const Hash& key_hash, KeyValue* value) const {
  MapProof proof;
  const Node* node = root_.get();
  int depth = 0;
  while (node != nullptr && !node->leaf) {
    const int bit = KeyBit(key_hash, depth);
    const Node* sibling = node->child[1 - bit].get();
    proof.siblings.push_back(sibling == nullptr ? EmptyMapHash()
                                                : sibling->hash);
    node = node->child[bit].get();
    ++depth;
  }
  if (node == nullptr) {
    proof.kind = MapProof::Kind::kAbsentEmpty;
  } else if (node->key == key_hash) {
    proof.kind = MapProof::Kind::kMember;
    if (value != nullptr) *value = node->value;
  } else {
    proof.kind = MapProof::Kind::kAbsentOther;
    proof.other_key = node->key;
    proof.other_value = node->value;
  }
  return proof;
}

}  // namespace vindex

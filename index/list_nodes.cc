#include "index/list_nodes.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/status_macros.h"
#include "ledger/entry/byte_io.h"
#include "ledger/merkle/compact_range.h"

namespace vindex {

using ledger::merkle::CompactRange;
using ledger::merkle::NodeId;
using ledger::storage::Family;

std::string ListEntryKey(const Hash& key, uint64_t position) {
  return absl::StrCat("l", HashBytes(key), ledger::entry::U64Key(position));
}

std::string ListNodeKey(const Hash& key, const NodeId& id) {
  return absl::StrCat("n", HashBytes(key),
                      std::string(1, static_cast<char>(id.level)),
                      ledger::entry::U64Key(id.index));
}

absl::StatusOr<std::vector<uint64_t>> ReadListElements(
    const ledger::storage::Store& store, const Hash& key, uint64_t position,
    uint64_t max_count) {
  std::vector<uint64_t> out;
  if (max_count == 0) return out;
  RETURN_IF_ERROR(store.Scan(
      Family::kLeaves, ListEntryKey(key, position),
      absl::StrCat("l", HashBytes(key), std::string(8, '\xff'), "\xff"),
      [&](absl::string_view, absl::string_view v) {
        out.push_back(ledger::entry::DecodeU64(v));
        return out.size() < max_count;
      }));
  return out;
}

absl::StatusOr<Hash> StoredListNodes::ReadNode(const NodeId& id) const {
  // Complete iff (index + 1) << level <= count, without overflowing.
  if (id.level >= 64 || id.index >= (count_ >> id.level)) {
    return absl::InvalidArgumentError(absl::StrCat("list node ", id.ToString(),
                                                   " is not complete in ",
                                                   count_, " elements"));
  }
  if (id.level >= kStoredListLevel) {
    ASSIGN_OR_RETURN(std::optional<std::string> node,
                     store_->Get(Family::kTree, ListNodeKey(key_, id)));
    if (!node.has_value() || node->size() != sizeof(Hash)) {
      return absl::DataLossError(absl::StrCat(
          "index: list node ", id.ToString(), " of key ",
          ledger::merkle::HashToHex(key_), " is missing or malformed"));
    }
    return HashOfBytes(*node);
  }
  ASSIGN_OR_RETURN(
      std::vector<uint64_t> elements,
      ReadListElements(*store_, key_, id.begin(), uint64_t{1} << id.level));
  if (elements.size() != (uint64_t{1} << id.level)) {
    return absl::DataLossError(
        absl::StrCat("index: list of key ", ledger::merkle::HashToHex(key_),
                     " holds ", elements.size(), " elements from position ",
                     id.begin(), ", want ", uint64_t{1} << id.level));
  }
  CompactRange range;
  for (uint64_t index : elements) range.Append(ListLeafHash(index), nullptr);
  return range.Root();  // a perfect tree's root is its top node
}

absl::StatusOr<std::vector<Hash>> StoredListNodes::ReadNodes(
    absl::Span<const NodeId> ids) {
  std::vector<Hash> out;
  out.reserve(ids.size());
  for (const NodeId& id : ids) {
    ASSIGN_OR_RETURN(Hash h, ReadNode(id));
    out.push_back(h);
  }
  return out;
}

std::vector<std::pair<NodeId, Hash>> StoredLevelNodes(
    absl::Span<const uint64_t> elements, CompactRange* range) {
  std::vector<std::pair<NodeId, Hash>> out, completed;
  *range = CompactRange();
  for (uint64_t index : elements) {
    completed.clear();
    range->Append(ListLeafHash(index), &completed);
    for (const auto& node : completed) {
      if (node.first.level >= kStoredListLevel) out.push_back(node);
    }
  }
  return out;
}

}  // namespace vindex

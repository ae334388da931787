#include "ledger/tiles/tile_path.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace ledger::tiles {
namespace {

absl::Status Bad(absl::string_view path, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("tile path \"", path, "\": ", why));
}

bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A decimal without leading zeros ("0" itself is fine), at most `max`.
bool ParseSmall(absl::string_view s, uint32_t max, uint32_t* out) {
  if (!AllDigits(s) || s.size() > 3 || (s.size() > 1 && s[0] == '0')) {
    return false;
  }
  uint32_t v = 0;
  if (!absl::SimpleAtoi(s, &v) || v > max) return false;
  *out = v;
  return true;
}

std::string IndexPath(uint64_t index) {
  std::vector<std::string> groups;
  do {
    groups.push_back(absl::StrFormat("%03d", static_cast<int>(index % 1000)));
    index /= 1000;
  } while (index > 0);
  std::string out;
  for (size_t i = groups.size(); i-- > 0;) {
    absl::StrAppend(&out, i > 0 ? "x" : "", groups[i], i > 0 ? "/" : "");
  }
  return out;
}

}  // namespace

std::string TilePath(const TileId& tile) {
  std::string out = tile.entries ? std::string("tile/entries/")
                                 : absl::StrCat("tile/", tile.level, "/");
  absl::StrAppend(&out, IndexPath(tile.index));
  if (!tile.full()) absl::StrAppend(&out, ".p/", tile.width);
  return out;
}

absl::StatusOr<TileId> ParseTilePath(absl::string_view path) {
  std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  if (parts.size() < 3 || parts[0] != "tile") {
    return Bad(path, "want tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]");
  }
  TileId tile;
  if (parts[1] == "entries") {
    tile.entries = true;
  } else if (!ParseSmall(parts[1], kMaxLevel, &tile.level)) {
    return Bad(path, "level: want 0..63 without leading zeros");
  }
  // Index groups run to the one ending the path or ending in ".p".
  size_t last = parts.size() - 1;
  bool partial = false;
  if (parts.size() >= 4 && absl::EndsWith(parts[last - 1], ".p")) {
    partial = true;
    if (!ParseSmall(parts[last], kTileWidth - 1, &tile.width) ||
        tile.width == 0) {
      return Bad(path, "width: want 1..255 without leading zeros");
    }
    --last;
  }
  uint64_t index = 0;
  for (size_t i = 2; i <= last; ++i) {
    absl::string_view g = parts[i];
    if (i == last && partial) g.remove_suffix(2);  // ".p"
    if (i < last) {
      if (!absl::ConsumePrefix(&g, "x")) {
        return Bad(path, "index: every group but the last starts with 'x'");
      }
    }
    if (g.size() != 3 || !AllDigits(g)) {
      return Bad(path, "index: want groups of exactly 3 digits");
    }
    uint32_t v = 0;
    absl::SimpleAtoi(g, &v);
    if (index > (UINT64_MAX - v) / 1000) return Bad(path, "index too large");
    index = index * 1000 + v;
  }
  tile.index = index;
  if (TilePath(tile) != path) {
    return Bad(path, "not the canonical spelling (leading zero groups?)");
  }
  return tile;
}

std::string HandoverPath(uint64_t epoch) {
  return absl::StrCat("log-key-handover/", epoch);
}

}  // namespace ledger::tiles

// Big-endian integer encoding for the hand-specified formats in FORMAT.md.
// Header-only; thread-safe.
#ifndef LEDGER_ENTRY_BYTE_IO_H_
#define LEDGER_ENTRY_BYTE_IO_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace ledger::entry {

inline void PutU16(std::string* out, uint16_t v) {
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v));
}

inline void PutU32(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out->push_back(static_cast<char>(v >> shift));
}

inline void PutU64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out->push_back(static_cast<char>(v >> shift));
}

inline std::string U64Key(uint64_t v) {
  std::string out;
  out.reserve(8);
  PutU64(&out, v);
  return out;
}

// Reads fixed-width big-endian integers from the front of a view, advancing
// it. Each returns false (leaving the view unspecified) when too short.
class ByteReader {
 public:
  explicit ByteReader(absl::string_view data) : data_(data) {}

  bool ReadU8(uint8_t* v) { return ReadInt(1, v); }
  bool ReadU16(uint16_t* v) { return ReadInt(2, v); }
  bool ReadU32(uint32_t* v) { return ReadInt(4, v); }
  bool ReadU64(uint64_t* v) { return ReadInt(8, v); }
  bool ReadBytes(size_t n, absl::string_view* out) {
    if (data_.size() < n) return false;
    *out = data_.substr(0, n);
    data_.remove_prefix(n);
    return true;
  }
  size_t remaining() const { return data_.size(); }
  absl::string_view rest() const { return data_; }

 private:
  template <typename T>
  bool ReadInt(size_t n, T* v) {
    if (data_.size() < n) return false;
    uint64_t acc = 0;
    for (size_t i = 0; i < n; ++i)
      acc = (acc << 8) | static_cast<uint8_t>(data_[i]);
    *v = static_cast<T>(acc);
    data_.remove_prefix(n);
    return true;
  }

  absl::string_view data_;
};

inline uint64_t DecodeU64(absl::string_view eight_bytes) {
  uint64_t v = 0;
  ByteReader(eight_bytes).ReadU64(&v);
  return v;
}

}  // namespace ledger::entry

#endif  // LEDGER_ENTRY_BYTE_IO_H_

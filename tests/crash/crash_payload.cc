#include "tests/crash/crash_payload.h"

#include "absl/strings/str_cat.h"

namespace crash {
namespace {

// SplitMix64: a fixed, portable mixing function (no std:: distribution, whose
// output may differ between standard libraries).
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

std::string CrashPayload(int writer, uint64_t sequence) {
  std::string payload =
      absl::StrCat("crash-test writer=", writer, " sequence=", sequence, " ");
  uint64_t state = Mix((static_cast<uint64_t>(writer) << 56) ^ sequence);
  const size_t filler = state & 0xff;
  for (size_t i = 0; i < filler; ++i) {
    state = Mix(state);
    payload.push_back(static_cast<char>('a' + state % 26));
  }
  return payload;
}

std::string CrashKeySeed(int writer) {
  std::string seed(32, '\0');
  uint64_t state = Mix(0xc4a5'0000ULL + static_cast<uint64_t>(writer));
  for (char& c : seed) {
    state = Mix(state);
    c = static_cast<char>(state & 0xff);
  }
  return seed;
}

}  // namespace crash

#include "ledger/crypto/sha256.h"

#include <random>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace ledger::crypto {
namespace {

std::string Hex(const Sha256Digest& digest) {
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(digest.data()), digest.size()));
}

// FIPS 180-2 appendix B and the NIST example values.
TEST(Sha256Test, MatchesFipsVectors) {
  EXPECT_EQ(Hex(Sha256({})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(Sha256({"abc"})),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(
      Hex(Sha256({"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"})),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Hex(Sha256({std::string(1'000'000, 'a')})),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Parts are hashed as their concatenation, however the bytes are split
// (block boundaries, empty parts), which the Merkle hashes rely on.
TEST(Sha256Test, PartsHashAsTheirConcatenation) {
  std::mt19937 rng(7);
  std::string message(300, '\0');
  for (char& c : message) c = static_cast<char>(rng());
  const Sha256Digest whole = Sha256({message});
  for (size_t a = 0; a <= message.size(); a += 31) {
    for (size_t b = a; b <= message.size(); b += 17) {
      const absl::string_view m(message);
      EXPECT_EQ(Sha256({m.substr(0, a), "", m.substr(a, b - a), m.substr(b)}),
                whole)
          << "split at " << a << " and " << b;
    }
  }
}

}  // namespace
}  // namespace ledger::crypto

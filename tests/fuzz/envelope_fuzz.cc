// Envelopes and leaves arrive from outside (Submit requests, copied
// ledgers). Parsing must never crash, and whatever parses must re-encode to
// exactly the same bytes (one encoding per value: nothing is re-serialized
// differently from what was signed).
#include <cstdint>
#include <string>

#include "ledger/entry/envelope.h"
#include "ledger/entry/leaf.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  auto envelope = ledger::entry::ParseEnvelope(bytes);
  if (envelope.ok()) {
    auto again = ledger::entry::EncodeEnvelope(*envelope);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(*again == bytes);
  }
  auto leaf = ledger::entry::ParseLeaf(bytes);
  if (leaf.ok()) {
    FUZZ_CHECK(ledger::entry::EncodeLeaf(leaf->integration_time_micros,
                                         leaf->envelope) == bytes);
  }
  return 0;
}

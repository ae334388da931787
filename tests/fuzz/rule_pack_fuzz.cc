// Rule packs are data an operator edits; the loader must reject malformed
// packs with an error, never crash.
#include <cstdint>
#include <string>

#include "rules/rule_pack_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rules::ParseRulePack(std::string(reinterpret_cast<const char*>(data), size))
      .status()
      .IgnoreError();
  return 0;
}

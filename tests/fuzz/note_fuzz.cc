// Checkpoints and signed notes come from servers and files an auditor does
// not control. Parsing must never crash; a body that parses must format back
// to the same bytes; a note must never open without a valid signature by the
// known key (the input cannot contain one except by replaying the seed).
#include <cstdint>
#include <string>

#include "ledger/note/checkpoint.h"
#include "ledger/note/signed_note.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

// The C2SP example verifier key from Go's sumdb/note documentation.
constexpr char kVerifierKey[] =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto checkpoint = ledger::note::ParseCheckpointBody(text);
  if (checkpoint.ok()) {
    FUZZ_CHECK(ledger::note::FormatCheckpointBody(*checkpoint) == text);
  }
  static const auto verifier =
      ledger::note::NoteVerifier::FromVerifierKey(kVerifierKey);
  FUZZ_CHECK(verifier.ok());
  auto opened = ledger::note::OpenNote(text, {*verifier});
  if (opened.ok()) {
    FUZZ_CHECK(!opened->verified.empty());
    FUZZ_CHECK(text.compare(0, opened->text.size(), opened->text) == 0);
  }
  ledger::note::NoteVerifier::FromVerifierKey(text).status().IgnoreError();
  return 0;
}

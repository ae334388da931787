// Character-level rules shared by C2SP signed notes (c2sp.org/signed-note):
// valid UTF-8, no ASCII control characters but newline, and key names that are
// non-empty with neither Unicode spaces nor '+'. The same rules as Go's
// golang.org/x/mod/sumdb/note. Thread-safe (pure functions).
#ifndef LEDGER_NOTE_NOTE_SYNTAX_H_
#define LEDGER_NOTE_NOTE_SYNTAX_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace ledger::note {

// True if `name` is a valid key name: non-empty, valid UTF-8, no Unicode
// white space (Go's unicode.IsSpace: \t \n \v \f \r space U+0085 U+00A0
// U+1680 U+2000-U+200A U+2028 U+2029 U+202F U+205F U+3000), no '+' and no
// control character.
bool IsValidKeyName(absl::string_view name);

// OK if `text` is valid UTF-8 (no overlong forms, surrogates or code points
// above U+10FFFF) without ASCII control characters other than '\n'. Otherwise
// kInvalidArgument naming the byte offset and line of the first offence.
absl::Status CheckNoteCharacters(absl::string_view text);

}  // namespace ledger::note

#endif  // LEDGER_NOTE_NOTE_SYNTAX_H_

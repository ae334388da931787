// The index builder's input reader (index_builder.h, BuilderOptions::input)
// over a ledger folder the process has open: how the builder re-reads the
// leaves indexed since its last key checkpoint when it opens after a crash.
#ifndef INDEX_LEDGER_INPUT_H_
#define INDEX_LEDGER_INPUT_H_

#include "index/index_builder.h"
#include "ledger/ledger.h"

namespace vindex {

// Reads `input`'s leaves; `input` must outlive every call.
InputLeafReader LedgerLeaves(const ledger::Ledger& input);

}  // namespace vindex

#endif  // INDEX_LEDGER_INPUT_H_

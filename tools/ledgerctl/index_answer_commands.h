// `ledgerctl index-answer` and `ledgerctl model-complete`: the static form
// of a complete per-model answer (index/model_answer.h). The index's host
// writes the answer for one model to a file; anyone verifies it against the
// output log's checkpoint, read through the one LogReader (--index_dir,
// --index_server or --index_tiles):
//   index-answer   --dir IN --index_dir OUT --index_store S --model M --out F
//                  [--totals: the bounded totals answer, index/totals_answer.h]
//   model-complete --model M --answer F (--index_dir|--index_server|
//                  --index_tiles) [--index_vkey V] [--as_of N]
//                  [--dir IN | --server S | --tiles URL: the input log, to
//                  check the update's input root is a prefix of it]
#ifndef TOOLS_LEDGERCTL_INDEX_ANSWER_COMMANDS_H_
#define TOOLS_LEDGERCTL_INDEX_ANSWER_COMMANDS_H_

#include <ostream>
#include <string>

#include "absl/flags/declare.h"
#include "absl/status/status.h"
#include "tools/ledgerctl/local_commands.h"

ABSL_DECLARE_FLAG(std::string, answer);

namespace ledgerctl {

// Writes the answer for --model (a binary aifl.index.v1.ModelAnswer) to
// --out; prints "answer for M: K entries, as of input size N, to F".
absl::Status IndexAnswer(const CommandArgs& args, std::ostream& out);

// Verifies --answer for --model; prints "complete as of size N (indexed at
// T): K entries about M" and one line per entry (leaf index, payload
// type), or "absent: no entries about M as of size N (verified
// non-membership)". kDataLoss "model-complete failed: …" when any check
// fails.
absl::Status ModelComplete(const CommandArgs& args, std::ostream& out);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_INDEX_ANSWER_COMMANDS_H_

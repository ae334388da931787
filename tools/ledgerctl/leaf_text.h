// How ledgerctl names a leaf in its listings: its payload type and its
// integration time, read from the leaf's bytes. Pure.
#ifndef TOOLS_LEDGERCTL_LEAF_TEXT_H_
#define TOOLS_LEDGERCTL_LEAF_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace ledgerctl {

// The envelope's payload type, or "?" when the leaf or envelope does not
// parse.
std::string LeafPayloadType(absl::string_view leaf_bytes);

// The integration time as "2026-12-07T05:50:39Z", or "?".
std::string LeafTime(absl::string_view leaf_bytes);

}  // namespace ledgerctl

#endif  // TOOLS_LEDGERCTL_LEAF_TEXT_H_

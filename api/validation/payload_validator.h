// The admission rule for payload contents: a pure function that says whether
// the payload of a new entry holds numbers that can be true. The server's
// Submit calls it for every envelope (every role, the local operator too);
// the admission function planned by issue 15 and a future AI Office monitor
// can call it as well. It never touches storage or the clock: the time window
// comes in as a value. Thread-safe (no state).
//
// The rules are written down in api/README.md ("Payload validation"). They
// apply to new submissions only: leaves stored before they existed stay
// readable and auditable (the audit checks signatures and the tree, never
// payload contents), and the rules fold treats a stored bad value on its own.
#ifndef API_VALIDATION_PAYLOAD_VALIDATOR_H_
#define API_VALIDATION_PAYLOAD_VALIDATOR_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace api::validation {

// Timestamps a payload may carry, in Unix milliseconds, inclusive.
struct TimeWindow {
  int64_t earliest_unix_ms = 0;
  int64_t latest_unix_ms = 0;
};

// 2020-01-01T00:00:00Z: no measurement or declaration in a ledger built for
// the AI Act (in force 2024) predates it.
inline constexpr int64_t kEarliestPayloadTimeUnixMs = 1577836800000;

// The window for an entry integrated at `integration_time_micros`:
// 2020-01-01 .. integration time + 1 day (clock skew between a node and the
// ledger host, and records signed just before a midnight roll-over).
TimeWindow WindowForIntegrationTime(int64_t integration_time_micros);

// Future dates that are legitimately ahead of the integration time (a
// finding's deadline) must only be after kEarliestPayloadTimeUnixMs and
// before this bound (2100-01-01T00:00:00Z).
inline constexpr int64_t kLatestDeadlineUnixMs = 4102444800000;

// OK when `payload` is an acceptable payload of type `payload_type`:
//   - `aifl.ledger.v1.KeyEvent`: OK here (the ledger's key-event admission
//     checks it in full);
//   - `aifl.<collector|provider|office|rules>.v1.Blob`: opaque bytes, OK
//     (the documented escape for tools and tests; the rules fold ignores it);
//   - every payload type of schema/{collector,provider,office,findings}.proto
//     must parse and pass its field rules (finite, non-negative figures,
//     lower <= upper, shares in [0, 1], timestamps in `window`, hashes of 32
//     bytes, enum values the schema defines);
//   - any other type: kInvalidArgument.
// Errors are kInvalidArgument and name the field, e.g.
//   "payload field flop.lower: got -1, want >= 0".
absl::Status ValidatePayload(absl::string_view payload_type,
                             absl::string_view payload,
                             const TimeWindow& window);

}  // namespace api::validation

#endif  // API_VALIDATION_PAYLOAD_VALIDATOR_H_

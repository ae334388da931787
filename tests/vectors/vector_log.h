// The published test vectors (ledger/testdata/vectors/*.json): a small but
// complete and valid log, built with the ledger's own format code from fixed
// seeds, written out as JSON with every input and every exact byte in hex, so
// that an outside implementer can check an implementation written from
// ledger/FORMAT.md alone. Ed25519 signatures are deterministic, so the files
// are reproducible byte for byte: vectors_golden_test regenerates them and
// compares; make_vectors writes them.
//
// The log (origin "factory.example.eu/ledger"):
//   leaf 0  admin Enrol of itself (genesis, admin sequence 0)
//   leaf 1  admin LogKey announcing log key 1 (genesis, sequence 1)
//   leaf 2  admin Enrol of a collector key (sequence 2)
//   leaf 3..5  collector IntervalReports (collector sequences 0..2)
//   leaf 6  admin LogKey announcing log key 2 (a rotation, sequence 3)
//   leaf 7  collector IntervalReport (sequence 3)
// Checkpoints: size 6 signed by log key 1; size 8, the handover, signed by
// log key 1 then log key 2.
#ifndef TESTS_VECTORS_VECTOR_LOG_H_
#define TESTS_VECTORS_VECTOR_LOG_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"

namespace vectors {

// File name (e.g. "envelope.json") → its exact contents.
absl::StatusOr<std::map<std::string, std::string>> BuildVectorFiles();

}  // namespace vectors

#endif  // TESTS_VECTORS_VECTOR_LOG_H_

// The release of every binary of this repository (ledger_server, ledgerctl,
// compliance_check, collector_agent, factory_sim), printed by --version.
// One constant, bumped once per release.
#ifndef COMMON_VERSION_H_
#define COMMON_VERSION_H_

namespace common {

// Semantic version of this release: MAJOR.MINOR.PATCH.
inline constexpr char kVersion[] = "0.5.0";

// The release in which flags renamed in 0.5.0 stop being accepted
// (common/renamed_flag.h).
inline constexpr char kRenamedFlagsRemovedIn[] = "0.6.0";

}  // namespace common

#endif  // COMMON_VERSION_H_

#include "common/production_runtime.h"

#include "absl/synchronization/mutex.h"

namespace common {

void UseProductionRuntime() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::EnableMutexInvariantDebugging(false);
}

}  // namespace common

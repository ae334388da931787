#include "common/metrics_exposer.h"

#include <exception>
#include <vector>

#include "absl/strings/str_cat.h"
#include "prometheus/collectable.h"
#include "prometheus/exposer.h"

namespace common {

absl::StatusOr<std::unique_ptr<prometheus::Exposer>> ExposeMetrics(
    const std::string& flag, const std::string& listen,
    std::shared_ptr<prometheus::Collectable> metrics) {
  std::unique_ptr<prometheus::Exposer> exposer;
  try {
    exposer = std::make_unique<prometheus::Exposer>(listen, 1);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat(flag, " ", listen, ": ", e.what()));
  }
  exposer->RegisterCollectable(metrics);
  return exposer;
}

int ExposerPort(const prometheus::Exposer* exposer) {
  if (exposer == nullptr) return 0;
  std::vector<int> ports = exposer->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

}  // namespace common

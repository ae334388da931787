#include "api/server/log.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/json.h"

namespace api::server {

void LogEvent(
    absl::string_view level, absl::string_view event,
    std::initializer_list<std::pair<absl::string_view, std::string>> fields) {
  std::string line = absl::StrCat(
      "{\"ts\":",
      common::JsonQuote(absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(),
                                         absl::UTCTimeZone())),
      ",\"level\":", common::JsonQuote(level),
      ",\"event\":", common::JsonQuote(event));
  for (const auto& [key, value] : fields) {
    absl::StrAppend(&line, ",", common::JsonQuote(key), ":",
                    common::JsonQuote(value));
  }
  line += "}\n";
  // One write(2) per line keeps concurrent lines whole; a failed log write
  // is ignored on purpose (nowhere better to report it).
  (void)!::write(2, line.data(), line.size());
}

}  // namespace api::server

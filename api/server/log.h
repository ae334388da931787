// Structured logs: one JSON object per line on stderr, e.g.
//   {"ts":"2026-…","level":"info","event":"server_started","port":"8443"}
// Thread-safe (one write per line).
#ifndef API_SERVER_LOG_H_
#define API_SERVER_LOG_H_

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace api::server {

void LogEvent(absl::string_view level, absl::string_view event,
              std::initializer_list<std::pair<absl::string_view, std::string>>
                  fields = {});

}  // namespace api::server

#endif  // API_SERVER_LOG_H_

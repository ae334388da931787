// File-based job hand-off between `collector_agent job-start|job-end` (run
// by the scheduler prolog / epilog) and the daemon: one request per file in
// <spool_dir>/control/, named <unix_ns>-<pid>.start|.end, holding key=value
// lines (collector/FORMAT.md "Control files"). Written tmp + fsync + rename,
// so the daemon never reads a torn request; the daemon applies them in name
// order once a second and deletes each. The folder is 0700: a start file
// briefly holds the clear user name, which the daemon pseudonymises and
// deletes. (A Unix-socket hand-off is planned; the file format stays.)
#ifndef COLLECTOR_AGENT_CONTROL_DIR_H_
#define COLLECTOR_AGENT_CONTROL_DIR_H_

#include <map>
#include <string>

#include "absl/status/status.h"
#include "collector/agent/node_agent.h"

namespace collector {
namespace agent {

class ControlDir {
 public:
  explicit ControlDir(std::string dir) : dir_(std::move(dir)) {}

  // Writes a start request from `fields` (ParseJobFields keys) or, when
  // `fields` is empty, from the Slurm environment `envp`. kInvalidArgument
  // when the request does not parse (checked before writing).
  absl::Status SubmitStart(const std::map<std::string, std::string>& fields,
                           char** envp);
  // Writes an end request; needs run=<run id> (or job= [step=]) and exit=.
  absl::Status SubmitEnd(const std::map<std::string, std::string>& fields);

  // Applies and deletes every waiting request, oldest first. Returns the
  // first error (the failing request is deleted too, after logging).
  absl::Status Apply(NodeAgent* agent);

 private:
  absl::Status Write(const std::string& suffix,
                     const std::map<std::string, std::string>& fields);
  const std::string dir_;
};

}  // namespace agent
}  // namespace collector

#endif  // COLLECTOR_AGENT_CONTROL_DIR_H_

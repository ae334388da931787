#include "collector/agent/control_dir.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "collector/spool/spool_file.h"
#include "common/read_file.h"
#include "common/status_macros.h"

namespace collector {
namespace agent {
namespace {

std::map<std::string, std::string> FieldsOf(const JobStartRequest& r) {
  return {{"job", r.job_id},
          {"step", r.step},
          {"account", r.account},
          {"user", r.user},
          {"gpus", absl::StrJoin(r.gpus, ",")},
          {"model", r.model_id},
          {"purpose", aifl::common::v1::RunPurpose_Name(r.purpose)},
          {"budget", absl::StrCat(r.planned_compute_flop)},
          {"label", r.run_label}};
}

std::map<std::string, std::string> ParseLines(const std::string& text) {
  std::map<std::string, std::string> out;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv =
        absl::StrSplit(line, absl::MaxSplits('=', 1));
    out[kv.first] = kv.second;
  }
  return out;
}

absl::Status ApplyOne(const std::string& name,
                      std::map<std::string, std::string> f, NodeAgent* agent,
                      const std::string& cluster_hint) {
  if (absl::EndsWith(name, ".start")) {
    ASSIGN_OR_RETURN(JobStartRequest r, ParseJobFields(f));
    return agent->StartJob(r).status();
  }
  int exit_code = 0;
  if (!absl::SimpleAtoi(f["exit"], &exit_code)) {
    return absl::InvalidArgumentError(
        absl::StrCat("exit: got '", f["exit"], "'"));
  }
  return agent->EndJob(f["run"], exit_code);
}

}  // namespace

absl::Status ControlDir::Write(
    const std::string& suffix,
    const std::map<std::string, std::string>& fields) {
  RETURN_IF_ERROR(spool::EnsureDir(dir_));
  std::string body;
  for (const auto& [k, v] : fields) {
    if (!v.empty()) absl::StrAppend(&body, k, "=", v, "\n");
  }
  const std::string name =
      absl::StrCat(absl::ToUnixNanos(absl::Now()), "-", getpid(), suffix);
  return spool::WriteFileDurably(dir_, name, body);
}

absl::Status ControlDir::SubmitStart(
    const std::map<std::string, std::string>& fields, char** envp) {
  if (!fields.empty()) {
    RETURN_IF_ERROR(ParseJobFields(fields).status());
    return Write(".start", fields);
  }
  std::map<std::string, std::string> env;
  for (char** e = envp; e && *e; ++e) {
    std::pair<std::string, std::string> kv =
        absl::StrSplit(*e, absl::MaxSplits('=', 1));
    env[kv.first] = kv.second;
  }
  ASSIGN_OR_RETURN(JobStartRequest r, ParseSlurmEnv(env));
  auto f = FieldsOf(r);
  if (r.purpose == aifl::common::v1::RUN_PURPOSE_UNSPECIFIED)
    f.erase("purpose");
  return Write(".start", f);
}

absl::Status ControlDir::SubmitEnd(
    const std::map<std::string, std::string>& fields) {
  auto f = fields;
  if (f["run"].empty()) {
    return absl::InvalidArgumentError(
        "run: missing (want run=<cluster>/<job>[.<step>])");
  }
  if (f["exit"].empty()) f["exit"] = "0";
  return Write(".end", f);
}

absl::Status ControlDir::Apply(NodeAgent* agent) {
  DIR* d = opendir(dir_.c_str());
  if (d == nullptr) return absl::OkStatus();  // nothing submitted yet
  std::vector<std::string> names;
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (absl::EndsWith(n, ".start") || absl::EndsWith(n, ".end"))
      names.push_back(n);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  absl::Status first;
  for (const std::string& n : names) {
    auto text = common::ReadWholeFile(dir_ + "/" + n);
    absl::Status s =
        text.ok() ? ApplyOne(n, ParseLines(*text), agent, "") : text.status();
    if (!s.ok()) {
      std::fprintf(stderr, "collector: control request %s: %s\n", n.c_str(),
                   s.ToString().c_str());
      if (first.ok()) first = s;
    }
    RETURN_IF_ERROR(spool::RemoveFileDurably(dir_, n));
  }
  return first;
}

}  // namespace agent
}  // namespace collector

#include "collector/spool/spool.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <tuple>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "collector/spool/interval_merge.h"
#include "collector/spool/spool_file.h"
#include "common/read_file.h"
#include "common/status_macros.h"
#include "rules/payload_types.h"
#include "schema/collector.pb.h"

namespace collector {
namespace spool {
namespace {

std::string FileName(uint64_t id, bool sealed) {
  return absl::StrFormat("%020d.%s", id, sealed ? "env" : "rec");
}

absl::StatusOr<std::vector<std::string>> ListDir(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return absl::InternalError(absl::StrCat("opendir ", dir));
  std::vector<std::string> names;
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  closedir(d);
  return names;
}

}  // namespace

Spool::Spool(std::string dir, SpoolOptions options)
    : dir_(std::move(dir)), options_(std::move(options)) {}

void Spool::Log(const std::string& msg) const {
  if (options_.log) {
    options_.log(msg);
  } else {
    std::fprintf(stderr, "collector spool: %s\n", msg.c_str());
  }
}

std::string Spool::PathOf(uint64_t id, bool sealed) const {
  return absl::StrCat(dir_, sealed ? "/sealed/" : "/pending/",
                      FileName(id, sealed));
}

absl::StatusOr<std::unique_ptr<Spool>> Spool::Open(const std::string& dir,
                                                   SpoolOptions options) {
  std::unique_ptr<Spool> s(new Spool(dir, std::move(options)));
  RETURN_IF_ERROR(s->Recover());
  return s;
}

absl::Status Spool::Recover() {
  for (const char* sub : {"", "/pending", "/sealed", "/rejected",
                          "/rejected/reshipped", "/corrupt"}) {
    RETURN_IF_ERROR(EnsureDir(dir_ + sub));
  }
  std::set<uint64_t> superseded;
  for (bool sealed : {false, true}) {
    const std::string sub = dir_ + (sealed ? "/sealed" : "/pending");
    ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(sub));
    for (const std::string& name : names) {
      if (absl::EndsWith(name, ".tmp")) {  // torn write: never acknowledged
        RETURN_IF_ERROR(RemoveFileDurably(sub, name));
        continue;
      }
      uint64_t id = 0;
      absl::StatusOr<std::string> bytes =
          common::ReadWholeFile(sub + "/" + name);
      absl::StatusOr<SpoolFile> f =
          bytes.ok() ? DecodeSpoolFile(*bytes)
                     : absl::StatusOr<SpoolFile>(bytes.status());
      if (!f.ok() || !absl::SimpleAtoi(name.substr(0, 20), &id) ||
          f->id != id) {
        Log(absl::StrCat("CORRUPT spool file ", sub, "/", name,
                         " moved to corrupt/: ",
                         f.ok() ? "name/id mismatch" : f.status().ToString()));
        RETURN_IF_ERROR(MoveFileDurably(sub, dir_ + "/corrupt", name));
        continue;
      }
      for (uint64_t r : f->replaces) superseded.insert(r);
      index_[id] = Meta{sealed, bytes->size(), f->payload_type};
      next_id_ = std::max(next_id_, id + 1);
    }
  }
  for (const char* sub : {"/rejected", "/rejected/reshipped"}) {
    ASSIGN_OR_RETURN(std::vector<std::string> rejected, ListDir(dir_ + sub));
    for (const std::string& name : rejected) {
      uint64_t id = 0;
      if (absl::SimpleAtoi(name.substr(0, 20), &id))
        next_id_ = std::max(next_id_, id + 1);
    }
  }
  // A merge or a seal that crashed before deleting its sources.
  for (uint64_t id : superseded) {
    auto it = index_.find(id);
    if (it == index_.end() || it->second.sealed) continue;
    RETURN_IF_ERROR(RemoveFileDurably(dir_ + "/pending", FileName(id, false)));
    index_.erase(it);
  }
  for (const auto& [id, m] : index_) bytes_ += m.size;
  return absl::OkStatus();
}

absl::Status Spool::Enqueue(absl::string_view payload_type,
                            absl::string_view payload) {
  // Same size whatever the id: the id is fixed after a merge took its own.
  const size_t size =
      EncodeSpoolFile({0, std::string(payload_type), {}, std::string(payload)})
          .size();
  if (bytes_ + size > options_.merge_at * options_.max_bytes) {
    RETURN_IF_ERROR(MergePending());
  }
  SpoolFile f{next_id_, std::string(payload_type), {}, std::string(payload)};
  const std::string bytes = EncodeSpoolFile(f);
  if (bytes_ + bytes.size() > options_.max_bytes) {
    Log(absl::StrCat("SPOOL FULL: ", bytes_, " of ", options_.max_bytes,
                     " bytes after merging; record of type ", payload_type,
                     " not accepted (caller retries)"));
    return absl::ResourceExhaustedError("spool full");
  }
  RETURN_IF_ERROR(
      WriteFileDurably(dir_ + "/pending", FileName(f.id, false), bytes));
  index_[f.id] = Meta{false, bytes.size(), f.payload_type};
  bytes_ += bytes.size();
  ++next_id_;
  return absl::OkStatus();
}

absl::Status Spool::MergePending() {
  // (run, node) -> pending interval ids, oldest first.
  std::map<std::pair<std::string, std::string>, std::vector<uint64_t>> groups;
  std::map<uint64_t, aifl::collector::v1::IntervalReport> reports;
  for (const auto& [id, m] : index_) {
    if (m.sealed || m.payload_type != rules::kIntervalReportType) continue;
    ASSIGN_OR_RETURN(std::string bytes,
                     common::ReadWholeFile(PathOf(id, false)));
    ASSIGN_OR_RETURN(SpoolFile f, DecodeSpoolFile(bytes));
    aifl::collector::v1::IntervalReport r;
    if (!r.ParseFromString(f.body)) continue;  // not ours to judge: keep as is
    groups[{r.run_id(), r.node()}].push_back(id);
    reports[id] = std::move(r);
  }
  for (const auto& [key, ids] : groups) {
    if (ids.size() < 2) continue;
    aifl::collector::v1::IntervalReport merged = reports[ids[0]];
    for (size_t i = 1; i < ids.size(); ++i) {
      RETURN_IF_ERROR(MergeInterval(&merged, reports[ids[i]]));
    }
    SpoolFile f{next_id_++, rules::kIntervalReportType, ids,
                merged.SerializeAsString()};
    const std::string bytes = EncodeSpoolFile(f);
    RETURN_IF_ERROR(
        WriteFileDurably(dir_ + "/pending", FileName(f.id, false), bytes));
    index_[f.id] = Meta{false, bytes.size(), rules::kIntervalReportType};
    bytes_ += bytes.size();
    for (uint64_t id : ids) {
      RETURN_IF_ERROR(
          RemoveFileDurably(dir_ + "/pending", FileName(id, false)));
      bytes_ -= index_[id].size;
      index_.erase(id);
    }
    merged_records_ += ids.size() - 1;
    Log(absl::StrCat("SPOOL NEAR BOUND (", bytes_, " of ", options_.max_bytes,
                     " bytes): merged ", ids.size(),
                     " interval records of run ", key.first, " on ", key.second,
                     " into one"));
  }
  return absl::OkStatus();
}

absl::StatusOr<size_t> Spool::Seal(RecordSigner* signer, size_t max) {
  std::vector<uint64_t> todo;
  for (const auto& [id, m] : index_) {
    if (todo.size() >= max) break;
    if (!m.sealed) todo.push_back(id);
  }
  size_t sealed = 0;
  for (uint64_t pid : todo) {
    ASSIGN_OR_RETURN(std::string bytes,
                     common::ReadWholeFile(PathOf(pid, false)));
    ASSIGN_OR_RETURN(SpoolFile p, DecodeSpoolFile(bytes));
    ASSIGN_OR_RETURN(std::string envelope,
                     signer->SignNext(p.payload_type, p.body));
    SpoolFile s{next_id_++, p.payload_type, {pid}, std::move(envelope)};
    const std::string out = EncodeSpoolFile(s);
    RETURN_IF_ERROR(
        WriteFileDurably(dir_ + "/sealed", FileName(s.id, true), out));
    index_[s.id] = Meta{true, out.size(), s.payload_type};
    bytes_ += out.size();
    RETURN_IF_ERROR(RemoveFileDurably(dir_ + "/pending", FileName(pid, false)));
    bytes_ -= index_[pid].size;
    index_.erase(pid);
    ++sealed;
  }
  return sealed;
}

absl::StatusOr<std::vector<SpoolEntry>> Spool::Sealed(size_t max) const {
  std::vector<SpoolEntry> out;
  for (const auto& [id, m] : index_) {
    if (out.size() >= max) break;
    if (!m.sealed) continue;
    ASSIGN_OR_RETURN(std::string bytes,
                     common::ReadWholeFile(PathOf(id, true)));
    ASSIGN_OR_RETURN(SpoolFile f, DecodeSpoolFile(bytes));
    out.push_back(SpoolEntry{id, true, f.payload_type, std::move(f.body)});
  }
  return out;
}

absl::StatusOr<std::vector<SpoolEntry>> Spool::All() const {
  std::vector<SpoolEntry> out;
  for (const auto& [id, m] : index_) {
    ASSIGN_OR_RETURN(std::string bytes,
                     common::ReadWholeFile(PathOf(id, m.sealed)));
    ASSIGN_OR_RETURN(SpoolFile f, DecodeSpoolFile(bytes));
    out.push_back(SpoolEntry{id, m.sealed, f.payload_type, std::move(f.body)});
  }
  return out;
}

absl::Status Spool::Ack(uint64_t id) {
  auto it = index_.find(id);
  if (it == index_.end() || !it->second.sealed) {
    return absl::NotFoundError(absl::StrCat("sealed envelope ", id));
  }
  RETURN_IF_ERROR(RemoveFileDurably(dir_ + "/sealed", FileName(id, true)));
  bytes_ -= it->second.size;
  index_.erase(it);
  return absl::OkStatus();
}

absl::StatusOr<std::string> Spool::Reject(uint64_t id) {
  auto it = index_.find(id);
  if (it == index_.end() || !it->second.sealed) {
    return absl::NotFoundError(absl::StrCat("sealed envelope ", id));
  }
  ASSIGN_OR_RETURN(
      std::string name,
      MoveFileUniquely(dir_ + "/sealed", FileName(id, true), dir_ + "/rejected",
                       absl::StrFormat("%020d", id), ".env"));
  bytes_ -= it->second.size;
  index_.erase(it);
  return name;
}

absl::StatusOr<std::string> Spool::ReplaceSealed(uint64_t id,
                                                 absl::string_view payload_type,
                                                 absl::string_view envelope) {
  auto it = index_.find(id);
  if (it == index_.end() || !it->second.sealed) {
    return absl::NotFoundError(absl::StrCat("sealed envelope ", id));
  }
  ASSIGN_OR_RETURN(std::string original,
                   common::ReadWholeFile(PathOf(id, true)));
  // A hard link keeps the original's bytes in rejected/: the rename below
  // replaces sealed/'s name only.
  ASSIGN_OR_RETURN(
      std::string kept,
      LinkFileUniquely(dir_ + "/sealed", FileName(id, true), dir_ + "/rejected",
                       absl::StrFormat("%020d", id), ".env"));
  ASSIGN_OR_RETURN(SpoolFile f, DecodeSpoolFile(original));
  SpoolFile marker{id, std::string(payload_type), f.replaces,
                   std::string(envelope)};
  const std::string out = EncodeSpoolFile(marker);
  RETURN_IF_ERROR(WriteFileDurably(dir_ + "/sealed", FileName(id, true), out));
  bytes_ = bytes_ - it->second.size + out.size();
  it->second = Meta{true, out.size(), std::string(payload_type)};
  return kept;
}

absl::StatusOr<std::vector<Spool::RejectedFile>> Spool::Rejected() const {
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(dir_ + "/rejected"));
  // Oldest id first; for one id, in the order the names were given
  // (<id>.env, <id>.1.env, <id>.2.env, …).
  std::sort(names.begin(), names.end(),
            [](const std::string& a, const std::string& b) {
              return std::make_tuple(a.substr(0, 20), a.size(), a) <
                     std::make_tuple(b.substr(0, 20), b.size(), b);
            });
  std::vector<RejectedFile> out;
  for (const std::string& name : names) {
    if (name == "reshipped" || absl::EndsWith(name, ".tmp")) continue;
    RejectedFile r;
    r.name = name;
    absl::StatusOr<std::string> bytes =
        common::ReadWholeFile(absl::StrCat(dir_, "/rejected/", name));
    absl::StatusOr<SpoolFile> f =
        bytes.ok() ? DecodeSpoolFile(*bytes)
                   : absl::StatusOr<SpoolFile>(bytes.status());
    if (f.ok()) {
      r.payload_type = std::move(f->payload_type);
      r.envelope = std::move(f->body);
    } else {
      r.error = f.status();
    }
    out.push_back(std::move(r));
  }
  return out;
}

absl::Status Spool::Requeue(const std::string& name,
                            absl::string_view payload_type,
                            absl::string_view payload) {
  const std::string rejected = dir_ + "/rejected";
  if (access(absl::StrCat(rejected, "/", name).c_str(), F_OK) != 0) {
    return absl::NotFoundError(absl::StrCat(rejected, "/", name));
  }
  bool queued = false;  // by an earlier run that stopped before the move
  for (const auto& [id, m] : index_) {
    if (m.sealed || m.payload_type != payload_type) continue;
    ASSIGN_OR_RETURN(std::string bytes,
                     common::ReadWholeFile(PathOf(id, false)));
    ASSIGN_OR_RETURN(SpoolFile f, DecodeSpoolFile(bytes));
    if (f.body == payload) {
      queued = true;
      break;
    }
  }
  if (!queued) RETURN_IF_ERROR(Enqueue(payload_type, payload));
  const size_t dot = name.find('.');
  return MoveFileUniquely(rejected, name, rejected + "/reshipped",
                          name.substr(0, dot),
                          dot == std::string::npos ? "" : name.substr(dot))
      .status();
}

size_t Spool::pending_count() const {
  size_t n = 0;
  for (const auto& [id, m] : index_) n += !m.sealed;
  return n;
}

size_t Spool::sealed_count() const { return index_.size() - pending_count(); }

}  // namespace spool
}  // namespace collector

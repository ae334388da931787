#include "index/model_totals.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "ledger/crypto/sha256.h"
#include "ledger/entry/byte_io.h"

namespace vindex {
namespace {

namespace common_v1 = ::aifl::common::v1;
using ledger::entry::ByteReader;

constexpr uint8_t kTotalsFormat = 1;

uint64_t Bits(double v) {
  uint64_t u;
  std::memcpy(&u, &v, sizeof u);
  return u;
}

double FromBits(uint64_t u) {
  double v;
  std::memcpy(&v, &u, sizeof v);
  return v;
}

void PutF64(std::string* out, double v) { ledger::entry::PutU64(out, Bits(v)); }

void PutName(std::string* out, const std::string& name) {
  ledger::entry::PutU32(out, static_cast<uint32_t>(name.size()));
  out->append(name);
}

void PutSet(std::string* out, const std::set<uint32_t>& set) {
  ledger::entry::PutU32(out, static_cast<uint32_t>(set.size()));
  for (uint32_t v : set) ledger::entry::PutU32(out, v);
}

absl::Status Bad(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("totals: ", what));
}

bool ReadF64(ByteReader* in, double* v) {
  uint64_t u = 0;
  if (!in->ReadU64(&u)) return false;
  *v = FromBits(u);
  return true;
}

bool ReadI64(ByteReader* in, int64_t* v) {
  uint64_t u = 0;
  if (!in->ReadU64(&u)) return false;
  *v = static_cast<int64_t>(u);
  return true;
}

bool ReadName(ByteReader* in, std::string* name) {
  uint32_t n = 0;
  absl::string_view bytes;
  if (!in->ReadU32(&n) || !in->ReadBytes(n, &bytes)) return false;
  *name = std::string(bytes);
  return true;
}

// A set in strictly ascending order (the one encoding of it).
absl::Status ReadSet(ByteReader* in, std::set<uint32_t>* set) {
  uint32_t n = 0;
  if (!in->ReadU32(&n) || n > in->remaining() / 4) return Bad("truncated set");
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t v = 0;
    in->ReadU32(&v);
    if (!set->empty() && v <= *set->rbegin()) return Bad("set not ascending");
    set->insert(v);
  }
  return absl::OkStatus();
}

absl::Status ReadHardware(ByteReader* in, ModelTotals* t) {
  uint32_t rows = 0;
  if (!in->ReadU32(&rows)) return Bad("truncated hardware");
  for (uint32_t i = 0; i < rows; ++i) {
    std::string name;
    HardwareTotals h;
    if (!ReadName(in, &name) || !in->ReadU64(&h.gpus) ||
        !in->ReadU64(&h.nodes) || !ReadF64(in, &h.gpu_seconds) ||
        !in->ReadU64(&h.intervals)) {
      return Bad("truncated hardware row");
    }
    if (!t->hardware.empty() && name <= t->hardware.rbegin()->first) {
      return Bad("hardware rows not ascending");
    }
    t->hardware.emplace(std::move(name), h);
  }
  return absl::OkStatus();
}

absl::StatusOr<ModelTotals> ReadTotals(ByteReader* in) {
  ModelTotals t;
  uint8_t format = 0;
  if (!in->ReadU8(&format) || format != kTotalsFormat) {
    return Bad("unknown format");
  }
  if (!in->ReadU64(&t.training_intervals) || !ReadF64(in, &t.flop_lower) ||
      !ReadF64(in, &t.flop_upper)) {
    return Bad("truncated");
  }
  if (absl::Status s = ReadSet(in, &t.flop_methods); !s.ok()) return s;
  if (absl::Status s = ReadSet(in, &t.precisions); !s.ok()) return s;
  if (!in->ReadU64(&t.cumulative_intervals) ||
      !ReadF64(in, &t.cumulative_lower) || !ReadF64(in, &t.cumulative_upper)) {
    return Bad("truncated");
  }
  if (absl::Status s = ReadSet(in, &t.cumulative_methods); !s.ok()) return s;
  if (!ReadF64(in, &t.energy_joules) || !in->ReadU64(&t.energy_intervals) ||
      !ReadI64(in, &t.first_start_ms) || !ReadI64(in, &t.last_end_ms) ||
      !ReadF64(in, &t.gpu_seconds)) {
    return Bad("truncated");
  }
  if (absl::Status s = ReadHardware(in, &t); !s.ok()) return s;
  return t;
}

}  // namespace

bool ModelTotals::operator==(const ModelTotals& o) const {
  return EncodeTotals(*this) == EncodeTotals(o);
}

bool IsTrainingPurpose(common_v1::RunPurpose p) {
  return p == common_v1::PRE_TRAINING || p == common_v1::FINE_TUNING ||
         p == common_v1::RUN_PURPOSE_UNSPECIFIED;
}

bool IsCumulativePurpose(common_v1::RunPurpose p) {
  return IsTrainingPurpose(p) || p == common_v1::SYNTHETIC_DATA_NON_PUBLIC ||
         p == common_v1::MERGE_OR_INIT;
}

std::string DeviceModelOf(const aifl::collector::v1::IntervalReport& r) {
  return r.device_model().empty() ? "not reported" : r.device_model();
}

std::string EncodeTotals(const ModelTotals& t) {
  std::string out(1, static_cast<char>(kTotalsFormat));
  ledger::entry::PutU64(&out, t.training_intervals);
  PutF64(&out, t.flop_lower);
  PutF64(&out, t.flop_upper);
  PutSet(&out, t.flop_methods);
  PutSet(&out, t.precisions);
  ledger::entry::PutU64(&out, t.cumulative_intervals);
  PutF64(&out, t.cumulative_lower);
  PutF64(&out, t.cumulative_upper);
  PutSet(&out, t.cumulative_methods);
  PutF64(&out, t.energy_joules);
  ledger::entry::PutU64(&out, t.energy_intervals);
  ledger::entry::PutU64(&out, static_cast<uint64_t>(t.first_start_ms));
  ledger::entry::PutU64(&out, static_cast<uint64_t>(t.last_end_ms));
  PutF64(&out, t.gpu_seconds);
  ledger::entry::PutU32(&out, static_cast<uint32_t>(t.hardware.size()));
  for (const auto& [name, h] : t.hardware) {
    PutName(&out, name);
    ledger::entry::PutU64(&out, h.gpus);
    ledger::entry::PutU64(&out, h.nodes);
    PutF64(&out, h.gpu_seconds);
    ledger::entry::PutU64(&out, h.intervals);
  }
  return out;
}

Hash TotalsHash(const ModelTotals& t) {
  return ledger::crypto::Sha256({EncodeTotals(t)});
}

absl::StatusOr<ModelTotals> DecodeTotals(absl::string_view bytes) {
  ByteReader in(bytes);
  absl::StatusOr<ModelTotals> t = ReadTotals(&in);
  if (t.ok() && in.remaining() != 0) return Bad("trailing bytes");
  return t;
}

void TotalsFold::AddInterval(const aifl::collector::v1::IntervalReport& r) {
  ModelTotals& t = totals_;
  if (IsCumulativePurpose(r.purpose())) {
    ++t.cumulative_intervals;
    t.cumulative_lower += r.flop().lower();
    t.cumulative_upper += r.flop().upper();
    t.cumulative_methods.insert(static_cast<uint32_t>(r.flop().method()));
  }
  if (!IsTrainingPurpose(r.purpose())) return;
  ++t.training_intervals;
  t.flop_lower += r.flop().lower();
  t.flop_upper += r.flop().upper();
  t.flop_methods.insert(static_cast<uint32_t>(r.flop().method()));
  if (r.precision_low() != common_v1::PRECISION_UNSPECIFIED)
    t.precisions.insert(static_cast<uint32_t>(r.precision_low()));
  if (r.precision_high() != common_v1::PRECISION_UNSPECIFIED)
    t.precisions.insert(static_cast<uint32_t>(r.precision_high()));
  if (r.has_energy_joules()) {
    t.energy_joules += r.energy_joules();
    ++t.energy_intervals;
  }
  if (t.training_intervals == 1 || r.start_unix_ms() < t.first_start_ms)
    t.first_start_ms = r.start_unix_ms();
  t.last_end_ms = std::max(t.last_end_ms, r.end_unix_ms());
  t.gpu_seconds += r.gpu_seconds_allocated();
  const std::string device = DeviceModelOf(r);
  HardwareTotals& h = t.hardware[device];
  std::map<std::string, uint32_t>& nodes = gpus_per_node_[device];
  auto [it, added] = nodes.emplace(r.node(), 0);
  if (r.gpu_count() > it->second) {
    h.gpus += r.gpu_count() - it->second;
    it->second = r.gpu_count();
  }
  h.nodes = nodes.size();
  h.gpu_seconds += r.gpu_seconds_allocated();
  ++h.intervals;
}

std::string TotalsFold::EncodeState() const {
  std::string out = EncodeTotals(totals_);
  for (const auto& [device, row] : totals_.hardware) {
    for (const auto& [node, gpus] : gpus_per_node_.at(device)) {
      PutName(&out, node);
      ledger::entry::PutU32(&out, gpus);
    }
  }
  return out;
}

absl::StatusOr<TotalsFold> TotalsFold::DecodeState(absl::string_view bytes) {
  ByteReader in(bytes);
  TotalsFold fold;
  absl::StatusOr<ModelTotals> t = ReadTotals(&in);
  if (!t.ok()) return t.status();
  fold.totals_ = *std::move(t);
  for (const auto& [device, row] : fold.totals_.hardware) {
    std::map<std::string, uint32_t>& nodes = fold.gpus_per_node_[device];
    for (uint64_t i = 0; i < row.nodes; ++i) {
      std::string node;
      uint32_t gpus = 0;
      if (!ReadName(&in, &node) || !in.ReadU32(&gpus)) {
        return Bad("truncated node table");
      }
      nodes[node] = gpus;
    }
    if (nodes.size() != row.nodes) return Bad("node table repeats a node");
  }
  if (in.remaining() != 0) return Bad("trailing bytes after the node table");
  return fold;
}

}  // namespace vindex

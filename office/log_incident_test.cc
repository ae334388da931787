// Pins the stored formats (office/README.md, "Storage"): the bytes were
// written down by hand from the protobuf wire format, field by field.
#include "office/log_incident.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "office/proto/mirror.pb.h"

namespace office {
namespace {

TEST(LogIncidentTest, GoldenBytesAndRoundTrip) {
  LogIncident in;
  in.origin = "o";
  in.stopped_at_size = 5;
  in.kind = IncidentKind::kRollback;
  in.reason = "r";
  in.leaf_index = 7;
  in.accepted_note = "a";
  in.offending_note = "b";
  in.tile_url = "u";
  in.tile_bytes = "t";
  in.detected_unix_seconds = 9;
  const std::string bytes = EncodeIncident(in);
  EXPECT_EQ(absl::BytesToHexString(bytes),
            "0a016f"
            "1005"
            "1a08726f6c6c6261636b"
            "220172"
            "2801"
            "3007"
            "3a0161"
            "420162"
            "4a0175"
            "520174"
            "5809");
  auto out = DecodeIncident(bytes);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->origin, "o");
  EXPECT_EQ(out->kind, IncidentKind::kRollback);
  EXPECT_EQ(out->leaf_index, 7u);
  EXPECT_EQ(out->tile_bytes, "t");
  EXPECT_EQ(EncodeIncident(*out), bytes);
  // No leaf: has_leaf_index stays false.
  in.leaf_index.reset();
  EXPECT_FALSE(DecodeIncident(EncodeIncident(in))->leaf_index.has_value());
}

TEST(LogIncidentTest, KindsAndBadRecords) {
  for (IncidentKind k :
       {IncidentKind::kFork, IncidentKind::kRollback, IncidentKind::kBadTile,
        IncidentKind::kBadEntry, IncidentKind::kIndexMismatch}) {
    EXPECT_EQ(*ParseIncidentKind(IncidentKindName(k)), k);
  }
  EXPECT_EQ(IncidentKindName(IncidentKind::kIndexMismatch), "index_mismatch");
  aifl::office::monitor::v1::LogIncident p;
  p.set_kind("split");
  EXPECT_TRUE(absl::IsDataLoss(DecodeIncident(p.SerializeAsString()).status()));
  EXPECT_TRUE(absl::IsDataLoss(DecodeIncident("\xff\xff").status()));
}

TEST(FollowStateTest, GoldenBytes) {
  aifl::office::monitor::v1::FollowState s;
  s.set_checkpoint_note("n");
  s.set_verified_size(3);
  s.add_frontier(std::string(32, '\x11'));
  s.set_last_time_micros(4);
  aifl::office::monitor::v1::LogKeyEpoch* e = s.add_log_keys();
  e->set_announced_at_leaf(1);
  e->set_public_key(std::string(32, '\x22'));
  s.set_stopped(true);
  EXPECT_EQ(absl::BytesToHexString(s.SerializeAsString()),
            "0a016e"
            "1003"
            "1a20" +
                std::string(64, '1') +
                "2004"
                "2a24"
                "0801"
                "1220" +
                std::string(64, '2') + "3001");
}

}  // namespace
}  // namespace office

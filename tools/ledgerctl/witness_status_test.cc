// The witness-status printout, text and JSON, pinned.
#include "tools/ledgerctl/witness_status.h"

#include "gtest/gtest.h"

namespace ledgerctl {
namespace {

TEST(WitnessStatusTest, TextAndJson) {
  aifl::api::v1::ServerStatus status;
  status.set_checkpoint_size(120);
  status.set_witness_quorum("both");
  status.set_quorum_cosigned_size(100);
  auto* w1 = status.add_witnesses();
  w1->set_name("w1");
  w1->set_url("http://127.0.0.1:1");
  w1->set_cosigned_size(120);
  w1->set_cosigned_size_known(true);
  w1->set_last_success_unix(1000);
  auto* w2 = status.add_witnesses();
  w2->set_name("w2");
  w2->set_url("http://127.0.0.1:2");
  w2->set_cosigned_size(100);
  w2->set_cosigned_size_known(true);
  w2->set_behind(20);
  w2->set_last_success_unix(900);
  w2->set_failing(true);
  w2->set_last_error("witness w2: Couldn't connect to server");
  w2->set_last_error_unix(1005);
  const absl::Time now = absl::FromUnixSeconds(1010);
  EXPECT_EQ(FormatWitnessStatus(status, false, now),
            "checkpoint 120  quorum both  quorum cosigned 100\n"
            "w1  cosigned 120  behind 0  last success 10s ago\n"
            "w2  cosigned 100  behind 20  last success 1m50s ago  FAILING: "
            "witness w2: Couldn't connect to server\n");
  EXPECT_EQ(
      FormatWitnessStatus(status, true, now),
      "{\"checkpoint_size\":120,\"quorum\":\"both\",\"quorum_cosigned_size\":"
      "100,\"witnesses\":[{\"name\":\"w1\",\"url\":\"http://127.0.0.1:1\","
      "\"cosigned_size\":120,\"cosigned_size_known\":true,\"behind\":0,"
      "\"last_success_unix\":1000,\"failing\":false,\"last_error\":\"\","
      "\"last_error_unix\":0},{\"name\":\"w2\",\"url\":\"http://127.0.0.1:2\","
      "\"cosigned_size\":100,\"cosigned_size_known\":true,\"behind\":20,"
      "\"last_success_unix\":900,\"failing\":true,\"last_error\":\"witness "
      "w2: Couldn't connect to server\",\"last_error_unix\":1005}]}\n");
}

// The index output log's witnesses (IndexLogStatus) print after the
// ledger's, by the same code.
TEST(WitnessStatusTest, IndexOutputLogWitnesses) {
  aifl::api::v1::ServerStatus status;
  status.set_checkpoint_size(50);
  status.set_witness_quorum("w1");
  status.set_quorum_cosigned_size(50);
  auto* w1 = status.add_witnesses();
  w1->set_name("w1");
  w1->set_cosigned_size(50);
  w1->set_cosigned_size_known(true);
  w1->set_last_success_unix(1000);
  aifl::api::v1::IndexLogStatus* index = status.mutable_index_log();
  index->set_origin("example.org/index");
  index->set_checkpoint_size(3);
  index->set_witness_quorum("iw");
  index->set_quorum_cosigned_size(2);
  auto* iw = index->add_witnesses();
  iw->set_name("iw");
  iw->set_cosigned_size(2);
  iw->set_cosigned_size_known(true);
  iw->set_behind(1);
  iw->set_failing(true);
  iw->set_last_error("witness iw: 503");
  const absl::Time now = absl::FromUnixSeconds(1010);
  EXPECT_EQ(FormatWitnessStatus(status, false, now),
            "checkpoint 50  quorum w1  quorum cosigned 50\n"
            "w1  cosigned 50  behind 0  last success 10s ago\n"
            "index output log example.org/index: checkpoint 3  quorum iw  "
            "quorum cosigned 2\n"
            "iw  cosigned 2  behind 1  last success never  FAILING: "
            "witness iw: 503\n");
  EXPECT_EQ(
      FormatWitnessStatus(status, true, now),
      "{\"checkpoint_size\":50,\"quorum\":\"w1\",\"quorum_cosigned_size\":"
      "50,\"witnesses\":[{\"name\":\"w1\",\"url\":\"\",\"cosigned_size\":50,"
      "\"cosigned_size_known\":true,\"behind\":0,\"last_success_unix\":1000,"
      "\"failing\":false,\"last_error\":\"\",\"last_error_unix\":0}],"
      "\"index_log\":{\"checkpoint_size\":3,\"quorum\":\"iw\","
      "\"quorum_cosigned_size\":2,\"witnesses\":[{\"name\":\"iw\",\"url\":"
      "\"\",\"cosigned_size\":2,\"cosigned_size_known\":true,\"behind\":1,"
      "\"last_success_unix\":0,\"failing\":true,\"last_error\":\"witness "
      "iw: 503\",\"last_error_unix\":0}],\"origin\":\"example.org/index\"}}"
      "\n");
  // A ledger without witnesses (--index_witness_policy alone) says so.
  aifl::api::v1::ServerStatus index_only = status;
  index_only.clear_witnesses();
  EXPECT_EQ(FormatWitnessStatus(index_only, false, now),
            "checkpoint 50  no witnesses\n"
            "index output log example.org/index: checkpoint 3  quorum iw  "
            "quorum cosigned 2\n"
            "iw  cosigned 2  behind 1  last success never  FAILING: "
            "witness iw: 503\n");
  // An index without witnesses adds nothing.
  status.mutable_index_log()->clear_witnesses();
  EXPECT_EQ(FormatWitnessStatus(status, false, now),
            "checkpoint 50  quorum w1  quorum cosigned 50\n"
            "w1  cosigned 50  behind 0  last success 10s ago\n");
}

}  // namespace
}  // namespace ledgerctl

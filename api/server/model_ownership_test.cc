#include "api/server/model_ownership.h"

#include "gtest/gtest.h"

namespace api::server {
namespace {

TEST(ProviderPrincipalTest, OrganisationElseIdentity) {
  ledger::KeyInfo key;
  key.organisation = "Example AI SAS";
  key.tls_identity = "example-ai";
  EXPECT_EQ(ProviderPrincipal(key), "org:Example AI SAS");
  key.organisation.clear();
  EXPECT_EQ(ProviderPrincipal(key), "id:example-ai");
}

TEST(ModelOwnershipTest, FirstDeclarationClaimsAndNeverMoves) {
  ModelOwnership o;
  o.AddLeaf(0, {}, "");     // key event
  o.AddLeaf(1, {"m"}, "");  // collector record before any claim
  EXPECT_EQ(o.OwnerOf("m"), "");
  EXPECT_FALSE(o.OwnsLeaf({"org:A"}, 1)) << "unclaimed: office only";
  o.AddLeaf(2, {"m"}, "org:A");  // A declares m
  o.AddLeaf(3, {"m"}, "org:B");  // B's declaration the fold refused: no move
  o.AddLeaf(4, {"m"}, "org:A");  // A's next declaration
  EXPECT_EQ(o.OwnerOf("m"), "org:A");
  EXPECT_TRUE(o.OwnsLeaf({"org:A"}, 1)) << "claimed later: A's now";
  EXPECT_FALSE(o.OwnsLeaf({"org:A"}, 3)) << "B's fields are not A's to read";
  EXPECT_FALSE(o.OwnsLeaf({"org:B"}, 3));
  EXPECT_TRUE(o.OwnsLeaf({"org:A"}, 4));
  EXPECT_FALSE(o.OwnsLeaf({"org:A"}, 0)) << "about no model";
  EXPECT_FALSE(o.OwnsLeaf({"org:A"}, 9)) << "not added";
  EXPECT_TRUE(o.Owns({"org:B", "org:A"}, "m"));
  EXPECT_FALSE(o.Owns({"org:A"}, "unknown"));
  EXPECT_FALSE(o.Owns({""}, "unknown")) << "no owner is nobody's";
}

TEST(ModelOwnershipTest, LeafAboutSeveralModelsNeedsThemAll) {
  ModelOwnership o;
  o.AddLeaf(0, {"a"}, "org:A");
  o.AddLeaf(1, {"b"}, "org:B");
  o.AddLeaf(2, {"a", "b"}, "");
  EXPECT_FALSE(o.OwnsLeaf({"org:A"}, 2));
  EXPECT_FALSE(o.OwnsLeaf({"org:B"}, 2));
  EXPECT_TRUE(o.OwnsLeaf({"org:A", "org:B"}, 2));
}

}  // namespace
}  // namespace api::server

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
  o.AddLeaf(0, {}, "", false);     // key event
  o.AddLeaf(1, {"m"}, "", false);  // collector record before any claim
  EXPECT_EQ(o.OwnerOf("m"), "");
  EXPECT_FALSE(o.OwnsLeaf({"org:A"}, 1)) << "unclaimed: office only";
  o.AddLeaf(2, {"m"}, "org:A", true);  // A declares m
  o.AddLeaf(3, {"m"}, "org:B", true);  // B's refused declaration: no move
  o.AddLeaf(4, {"m"}, "org:A", true);  // A's next declaration
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

TEST(ModelOwnershipTest, ProviderEntriesStayTheirSigners) {
  ModelOwnership o;
  o.AddLeaf(0, {"m"}, "org:B", false);  // B's document before any claim
  o.AddLeaf(1, {"n"}, "org:A", false);  // A's document before A's claim
  o.AddLeaf(2, {"m"}, "org:A", true);   // A declares m
  o.AddLeaf(3, {"n"}, "org:A", true);   // A declares n
  o.AddLeaf(4, {"m"}, "org:B", false);  // B's document the fold refused
  o.AddLeaf(5, {"m"}, "org:A", false);  // A's own document
  EXPECT_EQ(o.OwnerOf("m"), "org:A") << "only a declaration claims";
  EXPECT_FALSE(o.OwnsLeaf({"org:A"}, 0)) << "B's, though A claimed m later";
  EXPECT_FALSE(o.OwnsLeaf({"org:B"}, 0)) << "B reads it as its own entry";
  EXPECT_TRUE(o.OwnsLeaf({"org:A"}, 1)) << "A's own, before A's claim";
  EXPECT_FALSE(o.OwnsLeaf({"org:A"}, 4)) << "B's content is not A's to read";
  EXPECT_FALSE(o.OwnsLeaf({"org:B"}, 4)) << "B reads it as its own entry";
  EXPECT_TRUE(o.OwnsLeaf({"org:A"}, 5));
}

TEST(ModelOwnershipTest, LeafAboutSeveralModelsNeedsThemAll) {
  ModelOwnership o;
  o.AddLeaf(0, {"a"}, "org:A", true);
  o.AddLeaf(1, {"b"}, "org:B", true);
  o.AddLeaf(2, {"a", "b"}, "", false);
  EXPECT_FALSE(o.OwnsLeaf({"org:A"}, 2));
  EXPECT_FALSE(o.OwnsLeaf({"org:B"}, 2));
  EXPECT_TRUE(o.OwnsLeaf({"org:A", "org:B"}, 2));
}

}  // namespace
}  // namespace api::server

// The resources table on its own: rows keyed by (address, deposed), the
// attribute-less read, rename with dependency rewrite, and the type an
// address names.
#include "state/resources_table.h"

#include <gtest/gtest.h>

#include "state/database.h"
#include "state/migrations.h"
#include "state_test_env.h"

namespace infra::state {
namespace {

class ResourcesTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(dir_.File("t.db"), true, false);
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    ASSERT_TRUE(Migrate(*db_, 0, LatestSchemaVersion()).ok());
  }
  static ResourceRow Row(const std::string& address, const std::string& deposed, const std::string& deps = "[]") {
    return ResourceRow{address, deposed, "aws_vpc", "eu-west-1", "dr", "vpc-" + deposed, R"({"a":1})", "[]", "",
                       deps, 1};
  }
  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(ResourcesTableTest, RowsAreKeyedByAddressAndDeposedKey) {
  ASSERT_TRUE(UpsertResourceRow(*db_, Row("aws_vpc.a", "")).ok());
  ASSERT_TRUE(UpsertResourceRow(*db_, Row("aws_vpc.a", "old")).ok());
  ResourceRow changed = Row("aws_vpc.a", "old");
  changed.physical_id = "vpc-changed";
  ASSERT_TRUE(UpsertResourceRow(*db_, changed).ok());
  auto rows = ReadResourceRows(*db_, true);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].deposed, "");
  EXPECT_EQ((*rows)[1].physical_id, "vpc-changed");
  auto found = FindResourceRow(*db_, "aws_vpc.a", "old");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->attributes, R"({"a":1})");
  EXPECT_FALSE(FindResourceRow(*db_, "aws_vpc.a", "other")->has_value());
  auto bare = ReadResourceRows(*db_, false);
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ((*bare)[0].attributes, "null");  // not read
  EXPECT_TRUE(*DeleteResourceRow(*db_, "aws_vpc.a", "old"));
  EXPECT_FALSE(*DeleteResourceRow(*db_, "aws_vpc.a", "old"));
  EXPECT_TRUE(FindResourceRow(*db_, "aws_vpc.a", "")->has_value());
}

TEST_F(ResourcesTableTest, RenameMovesEveryObjectAndRewritesDependencies) {
  ASSERT_TRUE(UpsertResourceRow(*db_, Row("aws_vpc.a", "")).ok());
  ASSERT_TRUE(UpsertResourceRow(*db_, Row("aws_vpc.a", "old")).ok());
  ASSERT_TRUE(UpsertResourceRow(*db_, Row("aws_subnet.s", "", R"(["aws_vpc.a","aws_vpc.z"])")).ok());
  ASSERT_TRUE(RenameResourceRows(*db_, "aws_vpc.a", "aws_vpc.b").ok());
  EXPECT_TRUE(FindResourceRow(*db_, "aws_vpc.b", "")->has_value());
  EXPECT_TRUE(FindResourceRow(*db_, "aws_vpc.b", "old")->has_value());
  EXPECT_EQ((*FindResourceRow(*db_, "aws_subnet.s", ""))->dependencies, R"(["aws_vpc.b","aws_vpc.z"])");
  ASSERT_TRUE(DeleteDeposedRows(*db_, "aws_vpc.b").ok());
  EXPECT_FALSE(FindResourceRow(*db_, "aws_vpc.b", "old")->has_value());
  EXPECT_TRUE(FindResourceRow(*db_, "aws_vpc.b", "")->has_value());
}

TEST(ResourceTypeOfAddressTest, SkipsModulesAndKeys) {
  EXPECT_EQ(ResourceTypeOfAddress("aws_vpc.main"), "aws_vpc");
  EXPECT_EQ(ResourceTypeOfAddress("aws_subnet.public[\"a.b\"]"), "aws_subnet");
  EXPECT_EQ(ResourceTypeOfAddress("module.net[\"x.y\"].aws_subnet.public[0]"), "aws_subnet");
  EXPECT_EQ(ResourceTypeOfAddress("module.a.module.b.aws_route.r"), "aws_route");
  EXPECT_EQ(ResourceTypeOfAddress("nodot"), "");
}

}  // namespace
}  // namespace infra::state

// The meta table: identity, serial bumps, and a serial that is not a number.
#include "state/identity_table.h"

#include <gtest/gtest.h>

#include "state/database.h"
#include "state/migrations.h"
#include "state_test_env.h"

namespace infra::state {
namespace {

TEST(IdentityTableTest, ReadsIdentityAndBumpsTheSerial) {
  testing::TempDir dir;
  auto db = Database::Open(dir.File("t.db"), true, false);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(Migrate(**db, 0, LatestSchemaVersion()).ok());
  EXPECT_EQ(*ReadSerial(**db), 0);
  ASSERT_TRUE(WriteMeta(**db, "lineage", "L").ok());
  ASSERT_TRUE(WriteMeta(**db, "stack", "web").ok());
  auto identity = ReadIdentity(**db);
  ASSERT_TRUE(identity.ok());
  EXPECT_EQ(identity->lineage, "L");
  EXPECT_EQ(identity->stack, "web");
  EXPECT_EQ(*BumpSerial(**db), 1);
  EXPECT_EQ(*BumpSerial(**db), 2);
  EXPECT_EQ(*ReadMeta(**db, "serial"), "2");
  ASSERT_TRUE(WriteMeta(**db, "serial", "two").ok());
  auto bad = ReadSerial(**db);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "StateCorrupt");
  EXPECT_FALSE(BumpSerial(**db).ok());
}

}  // namespace
}  // namespace infra::state

// The history table: defaults filled on insert, finish, newest-first listing.
#include "state/history_table.h"

#include <gtest/gtest.h>

#include "state/database.h"
#include "state/migrations.h"
#include "state_test_env.h"

namespace infra::state {
namespace {

TEST(HistoryTableTest, InsertFillsWhoAndWhenFinishAndListNewestFirst) {
  testing::TempDir dir;
  auto db = Database::Open(dir.File("t.db"), true, false);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(Migrate(**db, 0, LatestSchemaVersion()).ok());
  auto running = InsertHistory(**db, {.command = "apply"}, 4);
  ASSERT_TRUE(running.ok());
  auto done = InsertHistory(**db, {.user = "bob", .command = "state rm", .result = "succeeded"}, 5);
  ASSERT_TRUE(done.ok());
  auto rows = ListHistory(**db, 0);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].user, "bob");
  EXPECT_FALSE((*rows)[0].finished_at.empty());  // a finished result gets a finish time
  EXPECT_EQ((*rows)[1].user, ProcessIdentity::Current().user);
  EXPECT_TRUE((*rows)[1].finished_at.empty());
  EXPECT_EQ((*rows)[1].serial, 4);
  ASSERT_TRUE(FinishHistory(**db, *running, "failed", {{"create", 1}}).ok());
  rows = ListHistory(**db, 1);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].command, "state rm");
  EXPECT_EQ((*ListHistory(**db, 0))[1].result, "failed");
  EXPECT_EQ(FinishHistory(**db, 999, "x", {}).error().code, "StateNoSuchHistory");
}

}  // namespace
}  // namespace infra::state

// The lock-row fence: passes while the row carries our id, names the new
// holder or a force-unlock otherwise.
#include "state/write_fence.h"

#include <gtest/gtest.h>

#include "state/database.h"
#include "state/lock_record.h"
#include "state/migrations.h"
#include "state_test_env.h"

namespace infra::state {
namespace {

TEST(WriteFenceTest, PassesOnlyWhileTheLockRowIsOurs) {
  testing::TempDir dir;
  auto db = Database::Open(dir.File("t.db"), true, false);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(Migrate(**db, 0, LatestSchemaVersion()).ok());
  SqliteLockRecord record(**db);
  LockInfo mine{.id = "mine", .user = "me", .host = "h", .pid = 1, .command = "apply", .since = "t"};
  ASSERT_TRUE(*record.Take(mine, ""));
  auto fence = LockRowFence("mine", "t.db");
  EXPECT_TRUE(fence->Check(**db).ok());
  LockInfo theirs = mine;
  theirs.id = "theirs";
  theirs.user = "carol";
  ASSERT_TRUE(*record.Take(theirs, "mine"));
  Status lost = fence->Check(**db);
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().code, "StateLockLost");
  EXPECT_NE(lost.error().message.find("held by carol"), std::string::npos) << lost.error().message;
  ASSERT_TRUE(record.Release("theirs").ok());
  EXPECT_NE(fence->Check(**db).error().message.find("force-unlocked"), std::string::npos);
}

}  // namespace
}  // namespace infra::state

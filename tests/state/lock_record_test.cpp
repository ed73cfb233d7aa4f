// The local lock row: conditional take (free, or replacing a named holder),
// renew and release only by the holder's id.
#include "state/lock_record.h"

#include <gtest/gtest.h>

#include "state/database.h"
#include "state/migrations.h"
#include "state_test_env.h"

namespace infra::state {
namespace {

TEST(SqliteLockRecordTest, TakeRenewAndReleaseAreConditionalOnTheHolder) {
  testing::TempDir dir;
  auto db = Database::Open(dir.File("t.db"), true, false);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(Migrate(**db, 0, LatestSchemaVersion()).ok());
  SqliteLockRecord record(**db);
  EXPECT_FALSE(record.Read()->has_value());
  LockInfo a{.id = "a", .user = "alice", .host = "h", .pid = 7, .command = "apply", .since = "s",
             .expires_unix_ms = 1000};
  LockInfo b = a;
  b.id = "b";
  EXPECT_FALSE(*record.Take(a, "someone"));  // not held by "someone"
  ASSERT_TRUE(*record.Take(a, ""));
  EXPECT_FALSE(*record.Take(b, ""));  // held: only a takeover naming "a" replaces it
  auto held = record.Read();
  ASSERT_TRUE(held.ok() && held->has_value());
  EXPECT_EQ((*held)->id, "a");
  EXPECT_EQ((*held)->expires_at, "1970-01-01T00:00:01Z");
  EXPECT_TRUE(*record.Renew("a", 5000));
  EXPECT_FALSE(*record.Renew("b", 5000));
  ASSERT_TRUE(record.Release("b").ok());  // not b's: stays
  EXPECT_TRUE(record.Read()->has_value());
  ASSERT_TRUE(*record.Take(b, "a"));
  EXPECT_EQ((*record.Read())->id, "b");
  ASSERT_TRUE(record.Release("b").ok());
  EXPECT_FALSE(record.Read()->has_value());
}

}  // namespace
}  // namespace infra::state

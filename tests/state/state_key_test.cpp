// Key resolution at open: the key check is recorded by the first writer,
// a mismatching key is refused, no key leaves the state usable without secrets.
#include "state/state_key.h"

#include <gtest/gtest.h>

#include "state/crypto.h"
#include "state/database.h"
#include "state/identity_table.h"
#include "state/migrations.h"
#include "state_test_env.h"

namespace infra::state {
namespace {

TEST(StateKeyTest, RecordsTheCheckThenRefusesAnotherKey) {
  testing::TempDir dir;
  auto db = Database::Open(dir.File("t.db"), true, false);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(Migrate(**db, 0, LatestSchemaVersion()).ok());
  {
    testing::ScopedKeyEnv key("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    auto readonly = LoadStateKey(**db, dir.File("t.db"), "", true);
    ASSERT_TRUE(readonly.ok());
    EXPECT_TRUE(ReadMeta(**db, "key_check")->empty());  // read-only writes nothing
    auto first = LoadStateKey(**db, dir.File("t.db"), "", false);
    ASSERT_TRUE(first.ok()) << first.error().ToString();
    EXPECT_TRUE(first->cipher);
    EXPECT_EQ(first->description, "INFRA_STATE_KEY");
    EXPECT_FALSE(ReadMeta(**db, "key_check")->empty());
  }
  {
    testing::ScopedKeyEnv key("ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    auto other = LoadStateKey(**db, dir.File("t.db"), "", false);
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error().code, "StateKeyMismatch");
  }
  testing::ScopedKeyEnv none("");
  auto keyless = LoadStateKey(**db, dir.File("t.db"), dir.File("absent.key"), true);
  ASSERT_TRUE(keyless.ok());
  EXPECT_FALSE(keyless->cipher);
  EXPECT_EQ(keyless->description, "(no key)");
  EXPECT_FALSE(keyless->error.empty());
}

}  // namespace
}  // namespace infra::state

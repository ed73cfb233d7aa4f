// The outputs table: plain and sealed values, one by name, a missing key.
#include "state/outputs_table.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "state/crypto.h"
#include "state/database.h"
#include "state/migrations.h"
#include "state_test_env.h"

namespace infra::state {
namespace {

TEST(OutputsTableTest, SensitiveValuesAreSealedAndOpenOnlyWithTheKey) {
  testing::TempDir dir;
  auto db = Database::Open(dir.File("t.db"), true, false);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(Migrate(**db, 0, LatestSchemaVersion()).ok());
  auto cipher = Cipher::Generate();
  ASSERT_TRUE(cipher.ok());
  CodecKey key{&*cipher, "", "L/output", "t.db"};
  ASSERT_TRUE(ReplaceOutputRows(**db, key, {{"url", "http://x", false}, {"pw", "hunter2", true}}).ok());
  EXPECT_EQ(*(*db)->QueryInt("SELECT count(*) FROM outputs WHERE value LIKE '%hunter2%'"), 0);
  auto all = ReadOutputRows(**db, key, std::nullopt);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].value, "hunter2");
  auto one = ReadOutputRows(**db, key, std::string("url"));
  ASSERT_TRUE(one.ok() && one->size() == 1u);
  EXPECT_EQ((*one)[0].value, "http://x");
  CodecKey none{nullptr, "no key here", "L/output", "t.db"};
  EXPECT_EQ(ReadOutputRows(**db, none, std::nullopt).error().code, "StateKeyMissing");
  EXPECT_TRUE(ReadOutputRows(**db, none, std::string("url")).ok());  // a plain one needs no key
  CodecKey other{&*cipher, "", "another-lineage/output", "t.db"};
  EXPECT_EQ(ReadOutputRows(**db, other, std::string("pw")).error().code, "StateKeyMismatch");
}

}  // namespace
}  // namespace infra::state

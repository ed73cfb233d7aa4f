// Migrations: a schema v1 database built by the v1 step itself, filled the
// way infra v1 wrote rows (migrates with a backup, backfills regions, keeps
// every row), and a v2 database written by the v2 code itself
// (tests/data/state/v2-with-deposed.db): its deposed object moves from the
// address string into the deposed column and everything else survives.
#include "state/migrations.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "state/database.h"
#include "state/journal.h"
#include "state/store.h"
#include "state_test_env.h"
#include "test_paths.h"

namespace infra::state {
namespace {

using testing::ScopedKeyEnv;
using testing::TempDir;

// Builds a v1 state at `path` with two resources, an output and history.
void MakeV1State(const std::string& path) {
  auto db = Database::Open(path, true, false);
  ASSERT_TRUE(db.ok());
  Database& d = **db;
  ASSERT_TRUE(d.Exec("PRAGMA journal_mode = WAL; BEGIN").ok());
  ASSERT_TRUE(Migrate(d, 0, 1).ok());
  ASSERT_TRUE(d.Exec(R"sql(
    INSERT INTO meta VALUES('format', 'infra-state'), ('lineage', '11111111-2222-4333-8444-555555555555'),
                           ('serial', '7'), ('stack', 'legacy'), ('created_at', '2025-01-01T00:00:00Z');
    INSERT INTO resources(address, type, physical_id, attributes, dependencies) VALUES
      ('aws_vpc.main', 'aws_vpc', 'vpc-1', '{"id":"vpc-1","region":"eu-west-1","cidr_block":"10.0.0.0/16"}', '[]'),
      ('aws_s3_bucket.logs', 'aws_s3_bucket', 'logs',
       '{"id":"logs","arn":"arn:aws:s3:us-east-2:123456789012:logs"}', '["aws_vpc.main"]'),
      ('aws_iam_role.r', 'aws_iam_role', 'r', '{"id":"r"}', '[]');
    INSERT INTO outputs(name, value, sensitive) VALUES('vpc_id', '"vpc-1"', 0);
    INSERT INTO history(started_at, finished_at, user, host, command, result, serial)
      VALUES('2025-01-01T00:00:00Z', '2025-01-01T00:01:00Z', 'bob', 'ci', 'apply', 'succeeded', 7);
    COMMIT;
  )sql")
                  .ok());
}

int64_t UserVersion(const std::string& path) {
  auto db = Database::Open(path, false, true);
  EXPECT_TRUE(db.ok());
  return *(*db)->QueryInt("PRAGMA user_version");
}

TEST(MigrationsTest, V1StateIsMigratedWithBackup) {
  ScopedKeyEnv key("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  TempDir dir;
  std::string path = dir.File("legacy.db");
  MakeV1State(path);
  ASSERT_EQ(UserVersion(path), 1);

  auto store = StateStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  EXPECT_EQ(UserVersion(path), StateStore::kSchemaVersion);
  EXPECT_EQ((*store)->lineage(), "11111111-2222-4333-8444-555555555555");
  EXPECT_EQ((*store)->serial(), 7);

  auto all = (*store)->LoadResources();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].address, "aws_iam_role.r");
  EXPECT_EQ((*all)[0].region, "");  // global resource: nothing to backfill
  EXPECT_EQ((*all)[1].address, "aws_s3_bucket.logs");
  EXPECT_EQ((*all)[1].region, "us-east-2");  // from the ARN
  EXPECT_EQ((*all)[1].dependencies, std::vector<std::string>{"aws_vpc.main"});
  EXPECT_EQ((*all)[2].region, "eu-west-1");  // from the region attribute
  EXPECT_EQ((*all)[2].attributes["cidr_block"], "10.0.0.0/16");

  auto out = (*store)->GetOutput("vpc_id");
  ASSERT_TRUE(out.ok() && out->has_value());
  EXPECT_EQ((*out)->value, "vpc-1");
  auto history = (*store)->History();
  ASSERT_TRUE(history.ok() && history->size() == 1u);
  EXPECT_EQ((*history)[0].user, "bob");

  // v2 features work on the migrated file.
  Journal journal(**store);
  EXPECT_TRUE(journal.RecordIntent("aws_vpc.main", "update", "tok").ok());

  // The backup is the untouched v1 file.
  std::string backup = path + ".backup-v1";
  ASSERT_TRUE(std::filesystem::exists(backup));
  EXPECT_EQ(UserVersion(backup), 1);
  auto db = Database::Open(backup, false, true);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(*(*db)->QueryInt("SELECT count(*) FROM resources"), 3);
}

TEST(MigrationsTest, SecondMigrationOfSameVersionKeepsFirstBackup) {
  ScopedKeyEnv key("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  TempDir dir;
  std::string path = dir.File("legacy.db");
  MakeV1State(path);
  testing::WriteAll(path + ".backup-v1", "older backup");
  auto store = StateStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  EXPECT_EQ(testing::ReadAll(path + ".backup-v1"), "older backup");
  EXPECT_TRUE(std::filesystem::exists(path + ".backup-v1.2"));
}

TEST(MigrationsTest, ReadOnlyOpenOfOldSchemaAsksForAWritingCommand) {
  ScopedKeyEnv key("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  TempDir dir;
  std::string path = dir.File("legacy.db");
  MakeV1State(path);
  auto store = StateStore::Open(path, {.read_only = true});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, "StateTooOld");
  EXPECT_EQ(UserVersion(path), 1);
}

TEST(MigrationsTest, V2StateWrittenByTheV2CodeKeepsEverythingAndGetsTheDeposedColumn) {
  ScopedKeyEnv key("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  TempDir dir;
  std::string path = dir.File("legacy.db");
  std::filesystem::copy_file(infra::test::DataDir() + "/state/v2-with-deposed.db", path);
  ASSERT_EQ(UserVersion(path), 2);

  auto store = StateStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  EXPECT_EQ(UserVersion(path), 3);
  EXPECT_EQ((*store)->lineage(), "2122e93b-9b26-419e-ad30-feabd92a4a5e");
  EXPECT_EQ((*store)->serial(), 1);
  EXPECT_EQ((*store)->stack(), "legacy");

  auto all = (*store)->LoadResources();
  ASSERT_TRUE(all.ok()) << all.error().ToString();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].address, "aws_db_instance.db");
  EXPECT_EQ((*all)[0].attributes.value("password", ""), "hunter2");  // the sealed attribute still opens
  EXPECT_EQ((*all)[0].dependencies, std::vector<std::string>{"aws_vpc.main"});
  EXPECT_EQ((*all)[0].schema_version, 2);
  EXPECT_EQ((*all)[1].address, "aws_vpc.main");
  EXPECT_EQ((*all)[1].deposed, "");
  EXPECT_EQ((*all)[1].id, "vpc-new");
  EXPECT_EQ((*all)[1].region_alias, "primary");
  EXPECT_EQ((*all)[2].address, "aws_vpc.main");  // no longer "aws_vpc.main (deposed vpc-old)"
  EXPECT_EQ((*all)[2].deposed, "vpc-old");
  EXPECT_EQ((*all)[2].id, "vpc-old");
  EXPECT_EQ((*all)[2].attributes.value("cidr_block", ""), "10.9.0.0/16");
  auto deposed = (*store)->GetResource("aws_vpc.main", false, "vpc-old");
  ASSERT_TRUE(deposed.ok() && deposed->has_value());
  EXPECT_EQ((*deposed)->id, "vpc-old");

  auto outputs = (*store)->LoadOutputs();
  ASSERT_TRUE(outputs.ok()) << outputs.error().ToString();
  ASSERT_EQ(outputs->size(), 2u);
  EXPECT_EQ((*outputs)[0].name, "db_password");
  EXPECT_TRUE((*outputs)[0].sensitive);
  EXPECT_EQ((*outputs)[0].value, "hunter2");
  EXPECT_EQ((*outputs)[1].value, "vpc-new");
  auto history = (*store)->History();
  ASSERT_TRUE(history.ok() && history->size() == 1u);
  EXPECT_EQ((*history)[0].plan_digest, "sha256:0123456789abcdef");
  EXPECT_EQ((*history)[0].result, "succeeded");
  EXPECT_EQ((*history)[0].changes, nlohmann::json({{"create", 3}}));
  auto journal = Journal(**store).Unfinished();
  ASSERT_TRUE(journal.ok() && journal->size() == 1u);
  EXPECT_EQ((*journal)[0].payload, nlohmann::json({{"id", "vpc-old"}}));

  // The deposed object is a row of its own: deleting it leaves the current one.
  ASSERT_TRUE((*store)->DeleteResource("aws_vpc.main", 0, "vpc-old").ok());
  EXPECT_TRUE((*store)->GetResource("aws_vpc.main")->has_value());
  EXPECT_EQ(UserVersion(path + ".backup-v2"), 2);
}

TEST(MigrationsTest, FreshDatabaseIsAtLatestVersion) {
  ScopedKeyEnv key("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  TempDir dir;
  auto store = StateStore::Open(dir.File("new.db"));
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(LatestSchemaVersion(), StateStore::kSchemaVersion);
  EXPECT_EQ(UserVersion(dir.File("new.db")), LatestSchemaVersion());
}

}  // namespace
}  // namespace infra::state

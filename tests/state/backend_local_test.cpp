// The local backend: a snapshot is the whole database at a serial; writing
// one is refused unless it is the same state (lineage, key), newer, and the
// state is still the version read; the lock row stays with the live file.
#include "state/backend_local.h"

#include <gtest/gtest.h>

#include "state/lock.h"
#include "state/lock_record.h"
#include "state/store.h"
#include "state_test_env.h"

namespace infra::state {
namespace {

using testing::ScopedKeyEnv;
using testing::TempDir;

class LocalBackendTest : public ::testing::Test {
 protected:
  std::unique_ptr<StateStore> Open(const std::string& name) {
    auto store = StateStore::Open(dir_.File(name), {.stack = "web"});
    EXPECT_TRUE(store.ok()) << store.error().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }
  static ResourceRecord Vpc(const std::string& id) {
    return ResourceRecord{.address = "aws_vpc.main", .type = "aws_vpc", .region = "eu-west-1", .id = id,
                          .attributes = {{"id", id}, {"secret", "s-" + id}}, .sensitive_attributes = {"secret"}};
  }
  ScopedKeyEnv key_{"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"};
  TempDir dir_;
};

TEST_F(LocalBackendTest, SnapshotRoundTripsAndWritesOnlyOverTheVersionRead) {
  auto store = Open("s.db");
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->PutResource(Vpc("vpc-1")).ok());
  ASSERT_TRUE(store->BeginApply({.command = "apply"}).ok());
  LocalBackend backend(*store);
  auto snap = backend.ReadSnapshot();
  ASSERT_TRUE(snap.ok() && snap->has_value()) << snap.error().ToString();
  EXPECT_EQ((*snap)->serial, 1);
  EXPECT_EQ((*snap)->lineage, store->lineage());
  EXPECT_EQ((*snap)->version, LocalSnapshotVersion(store->lineage(), 1));
  EXPECT_EQ((*snap)->bytes.substr(0, 15), "SQLite format 3");

  // Edit a copy the way `state push` would receive it: newer serial.
  testing::WriteAll(dir_.File("copy.db"), (*snap)->bytes);
  {
    auto copy = StateStore::Open(dir_.File("copy.db"), {.create = false});
    ASSERT_TRUE(copy.ok()) << copy.error().ToString();
    ASSERT_TRUE((*copy)->PutResource(Vpc("vpc-2")).ok());
    ASSERT_TRUE((*copy)->BeginApply({.command = "apply"}).ok());
  }
  Snapshot next{.lineage = store->lineage(), .serial = 2, .version = "", .bytes = testing::ReadAll(dir_.File("copy.db"))};

  auto lock = StateLock::Acquire(*store, {.command = "state push"});
  ASSERT_TRUE(lock.ok());
  Status stale = backend.WriteSnapshot(next, LocalSnapshotVersion(store->lineage(), 0));
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, "StateConflict");
  ASSERT_TRUE(backend.WriteSnapshot(next, (*snap)->version).ok());
  EXPECT_EQ(store->serial(), 2);
  auto got = store->GetResource("aws_vpc.main");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->id, "vpc-2");
  EXPECT_EQ((*got)->attributes.value("secret", ""), "s-vpc-2");
  auto held = CurrentLock(*store);  // the lock row is the live file's, not the snapshot's
  ASSERT_TRUE(held.ok() && held->has_value());
  EXPECT_EQ((*held)->id, (*lock)->info().id);
  Status again = backend.WriteSnapshot(next, LocalSnapshotVersion(store->lineage(), 2));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "StateSerialStale");
}

TEST_F(LocalBackendTest, AnotherStatesSnapshotIsRefused) {
  auto store = Open("s.db");
  auto other = Open("other.db");
  ASSERT_TRUE(store && other);
  ASSERT_TRUE(other->BeginApply({.command = "apply"}).ok());
  auto theirs = LocalBackend(*other).ReadSnapshot();
  ASSERT_TRUE(theirs.ok() && theirs->has_value());
  LocalBackend backend(*store);
  Status refused = backend.WriteSnapshot(**theirs, LocalSnapshotVersion(store->lineage(), 0));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "StateLineageMismatch");
  Status garbage = backend.WriteSnapshot(Snapshot{.bytes = "not a database"}, "");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().code, "StateCorrupt");
  EXPECT_EQ(store->serial(), 0);
}

TEST_F(LocalBackendTest, LockRecordAndJournalAreTheStatesOwn) {
  auto store = Open("s.db");
  ASSERT_TRUE(store);
  LocalBackend backend(*store);
  auto record = backend.OpenLockRecord();
  ASSERT_TRUE(record.ok());
  auto lock = StateLock::Acquire(std::move(*record), backend.Location(), {.command = "apply"});
  ASSERT_TRUE(lock.ok()) << lock.error().ToString();
  EXPECT_EQ((*CurrentLock(*store))->id, (*lock)->info().id);
  auto id = backend.journal().RecordIntent(JournalIntent{.address = "aws_vpc.main", .operation = "create"});
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(Journal(*store).Unfinished()->size(), 1u);
  ASSERT_TRUE((*lock)->Unlock().ok());
  EXPECT_FALSE(CurrentLock(*store)->has_value());
}

}  // namespace
}  // namespace infra::state

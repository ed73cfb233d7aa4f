// StorePort against a real SQLite state: a deposed object is a row with its
// key in the deposed column (its address is the resource's own), recorded
// with the new object in one transaction, loaded into
// StateSnapshot::deposed and removed by key.
#include "engine/cli/store_port.h"

#include <gtest/gtest.h>

#include "fakes/fake_provider.h"
#include "state/journal.h"
#include "state/store.h"
#include "support/temp_dir.h"

namespace infra::test {
namespace {

engine::StateResource Thing(const std::string& id, const std::string& deposed = "") {
  engine::StateResource r;
  r.address = "fake_thing.a";
  r.type = "fake_thing";
  r.region = "eu-central-1";
  r.region_alias = "primary";
  r.id = id;
  r.attributes = {{"id", id}, {"name", "a"}, {"secret", "hunter2"}};
  r.deposed = deposed;
  return r;
}

class StorePortTest : public ::testing::Test {
 protected:
  StorePortTest() {
    provider_.AddThing();
    state::OpenOptions o;
    o.stack = "teststack";
    auto s = state::StateStore::Open(dir_.File("s.db"), o);
    EXPECT_TRUE(s.ok()) << s.error().ToString();
    if (s.ok()) store_ = std::move(*s);
  }

  TempDir dir_{"infra-store-port"};
  FakeProvider provider_;
  std::unique_ptr<state::StateStore> store_;
};

TEST_F(StorePortTest, NewAndDeposedObjectsAreRecordedTogetherAndLoadedApart) {
  ASSERT_TRUE(store_);
  engine::StorePort port(*store_, provider_);
  engine::PendingIntent intent;
  intent.address = "fake_thing.a";
  intent.type = "fake_thing";
  intent.operation = "create";
  intent.token = "t";
  auto id = port.RecordIntent(intent);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(port.PutResources({Thing("new-2"), Thing("old-1", "old-1")}, *id).ok());
  EXPECT_TRUE(port.Unfinished()->empty());

  auto snap = engine::LoadSnapshot(*store_);
  ASSERT_TRUE(snap.ok()) << snap.error().ToString();
  ASSERT_EQ(snap->resources.size(), 1u);
  EXPECT_EQ(snap->resources[0].id, "new-2");
  EXPECT_TRUE(snap->resources[0].deposed.empty());
  ASSERT_EQ(snap->deposed.size(), 1u);
  EXPECT_EQ(snap->deposed[0].address, "fake_thing.a");
  EXPECT_EQ(snap->deposed[0].deposed, "old-1");
  EXPECT_EQ(snap->deposed[0].id, "old-1");
  EXPECT_EQ(snap->deposed[0].attributes.value("secret", ""), "hunter2");  // decrypted on load
  auto rows = store_->LoadResources();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1].address, "fake_thing.a");  // the address is not encoded any more
  EXPECT_EQ((*rows)[1].deposed, "old-1");
  auto raw = store_->GetResource("fake_thing.a", /*redact=*/true, "old-1");
  ASSERT_TRUE(raw.ok() && raw->has_value());
  EXPECT_EQ((*raw)->attributes.value("secret", ""), "(sensitive value)");  // stored encrypted like any row

  ASSERT_TRUE(port.RemoveDeposed("fake_thing.a", "old-1").ok());
  snap = engine::LoadSnapshot(*store_);
  ASSERT_TRUE(snap.ok());
  EXPECT_TRUE(snap->deposed.empty());
  EXPECT_EQ(snap->resources.size(), 1u);
  EXPECT_TRUE(port.RemoveDeposed("fake_thing.a", "old-1").ok());  // absent is fine
}

TEST_F(StorePortTest, DeposedObjectIsWrittenAloneByPutResource) {
  ASSERT_TRUE(store_);
  engine::StorePort port(*store_, provider_);
  ASSERT_TRUE(port.PutResource(Thing("new-2")).ok());
  ASSERT_TRUE(port.PutResource(Thing("old-1", "old-1")).ok());
  auto snap = engine::LoadSnapshot(*store_);
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ(snap->resources.size(), 1u);
  EXPECT_EQ(snap->deposed.size(), 1u);
}

}  // namespace
}  // namespace infra::test

// StorePort against a real SQLite state: deposed objects are stored as rows
// under "<address> (deposed <key>)", recorded with the new object in one
// transaction, loaded into StateSnapshot::deposed and removed by key.
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

TEST(DeposedRowAddressTest, RoundTripsAndNeverMatchesAResourceAddress) {
  EXPECT_EQ(engine::DeposedRowAddress("aws_vpc.main", "vpc-1"), "aws_vpc.main (deposed vpc-1)");
  std::string address, key;
  ASSERT_TRUE(engine::SplitDeposedRowAddress("module.n.aws_subnet.s[\"a b\"] (deposed subnet-9)", &address, &key));
  EXPECT_EQ(address, "module.n.aws_subnet.s[\"a b\"]");
  EXPECT_EQ(key, "subnet-9");
  EXPECT_FALSE(engine::SplitDeposedRowAddress("aws_vpc.main", &address, &key));
  EXPECT_FALSE(engine::SplitDeposedRowAddress("aws_x.y[\"a (deposed b)\"]", &address, &key));
  EXPECT_FALSE(engine::SplitDeposedRowAddress("aws_x.y (deposed )", &address, &key));
}

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
  auto raw = store_->GetResource("fake_thing.a (deposed old-1)", /*redact=*/true);
  ASSERT_TRUE(raw.ok() && raw->has_value());
  EXPECT_EQ((*raw)->attributes.value("secret", ""), "(sensitive)");  // stored encrypted like any row

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

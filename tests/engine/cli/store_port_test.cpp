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

// A row recorded under an older schema version of its type is upgraded on
// load through ResourceType::UpgradeState, and written back under the
// current version; a newer version than this build knows is refused.
class StorePortUpgradeTest : public StorePortTest {
 protected:
  StorePortUpgradeTest() {
    thing_ = static_cast<FakeResourceType*>(provider_.Find("fake_thing"));
    thing_->mutable_schema().version = 2;
    thing_->upgrade = [this](int from, const provider::Attributes& stored) -> Result<provider::Attributes> {
      froms_.push_back(from);
      if (stored.contains("broken")) return MakeError(Error::Kind::kInvalid, "Bad", "no old_size to convert");
      provider::Attributes a = stored;
      if (a.contains("old_size")) {
        a["size"] = a["old_size"];
        a.erase("old_size");
      }
      return a;
    };
  }
  void Row(int version, provider::Attributes attributes) {
    state::ResourceRecord r;
    r.address = "fake_thing.a";
    r.type = "fake_thing";
    r.region = "eu-central-1";
    r.id = "t-1";
    r.attributes = std::move(attributes);
    r.schema_version = version;
    ASSERT_TRUE(store_->PutResource(r).ok());
  }
  FakeResourceType* thing_ = nullptr;
  std::vector<int> froms_;
};

TEST_F(StorePortUpgradeTest, OlderRowIsUpgradedOnLoadAndWrittenUnderTheCurrentVersion) {
  ASSERT_TRUE(store_);
  Row(0, {{"id", "t-1"}, {"name", "a"}, {"old_size", 4}});
  auto snap = engine::LoadSnapshot(*store_, &provider_);
  ASSERT_TRUE(snap.ok()) << snap.error().ToString();
  ASSERT_EQ(snap->resources.size(), 1u);
  EXPECT_EQ(froms_, std::vector<int>{0});
  EXPECT_EQ(snap->resources[0].attributes.value("size", 0), 4);
  EXPECT_FALSE(snap->resources[0].attributes.contains("old_size"));
  EXPECT_EQ(snap->resources[0].schema_version, 2);

  engine::StorePort port(*store_, provider_);
  ASSERT_TRUE(port.PutResource(snap->resources[0]).ok());
  auto rows = store_->LoadResources();
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].schema_version, 2);
  froms_.clear();
  ASSERT_TRUE(engine::LoadSnapshot(*store_, &provider_).ok());
  EXPECT_TRUE(froms_.empty());  // current rows are not upgraded again
}

TEST_F(StorePortUpgradeTest, WithoutAProviderRowsAreLoadedAsStored) {
  ASSERT_TRUE(store_);
  Row(0, {{"id", "t-1"}, {"name", "a"}, {"old_size", 4}});
  auto snap = engine::LoadSnapshot(*store_);
  ASSERT_TRUE(snap.ok());
  EXPECT_TRUE(froms_.empty());
  EXPECT_EQ(snap->resources[0].schema_version, 0);
  EXPECT_TRUE(snap->resources[0].attributes.contains("old_size"));
}

TEST_F(StorePortUpgradeTest, NewerVersionOrFailedUpgradeIsAnErrorNamingTheAddress) {
  ASSERT_TRUE(store_);
  Row(3, {{"id", "t-1"}, {"name", "a"}});
  auto snap = engine::LoadSnapshot(*store_, &provider_);
  ASSERT_FALSE(snap.ok());
  EXPECT_EQ(snap.error().code, "StateTooNew");
  EXPECT_NE(snap.error().message.find("fake_thing.a"), std::string::npos);
  EXPECT_NE(snap.error().message.find("version 3"), std::string::npos);

  Row(1, {{"id", "t-1"}, {"name", "a"}, {"broken", true}});
  snap = engine::LoadSnapshot(*store_, &provider_);
  ASSERT_FALSE(snap.ok());
  EXPECT_EQ(snap.error().code, "StateUpgradeFailed");
  EXPECT_NE(snap.error().message.find("fake_thing.a"), std::string::npos);
  EXPECT_NE(snap.error().message.find("no old_size to convert"), std::string::npos);
}

}  // namespace
}  // namespace infra::test

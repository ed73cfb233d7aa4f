// StateStore: resources (current and deposed objects), outputs,
// serial/lineage, history, rm/mv, reopen, and the Write(fn) transaction.
#include "state/store.h"

#include <gtest/gtest.h>

#include "state/database.h"
#include "state/journal.h"
#include "state_test_env.h"

namespace infra::state {
namespace {

using testing::ScopedKeyEnv;
using testing::TempDir;

ResourceRecord Vpc(const std::string& address, const std::string& id) {
  ResourceRecord r;
  r.address = address;
  r.type = "aws_vpc";
  r.region = "eu-west-1";
  r.region_alias = "dr";
  r.id = id;
  r.attributes = {{"id", id}, {"cidr_block", "10.0.0.0/16"}, {"tags", {{"Name", "main"}}}};
  r.dependencies = {"aws_vpc_ipam.main"};
  r.schema_version = 3;
  return r;
}

class StoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<StateStore> OpenStore() {
    auto store = StateStore::Open(dir_.File(".infra/web.db"), {.stack = "web"});
    EXPECT_TRUE(store.ok()) << store.error().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }
  ScopedKeyEnv key_{""};
  TempDir dir_;
};

TEST_F(StoreTest, NewStateHasLineageSerialZeroAndStack) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->lineage().size(), 36u);
  EXPECT_EQ(store->serial(), 0);
  EXPECT_EQ(store->stack(), "web");
  auto all = store->LoadResources();
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
}

TEST_F(StoreTest, OpenWithoutCreateOfMissingFileIsNotFound) {
  auto store = StateStore::Open(dir_.File("nope.db"), {.create = false});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, "StateNotFound");
  EXPECT_FALSE(std::filesystem::exists(dir_.File("nope.db")));
}

TEST_F(StoreTest, PutResourceRoundTripsEveryField) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->PutResource(Vpc("aws_vpc.main", "vpc-1")).ok());
  auto got = store->GetResource("aws_vpc.main");
  ASSERT_TRUE(got.ok() && got->has_value());
  const ResourceRecord& r = **got;
  EXPECT_EQ(r.type, "aws_vpc");
  EXPECT_EQ(r.region, "eu-west-1");
  EXPECT_EQ(r.region_alias, "dr");
  EXPECT_EQ(r.id, "vpc-1");
  EXPECT_EQ(r.attributes["tags"]["Name"], "main");
  EXPECT_EQ(r.dependencies, std::vector<std::string>{"aws_vpc_ipam.main"});
  EXPECT_EQ(r.schema_version, 3);
  auto missing = store->GetResource("aws_vpc.other");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(StoreTest, PutReplacesAndDeleteRemovesWithoutTouchingSerial) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->PutResource(Vpc("aws_vpc.b", "vpc-b")).ok());
  ASSERT_TRUE(store->PutResource(Vpc("aws_vpc.a", "vpc-1")).ok());
  ASSERT_TRUE(store->PutResource(Vpc("aws_vpc.a", "vpc-2")).ok());
  auto all = store->LoadResources();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].address, "aws_vpc.a");  // ordered by address
  EXPECT_EQ((*all)[0].id, "vpc-2");
  ASSERT_TRUE(store->DeleteResource("aws_vpc.a").ok());
  ASSERT_TRUE(store->DeleteResource("aws_vpc.never").ok());
  all = store->LoadResources();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].address, "aws_vpc.b");
  EXPECT_EQ(store->serial(), 0);
}

TEST_F(StoreTest, DataSurvivesCloseAndReopen) {
  std::string lineage;
  {
    auto store = OpenStore();
    ASSERT_TRUE(store);
    lineage = store->lineage();
    ASSERT_TRUE(store->PutResource(Vpc("aws_vpc.main", "vpc-1")).ok());
    ASSERT_TRUE(store->BeginApply({.command = "apply"}).ok());
    ASSERT_TRUE(store->Close().ok());
    EXPECT_FALSE(store->is_open());
    EXPECT_FALSE(store->PutResource(Vpc("aws_vpc.x", "vpc-x")).ok());
  }
  auto store = OpenStore();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->lineage(), lineage);
  EXPECT_EQ(store->serial(), 1);
  auto got = store->GetResource("aws_vpc.main");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->id, "vpc-1");
}

TEST_F(StoreTest, BeginAndFinishApplyRecordHistoryAndBumpSerial) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  auto id = store->BeginApply({.command = "apply", .plan_digest = "sha256:abc"});
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(store->serial(), 1);
  ASSERT_TRUE(store->FinishApply(*id, "succeeded", {{"create", 2}}).ok());
  EXPECT_EQ(store->FinishApply(*id + 100, "failed", {}).error().code, "StateNoSuchHistory");
  auto second = store->BeginApply({.command = "destroy"});
  ASSERT_TRUE(second.ok());
  auto history = store->History();
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  const HistoryEntry& first = (*history)[1];  // newest first
  EXPECT_EQ(first.command, "apply");
  EXPECT_EQ(first.plan_digest, "sha256:abc");
  EXPECT_EQ(first.result, "succeeded");
  EXPECT_EQ(first.changes["create"], 2);
  EXPECT_EQ(first.serial, 1);
  EXPECT_FALSE(first.user.empty());
  EXPECT_FALSE(first.host.empty());
  EXPECT_FALSE(first.finished_at.empty());
  EXPECT_EQ((*history)[0].result, "running");
  EXPECT_EQ((*history)[0].serial, 2);
  auto limited = store->History(1);
  ASSERT_TRUE(limited.ok());
  EXPECT_EQ(limited->size(), 1u);
}

TEST_F(StoreTest, RemoveResourcesIsAllOrNothing) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->PutResource(Vpc("aws_vpc.a", "vpc-a")).ok());
  ASSERT_TRUE(store->PutResource(Vpc("aws_vpc.b", "vpc-b")).ok());
  auto bad = store->RemoveResources({"aws_vpc.a", "aws_vpc.zzz"}, {.command = "state rm"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "StateNoSuchResource");
  EXPECT_NE(bad.error().message.find("aws_vpc.zzz"), std::string::npos);
  EXPECT_TRUE(store->GetResource("aws_vpc.a")->has_value());
  EXPECT_EQ(store->serial(), 0);
  auto serial = store->RemoveResources({"aws_vpc.a", "aws_vpc.b"}, {.command = "state rm"});
  ASSERT_TRUE(serial.ok());
  EXPECT_EQ(*serial, 1);
  EXPECT_TRUE(store->LoadResources()->empty());
  auto history = store->History();
  ASSERT_TRUE(history.ok() && history->size() == 1u);
  EXPECT_EQ((*history)[0].command, "state rm");
  EXPECT_EQ((*history)[0].result, "succeeded");
  EXPECT_EQ((*history)[0].changes["removed"].size(), 2u);
}

TEST_F(StoreTest, MoveResourceRenamesAndRewritesDependencies) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->PutResource(Vpc("aws_vpc.a", "vpc-a")).ok());
  ResourceRecord subnet = Vpc("aws_subnet.s", "subnet-1");
  subnet.type = "aws_subnet";
  subnet.dependencies = {"aws_vpc.a", "aws_vpc.other"};
  ASSERT_TRUE(store->PutResource(subnet).ok());
  auto serial = store->MoveResource("aws_vpc.a", "module.net.aws_vpc.main", {.command = "state mv"});
  ASSERT_TRUE(serial.ok()) << serial.error().ToString();
  EXPECT_EQ(*serial, 1);
  EXPECT_FALSE(store->GetResource("aws_vpc.a")->has_value());
  auto moved = store->GetResource("module.net.aws_vpc.main");
  ASSERT_TRUE(moved.ok() && moved->has_value());
  EXPECT_EQ((*moved)->id, "vpc-a");
  auto dependent = store->GetResource("aws_subnet.s");
  EXPECT_EQ((*dependent)->dependencies, (std::vector<std::string>{"module.net.aws_vpc.main", "aws_vpc.other"}));

  EXPECT_EQ(store->MoveResource("aws_vpc.nope", "aws_vpc.x", {}).error().code, "StateNoSuchResource");
  EXPECT_EQ(store->MoveResource("aws_subnet.s", "module.net.aws_vpc.main", {}).error().code, "StateAddressTaken");
  EXPECT_EQ(store->serial(), 1);
}

TEST_F(StoreTest, DeposedObjectsAreRowsOfTheirAddressKeyedByTheirKey) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ResourceRecord old = Vpc("aws_vpc.a", "vpc-old");
  old.deposed = "vpc-old";
  ASSERT_TRUE(store->PutResources({Vpc("aws_vpc.a", "vpc-new"), old}).ok());
  auto all = store->LoadResources();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].deposed, "");  // the current object first
  EXPECT_EQ((*all)[1].address, "aws_vpc.a");
  EXPECT_EQ((*all)[1].deposed, "vpc-old");
  EXPECT_EQ((*store->GetResource("aws_vpc.a"))->id, "vpc-new");
  EXPECT_EQ((*store->GetResource("aws_vpc.a", false, "vpc-old"))->id, "vpc-old");
  ASSERT_TRUE(store->DeleteResource("aws_vpc.a").ok());  // the current one only
  EXPECT_FALSE(store->GetResource("aws_vpc.a")->has_value());
  EXPECT_TRUE(store->GetResource("aws_vpc.a", false, "vpc-old")->has_value());
}

TEST_F(StoreTest, RemoveTakesDisplayAddressesAndForgetsDeposedObjectsWithTheirResource) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ResourceRecord old = Vpc("aws_vpc.a", "vpc-old");
  old.deposed = "vpc-old";
  ResourceRecord older = Vpc("aws_vpc.b", "vpc-b0");
  older.deposed = "vpc-b0";
  ASSERT_TRUE(store->PutResources({Vpc("aws_vpc.a", "vpc-new"), old, Vpc("aws_vpc.b", "vpc-b"), older}).ok());
  ASSERT_TRUE(store->RemoveResources({"aws_vpc.b (deposed vpc-b0)"}, {.command = "state rm"}).ok());
  EXPECT_TRUE(store->GetResource("aws_vpc.b")->has_value());
  EXPECT_FALSE(store->GetResource("aws_vpc.b", false, "vpc-b0")->has_value());
  ASSERT_TRUE(store->RemoveResources({"aws_vpc.a"}, {.command = "state rm"}).ok());
  auto all = store->LoadResources();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].address, "aws_vpc.b");
}

TEST_F(StoreTest, MoveCarriesDeposedObjectsAndRefusesAnotherType) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ResourceRecord old = Vpc("aws_vpc.a", "vpc-old");
  old.deposed = "vpc-old";
  ASSERT_TRUE(store->PutResources({Vpc("aws_vpc.a", "vpc-new"), old}).ok());
  auto wrong = store->MoveResource("aws_vpc.a", "aws_subnet.a", {.command = "state mv"});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, "StateTypeMismatch");
  EXPECT_NE(wrong.error().message.find("aws_subnet"), std::string::npos) << wrong.error().message;
  EXPECT_EQ(store->MoveResource("aws_vpc.a", "nonsense", {}).error().code, "StateTypeMismatch");
  EXPECT_EQ(store->serial(), 0);
  ASSERT_TRUE(store->MoveResource("aws_vpc.a", "module.m[\"x.y\"].aws_vpc.b[0]", {.command = "state mv"}).ok());
  auto all = store->LoadResources();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].address, "module.m[\"x.y\"].aws_vpc.b[0]");
  EXPECT_EQ((*all)[1].address, "module.m[\"x.y\"].aws_vpc.b[0]");
  EXPECT_EQ((*all)[1].deposed, "vpc-old");
}

TEST(DisplayAddressTest, RoundTripsAndNeverMatchesAResourceAddress) {
  EXPECT_EQ(DisplayAddress("aws_vpc.main", "vpc-1"), "aws_vpc.main (deposed vpc-1)");
  EXPECT_EQ(DisplayAddress("aws_vpc.main", ""), "aws_vpc.main");
  std::string address, key;
  ParseDisplayAddress("module.n.aws_subnet.s[\"a b\"] (deposed subnet-9)", &address, &key);
  EXPECT_EQ(address, "module.n.aws_subnet.s[\"a b\"]");
  EXPECT_EQ(key, "subnet-9");
  for (const char* plain : {"aws_vpc.main", "aws_x.y[\"a (deposed b)\"]", "aws_x.y (deposed )"}) {
    ParseDisplayAddress(plain, &address, &key);
    EXPECT_EQ(address, plain);
    EXPECT_EQ(key, "");
  }
}

TEST_F(StoreTest, WriteCommitsWhatItsFunctionDidOrNothing) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  Status failed = store->Write([](Database& db) -> Status {
    if (auto s = db.Exec("UPDATE meta SET value = '99' WHERE key = 'serial'"); !s) return s;
    return MakeError(Error::Kind::kInvalid, "Nope", "refused half-way");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, "Nope");
  EXPECT_EQ(store->serial(), 0);  // rolled back
  ASSERT_TRUE(store->Write([](Database& db) { return db.Exec("UPDATE meta SET value = '5' WHERE key = 'serial'"); })
                  .ok());
  EXPECT_EQ(store->serial(), 5);
}

TEST_F(StoreTest, OutputsRoundTripAndReplaceWholeSet) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->ReplaceOutputs({{"url", "http://x", false}, {"ids", {1, 2}, false}}).ok());
  ASSERT_TRUE(store->ReplaceOutputs({{"url", "http://y", false}, {"password", "hunter2", true}}).ok());
  auto all = store->LoadOutputs();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "password");
  EXPECT_TRUE((*all)[0].sensitive);
  EXPECT_EQ((*all)[0].value, "hunter2");
  EXPECT_EQ((*all)[1].value, "http://y");
  auto one = store->GetOutput("url");
  ASSERT_TRUE(one.ok() && one->has_value());
  EXPECT_EQ((*one)->value, "http://y");
  EXPECT_FALSE(store->GetOutput("ids")->has_value());
}

TEST_F(StoreTest, ReadOnlyOpenRefusesWrites) {
  { ASSERT_TRUE(OpenStore()); }
  auto store = StateStore::Open(dir_.File(".infra/web.db"), {.read_only = true});
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  EXPECT_TRUE((*store)->LoadResources().ok());
  auto put = (*store)->PutResource(Vpc("aws_vpc.a", "vpc-a"));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, "StateReadOnly");
}

TEST_F(StoreTest, IntegrityCheckSaysOk) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->PutResource(Vpc("aws_vpc.a", "vpc-a")).ok());
  auto report = store->IntegrityCheck();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(*report, "ok");
}

TEST(NewUuidTest, IsVersion4AndUnique) {
  std::string a = NewUuid(), b = NewUuid();
  EXPECT_EQ(a.size(), 36u);
  EXPECT_EQ(a[14], '4');
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace infra::state

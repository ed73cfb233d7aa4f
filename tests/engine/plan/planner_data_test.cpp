// Data sources through plan and apply on fakes: read while planning when
// the arguments are known (no change shown, dependents see the result),
// deferred to the apply when they are not or when a dependency has changes
// pending, written to state, a no-op when the result is what state holds,
// forgotten without an AWS call when removed or on destroy, and a failed
// read names the data source.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "engine/lang/stack.h"
#include "engine/plan/data_read_cache.h"
#include "engine/plan/planner.h"
#include "engine/plan/plan_render.h"
#include "engine/plan_fixture.h"

namespace infra::test {
namespace {
using engine::Action;

class PlannerDataTest : public PlanFixture {
 protected:
  PlannerDataTest() {
    provider::ResourceSchema s;
    s.type = "fake_lookup";
    provider::AttributeSchema name, value, id;
    name.name = "name";
    name.mode = provider::AttrMode::kRequired;
    value.name = "value";
    value.mode = provider::AttrMode::kComputed;
    id.name = "id";
    id.mode = provider::AttrMode::kComputed;
    s.attributes = {name, value, id};
    lookup = provider.AddDataType(s, [this](const provider::OperationContext& ctx, const provider::Attributes& args)
                                      -> Result<provider::Attributes> {
      std::string n = args.value("name", "");
      if (n == "missing") return MakeError(Error::Kind::kNotFound, "NoMatchingObject", "no fake_lookup named missing");
      std::lock_guard lock(mu);  // reads may run side by side (PreReadData)
      regions.push_back(ctx.region);
      return provider::Attributes{{"name", n}, {"value", "v-" + n + "-" + std::to_string(generation)}, {"id", n}};
    });
  }
  engine::ConfigResource& AddData(const std::string& name, engine::Value arg, std::vector<std::string> extra = {}) {
    auto& r = stack.Add("data.fake_lookup." + name, "fake_lookup", "primary", {{"name", arg}}, std::move(extra));
    r.data = true;
    return r;
  }
  FakeDataType* lookup = nullptr;
  std::mutex mu;
  int generation = 1;
  std::vector<std::string> regions;
};

TEST_F(PlannerDataTest, KnownArgumentsAreReadWhilePlanningAndFeedDependents) {
  AddData("cfg", S("cfg"));
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}, {"ref", S("ref:data.fake_lookup.cfg#value")}});
  engine::Plan plan = MustPlan();
  EXPECT_EQ(lookup->reads.load(), 1);
  EXPECT_EQ(regions, std::vector<std::string>{"eu-central-1"});
  const auto* d = plan.Find("data.fake_lookup.cfg");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->action, Action::kRead);
  EXPECT_TRUE(engine::IsReadAtPlan(*d));
  EXPECT_EQ(plan.Find("fake_thing.a")->after.at("ref").AsString(), "v-cfg-1");
  // Not shown, not counted: only the create is a change.
  std::string text = engine::RenderPlan(plan, {false});
  EXPECT_EQ(text.find("data.fake_lookup.cfg"), std::string::npos) << text;
  EXPECT_NE(text.find("Plan: 1 to add, 0 to change, 0 to destroy."), std::string::npos) << text;
  auto report = MustApply(plan, Options());
  EXPECT_EQ(report.added, 1);
  EXPECT_EQ(report.changed, 0);
  ASSERT_TRUE(state.Has("data.fake_lookup.cfg"));
  EXPECT_EQ(state.Get("data.fake_lookup.cfg").attributes["value"], "v-cfg-1");
  EXPECT_EQ(provider.CountCalls("create"), 1);
}

TEST_F(PlannerDataTest, SameResultAsStateIsANoOpAndANewResultIsReadIntoState) {
  AddData("cfg", S("cfg"));
  ASSERT_TRUE(PlanAndApply().ok());
  engine::Plan again = MustPlan();
  EXPECT_EQ(again.Find("data.fake_lookup.cfg")->action, Action::kNoOp);
  EXPECT_FALSE(again.HasChanges());
  generation = 2;  // the world changed: the next plan reads the new value
  engine::Plan changed = MustPlan();
  EXPECT_EQ(changed.Find("data.fake_lookup.cfg")->action, Action::kRead);
  EXPECT_FALSE(changed.HasChanges());
  MustApply(changed, Options());
  EXPECT_EQ(state.Get("data.fake_lookup.cfg").attributes["value"], "v-cfg-2");
}

TEST_F(PlannerDataTest, UnknownArgumentsDeferTheReadToTheApply) {
  stack.Add("fake_thing.src", "fake_thing", "primary", {{"name", S("src")}});
  AddData("late", S("ref:fake_thing.src#arn"));
  stack.Add("fake_thing.user", "fake_thing", "primary",
            {{"name", S("user")}, {"ref", S("ref:data.fake_lookup.late#value")}});
  engine::Plan plan = MustPlan();
  EXPECT_EQ(lookup->reads.load(), 0);
  const auto* d = plan.Find("data.fake_lookup.late");
  EXPECT_EQ(d->action, Action::kRead);
  EXPECT_FALSE(engine::IsReadAtPlan(*d));
  EXPECT_TRUE(d->after.at("value").is_unknown());
  EXPECT_TRUE(plan.Find("fake_thing.user")->after.at("ref").is_unknown());
  std::string text = engine::RenderPlan(plan, {false});
  EXPECT_NE(text.find("data.fake_lookup.late will be read during apply"), std::string::npos) << text;
  EXPECT_NE(text.find("<= data \"fake_lookup\" \"late\""), std::string::npos) << text;
  EXPECT_NE(text.find("1 data source to read during apply"), std::string::npos) << text;
  auto report = MustApply(plan, Options());
  EXPECT_EQ(report.failed, 0) << out.str();
  EXPECT_EQ(lookup->reads.load(), 1);
  ASSERT_TRUE(state.Has("fake_thing.src"));
  std::string arn = state.Get("fake_thing.src").attributes["arn"];
  EXPECT_EQ(state.Get("data.fake_lookup.late").attributes["name"], arn);
  EXPECT_EQ(state.Get("fake_thing.user").attributes["ref"], "v-" + arn + "-1");
}

TEST_F(PlannerDataTest, ADependencyWithChangesPendingDefersTheRead) {
  stack.Add("fake_thing.src", "fake_thing", "primary", {{"name", S("src")}});
  AddData("after_src", S("fixed"), {"fake_thing.src"});
  engine::Plan plan = MustPlan();
  EXPECT_EQ(lookup->reads.load(), 0);
  EXPECT_FALSE(engine::IsReadAtPlan(*plan.Find("data.fake_lookup.after_src")));
  MustApply(plan, Options());
  EXPECT_EQ(lookup->reads.load(), 1);
  // Nothing pending any more: the next plan reads while planning.
  engine::Plan again = MustPlan();
  EXPECT_EQ(lookup->reads.load(), 2);
  EXPECT_EQ(again.Find("data.fake_lookup.after_src")->action, Action::kNoOp);
}

TEST_F(PlannerDataTest, RemovedOrDestroyedDataSourcesAreForgottenWithoutCalls) {
  AddData("cfg", S("cfg"));
  AddData("other", S("other"));
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  ASSERT_TRUE(PlanAndApply().ok());
  stack.Remove("data.fake_lookup.other");
  engine::Plan plan = MustPlan();
  const auto* gone = plan.Find("data.fake_lookup.other");
  ASSERT_NE(gone, nullptr);
  EXPECT_EQ(gone->action, Action::kDelete);
  std::string text = engine::RenderPlan(plan, {false});
  EXPECT_NE(text.find("will be forgotten (a data source: nothing is destroyed)"), std::string::npos) << text;
  EXPECT_NE(text.find("0 to destroy"), std::string::npos) << text;
  MustApply(plan, Options());
  EXPECT_FALSE(state.Has("data.fake_lookup.other"));
  EXPECT_EQ(provider.CountCalls("delete"), 0);
  auto report = PlanAndApply(engine::PlanMode::kDestroy);
  EXPECT_EQ(report.destroyed, 1);  // fake_thing.a only
  EXPECT_EQ(provider.CountCalls("delete"), 1);
  EXPECT_FALSE(state.Has("data.fake_lookup.cfg"));
}

TEST_F(PlannerDataTest, IndependentDataSourcesAreReadSideBySide) {
  // Each read of fake_gate returns only once both reads have started: read
  // one after another, the first gives up after 20 s and the plan fails.
  provider::ResourceSchema s;
  s.type = "fake_gate";
  provider::AttributeSchema name;
  name.name = "name";
  name.mode = provider::AttrMode::kRequired;
  s.attributes = {name};
  std::mutex gate_mu;
  std::condition_variable gate_cv;
  int started = 0;
  provider.AddDataType(s, [&](const provider::OperationContext&, const provider::Attributes& args)
                              -> Result<provider::Attributes> {
    std::unique_lock lock(gate_mu);
    ++started;
    gate_cv.notify_all();
    if (!gate_cv.wait_for(lock, std::chrono::seconds(20), [&] { return started >= 2; }))
      return MakeError(Error::Kind::kOther, "Serial", "the other data source was not read at the same time");
    return provider::Attributes{{"name", args.value("name", "")}, {"id", args.value("name", "")}};
  });
  for (const char* n : {"a", "b"}) stack.Add(std::string("data.fake_gate.") + n, "fake_gate", "primary", {{"name", S(n)}}).data = true;
  AddData("cfg", S("cfg"));
  engine::Plan plan = MustPlan();
  EXPECT_EQ(started, 2);
  EXPECT_EQ(plan.Find("data.fake_gate.b")->after.at("name").AsString(), "b");
  EXPECT_EQ(lookup->reads.load(), 1);  // read once, not again by the walk
}

TEST_F(PlannerDataTest, AFailedReadNamesTheDataSource) {
  AddData("bad", S("missing")).location = "stack.yaml:4:3";
  auto plan = engine::MakePlan(Request());
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().kind, Error::Kind::kNotFound);
  EXPECT_NE(plan.error().message.find("stack.yaml:4:3: data.fake_lookup.bad"), std::string::npos)
      << plan.error().message;
  EXPECT_NE(plan.error().message.find("no fake_lookup named missing"), std::string::npos);
}

TEST(DataAddressTest, RecognisesDataAddressesInModulesAndWithKeys) {
  EXPECT_TRUE(engine::IsDataAddress("data.aws_vpc.main"));
  EXPECT_TRUE(engine::IsDataAddress("module.net.data.aws_vpc.main"));
  EXPECT_TRUE(engine::IsDataAddress("module.net[\"a.b\"].module.x[0].data.aws_subnets.s[\"k\"]"));
  EXPECT_FALSE(engine::IsDataAddress("aws_vpc.data"));
  EXPECT_FALSE(engine::IsDataAddress("module.data.aws_vpc.main"));
  EXPECT_FALSE(engine::IsDataAddress("aws_s3_bucket.b[\"data.x.y\"]"));
  EXPECT_FALSE(engine::IsDataAddress("data.only"));
}

}  // namespace
}  // namespace infra::test

namespace infra::test {
namespace {

TEST_F(PlannerDataTest, WithASharedCacheIdenticalQueriesAndReadsMadeAtLoadAreReadOnce) {
  // Two instances asking the same thing (a module's lookup in two module
  // instances), one asking something else, and a chain the walk reads.
  AddData("one", S("cfg"));
  AddData("two", S("cfg"));
  AddData("other", S("other"));
  AddData("chained", S("ref:data.fake_lookup.one#id"), {"data.fake_lookup.one"});
  engine::DataReadCache cache;
  // The stack's expansion read "cfg" already (a for_each over it).
  provider::OperationContext ctx;
  ctx.region = "eu-central-1";
  ASSERT_TRUE(cache.Read(*lookup, ctx, provider::Attributes{{"name", "cfg"}}).ok());
  ASSERT_EQ(lookup->reads.load(), 1);
  engine::PlanRequest req = Request();
  req.data_reads = &cache;
  auto plan = engine::MakePlan(req);
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  EXPECT_EQ(lookup->reads.load(), 2);  // only "other": one, two and chained are the load's read of "cfg"
  EXPECT_EQ(cache.reads(), 2);
  for (const char* a : {"data.fake_lookup.one", "data.fake_lookup.two", "data.fake_lookup.chained"})
    EXPECT_EQ(plan->Find(a)->after.at("value").AsString(), "v-cfg-1") << a;
  EXPECT_EQ(plan->Find("data.fake_lookup.other")->after.at("value").AsString(), "v-other-1");
  // Without the cache each instance is its own read.
  auto again = engine::MakePlan(Request());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(lookup->reads.load(), 2 + 4);
}

}  // namespace
}  // namespace infra::test

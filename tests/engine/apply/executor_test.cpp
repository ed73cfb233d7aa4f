// Executor tests against the scripted FakeProvider: ordering, failure
// propagation, waits on the timer queue, per-service bounds, region
// rollout, eventual consistency, journal order, interruption.
#include "engine/apply/executor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <thread>

#include "engine/plan_fixture.h"
#include "fakes/fake_clock.h"

namespace infra::test {
namespace {
using engine::Action;
using engine::OutcomeStatus;
using engine::PlanMode;

FakeCall CallOf(const std::vector<FakeCall>& calls, const std::string& op, const std::string& address) {
  for (const auto& c : calls)
    if (c.op == op && c.address == address) return c;
  ADD_FAILURE() << "no " << op << " call for " << address;
  return {};
}

const engine::ResourceOutcome* OutcomeOf(const engine::ApplyReport& r, const std::string& address) {
  for (const auto& o : r.outcomes)
    if (o.address == address) return &o;
  return nullptr;
}

class ExecutorTest : public PlanFixture {
 protected:
  // Applies with `clock` moved forward by `step` whenever the executor waits
  // on it (and by nothing while it works), until the apply returns.
  engine::ApplyReport ApplyAdvancing(const engine::Plan& plan, engine::ExecutorOptions options,
                                     testing::FakeClock& clock, std::chrono::seconds step) {
    std::atomic<bool> finished{false};
    std::thread advance([&] {
      while (!finished) {
        if (clock.waiters() > 0) clock.Advance(step);
        std::this_thread::yield();
      }
    });
    auto report = MustApply(plan, options);
    finished = true;
    advance.join();
    return report;
  }
};

TEST_F(ExecutorTest, CreatesInDependencyOrderAndResolvesReferencesAtApply) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  stack.Add("fake_thing.b", "fake_thing", "primary", {{"name", S("b")}, {"ref", S("ref:fake_thing.a#id")}});
  stack.Add("fake_thing.c", "fake_thing", "primary", {{"name", S("c")}, {"ref", S("ref:fake_thing.b#arn")}});
  auto report = PlanAndApply();
  EXPECT_TRUE(report.ok()) << report.Summary(false);
  EXPECT_EQ(report.added, 3);
  auto calls = provider.Calls();
  EXPECT_LE(CallOf(calls, "create", "fake_thing.a").end, CallOf(calls, "create", "fake_thing.b").start);
  EXPECT_LE(CallOf(calls, "create", "fake_thing.b").end, CallOf(calls, "create", "fake_thing.c").start);
  std::string a_id = state.Get("fake_thing.a").id;
  EXPECT_FALSE(a_id.empty());
  EXPECT_EQ(state.Get("fake_thing.b").attributes.value("ref", ""), a_id);
  EXPECT_EQ(state.Get("fake_thing.c").attributes.value("ref", ""), "arn:fake:" + state.Get("fake_thing.b").id);
  EXPECT_EQ(state.Get("fake_thing.b").depends_on, std::vector<std::string>{"fake_thing.a"});
  EXPECT_NE(out.str().find("fake_thing.a: Creation complete after"), std::string::npos) << out.str();
}

TEST_F(ExecutorTest, FailedResourceFailsDependentsNotSiblings) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  stack.Add("fake_thing.b", "fake_thing", "primary", {{"name", S("b")}, {"ref", S("ref:fake_thing.a#id")}});
  stack.Add("fake_thing.c", "fake_thing", "primary", {{"name", S("c")}, {"ref", S("ref:fake_thing.b#id")}});
  stack.Add("fake_thing.sibling", "fake_thing", "primary", {{"name", S("s")}});
  FakeBehaviour fail;
  fail.fail_create = true;
  provider.SetBehaviour("fake_thing.a", fail);
  auto report = PlanAndApply();
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(OutcomeOf(report, "fake_thing.a")->status, OutcomeStatus::kFailed);
  EXPECT_EQ(OutcomeOf(report, "fake_thing.b")->status, OutcomeStatus::kSkipped);
  EXPECT_EQ(OutcomeOf(report, "fake_thing.c")->status, OutcomeStatus::kSkipped);
  EXPECT_EQ(OutcomeOf(report, "fake_thing.sibling")->status, OutcomeStatus::kSucceeded);
  EXPECT_TRUE(state.Has("fake_thing.sibling"));
  EXPECT_FALSE(state.Has("fake_thing.b"));
  EXPECT_EQ(provider.CountCalls("create"), 2);  // a (failed) and sibling
  std::string summary = report.Summary(false);
  EXPECT_NE(summary.find("1 failed, 2 skipped"), std::string::npos) << summary;
  EXPECT_NE(summary.find("fake_thing.a refused to be created"), std::string::npos) << summary;
}

TEST_F(ExecutorTest, PendingWaitsDoNotHoldWorkerThreads) {
  // Two threads, twelve resources that each stay pending for a while: if a
  // wait held a thread, the third create could only start after the first
  // resource finished waiting.
  FakeBehaviour slow;
  slow.pending_polls = 5;
  slow.poll_retry = std::chrono::milliseconds(20);
  for (int i = 0; i < 12; ++i) {
    std::string a = "fake_thing.n" + std::to_string(i);
    stack.Add(a, "fake_thing", "primary", {{"name", S(a)}});
    provider.SetBehaviour(a, slow);
  }
  engine::Plan plan = MustPlan();
  auto options = Options();
  options.parallelism = 2;
  auto report = MustApply(plan, options);
  EXPECT_TRUE(report.ok()) << report.Summary(false);
  auto calls = provider.Calls();
  auto last_create = std::chrono::steady_clock::time_point::min();
  auto first_done = std::chrono::steady_clock::time_point::max();
  std::map<std::string, std::chrono::steady_clock::time_point> last_poll;
  for (const auto& c : calls) {
    if (c.op == "create") last_create = std::max(last_create, c.start);
    if (c.op == "poll") last_poll[c.address] = std::max(last_poll[c.address], c.end);
  }
  for (const auto& [a, t] : last_poll) first_done = std::min(first_done, t);
  EXPECT_LT(last_create, first_done) << "all creates should be issued while the first resources are still waiting";
  EXPECT_LE(provider.PeakConcurrency(), 2);
  EXPECT_EQ(provider.CountCalls("poll"), 12 * 6);
}

TEST_F(ExecutorTest, ServiceConcurrencyBoundsCallsInFlight) {
  provider.SetConcurrency("fake", 3);
  FakeBehaviour slow;
  slow.delay = std::chrono::milliseconds(30);
  for (int i = 0; i < 12; ++i) {
    std::string a = "fake_thing.n" + std::to_string(i);
    stack.Add(a, "fake_thing", "primary", {{"name", S(a)}});
    provider.SetBehaviour(a, slow);
  }
  auto report = PlanAndApply();
  EXPECT_TRUE(report.ok());
  EXPECT_LE(provider.PeakConcurrency(), 3);
  EXPECT_GE(provider.PeakConcurrency(), 2);
  EXPECT_LE(report.max_in_flight, 3);
}

TEST_F(ExecutorTest, WavesHoldCreatesOfALaterRegionUntilTheEarlierRegionFinished) {
  FakeBehaviour slow;
  slow.delay = std::chrono::milliseconds(50);
  stack.Add("fake_thing.p", "fake_thing", "primary", {{"name", S("p")}});
  stack.Add("fake_thing.d", "fake_thing", "dr", {{"name", S("d")}});
  provider.SetBehaviour("fake_thing.p", slow);
  auto options = Options();
  options.rollout = engine::Rollout::kWaves;
  auto report = MustApply(MustPlan(), options);
  EXPECT_TRUE(report.ok());
  auto calls = provider.Calls();
  EXPECT_LE(CallOf(calls, "create", "fake_thing.p").end, CallOf(calls, "create", "fake_thing.d").start);
}

TEST_F(ExecutorTest, ParallelRolloutStartsCreatesOfALaterRegionWithoutWaiting) {
  // primary's create returns only once dr's create has started: under the
  // default rollout it does; under waves it would wait out the fence.
  std::promise<void> dr_started;
  auto started = dr_started.get_future().share();
  std::atomic<bool> saw_dr{false};
  FakeBehaviour fence;
  fence.during = [&](const std::string& op) {
    if (op == "create") saw_dr = started.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
  };
  FakeBehaviour signal;
  signal.during = [&](const std::string& op) {
    if (op == "create") dr_started.set_value();
  };
  stack.Add("fake_thing.p", "fake_thing", "primary", {{"name", S("p")}});
  stack.Add("fake_thing.d", "fake_thing", "dr", {{"name", S("d")}});
  provider.SetBehaviour("fake_thing.p", fence);
  provider.SetBehaviour("fake_thing.d", signal);
  auto report = PlanAndApply();
  EXPECT_TRUE(report.ok()) << report.Summary(false);
  EXPECT_TRUE(saw_dr) << "dr's create started while primary's was still running";
}

TEST_F(ExecutorTest, ChangesToWhatExistsStillRollOutRegionByRegion) {
  FakeBehaviour slow;
  slow.delay = std::chrono::milliseconds(50);
  stack.Add("fake_thing.p", "fake_thing", "primary", {{"name", S("p")}, {"ref", S("one")}});
  stack.Add("fake_thing.d", "fake_thing", "dr", {{"name", S("d")}, {"ref", S("one")}});
  ASSERT_TRUE(PlanAndApply().ok());
  provider.SetBehaviour("fake_thing.p", slow);
  stack.Set("fake_thing.p", "ref", S("two"));
  stack.Set("fake_thing.d", "ref", S("two"));
  auto report = PlanAndApply();
  EXPECT_TRUE(report.ok()) << report.Summary(false);
  auto calls = provider.Calls();
  EXPECT_LE(CallOf(calls, "update", "fake_thing.p").end, CallOf(calls, "update", "fake_thing.d").start);
}

TEST_F(ExecutorTest, FailureInOneRegionStopsLaterRegionsUnderWaves) {
  stack.Add("fake_thing.p", "fake_thing", "primary", {{"name", S("p")}});
  stack.Add("fake_thing.p2", "fake_thing", "primary", {{"name", S("p2")}});
  stack.Add("fake_thing.d", "fake_thing", "dr", {{"name", S("d")}});
  FakeBehaviour fail;
  fail.fail_create = true;
  provider.SetBehaviour("fake_thing.p", fail);
  auto options = Options();
  options.rollout = engine::Rollout::kWaves;
  auto report = MustApply(MustPlan(), options);
  EXPECT_EQ(OutcomeOf(report, "fake_thing.p")->status, OutcomeStatus::kFailed);
  EXPECT_EQ(OutcomeOf(report, "fake_thing.p2")->status, OutcomeStatus::kSucceeded);
  EXPECT_EQ(OutcomeOf(report, "fake_thing.d")->status, OutcomeStatus::kSkipped);
  EXPECT_EQ(provider.CountObjects("fake_thing.d"), 0);
}

TEST_F(ExecutorTest, FailureInOneRegionStopsLaterUpdatesButNotNewResources) {
  stack.Add("fake_thing.p", "fake_thing", "primary", {{"name", S("p")}, {"ref", S("one")}});
  stack.Add("fake_thing.d", "fake_thing", "dr", {{"name", S("d")}, {"ref", S("one")}});
  ASSERT_TRUE(PlanAndApply().ok());
  FakeBehaviour fail;
  fail.fail_update = true;
  provider.SetBehaviour("fake_thing.p", fail);
  stack.Set("fake_thing.p", "ref", S("two"));
  stack.Set("fake_thing.d", "ref", S("two"));
  stack.Add("fake_thing.d_new", "fake_thing", "dr", {{"name", S("dn")}});
  auto report = PlanAndApply();
  EXPECT_EQ(OutcomeOf(report, "fake_thing.p")->status, OutcomeStatus::kFailed);
  EXPECT_EQ(OutcomeOf(report, "fake_thing.d")->status, OutcomeStatus::kSkipped);
  EXPECT_EQ(state.Get("fake_thing.d").attributes.value("ref", ""), "one") << "dr's object untouched";
  EXPECT_EQ(OutcomeOf(report, "fake_thing.d_new")->status, OutcomeStatus::kSucceeded);
  EXPECT_EQ(provider.CountObjects("fake_thing.d_new"), 1);
}

TEST_F(ExecutorTest, CrossRegionEdgeFromEarlierRegionDoesNotDeadlock) {
  // primary's peering needs the DR VPC; DR must not wait for the peering.
  stack.Add("fake_thing.vpc_p", "fake_thing", "primary", {{"name", S("vp")}});
  stack.Add("fake_thing.vpc_d", "fake_thing", "dr", {{"name", S("vd")}});
  stack.Add("fake_thing.peer", "fake_thing", "primary",
            {{"name", S("peer")}, {"ref", S("ref:fake_thing.vpc_d#id")}, {"tags", S("ref:fake_thing.vpc_p#tags")}});
  auto options = Options();
  options.rollout = engine::Rollout::kWaves;  // the cross-region edge matters when creates wait for regions
  auto report = MustApply(MustPlan(), options);
  EXPECT_TRUE(report.ok()) << report.Summary(false);
  auto calls = provider.Calls();
  EXPECT_LE(CallOf(calls, "create", "fake_thing.vpc_p").end, CallOf(calls, "create", "fake_thing.vpc_d").start);
  EXPECT_EQ(state.Get("fake_thing.peer").attributes.value("ref", ""), state.Get("fake_thing.vpc_d").id);
}

TEST_F(ExecutorTest, TwoCrossRegionEdgesFromEarlierRegionDoNotDeadlock) {
  // lamp-dr's shape: the primary's peering needs the DR VPC and the
  // primary's bucket replication the DR bucket. Each DR op used to wait for
  // the other's primary dependent: nothing started.
  stack.Add("fake_thing.vpc_d", "fake_thing", "dr", {{"name", S("vd")}});
  stack.Add("fake_thing.bucket_d", "fake_thing", "dr", {{"name", S("bd")}});
  stack.Add("fake_thing.peer", "fake_thing", "primary", {{"name", S("peer")}, {"ref", S("ref:fake_thing.vpc_d#id")}});
  stack.Add("fake_thing.replication", "fake_thing", "primary",
            {{"name", S("repl")}, {"ref", S("ref:fake_thing.bucket_d#id")}});
  stack.Add("fake_thing.other_p", "fake_thing", "primary", {{"name", S("op")}});
  auto options = Options();
  options.rollout = engine::Rollout::kWaves;  // creates wait for regions: where the deadlock was
  auto report = MustApply(MustPlan(), options);
  EXPECT_TRUE(report.ok()) << report.Summary(false);
  auto calls = provider.Calls();
  // The region order still holds for what does not wait on DR.
  EXPECT_LE(CallOf(calls, "create", "fake_thing.other_p").end, CallOf(calls, "create", "fake_thing.vpc_d").start);
  EXPECT_LE(CallOf(calls, "create", "fake_thing.other_p").end, CallOf(calls, "create", "fake_thing.bucket_d").start);
  EXPECT_EQ(state.Get("fake_thing.peer").attributes.value("ref", ""), state.Get("fake_thing.vpc_d").id);
  EXPECT_EQ(state.Get("fake_thing.replication").attributes.value("ref", ""), state.Get("fake_thing.bucket_d").id);
}

TEST_F(ExecutorTest, NotFoundRightAfterADependencyIsCreatedIsRetried) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  stack.Add("fake_thing.b", "fake_thing", "primary", {{"name", S("b")}, {"ref", S("ref:fake_thing.a#id")}});
  FakeBehaviour flaky;
  flaky.not_found_creates = 2;
  provider.SetBehaviour("fake_thing.b", flaky);
  auto report = PlanAndApply();
  EXPECT_TRUE(report.ok()) << report.Summary(false);
  int creates_b = 0;
  for (const auto& c : provider.Calls()) creates_b += c.op == "create" && c.address == "fake_thing.b";
  EXPECT_EQ(creates_b, 3);
  EXPECT_EQ(provider.CountObjects("fake_thing.b"), 1);
}

TEST_F(ExecutorTest, NotFoundWithoutARecentChangeIsAnError) {
  stack.Add("fake_thing.b", "fake_thing", "primary", {{"name", S("b")}});
  FakeBehaviour flaky;
  flaky.not_found_creates = 1;
  provider.SetBehaviour("fake_thing.b", flaky);
  auto report = PlanAndApply();
  EXPECT_EQ(OutcomeOf(report, "fake_thing.b")->status, OutcomeStatus::kFailed);
}

TEST_F(ExecutorTest, NotFoundWhilePollingANewResourceIsRetried) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  FakeBehaviour flaky;
  flaky.not_found_polls = 2;
  provider.SetBehaviour("fake_thing.a", flaky);
  auto report = PlanAndApply();
  EXPECT_TRUE(report.ok()) << report.Summary(false);
  EXPECT_EQ(provider.CountCalls("poll"), 3);
}

TEST_F(ExecutorTest, JournalsIntentBeforeAndOutcomeAfterEachCall) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  PlanAndApply();
  auto log = state.Log();
  ASSERT_GE(log.size(), 3u);
  EXPECT_EQ(log[0], "intent create fake_thing.a");
  EXPECT_EQ(log[1], "outcome fake_thing.a ok");
  EXPECT_EQ(log[2], "put fake_thing.a");
}

TEST_F(ExecutorTest, DestroyDeletesDependentsFirstAndEmptiesState) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  stack.Add("fake_thing.b", "fake_thing", "primary", {{"name", S("b")}, {"ref", S("ref:fake_thing.a#id")}});
  stack.Add("fake_thing.d", "fake_thing", "dr", {{"name", S("d")}, {"ref", S("ref:fake_thing.a#id")}});
  ASSERT_TRUE(PlanAndApply().ok());
  auto report = PlanAndApply(PlanMode::kDestroy);
  EXPECT_TRUE(report.ok()) << report.Summary(true);
  EXPECT_EQ(report.destroyed, 3);
  auto calls = provider.Calls();
  EXPECT_LE(CallOf(calls, "delete", "fake_thing.b").end, CallOf(calls, "delete", "fake_thing.a").start);
  EXPECT_LE(CallOf(calls, "delete", "fake_thing.d").end, CallOf(calls, "delete", "fake_thing.a").start);
  EXPECT_EQ(provider.ObjectCount(), 0u);
  EXPECT_TRUE(state.Snapshot().resources.empty());
}

TEST_F(ExecutorTest, ReplaceDeletesThenCreatesAndDependentsFollow) {
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  stack.Add("fake_thing.b", "fake_thing", "primary", {{"name", S("b")}, {"ref", S("ref:fake_thing.a#id")}});
  ASSERT_TRUE(PlanAndApply().ok());
  std::string old_id = state.Get("fake_thing.a").id;
  stack.Set("fake_thing.a", "name", S("a2"));
  engine::Plan plan = MustPlan();
  EXPECT_EQ(plan.Find("fake_thing.a")->action, Action::kDeleteThenCreate);
  EXPECT_EQ(plan.Find("fake_thing.b")->action, Action::kUpdate);  // ref is updatable
  auto report = MustApply(plan, Options());
  EXPECT_TRUE(report.ok()) << report.Summary(false);
  std::string new_id = state.Get("fake_thing.a").id;
  EXPECT_NE(new_id, old_id);
  EXPECT_EQ(state.Get("fake_thing.b").attributes.value("ref", ""), new_id);
  EXPECT_EQ(provider.CountObjects("fake_thing.a"), 1);
}

TEST_F(ExecutorTest, CreateBeforeDestroyKeepsTheOldObjectUntilTheNewExists) {
  auto& a = stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  a.lifecycle.create_before_destroy = true;
  ASSERT_TRUE(PlanAndApply().ok());
  stack.Set("fake_thing.a", "name", S("a2"));
  engine::Plan plan = MustPlan();
  ASSERT_EQ(plan.Find("fake_thing.a")->action, Action::kCreateThenDelete);
  auto report = MustApply(plan, Options());
  EXPECT_TRUE(report.ok()) << report.Summary(false);
  auto calls = provider.Calls();
  FakeCall create, del;
  for (const auto& c : calls) {
    if (c.op == "create") create = c;
    if (c.op == "delete") del = c;
  }
  EXPECT_LE(create.end, del.start);
  EXPECT_EQ(provider.CountObjects("fake_thing.a"), 1);
  EXPECT_TRUE(state.Has("fake_thing.a"));
  EXPECT_EQ(state.Get("fake_thing.a").attributes.value("name", ""), "a2");
}

TEST_F(ExecutorTest, StopSignalStartsNothingNewAndReportsInterrupted) {
  std::atomic<bool> stop{false};
  FakeBehaviour signalled;
  signalled.during = [&](const std::string&) { stop = true; };  // the signal arrives while a's create is in flight
  stack.Add("fake_thing.a", "fake_thing", "primary", {{"name", S("a")}});
  stack.Add("fake_thing.b", "fake_thing", "primary", {{"name", S("b")}, {"ref", S("ref:fake_thing.a#id")}});
  provider.SetBehaviour("fake_thing.a", signalled);
  engine::Plan plan = MustPlan();
  auto options = Options();
  options.stop = &stop;
  auto report = MustApply(plan, options);
  EXPECT_TRUE(report.interrupted);
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(OutcomeOf(report, "fake_thing.a")->status, OutcomeStatus::kSucceeded);  // in flight: finished
  EXPECT_EQ(OutcomeOf(report, "fake_thing.b")->status, OutcomeStatus::kNotStarted);
  EXPECT_TRUE(state.Has("fake_thing.a"));
  EXPECT_EQ(provider.CountObjects("fake_thing.b"), 0);
}

// The state store fences writes by lock id (state/store.h FenceWrites): once
// the lock is lost, every write fails with StateLockLost. This port does the
// same after `lost` is set.
class FencedState : public engine::StatePort {
 public:
  explicit FencedState(MemoryState& inner) : inner_(inner) {}
  Status PutResource(const engine::StateResource& r, int64_t resolve) override {
    return Fence() ? inner_.PutResource(r, resolve) : Lost();
  }
  Status RemoveResource(const std::string& a, int64_t resolve) override {
    return Fence() ? inner_.RemoveResource(a, resolve) : Lost();
  }
  Status PutResources(const std::vector<engine::StateResource>& r, int64_t resolve) override {
    return Fence() ? inner_.PutResources(r, resolve) : Lost();
  }
  Status RemoveDeposed(const std::string& a, const std::string& k, int64_t resolve) override {
    return Fence() ? inner_.RemoveDeposed(a, k, resolve) : Lost();
  }
  Result<int64_t> RecordIntent(const engine::PendingIntent& i) override {
    if (!Fence()) return Lost().error();
    return inner_.RecordIntent(i);
  }
  Status RecordOutcome(int64_t id, bool ok, const std::string& d) override {
    return Fence() ? inner_.RecordOutcome(id, ok, d) : Lost();
  }
  Result<std::vector<engine::PendingIntent>> Unfinished() override { return inner_.Unfinished(); }
  Status Resolve(int64_t id, const std::string& r) override { return Fence() ? inner_.Resolve(id, r) : Lost(); }
  Status PutOutputs(const std::map<std::string, engine::Value>& o) override {
    return Fence() ? inner_.PutOutputs(o) : Lost();
  }
  std::atomic<bool> lost{false};

 private:
  bool Fence() const { return !lost.load(); }
  static Status Lost() {
    return MakeError(Error::Kind::kConflict, "StateLockLost", "this process lost the state lock");
  }
  MemoryState& inner_;
};

TEST_F(ExecutorTest, LostLockStartsNothingNewAndMakesNoMoreCalls) {
  FencedState fenced(state);
  FakeBehaviour taken_over;
  // Another run takes the lock over while the first create is in flight.
  taken_over.during = [&](const std::string&) { fenced.lost = true; };
  for (const char* name : {"a", "b", "c", "d"}) {
    stack.Add(std::string("fake_thing.") + name, "fake_thing", "primary", {{"name", S(name)}});
    provider.SetBehaviour(std::string("fake_thing.") + name, taken_over);
  }
  engine::Plan plan = MustPlan();
  auto options = Options();
  options.parallelism = 1;
  auto report = engine::Execute(plan, provider, fenced, options);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  EXPECT_FALSE(report->ok());
  int creates = 0, failed = 0, not_started = 0;
  for (const auto& c : provider.Calls()) creates += c.op == "create";
  for (const auto& o : report->outcomes) {
    failed += o.status == OutcomeStatus::kFailed;
    not_started += o.status == OutcomeStatus::kNotStarted;
  }
  EXPECT_EQ(creates, 1);  // only the call already in flight
  EXPECT_EQ(failed, 1);   // its result could not be saved
  EXPECT_EQ(not_started, 3);
  EXPECT_NE(out.str().find("Lost the state lock"), std::string::npos) << out.str();
}

TEST_F(ExecutorTest, SecondSignalAbandonsWaitsButKeepsTheResourceInState) {
  std::atomic<bool> stop{false}, cancel{false};
  std::atomic<int> polls{0};
  FakeBehaviour pending;
  pending.pending_polls = 1000000;
  pending.poll_retry = std::chrono::milliseconds(10);
  // First signal during the create; the second after a few polls went on
  // waiting (the grace is an hour, so only the second signal ends the wait).
  pending.during = [&](const std::string& op) {
    if (op == "create") stop = true;
    if (op == "poll" && ++polls == 3) cancel = true;
  };
  stack.Add("fake_thing.nat", "fake_thing", "primary", {{"name", S("nat")}});
  provider.SetBehaviour("fake_thing.nat", pending);
  engine::Plan plan = MustPlan();
  auto options = Options();
  options.stop = &stop;
  options.cancel = &cancel;
  options.stop_grace = std::chrono::hours(1);
  auto report = MustApply(plan, options);
  EXPECT_GE(polls.load(), 3);
  EXPECT_EQ(OutcomeOf(report, "fake_thing.nat")->status, OutcomeStatus::kAbandoned);
  EXPECT_TRUE(state.Has("fake_thing.nat"));  // saved when the create call returned
}

// A wait that never ends (Poll pending for ever) fails when its timeout runs
// out on the clock: the type's default here, with a fake clock advanced past
// it. Its dependent is skipped; its sibling is not held back.
TEST_F(ExecutorTest, PendingWaitFailsAtTheTypesTimeoutAndOnlyItsDependentsAreSkipped) {
  provider.AddThing("fake_slow", "slow")->mutable_schema().create_timeout = std::chrono::minutes(20);
  FakeBehaviour forever;
  forever.pending_polls = 1000000;
  forever.poll_retry = std::chrono::seconds(5);
  stack.Add("fake_slow.nat", "fake_slow", "primary", {{"name", S("nat")}});
  stack.Add("fake_thing.route", "fake_thing", "primary", {{"name", S("r")}, {"ref", S("ref:fake_slow.nat#id")}});
  stack.Add("fake_thing.sibling", "fake_thing", "primary", {{"name", S("s")}});
  provider.SetBehaviour("fake_slow.nat", forever);
  engine::Plan plan = MustPlan();
  auto options = Options();
  testing::FakeClock clock;
  options.clock = &clock;
  auto t0 = clock.Now();
  auto report = ApplyAdvancing(plan, options, clock, std::chrono::seconds(5));
  EXPECT_GE(clock.Now() - t0, std::chrono::minutes(20));  // not before its timeout
  EXPECT_GE(provider.CountCalls("poll"), 1);  // it waited (how many polls depends on when time moved)
  auto* nat = OutcomeOf(report, "fake_slow.nat");
  ASSERT_NE(nat, nullptr);
  EXPECT_EQ(nat->status, OutcomeStatus::kFailed);
  EXPECT_NE(nat->message.find("timed out after 20m waiting for the create"), std::string::npos) << nat->message;
  EXPECT_NE(nat->message.find("timeouts.create"), std::string::npos) << nat->message;
  EXPECT_EQ(OutcomeOf(report, "fake_thing.route")->status, OutcomeStatus::kSkipped);
  EXPECT_EQ(OutcomeOf(report, "fake_thing.sibling")->status, OutcomeStatus::kSucceeded);
}

// The resource's `timeouts:` overrides the type's default.
TEST_F(ExecutorTest, ResourceTimeoutOverridesTheTypeDefault) {
  FakeBehaviour forever;
  forever.pending_polls = 1000000;
  forever.poll_retry = std::chrono::seconds(1);
  stack.Add("fake_thing.nat", "fake_thing", "primary", {{"name", S("nat")}});
  provider.SetBehaviour("fake_thing.nat", forever);
  engine::Plan plan = MustPlan();
  auto options = Options();
  options.config["fake_thing.nat"].timeouts.create = std::chrono::seconds(30);
  testing::FakeClock clock;
  options.clock = &clock;
  auto report = ApplyAdvancing(plan, options, clock, std::chrono::seconds(1));
  auto* nat = OutcomeOf(report, "fake_thing.nat");
  EXPECT_EQ(nat->status, OutcomeStatus::kFailed);
  EXPECT_NE(nat->message.find("timed out after 30s"), std::string::npos) << nat->message;
  // About 30 one-second polls, not the type's 30 minutes' worth.
  EXPECT_LT(provider.CountCalls("poll"), 100);
}

// A delete that times out leaves its journal entry open for recovery.
TEST_F(ExecutorTest, TimedOutDeleteLeavesItsJournalEntryUnresolved) {
  stack.Add("fake_thing.nat", "fake_thing", "primary", {{"name", S("nat")}});
  PlanAndApply();
  FakeBehaviour forever;
  forever.pending_polls = 1000000;
  forever.poll_retry = std::chrono::seconds(1);
  provider.SetBehaviour("fake_thing.nat", forever);
  engine::Plan plan = MustPlan(PlanMode::kDestroy);
  auto options = Options();
  options.config["fake_thing.nat"].timeouts.destroy = std::chrono::seconds(10);
  testing::FakeClock clock;
  options.clock = &clock;
  auto report = ApplyAdvancing(plan, options, clock, std::chrono::seconds(1));
  EXPECT_EQ(OutcomeOf(report, "fake_thing.nat")->status, OutcomeStatus::kFailed);
  auto open = state.Unfinished();
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].operation, "delete");
  EXPECT_TRUE(state.Has("fake_thing.nat"));
}

// Issue 10 item 6: a create whose reply was lost (the service made the
// object) is found by its address and adopted in the same run: no twin, no
// failure, no journal entry left open.
TEST_F(ExecutorTest, CreateWhoseReplyWasLostIsAdoptedNotRepeated) {
  FakeBehaviour lost;
  lost.lost_replies = 1;
  stack.Add("fake_thing.vpc", "fake_thing", "primary", {{"name", S("vpc")}});
  stack.Add("fake_thing.subnet", "fake_thing", "primary", {{"name", S("s")}, {"ref", S("ref:fake_thing.vpc#id")}});
  provider.SetBehaviour("fake_thing.vpc", lost);
  auto report = PlanAndApply();
  EXPECT_TRUE(report.ok()) << report.Summary(false);
  EXPECT_EQ(provider.CountObjects("fake_thing.vpc"), 1);
  EXPECT_EQ(CallOf(provider.Calls(), "find", "fake_thing.vpc").address, "fake_thing.vpc");
  int creates = 0;
  for (const auto& c : provider.Calls()) creates += c.op == "create" && c.address == "fake_thing.vpc";
  EXPECT_EQ(creates, 1);
  ASSERT_TRUE(state.Has("fake_thing.vpc"));
  EXPECT_EQ(state.Get("fake_thing.subnet").attributes.value("ref", ""), state.Get("fake_thing.vpc").id);
  EXPECT_TRUE(state.Unfinished()->empty());
  EXPECT_NE(out.str().find("adopted"), std::string::npos) << out.str();
}

// The reset came before the service saw the create: the lookup finds
// nothing, the entry is resolved, and the create is made again, once.
TEST_F(ExecutorTest, CreateThatNeverArrivedIsMadeAgainAfterTheLookup) {
  FakeBehaviour unsent;
  unsent.unsent_creates = 1;
  stack.Add("fake_thing.vpc", "fake_thing", "primary", {{"name", S("vpc")}});
  provider.SetBehaviour("fake_thing.vpc", unsent);
  auto report = PlanAndApply();
  EXPECT_TRUE(report.ok()) << report.Summary(false);
  EXPECT_EQ(provider.CountObjects("fake_thing.vpc"), 1);
  EXPECT_EQ(provider.CountCalls("create"), 2);
  EXPECT_EQ(provider.CountCalls("find"), 1);
  EXPECT_TRUE(state.Unfinished()->empty());
  auto log = state.Log();
  EXPECT_NE(std::find(log.begin(), log.end(), "resolve fake_thing.vpc not created: looked up by address"), log.end());
}

// Replies lost again and again: the resource fails (its dependents are
// skipped) and its journal entry stays open for the next run's recovery.
TEST_F(ExecutorTest, RepeatedlyLostCreateFailsAndLeavesItsEntryOpen) {
  FakeBehaviour unsent;
  unsent.unsent_creates = 100;
  stack.Add("fake_thing.vpc", "fake_thing", "primary", {{"name", S("vpc")}});
  stack.Add("fake_thing.subnet", "fake_thing", "primary", {{"name", S("s")}, {"ref", S("ref:fake_thing.vpc#id")}});
  provider.SetBehaviour("fake_thing.vpc", unsent);
  auto report = PlanAndApply();
  EXPECT_EQ(OutcomeOf(report, "fake_thing.vpc")->status, OutcomeStatus::kFailed);
  EXPECT_EQ(OutcomeOf(report, "fake_thing.subnet")->status, OutcomeStatus::kSkipped);
  EXPECT_EQ(provider.CountCalls("create"), 3);
  auto open = state.Unfinished();
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].operation, "create");
}

// Issue 10 item 8: after a stop, a call that returns with an unknown outcome
// (the transport abandoned it, or its reply was lost) is not looked up or
// retried: it is reported abandoned and its journal entry stays open for
// the next run's recovery.
TEST_F(ExecutorTest, CallAbandonedAfterAStopLeavesItsEntryOpenForRecovery) {
  std::atomic<bool> stop{false};
  FakeBehaviour lost;
  lost.lost_replies = 1;  // the object is made, the reply is a ConnectionReset
  lost.during = [&](const std::string&) { stop = true; };
  stack.Add("fake_thing.vpc", "fake_thing", "primary", {{"name", S("vpc")}});
  stack.Add("fake_thing.subnet", "fake_thing", "primary", {{"name", S("s")}, {"ref", S("ref:fake_thing.vpc#id")}});
  provider.SetBehaviour("fake_thing.vpc", lost);
  engine::Plan plan = MustPlan();
  auto options = Options();
  options.stop = &stop;
  auto report = MustApply(plan, options);
  EXPECT_TRUE(report.interrupted);
  EXPECT_EQ(OutcomeOf(report, "fake_thing.vpc")->status, OutcomeStatus::kAbandoned);
  EXPECT_NE(OutcomeOf(report, "fake_thing.vpc")->message.find("journal keeps it"), std::string::npos);
  EXPECT_EQ(OutcomeOf(report, "fake_thing.subnet")->status, OutcomeStatus::kNotStarted);
  EXPECT_EQ(provider.CountCalls("find"), 0);
  EXPECT_EQ(provider.CountCalls("create"), 1);
  EXPECT_FALSE(state.Has("fake_thing.vpc"));
  auto open = state.Unfinished();
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].address, "fake_thing.vpc");
}

}  // namespace
}  // namespace infra::test

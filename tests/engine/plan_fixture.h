// Shared set-up for planner/executor tests: a FakeProvider with a
// "fake_thing" type in two services, a FakeStack, a MemoryState, and
// helpers to plan and apply the way the CLI does.
#pragma once
#include <gtest/gtest.h>

#include <sstream>

#include "engine/apply/executor.h"
#include "engine/plan/planner.h"
#include "engine/apply/progress.h"
#include "fakes/fake_provider.h"
#include "fakes/fake_stack.h"
#include "fakes/memory_state.h"

namespace infra::test {

inline engine::Value S(const std::string& s) { return engine::Value::String(s); }
inline engine::Value N(double n) { return engine::Value::Number(n); }

class PlanFixture : public ::testing::Test {
 protected:
  PlanFixture() {
    provider.AddThing("fake_thing", "fake");
    provider.AddThing("fake_other", "other");
  }

  engine::PlanRequest Request(engine::PlanMode mode = engine::PlanMode::kNormal) {
    snapshot = state.Snapshot();
    engine::PlanRequest r;
    r.stack = "teststack";
    r.regions = stack.region_order;
    r.resources = stack.Resources();
    r.evaluate = stack.Evaluator();
    r.evaluate_outputs = stack.OutputEvaluator();
    r.state = &snapshot;
    r.provider = &provider;
    r.mode = mode;
    return r;
  }

  engine::Plan MustPlan(engine::PlanMode mode = engine::PlanMode::kNormal) {
    auto p = engine::MakePlan(Request(mode));
    EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().ToString());
    return p.ok() ? *p : engine::Plan{};
  }

  engine::ExecutorOptions Options() {
    engine::ExecutorOptions o;
    o.stack = "teststack";
    o.nonce = "nonce";
    for (const auto& r : stack.Resources()) o.config[r.address] = r;
    o.evaluate = stack.Evaluator();
    o.state = &snapshot;
    o.progress = &progress;
    o.not_found_backoff = std::chrono::milliseconds(5);
    return o;
  }

  engine::ApplyReport MustApply(const engine::Plan& plan, engine::ExecutorOptions options) {
    auto r = engine::Execute(plan, provider, state, options);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().ToString());
    return r.ok() ? *r : engine::ApplyReport{};
  }

  engine::ApplyReport PlanAndApply(engine::PlanMode mode = engine::PlanMode::kNormal) {
    engine::Plan plan = MustPlan(mode);
    auto options = Options();
    options.reverse_regions = mode == engine::PlanMode::kDestroy;
    return MustApply(plan, options);
  }

  FakeProvider provider;
  FakeStack stack;
  MemoryState state;
  engine::StateSnapshot snapshot;
  std::ostringstream out;
  engine::Progress progress{&out, false};
};

}  // namespace infra::test

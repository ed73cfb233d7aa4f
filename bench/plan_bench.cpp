// Plan with --refresh=false of a generated 10,000-resource stack (100 module
// instances x 100 resources: a VPC, 50 subnets and 49 security groups each,
// all referencing their VPC) against a 10,000-resource state that matches
// it. The state is produced by the real executor over a schema-only
// provider that echoes creates, so it has the shape an apply leaves.
// Also times that executor run (10,000 creates, no network).
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <sys/resource.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>

#include "providers/aws/aws_provider.h"
#include "engine/lang/diag.h"
#include "engine/apply/executor.h"
#include "engine/plan/outputs.h"
#include "engine/plan/planner.h"
#include "engine/lang/stack.h"
#include "engine/cli/stack_source.h"
#include "engine/cli/store_port.h"
#include "state/store.h"
#include "providers/provider.h"

namespace {
namespace fs = std::filesystem;
using namespace infra;

std::string Generate(int modules, int subnets, int groups) {
  fs::path dir = fs::temp_directory_path() / "infra-plan-bench";
  fs::create_directories(dir);
  std::ofstream mod(dir / "module.yaml");
  mod << "inputs:\n  cidr: {type: string}\nresources:\n"
      << "  vpc: {type: aws_vpc, cidr_block: '${var.cidr}', tags: {Name: bench}}\n";
  for (int i = 0; i < subnets; ++i)
    mod << fmt::format("  s{0}: {{type: aws_subnet, vpc_id: '${{vpc.id}}', cidr_block: '${{cidrsubnet(var.cidr, 8, {0})}}', "
                       "availability_zone: '${{region}}a', tags: {{Name: s{0}}}}}\n",
                       i);
  for (int i = 0; i < groups; ++i)
    mod << fmt::format("  g{0}: {{type: aws_security_group, name: g{0}, description: bench, vpc_id: '${{vpc.id}}'}}\n", i);
  std::ofstream st(dir / "stack.yaml");
  st << "stack: bench10k\nregions:\n  primary: eu-central-1\n  dr: eu-west-1\nmodules:\n";
  for (int m = 0; m < modules; ++m)
    st << fmt::format("  m{0}: {{source: ./module.yaml, region: {1}, inputs: {{cidr: 10.{0}.0.0/16}}}}\n", m,
                      m % 2 ? "dr" : "primary");
  return dir.string();
}

// Schemas from the AWS provider; Create echoes desired values plus ids for
// every computed attribute. No network.
class EchoType : public provider::ResourceType {
 public:
  explicit EchoType(provider::ResourceType* real) : real_(real) {}
  const provider::ResourceSchema& schema() const override { return real_->schema(); }
  Result<provider::ApplyResult> Create(const provider::OperationContext& ctx, const provider::Attributes& d) override {
    provider::Attributes a = d;
    std::string id = fmt::format("{}-{}", schema().type, next_++);
    for (const auto& s : schema().attributes)
      if (s.mode == provider::AttrMode::kComputed) a[s.name] = id + "-" + s.name;
    a["id"] = id;
    (void)ctx;
    return provider::ApplyResult{a, false};
  }
  Result<provider::ApplyResult> Update(const provider::OperationContext&, const provider::Attributes&,
                                       const provider::Attributes& d) override {
    return provider::ApplyResult{d, false};
  }
  Result<provider::ApplyResult> Delete(const provider::OperationContext&, const provider::Attributes&) override {
    return provider::ApplyResult{};
  }
  Result<std::map<std::string, provider::Attributes>> Read(const std::string&, const std::vector<std::string>&) override {
    return std::map<std::string, provider::Attributes>{};
  }
  Result<std::optional<provider::Attributes>> FindByAddress(const provider::OperationContext&,
                                                            const provider::Attributes&) override {
    return std::optional<provider::Attributes>{};
  }

 private:
  provider::ResourceType* real_;
  std::atomic<int> next_{1};
};

class EchoProvider : public provider::Provider {
 public:
  EchoProvider() : real_(aws::NewAwsProvider({})) {
    for (const auto& n : real_->TypeNames()) types_[n] = std::make_unique<EchoType>(real_->Find(n));
  }
  provider::ResourceType* Find(std::string_view t) const override {
    auto it = types_.find(std::string(t));
    return it == types_.end() ? nullptr : it->second.get();
  }
  std::vector<std::string> TypeNames() const override { return real_->TypeNames(); }

 private:
  std::unique_ptr<provider::Provider> real_;
  std::map<std::string, std::unique_ptr<EchoType>> types_;
};

class VectorState : public engine::StatePort {
 public:
  Status PutResource(const engine::StateResource& r, int64_t) override {
    std::lock_guard<std::mutex> l(mu_);
    rows_[r.address] = r;
    return {};
  }
  Status RemoveResource(const std::string& a, int64_t) override {
    rows_.erase(a);
    return {};
  }
  Result<int64_t> RecordIntent(const engine::PendingIntent&) override { return ++next_; }
  Status RecordOutcome(int64_t, bool, const std::string&) override { return {}; }
  Result<std::vector<engine::PendingIntent>> Unfinished() override { return std::vector<engine::PendingIntent>{}; }
  Status Resolve(int64_t, const std::string&) override { return {}; }
  Status PutOutputs(const std::map<std::string, engine::Value>&) override { return {}; }
  engine::StateSnapshot Snapshot() const {
    engine::StateSnapshot s;
    s.lineage = "bench";
    s.serial = 1;
    for (const auto& [a, r] : rows_) s.resources.push_back(r);
    return s;
  }

 private:
  std::mutex mu_;
  std::map<std::string, engine::StateResource> rows_;
  int64_t next_ = 0;
};

struct World {
  EchoProvider provider;
  std::optional<engine::Stack> stack;
  std::vector<engine::ConfigResource> resources;
  engine::StateSnapshot state;
  double load_ms = 0, apply_ms = 0;
};

World& TheWorld() {
  static World* w = [] {
    auto* w = new World;
    std::string dir = Generate(100, 50, 49);
    auto t0 = std::chrono::steady_clock::now();
    engine::Diagnostics diags;
    auto stack = engine::LoadStack(dir, {}, w->provider, diags);
    if (!stack.ok()) {
      std::cerr << diags.RenderAll() << stack.error().ToString() << "\n";
      std::abort();
    }
    w->stack = std::move(*stack);
    w->resources = engine::ConfigResources(*w->stack);
    w->load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    engine::StateSnapshot empty;
    engine::PlanRequest req;
    req.stack = "bench10k";
    req.regions = {"primary", "dr"};
    req.resources = w->resources;
    req.evaluate = engine::StackEvaluator(*w->stack);
    req.state = &empty;
    req.provider = &w->provider;
    req.refresh = false;
    auto plan = engine::MakePlan(req);
    if (!plan.ok()) std::abort();
    VectorState port;
    engine::ExecutorOptions o;
    o.stack = "bench10k";
    o.nonce = "n";
    for (const auto& r : w->resources) o.config[r.address] = r;
    o.evaluate = req.evaluate;
    o.state = &empty;
    auto t1 = std::chrono::steady_clock::now();
    auto rep = engine::Execute(*plan, w->provider, port, o);
    w->apply_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count();
    if (!rep.ok() || !rep->ok()) std::abort();
    w->state = port.Snapshot();
    return w;
  }();
  return *w;
}

void BM_PlanNoRefresh10k(benchmark::State& st) {
  World& w = TheWorld();
  engine::PlanRequest req;
  req.stack = "bench10k";
  req.regions = {"primary", "dr"};
  req.resources = w.resources;
  req.evaluate = engine::StackEvaluator(*w.stack);
  req.state = &w.state;
  req.provider = &w.provider;
  req.refresh = false;
  bool changes = false;
  for (auto _ : st) {
    auto plan = engine::MakePlan(req);
    if (!plan.ok()) st.SkipWithError(plan.error().ToString().c_str());
    changes = plan.ok() && plan->HasChanges();
    benchmark::DoNotOptimize(plan);
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  st.counters["resources"] = static_cast<double>(w.state.resources.size());
  st.counters["has_changes"] = changes ? 1 : 0;
  st.counters["stack_load_ms"] = w.load_ms;
  st.counters["apply_10k_echo_ms"] = w.apply_ms;
  st.counters["peak_rss_mb"] = ru.ru_maxrss / 1024.0;
}
BENCHMARK(BM_PlanNoRefresh10k)->Unit(benchmark::kMillisecond)->Iterations(5);

// --materialize DIR: applies the stack in DIR (e.g. from bench/gen_stack.py)
// through the real executor and the echo provider into the real state file
// DIR/.infra/<stack>.db, so `infra -C DIR plan --refresh=false` can be timed
// as one process against a state that matches it (bench/plan_command_bench.sh).
int Materialize(const std::string& dir) {
  EchoProvider provider;
  engine::Diagnostics diags;
  auto stack = engine::LoadStack(dir, {}, provider, diags);
  if (!stack.ok()) {
    std::cerr << diags.RenderAll() << stack.error().ToString() << "\n";
    return 1;
  }
  auto resources = engine::ConfigResources(*stack);
  std::string path = (fs::path(dir) / ".infra" / (stack->name() + ".db")).string();
  fs::remove(path);
  auto store = state::StateStore::Open(path, {.stack = stack->name()});
  if (!store.ok()) {
    std::cerr << store.error().ToString() << "\n";
    return 1;
  }
  engine::StateSnapshot empty;
  engine::PlanRequest req;
  req.stack = stack->name();
  for (const auto& r : stack->regions()) req.regions.push_back(r.alias);
  req.resources = resources;
  req.evaluate = engine::StackEvaluator(*stack);
  req.state = &empty;
  req.provider = &provider;
  req.refresh = false;
  auto plan = engine::MakePlan(req);
  if (!plan.ok()) {
    std::cerr << plan.error().ToString() << "\n";
    return 1;
  }
  engine::StorePort port(**store, provider);
  engine::ExecutorOptions o;
  o.stack = stack->name();
  o.nonce = "materialize";
  for (const auto& r : resources) o.config[r.address] = r;
  o.evaluate = req.evaluate;
  o.state = &empty;
  auto rep = engine::Execute(*plan, provider, port, o);
  if (!rep.ok() || !rep->ok()) {
    std::cerr << "materialize: the echo apply failed\n";
    return 1;
  }
  if (auto out = engine::RecordOutputs(engine::StackOutputEvaluator(*stack), rep->values, {}, port); !out.ok()) {
    std::cerr << "materialize: outputs: " << out.error().ToString() << "\n";
    return 1;
  }
  std::cout << "wrote " << resources.size() << " resources to " << path << "\n";
  return (*store)->Close().ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--materialize") return Materialize(argv[2]);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

// Stack loading benchmark: parse + expand + validate + graph (topological
// order and cycle search) of a generated stack (bench/gen_stack.py).
//   stack_bench --once DIR     one run, phase times on stdout (for /usr/bin/time -v)
//   stack_bench DIR [gbench flags]   Google Benchmark loop over the same work
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "providers/aws/aws_provider.h"
#include "engine/lang/diag.h"
#include "engine/graph/graph.h"
#include "engine/lang/stack.h"
#include "providers/provider.h"

namespace {

std::string g_dir;

double Seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

/// Returns false (and prints why) if the stack does not load cleanly.
bool RunOnce(bool print) {
  using Clock = std::chrono::steady_clock;
  auto provider = infra::aws::NewAwsProvider({});
  infra::engine::Diagnostics diags;
  infra::engine::VariableInputs inputs;
  inputs.read_environment = false;
  auto t0 = Clock::now();
  auto stack = infra::engine::LoadStack(g_dir, inputs, *provider, diags);
  auto t1 = Clock::now();
  if (!stack.ok()) {
    std::fprintf(stderr, "%s", diags.RenderAll().c_str());
    return false;
  }
  infra::engine::Graph graph(*stack);
  auto order = graph.TopologicalOrder();
  bool acyclic = graph.FindCycle().empty();
  auto t2 = Clock::now();
  if (!order.ok() || !acyclic) {
    std::fprintf(stderr, "unexpected cycle\n");
    return false;
  }
  if (print)
    std::printf("resources %zu, edges %zu\nload (parse+expand+validate) %.3f s\ngraph (build+order+cycle) %.3f s\n"
                "total %.3f s\n",
                stack->resources().size(), graph.edge_count(), Seconds(t0, t1), Seconds(t1, t2), Seconds(t0, t2));
  return true;
}

void BM_LoadAndGraph(benchmark::State& state) {
  for (auto _ : state)
    if (!RunOnce(false)) state.SkipWithError("stack did not load");
}
BENCHMARK(BM_LoadAndGraph)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 3 && std::strcmp(argv[1], "--once") == 0) {
    g_dir = argv[2];
    return RunOnce(true) ? 0 : 1;
  }
  if (argc < 2) {
    std::fprintf(stderr, "usage: stack_bench [--once] DIR [benchmark flags]\n");
    return 2;
  }
  g_dir = argv[1];
  argv[1] = argv[0];
  int n = argc - 1;
  benchmark::Initialize(&n, argv + 1);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}

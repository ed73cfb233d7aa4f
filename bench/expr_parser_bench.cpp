// Expression parser/evaluator throughput on the mix a 10,000-resource stack
// produces (~50,000 templates: literals, references, interpolations, calls).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "engine/lang/expr.h"

namespace {

using infra::engine::SourceLoc;

std::vector<std::string> Corpus(size_t n) {
  const char* const kShapes[] = {
      "t3.micro",
      "${vpc_%zu.id}",
      "${module.net_%zu.subnet_ids[count.index]}",
      "app-%zu-${var.env}-${region}",
      "${cidrsubnet(var.cidr, 8, %zu)}",
      "${var.dr_active ? 2 : 0}",
      "${lookup(var.tags, \"team_%zu\", \"infra\")}",
      "${format(\"%%s-%%d\", each.key, count.index + %zu)}",
  };
  std::vector<std::string> out;
  out.reserve(n);
  char buf[256];
  for (size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, kShapes[i % 8], i);
    out.emplace_back(buf);
  }
  return out;
}

void BM_ParseTemplates(benchmark::State& state) {
  const auto corpus = Corpus(static_cast<size_t>(state.range(0)));
  const SourceLoc start{"stacks/generated/modules/module_042.yaml", 120, 14};
  for (auto _ : state) {
    size_t refs = 0;
    for (const auto& text : corpus) {
      auto e = infra::engine::ParseTemplate(text, start);
      refs += infra::engine::CollectReferences(**e).size();
    }
    benchmark::DoNotOptimize(refs);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ParseTemplates)->Arg(50000)->Unit(benchmark::kMillisecond);

class UnknownScope : public infra::engine::EvalScope {
 public:
  infra::Result<infra::engine::Resolved> Lookup(const infra::engine::Traversal& ref) const override {
    if (ref.root == "var" && ref.FirstAttr() == "cidr") return infra::engine::Resolved{infra::engine::Value::String("10.0.0.0/16"), 1};
    return infra::engine::Resolved{infra::engine::Value::Unknown(), ref.steps.size()};
  }
};

void BM_ParseAndEvaluate(benchmark::State& state) {
  const auto corpus = Corpus(static_cast<size_t>(state.range(0)));
  const SourceLoc start{"stacks/generated/modules/module_042.yaml", 120, 14};
  UnknownScope scope;
  for (auto _ : state) {
    size_t ok = 0;
    for (const auto& text : corpus) {
      auto e = infra::engine::ParseTemplate(text, start);
      ok += infra::engine::Evaluate(**e, scope).ok();
    }
    benchmark::DoNotOptimize(ok);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ParseAndEvaluate)->Arg(50000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

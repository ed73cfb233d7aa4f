// ReportChecks: Stack::EvaluateChecks against planned or applied values,
// written as Terraform users know check warnings.
#include "engine/cli/check_report.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "engine/cli/stack_source.h"

namespace infra::cli {

engine::KnownValues PlannedValues(const engine::Plan& plan) {
  engine::KnownValues out;
  for (const auto& c : plan.changes) {
    if (!c.deposed.empty() || c.action == engine::Action::kDelete) continue;
    out[c.address] = engine::Value::MakeMap(c.after);
  }
  return out;
}

int ReportChecks(const engine::Stack& stack, const engine::KnownValues& values, bool after_apply, std::ostream& out) {
  auto results = stack.EvaluateChecks(engine::AsResourceValues(values));
  if (results.empty()) return 0;
  int passed = 0, failed = 0, unknown = 0;
  for (const auto& r : results) {
    if (r.status == engine::CheckResult::Status::kPassed) {
      ++passed;
    } else if (r.status == engine::CheckResult::Status::kUnknown) {
      ++unknown;
      out << fmt::format("Check {} ({}): not known until {}\n", r.name, r.loc.ToString(),
                         after_apply ? "the values it reads exist" : "after apply");
    } else {
      ++failed;
      for (const auto& f : r.failures)
        out << fmt::format("Warning: check {} failed ({}): {}\n", r.name, r.loc.ToString(), f);
    }
  }
  out << fmt::format("Checks: {} passed, {} failed, {} unknown.\n", passed, failed, unknown);
  return failed;
}

nlohmann::json ChecksToJson(const engine::Stack& stack, const engine::KnownValues& values) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : stack.EvaluateChecks(engine::AsResourceValues(values))) {
    using S = engine::CheckResult::Status;
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& f : r.failures) problems.push_back({{"message", f}});
    out.push_back({{"address", {{"kind", "check"}, {"name", r.name}, {"to_display", "check." + r.name}}},
                   {"status", r.status == S::kPassed ? "pass" : r.status == S::kFailed ? "fail" : "unknown"},
                   {"declared_at", r.loc.ToString()},
                   {"problems", problems}});
  }
  return out;
}

std::vector<std::string> FailedPostconditions(const engine::Stack& stack, const engine::KnownValues& values) {
  std::vector<std::string> out;
  auto lookup = engine::AsResourceValues(values);
  for (const auto& r : stack.resources()) {
    if (r.data || !stack.HasPostconditions(r)) continue;
    auto self = values.find(r.address);
    if (self == values.end()) continue;
    for (auto& f : stack.FailedConditions(r, true, lookup, &self->second)) out.push_back(std::move(f));
  }
  return out;
}

}  // namespace infra::cli

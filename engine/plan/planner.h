// The planner: desired values (evaluated from the stack, references to
// other resources resolved from state or from their planned values) against
// state refreshed from AWS, turned into a Plan. Modes: normal, destroy,
// refresh-only; narrowing by --target, --region; --replace.
#pragma once
#include <string>
#include <vector>

#include "common/result.h"
#include "engine/plan/plan.h"
#include "engine/plan/refresh.h"
#include "engine/plan/state_port.h"

namespace infra::provider {
class Provider;
}

namespace infra::engine {

class DataReadCache;

struct PlanRequest {
  std::string stack;
  std::vector<std::string> regions;       // aliases in rollout order
  std::vector<ConfigResource> resources;  // the stack's instances
  AttributeEvaluator evaluate;
  /// Root outputs against the planned values; null: no output changes are
  /// planned (destroy plans delete the recorded outputs regardless).
  OutputEvaluator evaluate_outputs;
  const StateSnapshot* state = nullptr;
  const provider::Provider* provider = nullptr;
  PlanMode mode = PlanMode::kNormal;
  bool refresh = true;
  std::vector<std::string> targets;  // --target (each with its dependencies)
  std::vector<std::string> replace;  // --replace
  std::string only_region;           // --region ALIAS, "" for all
  std::vector<MoveDecl> moved;       // `moved:`: state addresses renamed before planning
  std::vector<RemovedDecl> removed;  // `removed:`: forgotten, not destroyed
  /// `import:`: an entry whose address state does not hold yet is read by
  /// its id (no tagging, no write) and planned as if state held it; the
  /// change carries `imported_id` and the apply records it first. Ignored
  /// by destroy and refresh-only plans.
  std::vector<ImportDecl> imports;
  /// Data source results shared with the stack's expansion (a for_each over
  /// one is not read twice) and across identical queries; null: each data
  /// source instance is read on its own.
  DataReadCache* data_reads = nullptr;
};

/// Extra facts about planning for logs and benchmarks.
struct PlanStats {
  int refresh_calls = 0;
  int refreshed = 0;
};

/// Makes the plan, output changes included. Errors: unknown type, evaluation
/// errors (of attributes and of outputs), an import whose object does not
/// exist, prevent_destroy
/// on a resource the plan would delete (all such resources are named, with
/// their stack location), a --target/--replace naming nothing.
Result<Plan> MakePlan(const PlanRequest& request, PlanStats* stats = nullptr);

/// Orders `resources` so that each comes after everything it depends on
/// (stable: ties keep input order). Linear in nodes + edges; dependencies on
/// addresses not in the list are ignored.
std::vector<ConfigResource> TopologicalOrder(std::vector<ConfigResource> resources);

}  // namespace infra::engine

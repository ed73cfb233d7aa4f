// Region names are checked here, not in the engine core: only engine/cli
// may see providers/aws/sdk/endpoints.h, which lists AWS's regions.
#include "engine/cli/stack_checks.h"

#include <fmt/format.h>

#include "engine/graph/graph.h"
#include "engine/lang/diag.h"
#include "engine/lang/nearest_name.h"
#include "engine/lang/stack.h"
#include "providers/aws/sdk/endpoints.h"

namespace infra::cli {

void CheckStack(const engine::Stack& stack, engine::Diagnostics& diags) {
  engine::Graph graph(stack);
  engine::CheckAcyclic(graph, diags);
  for (const auto& r : stack.regions()) {
    if (aws::IsKnownRegion(r.name)) continue;
    std::string near = engine::NearestName(r.name, aws::KnownRegions());
    diags.Error(r.loc, "",
                fmt::format("region '{}': AWS has no region named \"{}\"{}", r.alias, r.name,
                            near.empty() ? "" : fmt::format("; did you mean \"{}\"?", near)));
  }
}

}  // namespace infra::cli

// Adapter from the stack model (engine/stack.h) to what the planner and the
// executor consume: ConfigResource per instance and an AttributeEvaluator.
#pragma once
#include <vector>

#include "engine/lang/stack.h"
#include "engine/plan/state_port.h"

namespace infra::engine {

/// One ConfigResource per stack instance, in the stack's order; depends_on
/// holds every referenced address and explicit depends_on, deduplicated.
std::vector<ConfigResource> ConfigResources(const Stack& stack);
/// Evaluates through Stack::EvaluateAttributes; the stack is copied (cheap).
AttributeEvaluator StackEvaluator(const Stack& stack);
/// Evaluates the root outputs through Stack::EvaluateOutputs (stack copied).
OutputEvaluator StackOutputEvaluator(const Stack& stack);
/// KnownValues seen as the stack's ResourceValues (no copy; `known` must
/// outlive the result).
ResourceValues AsResourceValues(const KnownValues& known);

}  // namespace infra::engine

// Expansion: module calls, for_each and count turned into module instances
// and resource instances with stable addresses, regions and schemas.
#pragma once
#include "engine/lang/stack_defs.h"

namespace infra::engine {

class Diagnostics;

/// Expands the root module instance (data.modules[0], already holding the
/// root file and first region) depth-first in declaration order. Problems
/// (unknown types, bad for_each/count, duplicate addresses, missing module
/// inputs, unknown regions) go to `diags`; expansion continues past them.
void ExpandStack(StackData& data, const provider::Provider& schemas, Diagnostics& diags);

}  // namespace infra::engine

// The DataReader the commands that may call AWS give LoadStack, so a
// for_each or count can use a data source read while the stack expands.
#pragma once
#include "engine/lang/stack.h"

namespace infra::provider {
class Provider;
}
namespace infra::engine {
class DataReadCache;
}

namespace infra::cli {

/// Reads through `provider`'s data source types (which must outlive the
/// reader), as the planner does: the arguments with their defaults, the
/// result converted by the type's schema (sensitive results stay marked).
/// With `reads`, results are shared with the planner (give its PlanRequest
/// the same cache) and identical queries are read once.
engine::DataReader ProviderDataReader(provider::Provider& provider, engine::DataReadCache* reads = nullptr);

}  // namespace infra::cli

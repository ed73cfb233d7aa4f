// The DataReader the commands that may call AWS give LoadStack, so a
// for_each or count can use a data source read while the stack expands.
#pragma once
#include "engine/lang/stack.h"

namespace infra::provider {
class Provider;
}

namespace infra::cli {

/// Reads through `provider`'s data source types (which must outlive the
/// reader), as the planner does: the arguments with their defaults, the
/// result converted by the type's schema (sensitive results stay marked).
engine::DataReader ProviderDataReader(provider::Provider& provider);

}  // namespace infra::cli

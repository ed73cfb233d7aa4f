// The schema behind a state row or plan change: a resource type's, or a
// data source type's when the address is a data source's (data.T.N).
#pragma once
#include <string_view>

#include "providers/provider.h"

namespace infra::engine {

/// The schema of `type` at `address` (a data source's when IsDataAddress),
/// nullptr when the provider has no such type.
const provider::ResourceSchema* SchemaFor(const provider::Provider& provider, std::string_view type,
                                          std::string_view address);

}  // namespace infra::engine

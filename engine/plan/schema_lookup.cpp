// SchemaFor: resource types and data source types share ResourceSchema;
// the address says which registry to ask.
#include "engine/plan/schema_lookup.h"

#include "engine/lang/stack.h"

namespace infra::engine {

const provider::ResourceSchema* SchemaFor(const provider::Provider& provider, std::string_view type,
                                          std::string_view address) {
  if (IsDataAddress(address)) {
    const provider::DataSourceType* d = provider.FindData(type);
    return d ? &d->schema() : nullptr;
  }
  const provider::ResourceType* t = provider.Find(type);
  return t ? &t->schema() : nullptr;
}

}  // namespace infra::engine

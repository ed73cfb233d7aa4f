#include "engine/cli/data_reader.h"

#include <fmt/format.h>

#include "engine/plan/attribute_diff.h"
#include "engine/plan/data_read_cache.h"
#include "providers/provider.h"

namespace infra::cli {

engine::DataReader ProviderDataReader(provider::Provider& provider, engine::DataReadCache* reads) {
  return [&provider, reads](const engine::DataRead& read) -> Result<engine::Value::Map> {
    provider::DataSourceType* type = provider.FindData(read.type);
    if (!type)
      return MakeError(Error::Kind::kInvalid, "UnknownDataSource", fmt::format("unknown data source type {}", read.type));
    const provider::ResourceSchema& schema = type->schema();
    provider::OperationContext ctx;
    ctx.address = read.address;
    ctx.region = read.region;
    provider::Attributes query = engine::ProviderDesired(engine::WithDefaults(read.args, schema), schema);
    auto got = reads ? reads->Read(*type, ctx, query) : type->Read(ctx, query);
    if (!got.ok()) return got.error();
    return engine::AttributesToValues(*got, schema);
  };
}

}  // namespace infra::cli

// DataReadCache: results keyed by type, region and the query's JSON text.
#include "engine/plan/data_read_cache.h"

namespace infra::engine {

Result<provider::Attributes> DataReadCache::Read(provider::DataSourceType& type, const provider::OperationContext& ctx,
                                                 const provider::Attributes& query) {
  std::string key = type.schema().type + '\n' + ctx.region + '\n' + query.dump();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = results_.find(key); it != results_.end()) return it->second;
    ++reads_;
  }
  Result<provider::Attributes> got = type.Read(ctx, query);
  std::lock_guard<std::mutex> lock(mu_);
  return results_.emplace(key, std::move(got)).first->second;
}

int DataReadCache::reads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reads_;
}

}  // namespace infra::engine

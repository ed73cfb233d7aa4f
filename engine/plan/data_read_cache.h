// Data source results shared by one command: what the stack's expansion
// read for a for_each/count and what the planner reads are one read, and
// identical queries (the same type, region and arguments, e.g. a module's
// aws_caller_identity in every instance) are read once.
#pragma once
#include <map>
#include <mutex>
#include <string>

#include "common/result.h"
#include "providers/provider.h"

namespace infra::engine {

/// Thread-safe. A query being read by one thread is read again by a second
/// that asks at the same moment (no waiting on each other); both results
/// are the same read of AWS, and the first one kept wins.
class DataReadCache {
 public:
  /// `type`'s result for `query` (the provider's argument object, defaults
  /// filled) in ctx.region: remembered, or read now and remembered.
  Result<provider::Attributes> Read(provider::DataSourceType& type, const provider::OperationContext& ctx,
                                    const provider::Attributes& query);
  /// How many reads reached the provider (for tests and stats).
  int reads() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, Result<provider::Attributes>> results_;
  int reads_ = 0;
};

}  // namespace infra::engine

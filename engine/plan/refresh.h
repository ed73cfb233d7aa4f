// Refresh: reads every resource in state back from AWS with each type's
// batched Read, one call per (type, region) group, groups in parallel.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/result.h"
#include "engine/plan/state_port.h"

namespace infra::provider {
class Provider;
}

namespace infra::engine {

struct RefreshResult {
  /// address -> attributes as read now; nullopt when it no longer exists.
  std::map<std::string, std::optional<nlohmann::json>> current;
  int read_calls = 0;  // Read() calls made (one per type+region group)
};

/// Reads back the resources of `state` (only those `wanted` returns true
/// for, when given). A failed group read is an error naming type and region.
Result<RefreshResult> Refresh(const provider::Provider& provider, const StateSnapshot& state,
                              const std::function<bool(const StateResource&)>& wanted = {},
                              int max_parallel_groups = 8);

}  // namespace infra::engine

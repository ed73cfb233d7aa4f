// The executor: applies a Plan. It walks the operation graph (op_graph.h:
// create/update after dependencies, delete before what it depends on is
// deleted), bounded per AWS service and by --parallelism, with waits on a
// timer queue rather than sleeping threads; regions in rollout order; every
// durable record through the ledger (ledger.h); every wait with a deadline.
#pragma once
#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/result.h"
#include "engine/apply/idempotency_token.h"
#include "engine/apply/report.h"
#include "engine/plan/plan.h"
#include "engine/plan/state_port.h"

namespace infra {
class Clock;
}
namespace infra::provider {
class Provider;
}

namespace infra::engine {

class Progress;

/// How regions roll out (`rollout:` in the stack, --rollout). Both keep
/// updates, replacements and deletes in declared region order, a failure
/// stopping those of later regions; kWaves holds creates back the same way,
/// kParallel lets a create start as soon as its own dependencies are done.
enum class Rollout { kParallel, kWaves };

struct ExecutorOptions {
  std::string stack;
  /// Per-apply random string; tokens are derived from stack+address+nonce.
  std::string nonce;
  /// Cap on calls in flight across all services (--parallelism).
  int parallelism = 256;
  /// Config of each resource by address, for re-evaluation at apply time
  /// (unknowns in the plan become known once dependencies completed) and
  /// its `timeouts:`.
  std::unordered_map<std::string, ConfigResource> config;
  /// Null: use the plan's `after` values as they are (destroy, tests).
  AttributeEvaluator evaluate;
  /// State attributes by address (prior values for update/delete).
  const StateSnapshot* state = nullptr;
  Progress* progress = nullptr;  // may be null
  std::chrono::milliseconds progress_interval{10000};
  /// Time for every deadline, grace period and timer; null: RealClock().
  const Clock* clock = nullptr;
  /// First signal: start nothing new, let in-flight calls return.
  const std::atomic<bool>* stop = nullptr;
  /// Second signal: abandon waits at once (passed to providers too).
  const std::atomic<bool>* cancel = nullptr;
  /// After `stop`, pending waits are kept at most this long.
  std::chrono::milliseconds stop_grace{3000};
  /// First delay before retrying a NotFound inside the grace period.
  std::chrono::milliseconds not_found_backoff{1000};
  Rollout rollout = Rollout::kParallel;
  /// Destroy runs regions in reverse rollout order.
  bool reverse_regions = false;
  /// Test hook (may be empty), called on the executor's thread at named
  /// points with the resource address: "cbd-created" (the new object of a
  /// create_before_destroy replacement exists in AWS, not yet in state) and
  /// "cbd-between-halves" (it is recorded, the old object deposed, and the
  /// old one's delete not yet journaled). The CLI kills itself there when
  /// INFRA_TEST_CRASH_AT names the point (engine/cli/crash_hook.h).
  std::function<void(std::string_view point, const std::string& address)> checkpoint;
};

/// Applies `plan`. Errors only for impossible situations (the provider lacks
/// a type); per-resource failures are in the report. An operation still
/// waiting for its object to settle when its timeout (the type's default or
/// the resource's `timeouts:`) runs out fails, and so do its dependents.
Result<ApplyReport> Execute(const Plan& plan, const provider::Provider& provider, StatePort& state,
                            const ExecutorOptions& options);

}  // namespace infra::engine

// The executor: applies a Plan. It walks the operation graph (create/update
// after dependencies, delete before what it depends on is deleted), bounded
// per AWS service and by --parallelism, with waits on a timer queue rather
// than sleeping threads; regions in rollout order; intent and outcome
// journaled around every mutating call; state saved per resource.
#pragma once
#include <atomic>
#include <chrono>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "engine/plan/plan.h"
#include "engine/plan/state_port.h"

namespace infra::provider {
class Provider;
}

namespace infra::engine {

class Progress;

struct ExecutorOptions {
  std::string stack;
  /// Per-apply random string; tokens are derived from stack+address+nonce.
  std::string nonce;
  /// Cap on calls in flight across all services (--parallelism).
  int parallelism = 256;
  /// Config of each resource by address, for re-evaluation at apply time
  /// (unknowns in the plan become known once dependencies completed).
  std::unordered_map<std::string, ConfigResource> config;
  /// Null: use the plan's `after` values as they are (destroy, tests).
  AttributeEvaluator evaluate;
  /// State attributes by address (prior values for update/delete).
  const StateSnapshot* state = nullptr;
  Progress* progress = nullptr;  // may be null
  std::chrono::milliseconds progress_interval{10000};
  /// First signal: start nothing new, let in-flight calls return.
  const std::atomic<bool>* stop = nullptr;
  /// Second signal: abandon waits at once (passed to providers too).
  const std::atomic<bool>* cancel = nullptr;
  /// After `stop`, pending waits are kept at most this long.
  std::chrono::milliseconds stop_grace{3000};
  /// First delay before retrying a NotFound inside the grace period.
  std::chrono::milliseconds not_found_backoff{1000};
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

enum class OutcomeStatus { kSucceeded, kFailed, kSkipped, kNotStarted, kAbandoned };
std::string_view OutcomeName(OutcomeStatus s);

struct ResourceOutcome {
  std::string address;
  Action action = Action::kNoOp;
  OutcomeStatus status = OutcomeStatus::kNotStarted;
  std::string message;  // failure or skip reason
  std::chrono::steady_clock::duration elapsed{};
};

struct ApplyReport {
  std::vector<ResourceOutcome> outcomes;  // one per non-no-op change
  bool interrupted = false;
  int added = 0, changed = 0, destroyed = 0, failed = 0, skipped = 0, not_started = 0;
  int max_in_flight = 0;  // peak concurrent calls, for benchmarks
  /// Attribute values of every resource after the run (for outputs).
  KnownValues values;

  bool ok() const { return failed == 0 && skipped == 0 && not_started == 0 && !interrupted; }
  /// "Apply complete! Resources: 3 added, 1 changed, 0 destroyed." or the
  /// failure summary listing failed/skipped addresses.
  std::string Summary(bool destroy) const;
};

/// Applies `plan`. Errors only for impossible situations (the provider lacks
/// a type); per-resource failures are in the report.
Result<ApplyReport> Execute(const Plan& plan, const provider::Provider& provider, StatePort& state,
                            const ExecutorOptions& options);

/// The idempotency token for `address` in one apply: hex of
/// SHA-256(stack, address, nonce), 32 characters (fits EC2 ClientToken).
std::string IdempotencyToken(const std::string& stack, const std::string& address, const std::string& nonce);
/// A random nonce (16 hex characters).
std::string NewNonce();

}  // namespace infra::engine

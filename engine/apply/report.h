// The report of one apply: an outcome per planned change (its operations
// folded together: a replacement fails if either half did), the counts the
// summary line prints, and the attribute values outputs are evaluated from.
#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "engine/plan/plan.h"
#include "engine/plan/state_port.h"

namespace infra::engine {

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
  int forgotten = 0;  // `removed:` objects dropped from state, left in AWS
  int max_in_flight = 0;  // peak concurrent calls, for benchmarks
  /// Attribute values of every resource after the run (for outputs).
  KnownValues values;

  bool ok() const { return failed == 0 && skipped == 0 && not_started == 0 && !interrupted; }
  /// "Apply complete! Resources: 3 added, 1 changed, 0 destroyed." or the
  /// failure summary listing failed/skipped addresses.
  std::string Summary(bool destroy) const;
};

/// How one operation ended (the executor's view, one per operation).
struct OperationResult {
  size_t change = 0;  // index in Plan::changes
  OutcomeStatus status = OutcomeStatus::kNotStarted;
  std::string message;
  std::chrono::steady_clock::duration elapsed{};
};

/// The address for people: a deposed object from state is named as such.
std::string OutcomeLabel(const ResourceChange& c);

/// Folds operation results into one outcome per change (in change order;
/// the first operation that did not succeed names the status and message)
/// and counts them. `interrupted`, `max_in_flight` and `values` are copied.
ApplyReport MakeReport(const Plan& plan, const std::vector<OperationResult>& operations, bool interrupted,
                       int max_in_flight, KnownValues values);

}  // namespace infra::engine

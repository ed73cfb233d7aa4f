// The scheduler's internals, shared by its two halves: executor.cpp (the
// loop: signals, starting, dispatching, waiting, timers) and completion.cpp
// (what a finished call means: outcome, save, poll again, time out, fail,
// skip). Private to engine/apply.
#pragma once
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "common/clock.h"
#include "engine/apply/executor.h"
#include "engine/apply/ledger.h"
#include "engine/apply/op_graph.h"
#include "engine/apply/work_pool.h"
#include "providers/provider.h"

namespace infra::engine {

using TimePoint = Clock::Steady::time_point;

enum class OpState { kWaiting, kRunning, kPolling, kRetrying, kDone, kFailed, kSkipped, kNotStarted, kAbandoned };

inline bool Finished(OpState s) {
  return s == OpState::kDone || s == OpState::kFailed || s == OpState::kSkipped || s == OpState::kNotStarted ||
         s == OpState::kAbandoned;
}

// The run-time side of an OpNode (same index).
struct Op {
  size_t unmet = 0;
  OpState state = OpState::kWaiting;
  provider::ResourceType* type = nullptr;
  provider::DataSourceType* data = nullptr;          // set instead of `type` for a data source
  const provider::ResourceSchema* schema = nullptr;  // the type's or the data source's
  std::string service;
  std::string slot;  // "service/region": the pool of calls in flight it counts against
  std::chrono::seconds grace{60}, timeout{1800};
  TimePoint started{}, finished{}, last_note{}, not_found_until{}, deadline = TimePoint::max();
  nlohmann::json prior, desired, current;
  std::vector<std::string> sensitive;  // attributes derived from secrets
  int64_t intent = 0;
  int attempts = 0;
  TimePoint launched{};             // the call in flight was handed to a worker
  Clock::Steady::duration busy{};   // time in provider calls (excludes queueing for a slot)
  bool mutated = false;      // the mutating call succeeded; now polling
  bool old_deposed = false;  // create_before_destroy: the old object is recorded as deposed
  int lookups = 0;           // creates whose reply was lost, looked up by address
  std::string message;
  std::string first_wait_detail;  // the first pending poll's detail (names what the wait is for)
};

// What a worker thread posts back: the result of a mutating call or of a poll.
struct Completion {
  size_t op = 0;
  std::optional<Result<provider::ApplyResult>> mutate;
  std::optional<Result<provider::PollResult>> polled;
  std::optional<Result<std::optional<provider::Attributes>>> found;  // a lookup by address
  std::optional<Result<provider::Attributes>> read = std::nullopt;   // a data source read
};

/// Runs one apply (Execute). Owned by the caller's thread; the WorkPool's
/// threads touch only Post.
class Scheduler {
 public:
  Scheduler(const Plan& plan, const provider::Provider& provider, StatePort& state, const ExecutorOptions& options)
      : plan_(plan), provider_(provider), opt_(options), clock_(options.clock ? *options.clock : RealClock()),
        ledger_(state, options.state), pool_(options.parallelism) {}

  /// Runs the loop to its end and reports. Error: a type the provider lacks.
  Result<ApplyReport> Run();

 private:
  void Prepare(size_t i);
  // The unit's main loop: settle what an interrupt stops, start what may
  // start, dispatch calls within the service limits, wait for a completion
  // or the next timer, handle it.
  void Loop();
  // The one place that reads the signals and settles what they stop: ops
  // not started yet, calls not made, retries not due; after the grace (or
  // on the second signal) the waits of calls that already took effect.
  void CheckSignals();
  // After a stop: settles a queued or timed op unless it is a poll that may
  // still wait; true if settled.
  bool StopWaiting(size_t i, bool abandon);
  void BeginStop(const std::string& why);
  bool RegionAllows(size_t i, bool* skip);
  // One pass over the ready ops; true if any op changed state.
  bool StartReady();
  void Start(size_t i);
  provider::OperationContext Context(size_t i) const;
  void QueueCall(size_t i);
  void Dispatch();
  void Launch(size_t i);
  void Post(Completion c);
  // Waits for a completion, the next timer, or 100 ms (to see a signal).
  void WaitAndHandle();
  // What AWS returned, plus desired values it does not echo back (write-only
  // settings such as auto_accept), so the next plan does not see a change.
  nlohmann::json WithDesired(size_t i, const nlohmann::json& returned) const;
  // Another call in `after`: a retry of the mutating call or the next poll.
  void Later(size_t i, OpState state, std::chrono::milliseconds after);
  std::chrono::milliseconds Backoff(const Op& op) const;
  void HandleMutate(size_t i, Result<provider::ApplyResult>& r);
  void HandlePoll(size_t i, Result<provider::PollResult>& r);
  // A create whose reply was lost may have happened: keep its journal
  // entry open and look it up by address (infra:address tag / name) before
  // anything else; adopt it, or create again when it does not exist.
  void LookUp(size_t i, const Error& error);
  // After an interrupt, a call whose outcome is unknown (abandoned in
  // flight, reply lost): its journal entry stays open for the next run's
  // recovery; no lookup, no retry.
  void AbandonCall(size_t i, const Error& error);
  void LaunchLookup(size_t i);
  void HandleLookup(size_t i, Result<std::optional<provider::Attributes>>& r);
  // The wait ran past its deadline. A created/updated object is already in
  // state (the next plan reads it back); a delete's journal entry stays
  // unresolved for recovery to reconcile.
  void TimedOut(size_t i);
  void FireTimers();
  void NoteLongRunning();
  Status Save(size_t i, int64_t resolve_intent = 0);
  void Checkpoint(std::string_view point, size_t i);
  void Complete(size_t i);
  void FinishRead(size_t i);
  // A data source: a read planned with known results is written to state;
  // one deferred to the apply is evaluated now and read (a call, bounded
  // like the rest, never journaled: reading changes nothing); a forgotten
  // one leaves state without an AWS call.
  void StartData(size_t i);
  void HandleRead(size_t i, Result<provider::Attributes>& r);
  void Done(size_t i);
  void Fail(size_t i, const std::string& message);
  // A state write (journal or resource) failed. The state store refuses
  // every write once our lock was taken over or force-unlocked
  // (StateStore::FenceWrites): then start nothing new, as after a signal;
  // every operation journals its intent first, so none of the refused ones
  // reached AWS.
  void FailOnState(size_t i, const std::string& what, const Error& error);
  // Everything that (transitively) waits for `i` cannot run now.
  void SkipDependents(size_t i);
  // An op reaches a final state.
  void SettleAs(size_t i, OpState state, const std::string& message);
  void Note(const std::string& line);
  bool WithinGrace(const Op& op) const { return clock_.Now() < op.not_found_until; }

  const ResourceChange& Change(size_t i) const { return plan_.changes[graph_.ops[i].change]; }
  std::string Address(size_t i) const { return OutcomeLabel(Change(i)); }

  const Plan& plan_;
  const provider::Provider& provider_;
  const ExecutorOptions& opt_;
  const Clock& clock_;
  Ledger ledger_;
  OpGraph graph_;
  std::vector<Op> ops_;
  std::vector<size_t> ready_;
  std::deque<size_t> calls_;
  using Timer = std::pair<TimePoint, size_t>;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> timers_;
  std::vector<int> unfinished_, failed_;
  std::map<std::string, int> service_in_flight_;
  int in_flight_ = 0;
  int max_in_flight_ = 0;
  bool stopping_ = false;
  TimePoint stop_at_{};
  KnownValues values_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Completion> done_;
  WorkPool pool_;  // last: joined first, while the members above still live
};

}  // namespace infra::engine

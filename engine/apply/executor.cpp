// Executor: the scheduler loop (as ninja's Builder runs ninja's Plan). One
// thread (the caller's) owns the operation graph, the timer queue and all
// state writes (through the Ledger); WorkPool threads only make provider
// calls and post completions back. A resource waiting to become available
// is an entry in the timer queue, never a blocked thread.
#include "engine/apply/executor.h"

#include <fmt/format.h>

#include <algorithm>

#include "engine/apply/progress.h"
#include "engine/apply/scheduler.h"
#include "engine/plan/desired_values.h"
#include "engine/plan/schema_lookup.h"

namespace infra::engine {
namespace {
using std::chrono::milliseconds;

OutcomeStatus StatusOf(OpState s) {
  switch (s) {
    case OpState::kDone: return OutcomeStatus::kSucceeded;
    case OpState::kFailed: return OutcomeStatus::kFailed;
    case OpState::kSkipped: return OutcomeStatus::kSkipped;
    case OpState::kAbandoned: return OutcomeStatus::kAbandoned;
    default: return OutcomeStatus::kNotStarted;
  }
}

// The timeout of one operation: the resource's `timeouts:` or the type's.
std::chrono::seconds TimeoutOf(OpKind kind, const provider::ResourceSchema& schema, const ConfigResource* config) {
  std::chrono::seconds mine{0}, type_default = schema.create_timeout;
  if (kind == OpKind::kUpdate) type_default = schema.update_timeout;
  if (kind == OpKind::kDelete) type_default = schema.delete_timeout;
  if (config)
    mine = kind == OpKind::kCreate ? config->timeouts.create
           : kind == OpKind::kUpdate ? config->timeouts.update
                                     : config->timeouts.destroy;
  return mine.count() > 0 ? mine : type_default;
}

}  // namespace

Result<ApplyReport> Scheduler::Run() {
  for (const auto& c : plan_.changes) {
    if (c.action != Action::kNoOp && !SchemaFor(provider_, c.type, c.address))
      return MakeError(Error::Kind::kInternal, "UnknownType",
                       fmt::format("{}: the provider has no type {} [this is a bug]", c.address, c.type));
    if (c.action == Action::kNoOp || c.action == Action::kUpdate) values_[c.address] = Value::MakeMap(c.before);
  }
  graph_ = BuildOpGraph(plan_, opt_.reverse_regions);
  ops_.resize(graph_.ops.size());
  unfinished_.assign(plan_.regions.size() + 1, 0);
  failed_.assign(plan_.regions.size() + 1, 0);
  for (size_t i = 0; i < ops_.size(); ++i) Prepare(i);
  Loop();
  std::vector<OperationResult> results;
  for (size_t i = 0; i < ops_.size(); ++i) {
    const Op& op = ops_[i];
    auto elapsed = op.finished > op.started ? op.finished - op.started : Clock::Steady::duration{};
    results.push_back({graph_.ops[i].change, StatusOf(op.state), op.message, elapsed});
  }
  return MakeReport(plan_, results, stopping_, max_in_flight_, std::move(values_));
}

void Scheduler::Prepare(size_t i) {
  const OpNode& node = graph_.ops[i];
  const ResourceChange& c = Change(i);
  Op& op = ops_[i];
  if (IsDataAddress(c.address)) {
    op.data = provider_.FindData(c.type);
    op.schema = &op.data->schema();
  } else {
    op.type = provider_.Find(c.type);
    op.schema = &op.type->schema();
  }
  op.service = op.schema->service;
  op.slot = op.service + "/" + c.region;  // calls in flight are bounded per (service, region)
  op.grace = op.schema->not_found_grace;
  auto cfg = opt_.config.find(c.address);
  op.timeout = TimeoutOf(node.kind, *op.schema, cfg == opt_.config.end() ? nullptr : &cfg->second);
  op.unmet = node.deps.size();
  ++unfinished_[node.rank];
  if (op.unmet == 0) ready_.push_back(i);
}

// The unit's main loop: settle what an interrupt stops, start what may
// start, dispatch calls within the service limits, wait for a completion
// or the next timer, handle it.
void Scheduler::Loop() {
  for (;;) {
    CheckSignals();
    while (!stopping_ && StartReady()) {
    }
    Dispatch();
    // Nothing in flight, queued or timed: nothing can change any more.
    if (in_flight_ == 0 && calls_.empty() && timers_.empty()) break;
    WaitAndHandle();
    FireTimers();
    NoteLongRunning();
  }
  for (auto& op : ops_)
    if (!Finished(op.state)) {
      op.state = OpState::kNotStarted;
      op.message = stopping_ ? "not started (interrupted)"
                             : "not started: its dependencies or region order could not be met [this is a bug]";
    }
}

// The one place that reads the signals and settles what they stop: ops
// not started yet, calls not made, retries not due; after the grace (or
// on the second signal) the waits of calls that already took effect.
void Scheduler::CheckSignals() {
  bool cancel = opt_.cancel && opt_.cancel->load();
  if ((opt_.stop && opt_.stop->load()) || cancel)
    BeginStop("Interrupted: starting nothing new; waiting for calls in flight to return, then saving state.");
  if (!stopping_) return;
  for (size_t i : ready_) SettleAs(i, OpState::kNotStarted, "not started (interrupted)");
  ready_.clear();
  bool abandon = cancel || clock_.Now() - stop_at_ >= opt_.stop_grace;
  // Calls not made yet, then timers (retries, and polls kept until the grace ends).
  std::deque<size_t> calls;
  calls.swap(calls_);
  for (size_t i : calls)
    if (!StopWaiting(i, abandon)) calls_.push_back(i);
  decltype(timers_) timers;
  for (; !timers_.empty(); timers_.pop())
    if (!StopWaiting(timers_.top().second, abandon)) timers.push(timers_.top());
  timers_.swap(timers);
}

// After a stop: settles a queued or timed op unless it is a poll that may
// still wait; true if settled.
bool Scheduler::StopWaiting(size_t i, bool abandon) {
  Op& op = ops_[i];
  if (!op.mutated && op.state == OpState::kRunning) {
    ledger_.NotStarted(op.intent, true);
    SettleAs(i, OpState::kNotStarted, "not started (interrupted)");
  } else if (!op.mutated) {
    SettleAs(i, OpState::kNotStarted, "interrupted before it could be retried");
  } else if (abandon) {
    SettleAs(i, OpState::kAbandoned,
             "stopped waiting for it (interrupted); it is saved in state and the next plan reads it back");
  } else {
    return false;
  }
  return true;
}

void Scheduler::BeginStop(const std::string& why) {
  if (stopping_) return;
  stopping_ = true;
  stop_at_ = clock_.Now();
  Note(why);
}

// Changes to what exists (updates, replacements, deletes) roll out region
// by region: they wait for every earlier region to finish and are skipped
// after a failure there. Under `rollout: parallel` (the default) creates of
// new resources and data reads wait only for their own dependencies: a
// region that does not exist yet has nothing to protect, and holding it back
// would only cost time.
bool Scheduler::RegionAllows(size_t i, bool* skip) {
  const OpNode& node = graph_.ops[i];
  if (opt_.rollout == Rollout::kParallel && node.fresh) return true;
  int pending = 0;
  for (int r = 0; r < node.rank; ++r) {
    pending += unfinished_[r];
    if (failed_[r] > 0) *skip = true;
  }
  if (*skip) return false;
  for (size_t d : node.earlier_desc)
    if (!Finished(ops_[d].state)) --pending;
  return pending <= 0;
}

// One pass over the ready ops; true if any op changed state.
bool Scheduler::StartReady() {
  bool changed = false;
  std::vector<size_t> current, keep;
  current.swap(ready_);  // Start may make more ops ready
  for (size_t i : current) {
    if (ops_[i].state != OpState::kWaiting) continue;
    bool skip = false;
    if (!RegionAllows(i, &skip)) {
      if (skip) {
        SettleAs(i, OpState::kSkipped, "skipped: an earlier region had failures, later regions are stopped");
        SkipDependents(i);
        changed = true;
      } else {
        keep.push_back(i);
      }
      continue;
    }
    Start(i);
    changed = true;
  }
  ready_.insert(ready_.end(), keep.begin(), keep.end());
  return changed;
}

void Scheduler::Start(size_t i) {
  Op& op = ops_[i];
  const OpNode& node = graph_.ops[i];
  const ResourceChange& c = Change(i);
  op.started = op.last_note = clock_.Now();
  op.deadline = op.started + op.timeout;
  op.state = OpState::kRunning;
  op.prior = ledger_.Prior(c, node.deposed);
  if (op.data) return StartData(i);
  if (c.reason == ActionReason::kForgetBecauseRemoved) {  // `removed:`: state only, the object stays
    if (Status st = ledger_.Forget(c, false); !st.ok()) return FailOnState(i, "could not save state: ", st.error());
    values_.erase(c.address);
    Note(fmt::format("{}: forgotten (removed from the stack; the object was not destroyed)", c.address));
    return Done(i);
  }
  if (node.kind == OpKind::kRead) return FinishRead(i);
  if (opt_.progress) opt_.progress->Started(Address(i), Verb(node.kind), node.kind == OpKind::kCreate ? "" : c.id);
  for (size_t d : node.deps) op.not_found_until = std::max(op.not_found_until, ops_[d].finished + ops_[d].grace);
  if (node.kind != OpKind::kDelete) {
    auto cfg = opt_.config.find(c.address);
    auto desired = FinalizeDesired(c, cfg == opt_.config.end() ? nullptr : &cfg->second, opt_.evaluate, values_,
                                   node.kind == OpKind::kUpdate ? &op.prior : nullptr, *op.schema);
    if (!desired.ok()) return Fail(i, desired.error().ToString());
    op.desired = std::move(desired->attributes);
    op.sensitive = std::move(desired->sensitive);
  }
  QueueCall(i);
}

provider::OperationContext Scheduler::Context(size_t i) const {
  const ResourceChange& c = Change(i);
  provider::OperationContext ctx;
  ctx.stack = opt_.stack;
  ctx.address = c.address;
  ctx.region = c.region;
  ctx.token =
      IdempotencyToken(opt_.stack, c.address + (graph_.ops[i].deposed ? "#deposed" + c.deposed : ""), opt_.nonce);
  ctx.cancelled = opt_.cancel;
  ctx.timeout = ops_[i].timeout;
  return ctx;
}

void Scheduler::QueueCall(size_t i) {
  Op& op = ops_[i];
  if (!op.mutated) {
    OpKind kind = graph_.ops[i].kind;
    auto id = ledger_.Intend(Change(i), kind, Context(i).token, kind == OpKind::kDelete ? op.prior : op.desired);
    if (!id.ok()) return FailOnState(i, "could not journal the intent: ", id.error());
    op.intent = *id;
  }
  op.state = op.mutated ? OpState::kPolling : OpState::kRunning;
  calls_.push_back(i);
}

void Scheduler::Dispatch() {
  std::deque<size_t> keep;
  for (; !calls_.empty(); calls_.pop_front()) {
    size_t i = calls_.front();
    int limit = std::max(1, provider_.ServiceConcurrency(ops_[i].service));
    if (in_flight_ >= opt_.parallelism || service_in_flight_[ops_[i].slot] >= limit)
      keep.push_back(i);
    else
      Launch(i);
  }
  calls_.swap(keep);
}

void Scheduler::Launch(size_t i) {
  Op& op = ops_[i];
  ++in_flight_;
  ++service_in_flight_[op.slot];
  max_in_flight_ = std::max(max_in_flight_, in_flight_);
  ++op.attempts;
  op.launched = clock_.Now();
  provider::OperationContext ctx = Context(i);
  if (op.data) {
    return pool_.Submit([this, i, ctx, data = op.data, args = op.desired] {
      Completion done{i, std::nullopt, std::nullopt, std::nullopt, data->Read(ctx, args)};
      Post(std::move(done));
    });
  }
  provider::ResourceType* type = op.type;
  OpKind kind = graph_.ops[i].kind;
  if (op.mutated) {
    provider::Phase phase = kind == OpKind::kCreate   ? provider::Phase::kCreate
                            : kind == OpKind::kUpdate ? provider::Phase::kUpdate
                                                      : provider::Phase::kDelete;
    return pool_.Submit([this, i, ctx, type, current = op.current, phase] {
      Post({i, std::nullopt, type->Poll(ctx, current, phase), std::nullopt, std::nullopt});
    });
  }
  pool_.Submit([this, i, ctx, type, kind, prior = op.prior, desired = op.desired] {
    Completion done{i, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
    if (kind == OpKind::kCreate)
      done.mutate = type->Create(ctx, desired);
    else if (kind == OpKind::kUpdate)
      done.mutate = type->Update(ctx, prior, desired);
    else
      done.mutate = type->Delete(ctx, prior);
    Post(std::move(done));
  });
}

// The lookup runs as a call of its own (in flight, bounded like the rest).
// Objects that carry the same infra:address tag but are not this create's
// (the old and deposed objects of a replacement) are excluded.
void Scheduler::LaunchLookup(size_t i) {
  const ResourceChange& c = Change(i);
  ++in_flight_;
  ++service_in_flight_[ops_[i].slot];
  max_in_flight_ = std::max(max_in_flight_, in_flight_);
  ops_[i].launched = clock_.Now();
  provider::OperationContext ctx = Context(i);
  if (!c.id.empty()) ctx.exclude_ids.push_back(c.id);
  if (opt_.state)
    for (const auto& d : opt_.state->deposed)
      if (d.address == c.address) ctx.exclude_ids.push_back(d.id);
  pool_.Submit([this, i, ctx, type = ops_[i].type, desired = ops_[i].desired] {
    Completion done{i, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
    done.found = type->FindByAddress(ctx, desired);
    Post(std::move(done));
  });
}

void Scheduler::Post(Completion c) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_.push_back(std::move(c));
  }
  cv_.notify_one();
}

// Waits for a completion, the next timer, or 100 ms (to see a signal).
void Scheduler::WaitAndHandle() {
  TimePoint until = clock_.Now() + milliseconds(100);
  if (!timers_.empty()) until = std::min(until, timers_.top().first);
  std::deque<Completion> got;
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (done_.empty()) clock_.WaitUntil(cv_, lock, until);
    got.swap(done_);
  }
  // A signal that came while the calls ran decides what their results mean
  // (an unknown outcome after a stop is left to recovery, not looked up).
  if (!got.empty()) CheckSignals();
  for (auto& c : got) {
    --in_flight_;
    --service_in_flight_[ops_[c.op].slot];
    ops_[c.op].busy += clock_.Now() - ops_[c.op].launched;
    if (c.polled)
      HandlePoll(c.op, *c.polled);
    else if (c.found)
      HandleLookup(c.op, *c.found);
    else if (c.read)
      HandleRead(c.op, *c.read);
    else
      HandleMutate(c.op, *c.mutate);
  }
}

// Another call in `after`: a retry of the mutating call or the next poll.
void Scheduler::Later(size_t i, OpState state, milliseconds after) {
  ops_[i].state = state;
  if (state == OpState::kPolling && after.count() <= 0) return calls_.push_back(i);
  timers_.push({clock_.Now() + after, i});
}

void Scheduler::FireTimers() {
  for (TimePoint now = clock_.Now(); !timers_.empty() && timers_.top().first <= now; timers_.pop()) {
    size_t i = timers_.top().second;
    if (ops_[i].state == OpState::kRetrying)
      QueueCall(i);
    else
      calls_.push_back(i);
  }
}

void Scheduler::NoteLongRunning() {
  if (!opt_.progress) return;
  TimePoint now = clock_.Now();
  for (size_t i = 0; i < ops_.size(); ++i) {
    Op& op = ops_[i];
    if (op.state != OpState::kRunning && op.state != OpState::kPolling && op.state != OpState::kRetrying) continue;
    if (now - op.last_note < opt_.progress_interval) continue;
    op.last_note = now;
    opt_.progress->Still(Address(i), Verb(graph_.ops[i].kind), now - op.started, op.message);
  }
}

void Scheduler::Note(const std::string& line) {
  if (opt_.progress) opt_.progress->Note(line);
}
Result<ApplyReport> Execute(const Plan& plan, const provider::Provider& provider, StatePort& state,
                            const ExecutorOptions& options) {
  Scheduler scheduler(plan, provider, state, options);
  return scheduler.Run();
}

}  // namespace infra::engine

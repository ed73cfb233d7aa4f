// Executor. One thread (the caller's) owns the operation graph, the timer
// queue and all state writes; WorkPool threads only make provider calls and
// post completions back. A resource waiting to become available is an entry
// in the timer queue, never a blocked thread.
#include "engine/apply/executor.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <queue>
#include <set>

#include "common/log.h"
#include "engine/plan/attribute_diff.h"
#include "engine/plan/plan_json.h"
#include "engine/apply/progress.h"
#include "engine/apply/work_pool.h"
#include "providers/provider.h"

namespace infra::engine {
namespace {
using Clock = std::chrono::steady_clock;
using provider::ApplyResult;
using provider::PollResult;

enum class OpKind { kCreate, kUpdate, kDelete, kRead };
enum class OpState { kWaiting, kRunning, kPolling, kRetrying, kDone, kFailed, kSkipped, kNotStarted, kAbandoned };

const char* Verb(OpKind k) {
  switch (k) {
    case OpKind::kCreate: return "create";
    case OpKind::kUpdate: return "update";
    case OpKind::kDelete: return "delete";
    case OpKind::kRead: return "read";
  }
  return "read";
}

bool Finished(OpState s) {
  return s == OpState::kDone || s == OpState::kFailed || s == OpState::kSkipped || s == OpState::kNotStarted ||
         s == OpState::kAbandoned;
}

struct Op {
  size_t change = 0;
  OpKind kind = OpKind::kCreate;
  bool deposed = false;  // create_before_destroy: deletes the old object
  int rank = 0;          // region position in rollout order
  std::vector<size_t> deps, dependents, earlier_desc;
  int unmet = 0;
  OpState state = OpState::kWaiting;
  provider::ResourceType* type = nullptr;
  std::string service;
  std::chrono::seconds grace{60};
  Clock::time_point started{}, finished{}, last_note{}, not_found_until{};
  nlohmann::json prior, desired, current;
  std::vector<std::string> sensitive;  // attributes derived from secrets
  int64_t intent = 0;
  int attempts = 0;
  bool mutated = false;  // the mutating call succeeded; now polling
  bool old_deposed = false;  // create_before_destroy: the old object is recorded as deposed
  std::string message;
};

struct Completion {
  size_t op = 0;
  bool poll = false;
  std::optional<Result<ApplyResult>> mutate;
  std::optional<Result<PollResult>> polled;
};

class Executor {
 public:
  Executor(const Plan& plan, const provider::Provider& provider, StatePort& state, const ExecutorOptions& options)
      : plan_(plan), provider_(provider), state_(state), opt_(options), pool_(options.parallelism) {}

  Result<ApplyReport> Run() {
    Status built = Build();
    if (!built.ok()) return built.error();
    for (size_t i = 0; i < ops_.size(); ++i)
      if (ops_[i].unmet == 0) ready_.push_back(i);
    Loop();
    return Report();
  }

 private:
  // ---- building the operation graph ---------------------------------
  size_t AddOp(size_t change, OpKind kind, bool deposed) {
    const ResourceChange& c = plan_.changes[change];
    Op op;
    op.change = change;
    op.kind = kind;
    op.deposed = deposed;
    op.type = provider_.Find(c.type);
    if (op.type) {
      op.service = op.type->schema().service;
      op.grace = op.type->schema().not_found_grace;
    }
    auto it = std::find(plan_.regions.begin(), plan_.regions.end(), c.region_alias);
    int rank = it == plan_.regions.end() ? 0 : static_cast<int>(it - plan_.regions.begin());
    op.rank = opt_.reverse_regions ? static_cast<int>(plan_.regions.size()) - 1 - rank : rank;
    if (op.rank < 0) op.rank = 0;
    ops_.push_back(std::move(op));
    return ops_.size() - 1;
  }

  void Edge(size_t before, size_t after) {
    if (before == after) return;
    ops_[after].deps.push_back(before);
    ops_[before].dependents.push_back(after);
    ++ops_[after].unmet;
  }

  Status Build() {
    std::map<std::string, size_t> forward, del;
    std::map<std::string, std::vector<size_t>> deposed;  // old objects: this run's replacements and state's
    std::map<std::string, std::set<std::string>> dependents_of;
    for (size_t i = 0; i < plan_.changes.size(); ++i) {
      const ResourceChange& c = plan_.changes[i];
      if (c.action != Action::kNoOp && !provider_.Find(c.type))
        return MakeError(Error::Kind::kInternal, "UnknownType",
                         fmt::format("{}: the provider has no type {} [this is a bug]", c.address, c.type));
      for (const auto& d : c.depends_on) dependents_of[d].insert(c.address);
      switch (c.action) {
        case Action::kNoOp: break;
        case Action::kCreate: forward[c.address] = AddOp(i, OpKind::kCreate, false); break;
        case Action::kUpdate: forward[c.address] = AddOp(i, OpKind::kUpdate, false); break;
        case Action::kDelete:
          if (!c.deposed.empty())
            deposed[c.address].push_back(AddOp(i, OpKind::kDelete, true));
          else
            del[c.address] = AddOp(i, OpKind::kDelete, false);
          break;
        case Action::kRead: AddOp(i, OpKind::kRead, false); break;
        case Action::kDeleteThenCreate: {
          size_t d = AddOp(i, OpKind::kDelete, false);
          size_t cr = AddOp(i, OpKind::kCreate, false);
          Edge(d, cr);
          del[c.address] = d;
          forward[c.address] = cr;
          break;
        }
        case Action::kCreateThenDelete: {
          size_t cr = AddOp(i, OpKind::kCreate, false);
          size_t d = AddOp(i, OpKind::kDelete, true);
          Edge(cr, d);
          forward[c.address] = cr;
          deposed[c.address].push_back(d);
          break;
        }
      }
      if (c.action == Action::kNoOp) {
        values_[c.address] = Value::MakeMap(c.before);
      } else if (c.action == Action::kUpdate) {
        values_[c.address] = Value::MakeMap(c.before);
      }
    }
    std::set<std::string> addresses;
    for (const auto& c : plan_.changes) {
      addresses.insert(c.address);
      // create/update after the creates/updates of what it references.
      auto f = forward.find(c.address);
      if (f != forward.end() && c.deposed.empty())
        for (const auto& d : c.depends_on) {
          auto df = forward.find(d);
          if (df != forward.end()) Edge(df->second, f->second);
        }
    }
    static const std::vector<size_t> kNone;
    auto deposed_of = [&](const std::string& a) -> const std::vector<size_t>& {
      auto it = deposed.find(a);
      return it == deposed.end() ? kNone : it->second;
    };
    for (const auto& a : addresses) {
      // delete before what it depends on is deleted; an old object
      // (create_before_destroy, or deposed in state) after its dependents
      // moved off it (a deposed object from state serves nothing, so unlike
      // this run's replacement it need not wait for the new object).
      auto dl = del.find(a);
      const auto& dp = deposed_of(a);
      for (const auto& y : dependents_of[a]) {
        auto ydel = del.find(y);
        auto yfwd = forward.find(y);
        if (dl != del.end()) {
          if (ydel != del.end()) Edge(ydel->second, dl->second);
          for (size_t yd : deposed_of(y)) Edge(yd, dl->second);
        }
        for (size_t d : dp) {
          if (ydel != del.end()) Edge(ydel->second, d);
          if (yfwd != forward.end()) Edge(yfwd->second, d);
          for (size_t yd : deposed_of(y)) Edge(yd, d);
        }
      }
    }
    ComputeEarlierDescendants();
    unfinished_.assign(plan_.regions.size() + 1, 0);
    failed_.assign(plan_.regions.size() + 1, 0);
    for (const auto& op : ops_) ++unfinished_[op.rank];
    return {};
  }

  // Ops of earlier regions that (transitively) depend on an op of a later
  // region must not hold it back: that would deadlock cross-region edges.
  void ComputeEarlierDescendants() {
    for (size_t i = 0; i < ops_.size(); ++i) {
      if (ops_[i].rank == 0) continue;
      std::vector<size_t> stack(ops_[i].dependents.begin(), ops_[i].dependents.end());
      std::set<size_t> seen;
      while (!stack.empty()) {
        size_t n = stack.back();
        stack.pop_back();
        if (!seen.insert(n).second) continue;
        if (ops_[n].rank < ops_[i].rank) ops_[i].earlier_desc.push_back(n);
        for (size_t d : ops_[n].dependents) stack.push_back(d);
      }
    }
  }

  // ---- the main loop --------------------------------------------------
  // The unit's main loop: start what may start, dispatch calls within the
  // service limits, wait for a completion or the next timer, handle it.
  void Loop() {
    for (;;) {
      CheckSignals();
      while (StartReady()) {
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

  void CheckSignals() {
    bool cancel = opt_.cancel && opt_.cancel->load();
    if (!stopping_ && ((opt_.stop && opt_.stop->load()) || cancel)) {
      stopping_ = true;
      stop_at_ = Clock::now();
      Note("Interrupted: starting nothing new; waiting for calls in flight to return, then saving state.");
    }
    if (!stopping_) return;
    bool abandon = cancel || Clock::now() - stop_at_ >= opt_.stop_grace;
    if (!abandon || (timers_.empty() && calls_.empty())) return;
    std::vector<size_t> waiting(calls_.begin(), calls_.end());
    calls_.clear();
    while (!timers_.empty()) {
      waiting.push_back(timers_.top().second);
      timers_.pop();
    }
    for (size_t i : waiting) {
      Op& op = ops_[i];
      if (op.mutated) {
        op.state = OpState::kAbandoned;
        op.message = "stopped waiting for it (interrupted); it is saved in state and the next plan reads it back";
      } else {
        if (op.state == OpState::kRunning) (void)state_.Resolve(op.intent, "not started: interrupted");
        op.state = OpState::kNotStarted;
        op.message = "interrupted before it could be retried";
      }
      Settle(i);
    }
  }

  bool RegionAllows(size_t i, bool* skip) {
    const Op& op = ops_[i];
    int pending = 0;
    for (int r = 0; r < op.rank; ++r) {
      pending += unfinished_[r];
      if (failed_[r] > 0) *skip = true;
    }
    if (*skip) return false;
    for (size_t d : op.earlier_desc)
      if (!Finished(ops_[d].state)) --pending;
    return pending <= 0;
  }

  // One pass over the ready ops; true if any op changed state.
  bool StartReady() {
    bool changed = false;
    std::vector<size_t> current, keep;
    current.swap(ready_);  // Start may make more ops ready
    for (size_t i : current) {
      Op& op = ops_[i];
      if (op.state != OpState::kWaiting) continue;
      if (stopping_) {
        op.state = OpState::kNotStarted;
        op.message = "not started (interrupted)";
        Settle(i);
        changed = true;
        continue;
      }
      bool skip = false;
      if (!RegionAllows(i, &skip)) {
        if (skip) {
          op.state = OpState::kSkipped;
          op.message = "skipped: an earlier region had failures, later regions are stopped";
          Settle(i);
          SkipDependents(i, plan_.changes[op.change].address);
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

  // ---- one operation --------------------------------------------------
  void Start(size_t i) {
    Op& op = ops_[i];
    const ResourceChange& c = plan_.changes[op.change];
    op.started = op.last_note = Clock::now();
    op.state = OpState::kRunning;
    const StateResource* recorded = Recorded(c.address);
    if (const StateResource* old = RecordedDeposed(c.address, c.deposed))
      op.prior = old->attributes;
    else
      op.prior = op.deposed || !recorded ? ValuesToAttributes(c.before) : recorded->attributes;
    if (op.kind == OpKind::kRead) return FinishRead(i);
    if (opt_.progress) opt_.progress->Started(Address(op), Verb(op.kind), op.kind == OpKind::kCreate ? "" : c.id);
    for (size_t d : op.deps) op.not_found_until = std::max(op.not_found_until, ops_[d].finished + ops_[d].grace);
    if (op.kind != OpKind::kDelete) {
      auto desired = Desired(op, c, &op.sensitive);
      if (!desired.ok()) return Fail(i, desired.error().ToString());
      op.desired = std::move(*desired);
    }
    QueueCall(i);
  }

  Result<nlohmann::json> Desired(const Op& op, const ResourceChange& c, std::vector<std::string>* sensitive) {
    const auto& schema = op.type->schema();
    Value::Map values = c.after;
    auto cfg = opt_.config.find(c.address);
    if (opt_.evaluate && cfg != opt_.config.end()) {
      auto evaluated = opt_.evaluate(cfg->second, values_);
      if (!evaluated.ok()) return evaluated.error();
      values = WithDefaults(*evaluated, schema);
      if (op.kind == OpKind::kUpdate) {
        Value::Map prior = AttributesToValues(op.prior, schema);
        for (const auto& a : schema.attributes)
          if (IgnoresChanges(cfg->second.lifecycle, a.name)) {
            auto p = prior.find(a.name);
            if (p == prior.end())
              values.erase(a.name);
            else
              values[a.name] = p->second;
          }
      }
    }
    // Without an evaluator the plan's unknowns are placeholders for computed
    // values and are left out; with one, a user-set value must be known now.
    if (opt_.evaluate && cfg != opt_.config.end())
      for (const auto& [k, v] : values) {
        const auto* a = schema.Find(k);
        if (a && a->mode != provider::AttrMode::kComputed && !v.is_wholly_known())
          return MakeError(Error::Kind::kInternal, "ValueUnknown",
                           fmt::format("{}: {} is still unknown after its dependencies completed", c.address, k));
      }
    for (const auto& [k, v] : values)
      if (SensitiveMirror(v) != nlohmann::json(false)) sensitive->push_back(k);
    return ProviderDesired(values, schema);
  }

  provider::OperationContext Context(const Op& op) const {
    const ResourceChange& c = plan_.changes[op.change];
    provider::OperationContext ctx;
    ctx.stack = opt_.stack;
    ctx.address = c.address;
    ctx.region = c.region;
    ctx.token = IdempotencyToken(opt_.stack, c.address + (op.deposed ? "#deposed" + c.deposed : ""), opt_.nonce);
    ctx.cancelled = opt_.cancel;
    return ctx;
  }

  void QueueCall(size_t i) {
    Op& op = ops_[i];
    if (!op.mutated) {
      PendingIntent intent;
      const ResourceChange& c = plan_.changes[op.change];
      intent.address = c.address;
      intent.type = c.type;
      intent.region = c.region;
      intent.operation = Verb(op.kind);
      intent.token = Context(op).token;
      intent.payload = op.kind == OpKind::kDelete ? op.prior : op.desired;
      auto id = state_.RecordIntent(intent);
      if (!id.ok()) return FailOnState(i, "could not journal the intent: ", id.error());
      op.intent = *id;
    }
    op.state = op.mutated ? OpState::kPolling : OpState::kRunning;
    calls_.push_back(i);
  }

  void Dispatch() {
    std::deque<size_t> keep;
    while (!calls_.empty()) {
      size_t i = calls_.front();
      calls_.pop_front();
      Op& op = ops_[i];
      if (stopping_ && !op.mutated) {
        (void)state_.RecordOutcome(op.intent, false, "not started: interrupted");
        (void)state_.Resolve(op.intent, "not started");
        op.state = OpState::kNotStarted;
        op.message = "not started (interrupted)";
        Settle(i);
        continue;
      }
      int limit = std::max(1, provider_.ServiceConcurrency(op.service));
      if (in_flight_ >= opt_.parallelism || service_in_flight_[op.service] >= limit) {
        keep.push_back(i);
        continue;
      }
      Launch(i);
    }
    calls_.swap(keep);
  }

  void Launch(size_t i) {
    Op& op = ops_[i];
    ++in_flight_;
    ++service_in_flight_[op.service];
    max_in_flight_ = std::max(max_in_flight_, in_flight_);
    ++op.attempts;
    provider::OperationContext ctx = Context(op);
    provider::ResourceType* type = op.type;
    if (op.mutated) {
      nlohmann::json current = op.current;
      provider::Phase phase = op.kind == OpKind::kCreate   ? provider::Phase::kCreate
                              : op.kind == OpKind::kUpdate ? provider::Phase::kUpdate
                                                           : provider::Phase::kDelete;
      pool_.Submit([this, i, ctx, type, current, phase] {
        Completion done{i, true, std::nullopt, type->Poll(ctx, current, phase)};
        Post(std::move(done));
      });
      return;
    }
    OpKind kind = op.kind;
    nlohmann::json prior = op.prior, desired = op.desired;
    pool_.Submit([this, i, ctx, type, kind, prior, desired] {
      Completion done{i, false, std::nullopt, std::nullopt};
      if (kind == OpKind::kCreate)
        done.mutate = type->Create(ctx, desired);
      else if (kind == OpKind::kUpdate)
        done.mutate = type->Update(ctx, prior, desired);
      else
        done.mutate = type->Delete(ctx, prior);
      Post(std::move(done));
    });
  }

  void Post(Completion c) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_.push_back(std::move(c));
    }
    cv_.notify_one();
  }

  void WaitAndHandle() {
    auto until = Clock::now() + std::chrono::milliseconds(100);
    if (!timers_.empty()) until = std::min(until, timers_.top().first);
    std::deque<Completion> got;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_until(lock, until, [this] { return !done_.empty(); });
      got.swap(done_);
    }
    for (auto& c : got) {
      Op& op = ops_[c.op];
      --in_flight_;
      --service_in_flight_[op.service];
      if (c.poll)
        HandlePoll(c.op, *c.polled);
      else
        HandleMutate(c.op, *c.mutate);
    }
  }

  // What AWS returned, plus desired values it does not echo back (write-only
  // settings such as auto_accept), so the next plan does not see a change.
  static nlohmann::json WithDesired(const Op& op, const nlohmann::json& returned) {
    nlohmann::json out = returned.is_object() ? returned : nlohmann::json::object();
    if (op.kind == OpKind::kDelete || !op.desired.is_object()) return out;
    for (auto kv = op.desired.begin(); kv != op.desired.end(); ++kv)
      if (!out.contains(kv.key())) out[kv.key()] = kv.value();
    return out;
  }

  bool WithinGrace(const Op& op) const { return Clock::now() < op.not_found_until; }

  void Retry(size_t i, std::chrono::milliseconds after) {
    ops_[i].state = OpState::kRetrying;
    timers_.push({Clock::now() + after, i});
  }

  std::chrono::milliseconds Backoff(const Op& op) const {
    auto ms = opt_.not_found_backoff * (1 << std::min(op.attempts - 1, 4));
    return std::min<std::chrono::milliseconds>(ms, std::chrono::milliseconds(10000));
  }

  void HandleMutate(size_t i, Result<ApplyResult>& r) {
    Op& op = ops_[i];
    (void)state_.RecordOutcome(op.intent, r.ok(), r.ok() ? "" : r.error().ToString());
    // A refused call changed nothing: its journal entry needs no recovery.
    if (!r.ok()) (void)state_.Resolve(op.intent, "failed: " + r.error().code);
    if (!r.ok()) {
      if (r.error().kind == Error::Kind::kNotFound && WithinGrace(op) && !stopping_) {
        log::Debug("{}: NotFound inside the consistency grace period; retrying", Address(op));
        return Retry(i, Backoff(op));
      }
      return Fail(i, r.error().ToString());
    }
    op.mutated = true;
    op.current = WithDesired(op, r->attributes);
    if (op.kind != OpKind::kDelete) {
      bool replacing = op.kind == OpKind::kCreate && plan_.changes[op.change].action == Action::kCreateThenDelete;
      if (replacing) Checkpoint("cbd-created", op);
      op.not_found_until = std::max(op.not_found_until, Clock::now() + op.grace);
      if (Status st = Save(op, op.intent); !st.ok()) return FailOnState(i, "could not save state: ", st.error());
      if (replacing) Checkpoint("cbd-between-halves", op);
    }
    if (r->pending) return Poll(i, std::chrono::milliseconds(0));
    Complete(i);
  }

  void Poll(size_t i, std::chrono::milliseconds after) {
    ops_[i].state = OpState::kPolling;
    if (after.count() <= 0) {
      calls_.push_back(i);
      return;
    }
    timers_.push({Clock::now() + after, i});
  }

  void HandlePoll(size_t i, Result<PollResult>& r) {
    Op& op = ops_[i];
    if (!r.ok()) {
      if (r.error().kind == Error::Kind::kNotFound && op.kind == OpKind::kDelete) return Complete(i);
      if (r.error().kind == Error::Kind::kNotFound && WithinGrace(op)) return Poll(i, Backoff(op));
      return Fail(i, r.error().ToString());
    }
    if (!r->attributes.is_null() && !r->attributes.empty()) op.current = WithDesired(op, r->attributes);
    if (r->status == provider::PollStatus::kFailed)
      return Fail(i, r->detail.empty() ? "the resource ended in a failed state" : r->detail);
    if (r->status == provider::PollStatus::kPending) {
      op.message = r->detail;
      return Poll(i, std::max<std::chrono::milliseconds>(r->retry_after, std::chrono::milliseconds(1)));
    }
    if (op.kind != OpKind::kDelete)
      if (Status st = Save(op); !st.ok()) return FailOnState(i, "could not save state: ", st.error());
    Complete(i);
  }

  void FireTimers() {
    auto now = Clock::now();
    while (!timers_.empty() && timers_.top().first <= now) {
      size_t i = timers_.top().second;
      timers_.pop();
      Op& op = ops_[i];
      if (op.state == OpState::kRetrying) {
        if (stopping_) {
          op.state = OpState::kNotStarted;
          op.message = "interrupted before it could be retried";
          Settle(i);
          continue;
        }
        QueueCall(i);
      } else {
        calls_.push_back(i);
      }
    }
  }

  void NoteLongRunning() {
    if (!opt_.progress) return;
    auto now = Clock::now();
    for (auto& op : ops_) {
      if (op.state != OpState::kRunning && op.state != OpState::kPolling && op.state != OpState::kRetrying) continue;
      if (now - op.last_note < opt_.progress_interval) continue;
      op.last_note = now;
      opt_.progress->Still(Address(op), Verb(op.kind), now - op.started, op.message);
    }
  }

  // ---- finishing ------------------------------------------------------
  Status Save(Op& op, int64_t resolve_intent = 0) {
    const ResourceChange& c = plan_.changes[op.change];
    StateResource s;
    s.address = c.address;
    s.type = c.type;
    s.region = c.region;
    s.region_alias = c.region_alias;
    s.attributes = op.current.is_object() ? op.current : nlohmann::json::object();
    if (s.attributes.contains("id") && s.attributes["id"].is_string()) s.id = s.attributes["id"].get<std::string>();
    s.depends_on = c.depends_on;
    s.sensitive_attributes = op.sensitive;
    if (const StateResource* old = Recorded(c.address); old && op.kind == OpKind::kRead)
      s.sensitive_attributes = old->sensitive_attributes;
    values_[c.address] = Value::MakeMap(AttributesToValues(s.attributes, op.type->schema(), s.sensitive_attributes));
    // The first record of a create_before_destroy's new object keeps the
    // old one as deposed in the same transaction: whatever happens before
    // its delete, state still knows it (docs/state.md).
    if (op.kind == OpKind::kCreate && c.action == Action::kCreateThenDelete && !op.old_deposed) {
      op.old_deposed = true;
      if (auto old = OldObject(c); old && old->id != s.id) return state_.PutResources({s, *old}, resolve_intent);
    }
    return state_.PutResource(s, resolve_intent);
  }

  // The object a create_before_destroy replaces, as a deposed record: from
  // state when it is the planned one, else from the plan's before values.
  std::optional<StateResource> OldObject(const ResourceChange& c) {
    if (c.id.empty()) return std::nullopt;
    StateResource old;
    if (const StateResource* r = Recorded(c.address); r && r->id == c.id) {
      old = *r;
    } else {
      old.address = c.address;
      old.type = c.type;
      old.region = c.region;
      old.region_alias = c.region_alias;
      old.id = c.id;
      old.attributes = ValuesToAttributes(c.before);
      old.attributes["id"] = c.id;
      old.depends_on = c.depends_on;
      for (const auto& [k, v] : c.before)
        if (SensitiveMirror(v) != nlohmann::json(false)) old.sensitive_attributes.push_back(k);
    }
    old.deposed = DeposedKey(c.id);
    return old;
  }

  void Checkpoint(std::string_view point, const Op& op) {
    if (opt_.checkpoint) opt_.checkpoint(point, plan_.changes[op.change].address);
  }

  void Complete(size_t i) {
    Op& op = ops_[i];
    const ResourceChange& c = plan_.changes[op.change];
    if (op.kind == OpKind::kDelete && !op.deposed) {
      if (Status st = state_.RemoveResource(c.address, op.intent); !st.ok())
        return FailOnState(i, "could not save state: ", st.error());
      values_.erase(c.address);
    } else if (op.kind == OpKind::kDelete) {
      std::string key = c.deposed.empty() ? DeposedKey(c.id) : c.deposed;
      if (Status st = state_.RemoveDeposed(c.address, key, op.intent); !st.ok())
        return FailOnState(i, "could not save state: ", st.error());
    }
    op.state = OpState::kDone;
    op.finished = Clock::now();
    log::Debug("executor: {} {} done in {} ms ({} calls)", Verb(op.kind), c.address,
               std::chrono::duration_cast<std::chrono::milliseconds>(op.finished - op.started).count(), op.attempts);
    if (opt_.progress) {
      std::string id = op.current.is_object() && op.current.contains("id") && op.current["id"].is_string()
                           ? op.current["id"].get<std::string>()
                           : c.id;
      opt_.progress->Finished(Address(op), Verb(op.kind), op.finished - op.started, id);
    }
    Settle(i);
    for (size_t d : op.dependents)
      if (--ops_[d].unmet == 0 && ops_[d].state == OpState::kWaiting) ready_.push_back(d);
  }

  void FinishRead(size_t i) {
    Op& op = ops_[i];
    const ResourceChange& c = plan_.changes[op.change];
    Status st;
    if (c.drift && c.drift->deleted) {
      st = state_.RemoveResource(c.address);
    } else {
      op.current = ValuesToAttributes(c.after);
      st = Save(op);
    }
    if (!st.ok()) return FailOnState(i, "could not save state: ", st.error());
    op.state = OpState::kDone;
    op.finished = Clock::now();
    Note(fmt::format("{}: state updated from AWS", c.address));
    Settle(i);
    for (size_t d : op.dependents)
      if (--ops_[d].unmet == 0) ready_.push_back(d);
  }

  void Fail(size_t i, const std::string& message) {
    Op& op = ops_[i];
    op.state = OpState::kFailed;
    op.message = message;
    op.finished = Clock::now();
    ++failed_[op.rank];
    if (opt_.progress) opt_.progress->Failed(Address(op), Verb(op.kind), op.finished - op.started, message);
    Settle(i);
    SkipDependents(i, Address(op));
  }

  // A state write (journal or resource) failed. The state store refuses
  // every write once our lock was taken over or force-unlocked
  // (StateStore::FenceWrites): then start nothing new, as after a signal;
  // every operation journals its intent first, so none of the refused ones
  // reached AWS.
  void FailOnState(size_t i, const std::string& what, const Error& error) {
    Fail(i, what + error.ToString());
    if (!stopping_ && error.code == "StateLockLost") {
      stopping_ = true;
      stop_at_ = Clock::now();
      Note("Lost the state lock: starting nothing new; another run owns the state now.");
    }
  }

  void SkipDependents(size_t i, const std::string& cause) {
    std::vector<size_t> stack(ops_[i].dependents.begin(), ops_[i].dependents.end());
    while (!stack.empty()) {
      size_t n = stack.back();
      stack.pop_back();
      Op& op = ops_[n];
      if (op.state != OpState::kWaiting) continue;
      op.state = OpState::kSkipped;
      op.message = fmt::format("skipped: it depends on {}, which did not complete", cause);
      Settle(n);
      for (size_t d : op.dependents) stack.push_back(d);
    }
  }

  // Bookkeeping when an op reaches a final state.
  void Settle(size_t i) { --unfinished_[ops_[i].rank]; }

  const StateResource* Recorded(const std::string& address) {
    if (!opt_.state) return nullptr;
    if (recorded_.empty())
      for (const auto& r : opt_.state->resources) recorded_[r.address] = &r;
    auto it = recorded_.find(address);
    return it == recorded_.end() ? nullptr : it->second;
  }

  const StateResource* RecordedDeposed(const std::string& address, const std::string& key) const {
    if (!opt_.state || key.empty()) return nullptr;
    for (const auto& r : opt_.state->deposed)
      if (r.address == address && r.deposed == key) return &r;
    return nullptr;
  }

  // The address for people: a deposed object from state is named as such.
  std::string Address(const Op& op) const { return Label(plan_.changes[op.change]); }
  static std::string Label(const ResourceChange& c) {
    return c.deposed.empty() ? c.address : fmt::format("{} (deposed object {})", c.address, c.deposed);
  }

  void Note(const std::string& line) {
    if (opt_.progress) opt_.progress->Note(line);
  }

  // ---- the report -----------------------------------------------------
  ApplyReport Report() {
    ApplyReport rep;
    rep.interrupted = stopping_;
    rep.max_in_flight = max_in_flight_;
    std::map<size_t, std::vector<const Op*>> by_change;
    for (const auto& op : ops_) by_change[op.change].push_back(&op);
    for (const auto& [ci, ops] : by_change) {
      const ResourceChange& c = plan_.changes[ci];
      ResourceOutcome o;
      o.address = Label(c);
      o.action = c.action;
      o.status = OutcomeStatus::kSucceeded;
      for (const Op* op : ops) {
        OutcomeStatus s = op->state == OpState::kDone        ? OutcomeStatus::kSucceeded
                          : op->state == OpState::kFailed    ? OutcomeStatus::kFailed
                          : op->state == OpState::kSkipped   ? OutcomeStatus::kSkipped
                          : op->state == OpState::kAbandoned ? OutcomeStatus::kAbandoned
                                                             : OutcomeStatus::kNotStarted;
        if (s != OutcomeStatus::kSucceeded && o.status == OutcomeStatus::kSucceeded) {
          o.status = s;
          o.message = op->message;
        }
        if (op->finished > op->started) o.elapsed += op->finished - op->started;
      }
      switch (o.status) {
        case OutcomeStatus::kSucceeded:
          if (ActionCreates(c.action)) ++rep.added;
          if (ActionDeletes(c.action)) ++rep.destroyed;
          if (c.action == Action::kUpdate || c.action == Action::kRead) ++rep.changed;
          break;
        case OutcomeStatus::kFailed: ++rep.failed; break;
        case OutcomeStatus::kSkipped: ++rep.skipped; break;
        case OutcomeStatus::kAbandoned:
        case OutcomeStatus::kNotStarted: ++rep.not_started; break;
      }
      rep.outcomes.push_back(std::move(o));
    }
    rep.values = values_;
    return rep;
  }

  const Plan& plan_;
  const provider::Provider& provider_;
  StatePort& state_;
  const ExecutorOptions& opt_;
  std::vector<Op> ops_;
  std::vector<size_t> ready_;
  std::deque<size_t> calls_;
  using Timer = std::pair<Clock::time_point, size_t>;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> timers_;
  std::vector<int> unfinished_, failed_;
  std::map<std::string, int> service_in_flight_;
  int in_flight_ = 0;
  int max_in_flight_ = 0;
  bool stopping_ = false;
  Clock::time_point stop_at_{};
  KnownValues values_;
  std::unordered_map<std::string, const StateResource*> recorded_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Completion> done_;
  WorkPool pool_;  // last: joined first, while the members above still live
};

}  // namespace

std::string_view OutcomeName(OutcomeStatus s) {
  switch (s) {
    case OutcomeStatus::kSucceeded: return "succeeded";
    case OutcomeStatus::kFailed: return "failed";
    case OutcomeStatus::kSkipped: return "skipped";
    case OutcomeStatus::kNotStarted: return "not started";
    case OutcomeStatus::kAbandoned: return "abandoned";
  }
  return "?";
}

std::string ApplyReport::Summary(bool destroy) const {
  std::string out;
  if (ok()) {
    if (destroy) return fmt::format("Destroy complete! Resources: {} destroyed.\n", destroyed);
    return fmt::format("Apply complete! Resources: {} added, {} changed, {} destroyed.\n", added, changed, destroyed);
  }
  out += fmt::format("{} {}: {} succeeded, {} failed, {} skipped, {} not started.\n",
                     destroy ? "Destroy" : "Apply", interrupted ? "interrupted" : "failed",
                     added + changed + destroyed, failed, skipped, not_started);
  for (const auto& o : outcomes)
    if (o.status != OutcomeStatus::kSucceeded)
      out += fmt::format("  {} {}: {}\n", OutcomeName(o.status), o.address, o.message);
  return out;
}

std::string IdempotencyToken(const std::string& stack, const std::string& address, const std::string& nonce) {
  std::string input = stack + '\n' + address + '\n' + nonce;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(input.data(), input.size(), digest, &len, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < 16 && i < len; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

std::string NewNonce() {
  unsigned char bytes[8];
  RAND_bytes(bytes, sizeof bytes);
  std::string hex;
  for (unsigned char b : bytes) hex += fmt::format("{:02x}", b);
  return hex;
}

Result<ApplyReport> Execute(const Plan& plan, const provider::Provider& provider, StatePort& state,
                            const ExecutorOptions& options) {
  Executor ex(plan, provider, state, options);
  return ex.Run();
}

}  // namespace infra::engine

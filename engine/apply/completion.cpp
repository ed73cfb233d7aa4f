// What a finished provider call means for its operation: the outcome
// journaled, the object saved, another poll or retry scheduled, a timeout,
// completion (dependents become ready) or failure (dependents skipped).
#include <fmt/format.h>

#include <algorithm>

#include "common/log.h"
#include "engine/apply/progress.h"
#include "engine/apply/scheduler.h"
#include "engine/graph/adjacency.h"
#include "engine/lang/duration.h"
#include "engine/plan/attribute_diff.h"
#include "engine/plan/desired_values.h"

namespace infra::engine {

using std::chrono::milliseconds;
using provider::ApplyResult;
using provider::PollResult;

// What AWS returned, plus desired values it does not echo back (write-only
// settings such as auto_accept), so the next plan does not see a change.
nlohmann::json Scheduler::WithDesired(size_t i, const nlohmann::json& returned) const {
  nlohmann::json out = returned.is_object() ? returned : nlohmann::json::object();
  const nlohmann::json& desired = ops_[i].desired;
  if (graph_.ops[i].kind == OpKind::kDelete || !desired.is_object()) return out;
  for (auto kv = desired.begin(); kv != desired.end(); ++kv)
    if (!out.contains(kv.key())) out[kv.key()] = kv.value();
  return out;
}

std::chrono::milliseconds Scheduler::Backoff(const Op& op) const {
  auto ms = opt_.not_found_backoff * (1 << std::min(op.attempts - 1, 4));
  return std::min<milliseconds>(ms, milliseconds(10000));
}

namespace {

// The call reached the service and its answer was lost (reset, timeout, cut
// body, or a call abandoned after an interrupt): whether it took effect is
// unknown. The transport's codes (providers/aws/sdk/transport.h); a request
// never sent is not among them.
bool OutcomeUnknown(const Error& e) {
  return e.kind == Error::Kind::kTransport && (e.code == "ConnectionReset" || e.code == "RequestTimeout" ||
                                               e.code == "ResponseCutShort" || e.code == "CallAbandoned");
}

constexpr int kMaxLookups = 2;

}  // namespace

void Scheduler::HandleMutate(size_t i, Result<ApplyResult>& r) {
  Op& op = ops_[i];
  if (!r.ok() && stopping_ && OutcomeUnknown(r.error())) return AbandonCall(i, r.error());
  if (!r.ok() && graph_.ops[i].kind == OpKind::kCreate && OutcomeUnknown(r.error())) return LookUp(i, r.error());
  ledger_.Outcome(op.intent, r.ok() ? nullptr : &r.error());
  if (!r.ok()) {
    if (r.error().kind == Error::Kind::kNotFound && WithinGrace(op)) {
      log::Debug("{}: NotFound inside the consistency grace period; retrying", Address(i));
      return Later(i, OpState::kRetrying, Backoff(op));
    }
    return Fail(i, r.error().ToString());
  }
  op.mutated = true;
  op.current = WithDesired(i, r->attributes);
  if (graph_.ops[i].kind != OpKind::kDelete) {
    bool replacing = graph_.ops[i].kind == OpKind::kCreate && Change(i).action == Action::kCreateThenDelete;
    if (replacing) Checkpoint("cbd-created", i);
    op.not_found_until = std::max(op.not_found_until, clock_.Now() + op.grace);
    if (Status st = Save(i, op.intent); !st.ok()) return FailOnState(i, "could not save state: ", st.error());
    if (replacing) Checkpoint("cbd-between-halves", i);
  }
  if (r->pending) return Later(i, OpState::kPolling, milliseconds(0));
  Complete(i);
}

void Scheduler::AbandonCall(size_t i, const Error& error) {
  ledger_.Undecided(ops_[i].intent, error);
  ops_[i].finished = clock_.Now();
  SettleAs(i, OpState::kAbandoned,
           error.ToString() + "; interrupted with the call in flight: the journal keeps it for the next run to "
                              "reconcile");
}

void Scheduler::LookUp(size_t i, const Error& error) {
  Op& op = ops_[i];
  ledger_.Undecided(op.intent, error);
  op.message = error.ToString();
  if (op.lookups >= kMaxLookups)
    return Fail(i, op.message + fmt::format("; its reply was lost {} times; the journal keeps it for the next run's "
                                            "recovery to look it up",
                                            op.lookups + 1));
  ++op.lookups;
  Note(fmt::format("{}: the reply to its create was lost; looking it up by its tags before creating again",
                   Address(i)));
  LaunchLookup(i);
}

void Scheduler::HandleLookup(size_t i, Result<std::optional<provider::Attributes>>& r) {
  Op& op = ops_[i];
  if (!r.ok())
    return Fail(i, op.message + "; looking it up failed: " + r.error().ToString() +
                       "; the journal keeps it for the next run's recovery");
  if (!*r) {
    ledger_.Resolve(op.intent, "not created: looked up by address");
    log::Debug("{}: the lost create did not happen; creating again", Address(i));
    return QueueCall(i);  // the same idempotency token
  }
  op.mutated = true;
  op.current = WithDesired(i, **r);
  op.not_found_until = std::max(op.not_found_until, clock_.Now() + op.grace);
  Note(fmt::format("{}: adopted {}, created before its reply was lost", Address(i), op.current.value("id", "")));
  if (Status st = Save(i, op.intent); !st.ok()) return FailOnState(i, "could not save state: ", st.error());
  Later(i, OpState::kPolling, milliseconds(0));  // let the type say when it is ready
}

void Scheduler::HandlePoll(size_t i, Result<PollResult>& r) {
  Op& op = ops_[i];
  OpKind kind = graph_.ops[i].kind;
  if (!r.ok()) {
    if (stopping_ && r.error().kind == Error::Kind::kTransport)
      return SettleAs(i, OpState::kAbandoned,
                      "stopped waiting for it (interrupted); it is saved in state and the next plan reads it back");
    if (r.error().kind == Error::Kind::kNotFound && kind == OpKind::kDelete) return Complete(i);
    if (r.error().kind == Error::Kind::kNotFound && WithinGrace(op)) return Later(i, OpState::kPolling, Backoff(op));
    return Fail(i, r.error().ToString());
  }
  if (!r->attributes.is_null() && !r->attributes.empty()) op.current = WithDesired(i, r->attributes);
  if (r->status == provider::PollStatus::kFailed)
    return Fail(i, r->detail.empty() ? "the resource ended in a failed state" : r->detail);
  if (r->status == provider::PollStatus::kPending) {
    op.message = r->detail;
    if (op.first_wait_detail.empty()) op.first_wait_detail = r->detail;
    if (clock_.Now() >= op.deadline) return TimedOut(i);
    return Later(i, OpState::kPolling, std::max<milliseconds>(r->retry_after, milliseconds(1)));
  }
  if (kind != OpKind::kDelete)
    if (Status st = Save(i); !st.ok()) return FailOnState(i, "could not save state: ", st.error());
  Complete(i);
}

// The wait ran past its deadline. A created/updated object is already in
// state (the next plan reads it back); a delete's journal entry stays
// unresolved for recovery to reconcile.
// The first detail of the wait is said too: a provider names what holds
// the wait up (a VPC's dependents) on its first retry.
void Scheduler::TimedOut(size_t i) {
  const Op& op = ops_[i];
  OpKind kind = graph_.ops[i].kind;
  std::string detail = op.message;
  if (!op.first_wait_detail.empty() && op.first_wait_detail != op.message)
    detail = op.first_wait_detail + (op.message.empty() ? "" : "; last: " + op.message);
  Fail(i, fmt::format("timed out after {} waiting for the {} to finish{}; raise timeouts.{} on the resource to "
                      "wait longer",
                      FormatDuration(op.timeout), Verb(kind), detail.empty() ? "" : " (" + detail + ")", Verb(kind)));
}

Status Scheduler::Save(size_t i, int64_t resolve_intent) {
  Op& op = ops_[i];
  const ResourceChange& c = Change(i);
  OpKind kind = graph_.ops[i].kind;
  nlohmann::json attributes = op.current.is_object() ? op.current : nlohmann::json::object();
  // Marked as state records them, so what reads this resource later
  // (dependents, outputs) knows which attributes hold secrets.
  std::vector<std::string> secret = op.sensitive;
  if (const StateResource* old = ledger_.Recorded(c.address); old && kind == OpKind::kRead)
    secret = old->sensitive_attributes;
  values_[c.address] = Value::MakeMap(AttributesToValues(attributes, *op.schema, secret));
  bool keep_old = kind == OpKind::kCreate && c.action == Action::kCreateThenDelete && !op.old_deposed;
  op.old_deposed = op.old_deposed || keep_old;
  return ledger_.Save(c, kind, attributes, op.sensitive, keep_old, resolve_intent);
}

void Scheduler::Checkpoint(std::string_view point, size_t i) {
  if (opt_.checkpoint) opt_.checkpoint(point, Change(i).address);
}

void Scheduler::Complete(size_t i) {
  Op& op = ops_[i];
  const OpNode& node = graph_.ops[i];
  const ResourceChange& c = Change(i);
  if (node.kind == OpKind::kDelete) {
    if (Status st = ledger_.Forget(c, node.deposed, op.intent); !st.ok())
      return FailOnState(i, "could not save state: ", st.error());
    if (!node.deposed) values_.erase(c.address);
  }
  Done(i);
  log::Debug("executor: {} {} done in {} ms ({} calls, busy {} ms)", Verb(node.kind), c.address,
             std::chrono::duration_cast<milliseconds>(op.finished - op.started).count(), op.attempts,
             std::chrono::duration_cast<milliseconds>(op.busy).count());
  if (opt_.progress) {
    std::string id = op.current.is_object() && op.current.contains("id") && op.current["id"].is_string()
                         ? op.current["id"].get<std::string>()
                         : c.id;
    opt_.progress->Finished(Address(i), Verb(node.kind), op.finished - op.started, id);
  }
}

void Scheduler::FinishRead(size_t i) {
  const ResourceChange& c = Change(i);
  Status st;
  if (c.drift && c.drift->deleted) {
    st = ledger_.Forget(c, false);
  } else {
    ops_[i].current = ValuesToAttributes(c.after);
    st = Save(i);
  }
  if (!st.ok()) return FailOnState(i, "could not save state: ", st.error());
  Done(i);
  Note(fmt::format("{}: state updated from AWS", c.address));
}

void Scheduler::StartData(size_t i) {
  Op& op = ops_[i];
  const ResourceChange& c = Change(i);
  if (graph_.ops[i].kind == OpKind::kDelete) {
    if (Status st = ledger_.Forget(c, false); !st.ok()) return FailOnState(i, "could not save state: ", st.error());
    values_.erase(c.address);
    return Done(i);
  }
  bool known = std::all_of(c.after.begin(), c.after.end(), [](const auto& kv) { return kv.second.is_wholly_known(); });
  if (known) return FinishRead(i);
  auto cfg = opt_.config.find(c.address);
  auto args = FinalizeDesired(c, cfg == opt_.config.end() ? nullptr : &cfg->second, opt_.evaluate, values_, nullptr,
                              *op.schema);
  if (!args.ok()) return Fail(i, args.error().ToString());
  op.desired = std::move(args->attributes);
  op.sensitive = std::move(args->sensitive);
  if (opt_.progress) opt_.progress->Started(Address(i), "read", "");
  op.state = OpState::kRunning;
  calls_.push_back(i);
}

void Scheduler::HandleRead(size_t i, Result<provider::Attributes>& r) {
  Op& op = ops_[i];
  if (!r.ok()) return Fail(i, "reading the data source failed: " + r.error().ToString());
  op.current = std::move(*r);
  if (Status st = Save(i); !st.ok()) return FailOnState(i, "could not save state: ", st.error());
  Complete(i);
}

void Scheduler::Done(size_t i) {
  ops_[i].finished = clock_.Now();
  SettleAs(i, OpState::kDone, ops_[i].message);
  for (size_t d : graph_.ops[i].dependents)
    if (--ops_[d].unmet == 0 && ops_[d].state == OpState::kWaiting) ready_.push_back(d);
}

void Scheduler::Fail(size_t i, const std::string& message) {
  Op& op = ops_[i];
  op.finished = clock_.Now();
  ++failed_[graph_.ops[i].rank];
  SettleAs(i, OpState::kFailed, message);
  if (opt_.progress) opt_.progress->Failed(Address(i), Verb(graph_.ops[i].kind), op.finished - op.started, message);
  SkipDependents(i);
}

// A state write (journal or resource) failed. The state store refuses
// every write once our lock was taken over or force-unlocked
// (StateStore::FenceWrites): then start nothing new, as after a signal;
// every operation journals its intent first, so none of the refused ones
// reached AWS.
void Scheduler::FailOnState(size_t i, const std::string& what, const Error& error) {
  Fail(i, what + error.ToString());
  if (error.code == "StateLockLost")
    BeginStop("Lost the state lock: starting nothing new; another run owns the state now.");
}

// Everything that (transitively) waits for `i` cannot run now.
void Scheduler::SkipDependents(size_t i) {
  std::string cause = Change(i).address;
  for (size_t n : Reachable(graph_.Dependents(), {i}))
    if (ops_[n].state == OpState::kWaiting)
      SettleAs(n, OpState::kSkipped, fmt::format("skipped: it depends on {}, which did not complete", cause));
}

// An op reaches a final state.
void Scheduler::SettleAs(size_t i, OpState state, const std::string& message) {
  ops_[i].state = state;
  ops_[i].message = message;
  --unfinished_[graph_.ops[i].rank];
}
}  // namespace infra::engine

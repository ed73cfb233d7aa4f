// Planner: gathers the facts per resource (exists? drifted? which attributes
// differ, which force replacement?) and lets DecideAction pick the action.
// Planned values flow forward in dependency order so that a resource that
// references a replaced one sees "(known after apply)".
#include "engine/plan/planner.h"
#include "engine/plan/data_read_cache.h"
#include "engine/plan/stack_requirements.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "engine/graph/adjacency.h"
#include "engine/plan/attribute_diff.h"
#include "engine/plan/moves.h"
#include "engine/plan/outputs.h"
#include "engine/plan/schema_lookup.h"
#include "providers/provider.h"

namespace infra::engine {
namespace {

bool AddressMatches(const std::string& address, const std::string& pattern) {
  if (address == pattern) return true;
  if (address.size() <= pattern.size() || address.compare(0, pattern.size(), pattern) != 0) return false;
  char next = address[pattern.size()];
  return next == '.' || next == '[';
}

// depends_on as edges between positions in `resources`; addresses not in
// `index` are left out.
Adjacency DependsOnEdges(const std::vector<ConfigResource>& resources,
                         const std::unordered_map<std::string, size_t>& index) {
  Adjacency deps(resources.size());
  for (size_t i = 0; i < resources.size(); ++i)
    for (const auto& d : resources[i].depends_on)
      if (auto it = index.find(d); it != index.end()) deps[i].push_back(it->second);
  return deps;
}

// Addresses the plan may act on: everything, or the targets closed over
// their dependencies (or, for destroy, over their dependents).
struct Scope {
  bool all = true;
  std::unordered_set<std::string> addresses;
  std::string only_region;
  bool Contains(const std::string& address, const std::string& alias) const {
    if (!only_region.empty() && alias != only_region) return false;
    return all || addresses.count(address) > 0;
  }
};

Result<Scope> MakeScope(const PlanRequest& req) {
  Scope scope;
  scope.only_region = req.only_region;
  if (req.targets.empty()) return scope;
  scope.all = false;
  // Nodes: every address in config and state; edges: address -> what it
  // depends on (config and state).
  std::unordered_map<std::string, size_t> index;
  std::vector<std::string> all;
  auto node = [&](const std::string& a) {
    auto [it, added] = index.emplace(a, all.size());
    if (added) all.push_back(a);
    return it->second;
  };
  Adjacency deps;
  auto depend = [&](const std::string& a, const std::vector<std::string>& ds) {
    size_t n = node(a);
    for (const auto& d : ds) {
      size_t m = node(d);
      deps.resize(all.size());
      deps[n].push_back(m);
    }
  };
  for (const auto& r : req.resources) depend(r.address, r.depends_on);
  for (const auto& s : req.state->resources) depend(s.address, s.depends_on);
  for (const auto& s : req.state->deposed) node(s.address);  // may be all that is left of it
  deps.resize(all.size());
  std::vector<size_t> targeted;
  for (const auto& t : req.targets) {
    bool found = false;
    for (size_t n = 0; n < all.size(); ++n)
      if (AddressMatches(all[n], t)) {
        found = true;
        targeted.push_back(n);
      }
    if (!found)
      return MakeError(Error::Kind::kInvalid, "TargetNotFound",
                       fmt::format("--target {} matches no resource in the stack or the state", t));
  }
  for (size_t n : targeted) scope.addresses.insert(all[n]);
  for (size_t n : Reachable(req.mode == PlanMode::kDestroy ? Reversed(deps) : deps, targeted))
    scope.addresses.insert(all[n]);
  return scope;
}

struct Current {
  std::optional<Value::Map> prior;  // what exists now (refreshed), if anything
  std::optional<Drift> drift;
};

Current Observe(const StateResource* s, const RefreshResult& refreshed, const provider::ResourceSchema& schema) {
  Current cur;
  if (!s) return cur;
  Value::Map recorded = AttributesToValues(s->attributes, schema, s->sensitive_attributes);
  auto it = refreshed.current.find(s->address);
  if (it == refreshed.current.end()) {
    cur.prior = std::move(recorded);
    return cur;
  }
  if (!it->second) {
    Drift d;
    d.deleted = true;
    d.before = std::move(recorded);
    cur.drift = std::move(d);
    return cur;
  }
  // Attributes the API cannot read back (absent from the read) keep what
  // state recorded, as Terraform providers do.
  nlohmann::json merged = s->attributes.is_object() ? s->attributes : nlohmann::json::object();
  for (auto kv = it->second->begin(); kv != it->second->end(); ++kv) merged[kv.key()] = kv.value();
  Value::Map now = AttributesToValues(merged, schema, s->sensitive_attributes);
  auto changed = DriftedAttributes(recorded, now, schema);
  if (!changed.empty()) cur.drift = Drift{false, recorded, now, changed};
  cur.prior = std::move(now);
  return cur;
}

std::string PreventDestroyMessage(const ConfigResource& r, const ResourceChange& c) {
  std::string why = c.action == Action::kDelete ? "delete it" : "replace it (destroying the current object)";
  if (!c.replace_paths.empty()) {
    std::string paths;
    for (const auto& p : c.replace_paths) paths += (paths.empty() ? "" : ", ") + p;
    why += fmt::format(" because {} cannot be changed in place", paths);
  }
  return fmt::format("{}{}: lifecycle.prevent_destroy is set, but this plan would {}. Remove prevent_destroy "
                     "from the stack first if you really mean to destroy it.",
                     r.location.empty() ? "" : r.location + ": ", r.address, why);
}

class Planner {
 public:
  Planner(const PlanRequest& req, Plan* plan, std::map<std::string, std::string> moved_from = {},
          std::map<std::string, std::string> imported = {})
      : req_(req), plan_(plan), moved_from_(std::move(moved_from)), imported_(std::move(imported)) {}

  Status Run(PlanStats* stats) {
    for (const auto& s : req_.state->resources) in_state_[s.address] = &s;
    for (const auto& r : req_.resources) in_config_[r.address] = &r;
    if (req_.refresh && !req_.state->resources.empty()) {
      auto got = Refresh(*req_.provider, *req_.state, [&](const StateResource& s) {
        return req_.only_region.empty() || s.region_alias == req_.only_region || s.region_alias.empty();
      });
      if (!got.ok()) return got.error();
      refreshed_ = std::move(*got);
    }
    if (stats) {
      stats->refresh_calls = refreshed_.read_calls;
      stats->refreshed = static_cast<int>(refreshed_.current.size());
    }
    auto scope = MakeScope(req_);
    if (!scope.ok()) return scope.error();
    scope_ = std::move(*scope);
    for (const auto& r : req_.replace)
      if (!in_config_.count(r) && !in_state_.count(r))
        return MakeError(Error::Kind::kInvalid, "ReplaceNotFound",
                         fmt::format("--replace {} names no resource in the stack or the state", r));
    Status st = req_.mode == PlanMode::kNormal ? PlanNormal() : PlanFromState();
    if (!st.ok()) return st;
    if (req_.mode == PlanMode::kNormal) {
      auto in_scope = [&](const ResourceChange& c) { return scope_.Contains(c.address, c.region_alias); };
      if (st = CheckStackRequirements(*req_.provider, in_config_, in_scope, &plan_->changes); !st.ok()) return st;
    }
    if (st = PlanDeposed(); !st.ok()) return st;
    if (st = CheckPreventDestroy(); !st.ok()) return st;
    return PlanOutputs();
  }

 private:
  const provider::ResourceSchema* SchemaOf(const std::string& type, const std::string& address, std::string* err) {
    const provider::ResourceSchema* schema = SchemaFor(*req_.provider, type, address);
    if (!schema)
      *err = fmt::format("{}: unknown {} type {}", address, IsDataAddress(address) ? "data source" : "resource", type);
    return schema;
  }

  // A data source is read while planning when its arguments are known: the
  // result flows to its dependents, and differs from what state recorded
  // only as a kRead (the apply writes it to state, no AWS call). Arguments
  // that wait on the apply, or a dependency with changes pending (as
  // Terraform: depends_on means "read after that is done"), defer the read
  // to it: kRead with every result "(known after apply)". --refresh=false
  // reuses the recorded result.
  Status PlanData(const ConfigResource& r, const provider::ResourceSchema& schema, const StateResource* s,
                  ResourceChange* c) {
    auto evaluated = req_.evaluate(r, known_);
    if (!evaluated.ok()) return evaluated.error();
    Value::Map args = WithDefaults(*evaluated, schema);
    bool known = true;
    for (const auto& [name, v] : args) known = known && v.is_wholly_known();
    for (const auto& d : r.depends_on)
      if (auto a = planned_.find(d); a != planned_.end() && a->second != Action::kNoOp && !IsDataAddress(d))
        known = false;
    if (!known) {
      c->action = Action::kRead;
      c->after = PlannedForCreate(args, schema);
    } else if (!req_.refresh && s) {
      c->after = c->before;
    } else {
      provider::DataSourceType* type = req_.provider->FindData(r.type);
      provider::OperationContext ctx;
      ctx.stack = req_.stack;
      ctx.address = r.address;
      ctx.region = r.region;
      nlohmann::json query = ProviderDesired(args, schema);
      auto pre = pre_read_.find(r.address);
      auto got = pre != pre_read_.end() && pre->second.args == query ? pre->second.got : ReadData(*type, ctx, query);
      if (!got.ok()) {
        Error e = got.error();
        e.message = fmt::format("{}{}: reading the data source failed: {}", r.location.empty() ? "" : r.location + ": ",
                                r.address, e.message);
        return e;
      }
      c->after = AttributesToValues(*got, schema, {});
      ShareSensitivity(&c->before, &c->after);
      bool same = s && ValuesToAttributes(c->before) == ValuesToAttributes(c->after);
      c->action = same ? Action::kNoOp : Action::kRead;
    }
    if (c->action == Action::kRead) c->id = c->after.count("id") && c->after.at("id").is_wholly_known()
                                                ? c->after.at("id").ToInterpolated() : c->id;
    known_[r.address] = Value::MakeMap(c->after);
    return {};
  }

  // The type's conditional replacement (OpenTofu's RequiresReplace) over the
  // attributes that changed: the type names paths, the core decides. Only
  // attributes whose desired value is known are shown to the type.
  void AddRequiredReplacements(const std::string& type, const Value::Map& prior, const Value::Map& desired,
                               AttributeDiff* diff) const {
    if (diff->changed.empty()) return;
    const auto* t = req_.provider->Find(type);
    nlohmann::json wanted = nlohmann::json::object();
    for (const auto& [k, v] : desired)
      if (v.is_wholly_known()) wanted[k] = v.ToJson();
    for (const auto& name : t->RequiresReplace(ValuesToAttributes(prior), wanted)) {
      bool changed = std::find(diff->changed.begin(), diff->changed.end(), name) != diff->changed.end();
      bool listed = std::find(diff->force_new.begin(), diff->force_new.end(), name) != diff->force_new.end();
      if (changed && !listed) diff->force_new.push_back(name);
    }
  }

  // Computed attributes the type can tell from configuration (an ARN from a
  // name) replace their "(known after apply)" in a create's planned values.
  void FillPlanKnown(const ConfigResource& r, const Value::Map& desired, const provider::ResourceSchema& schema,
                     Value::Map* after) const {
    const auto* t = req_.provider->Find(r.type);
    provider::OperationContext ctx;
    ctx.stack = req_.stack;
    ctx.address = r.address;
    ctx.region = r.region;
    nlohmann::json known = t->PlanKnown(ctx, ProviderDesired(desired, schema));
    if (!known.is_object()) return;
    for (auto kv = known.begin(); kv != known.end(); ++kv) {
      auto it = after->find(kv.key());
      const auto* a = schema.Find(kv.key());
      if (it == after->end() || it->second.is_wholly_known() || kv.value().is_null()) continue;
      Value v = Value::FromJson(kv.value());
      it->second = a && a->sensitive ? v.WithSensitive() : v;
    }
  }

  ResourceChange Base(const std::string& address, const std::string& type, const std::string& alias,
                      const std::string& region, const StateResource* s) {
    ResourceChange c;
    c.address = address;
    c.type = type;
    c.region_alias = alias;
    c.region = region;
    if (s) c.id = s->id;
    if (auto m = moved_from_.find(address); m != moved_from_.end() && s) c.moved_from = m->second;
    if (auto i = imported_.find(address); i != imported_.end() && s) c.imported_id = i->second;
    return c;
  }

  // As Terraform: create_before_destroy is inherited by everything a
  // resource with it depends on. Replacing a dependency delete-then-create
  // would have to delete it while the dependent's old object still uses it,
  // and that old object must outlive the dependent's new one: a cycle.
  std::unordered_set<std::string> InheritedCreateBeforeDestroy() const {
    std::unordered_map<std::string, size_t> index;
    for (size_t i = 0; i < req_.resources.size(); ++i) index[req_.resources[i].address] = i;
    Adjacency deps = DependsOnEdges(req_.resources, index);
    std::vector<size_t> with_cbd;
    for (size_t i = 0; i < req_.resources.size(); ++i)
      if (req_.resources[i].lifecycle.create_before_destroy) with_cbd.push_back(i);
    std::unordered_set<std::string> out;
    for (size_t n : Reachable(deps, with_cbd)) out.insert(req_.resources[n].address);
    return out;
  }

  Result<provider::Attributes> ReadData(provider::DataSourceType& type, const provider::OperationContext& ctx,
                                        const nlohmann::json& query) const {
    return req_.data_reads ? req_.data_reads->Read(type, ctx, query) : type.Read(ctx, query);
  }

  // Data sources whose arguments need nothing from resources or other data
  // sources (and that depend on nothing) are read before the walk, up to 8
  // at once, instead of one after another as the walk meets them. PlanData
  // uses a result when the arguments it evaluates are the ones read.
  void PreReadData() {
    if (!req_.refresh) return;
    struct Job {
      const ConfigResource* r;
      provider::DataSourceType* type;
      PreRead read;
    };
    std::vector<Job> jobs;
    for (const auto& r : req_.resources) {
      if (!r.data || !r.depends_on.empty() || !scope_.Contains(r.address, r.region_alias)) continue;
      const auto* schema = SchemaFor(*req_.provider, r.type, r.address);
      provider::DataSourceType* type = req_.provider->FindData(r.type);
      if (!schema || !type) continue;
      auto evaluated = req_.evaluate(r, KnownValues{});
      if (!evaluated.ok()) continue;  // reported by the walk
      Value::Map args = WithDefaults(*evaluated, *schema);
      bool known = true;
      for (const auto& [name, v] : args) known = known && v.is_wholly_known();
      if (known) jobs.push_back(Job{&r, type, PreRead{ProviderDesired(args, *schema)}});
    }
    if (jobs.size() < 2) return;  // nothing to overlap
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i = next++; i < jobs.size(); i = next++) {
        provider::OperationContext ctx;
        ctx.stack = req_.stack;
        ctx.address = jobs[i].r->address;
        ctx.region = jobs[i].r->region;
        jobs[i].read.got = ReadData(*jobs[i].type, ctx, jobs[i].read.args);
      }
    };
    std::vector<std::thread> threads;
    for (size_t i = 1; i < std::min<size_t>(8, jobs.size()); ++i) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();
    for (auto& j : jobs) pre_read_.emplace(j.r->address, std::move(j.read));
  }

  Status PlanNormal() {
    PreReadData();
    std::vector<ConfigResource> ordered = TopologicalOrder(req_.resources);
    std::set<std::string> replace(req_.replace.begin(), req_.replace.end());
    std::unordered_set<std::string> inherited = InheritedCreateBeforeDestroy();
    for (const auto& r : ordered) {
      std::string err;
      const auto* schema = SchemaOf(r.type, r.address, &err);
      if (!schema) return MakeError(Error::Kind::kInvalid, "UnknownType", err);
      auto sit = in_state_.find(r.address);
      const StateResource* s = sit == in_state_.end() ? nullptr : sit->second;
      Current cur = Observe(s, refreshed_, *schema);
      ResourceChange c = Base(r.address, r.type, r.region_alias, r.region, s);
      c.depends_on = r.depends_on;
      c.create_before_destroy = r.lifecycle.create_before_destroy || inherited.count(r.address) > 0;
      c.drift = cur.drift;
      if (cur.prior) c.before = *cur.prior;
      if (!scope_.Contains(r.address, r.region_alias)) {
        c.after = c.before;
        if (cur.prior) known_[r.address] = Value::MakeMap(*cur.prior);
        plan_->changes.push_back(std::move(c));
        continue;
      }
      if (r.data) {
        if (Status st = PlanData(r, *schema, s, &c); !st.ok()) return st;
        plan_->changes.push_back(std::move(c));
        continue;
      }
      auto evaluated = req_.evaluate(r, known_);
      if (!evaluated.ok()) return evaluated.error();
      Value::Map desired = WithDefaults(*evaluated, *schema);
      AttributeDiff diff;
      if (cur.prior) {
        diff = DiffAttributes(*cur.prior, desired, *schema, r.lifecycle);
        AddRequiredReplacements(r.type, *cur.prior, desired, &diff);
      }
      bool by_request = replace.count(r.address) > 0;
      c.action = DecideAction(cur.prior.has_value(), true, by_request || !diff.force_new.empty(), !diff.changed.empty(),
                              c.create_before_destroy);
      if (c.action == Action::kCreate && cur.drift && cur.drift->deleted)
        c.reason = ActionReason::kCreateBecauseDeletedOutside;
      if (c.action == Action::kDeleteThenCreate || c.action == Action::kCreateThenDelete) {
        c.reason = by_request && diff.force_new.empty() ? ActionReason::kReplaceByRequest
                                                        : ActionReason::kReplaceBecauseCannotUpdate;
        c.replace_paths = diff.force_new;
      }
      if (ActionCreates(c.action)) {
        c.after = PlannedForCreate(desired, *schema);
        FillPlanKnown(r, desired, *schema, &c.after);
      }
      else if (c.action == Action::kUpdate)
        c.after = PlannedForUpdate(*cur.prior, desired, diff);
      else
        c.after = c.before;
      known_[r.address] = Value::MakeMap(c.after);
      planned_[r.address] = c.action;
      plan_->changes.push_back(std::move(c));
    }
    for (const auto& s : req_.state->resources) {
      if (in_config_.count(s.address)) continue;
      std::string err;
      const auto* schema = SchemaOf(s.type, s.address, &err);
      if (!schema) return MakeError(Error::Kind::kInvalid, "UnknownType", err);
      Current cur = Observe(&s, refreshed_, *schema);
      ResourceChange c = Base(s.address, s.type, s.region_alias, s.region, &s);
      c.depends_on = s.depends_on;
      c.drift = cur.drift;
      if (cur.prior) c.before = *cur.prior;
      bool act = scope_.Contains(s.address, s.region_alias) && (cur.prior.has_value() || Removed(s.address));
      c.action = act ? DecideAction(true, false, false, false, false) : Action::kNoOp;
      if (act) c.reason = Removed(s.address) ? ActionReason::kForgetBecauseRemoved : ActionReason::kDeleteBecauseNoConfig;
      if (!act) c.after = c.before;
      plan_->changes.push_back(std::move(c));
    }
    return {};
  }

  // Destroy and refresh-only plans are about what state holds.
  Status PlanFromState() {
    for (const auto& s : req_.state->resources) {
      std::string err;
      const auto* schema = SchemaOf(s.type, s.address, &err);
      if (!schema) return MakeError(Error::Kind::kInvalid, "UnknownType", err);
      Current cur = Observe(&s, refreshed_, *schema);
      ResourceChange c = Base(s.address, s.type, s.region_alias, s.region, &s);
      c.depends_on = s.depends_on;
      c.drift = cur.drift;
      c.before = cur.prior ? *cur.prior : (cur.drift ? cur.drift->before : Value::Map{});
      bool in_scope = scope_.Contains(s.address, s.region_alias);
      if (req_.mode == PlanMode::kDestroy) {
        MarkSecretsAsConfigured(s.address, &c.before);
        c.action = in_scope ? Action::kDelete : Action::kNoOp;
        if (in_scope) c.reason = ActionReason::kDeleteBecauseDestroy;
        if (!in_scope) c.after = c.before;
      } else {
        c.action = in_scope && cur.drift ? Action::kRead : Action::kNoOp;
        c.after = cur.prior ? *cur.prior : Value::Map{};
      }
      plan_->changes.push_back(std::move(c));
    }
    return {};
  }

  // A destroy plan has no "after" to share secrecy with: what the stack
  // now declares secret (a variable made sensitive since the apply) is
  // hidden in the old values too. Evaluation problems only lose the marks.
  void MarkSecretsAsConfigured(const std::string& address, Value::Map* before) const {
    auto it = in_config_.find(address);
    if (it == in_config_.end() || !req_.evaluate) return;
    auto desired = req_.evaluate(*it->second, known_);
    if (desired.ok()) ShareSensitivity(before, &*desired);
  }

  // Outputs after the resources: normal plans evaluate them against the
  // planned values (unknowns flow in), refresh-only against what refresh
  // read (a value refresh cannot know is left as it is), destroy drops them.
  Status PlanOutputs() {
    if (req_.mode == PlanMode::kDestroy) {
      KnownValues surviving;
      for (const auto& c : plan_->changes)
        if (c.action == Action::kNoOp && c.deposed.empty()) surviving[c.address] = Value::MakeMap(c.before);
      auto changes = DestroyOutputChanges(req_.state->outputs, req_.evaluate_outputs, surviving,
                                          scope_.all && req_.only_region.empty());
      if (!changes.ok()) return changes.error();
      plan_->output_changes = std::move(*changes);
      return {};
    }
    if (!req_.evaluate_outputs) return {};
    KnownValues refreshed;
    if (req_.mode == PlanMode::kRefreshOnly)
      for (const auto& c : plan_->changes)
        if (in_config_.count(c.address) && !(c.drift && c.drift->deleted))
          refreshed[c.address] = Value::MakeMap(c.after);
    auto after = req_.evaluate_outputs(req_.mode == PlanMode::kRefreshOnly ? refreshed : known_);
    if (!after.ok()) return after.error();
    plan_->output_changes = DiffOutputs(req_.state->outputs, *after);
    if (req_.mode == PlanMode::kRefreshOnly)
      for (auto& o : plan_->output_changes)
        if (o.action != Action::kDelete && !o.after.is_wholly_known()) {
          o.action = Action::kNoOp;
          o.after = o.before;
        }
    return {};
  }

  // Deposed objects (old objects of an interrupted create_before_destroy
  // replacement, docs/state.md) are destroyed by every normal or destroy
  // plan, as Terraform does; they are not refreshed (deleting one that is
  // already gone succeeds) and a refresh-only plan leaves them alone.
  Status PlanDeposed() {
    for (const auto& s : req_.state->deposed) {
      std::string err;
      const auto* schema = SchemaOf(s.type, s.address, &err);
      if (!schema) return MakeError(Error::Kind::kInvalid, "UnknownType", err);
      ResourceChange c = Base(s.address, s.type, s.region_alias, s.region, &s);
      c.deposed = s.deposed;
      c.depends_on = s.depends_on;
      c.before = AttributesToValues(s.attributes, *schema, s.sensitive_attributes);
      bool act = req_.mode != PlanMode::kRefreshOnly && scope_.Contains(s.address, s.region_alias);
      c.action = act ? Action::kDelete : Action::kNoOp;
      if (act && req_.mode == PlanMode::kDestroy) c.reason = ActionReason::kDeleteBecauseDestroy;
      if (!act) c.after = c.before;
      plan_->changes.push_back(std::move(c));
    }
    return {};
  }

  Status CheckPreventDestroy() {
    std::vector<std::string> problems;
    for (const auto& c : plan_->changes) {
      // A deposed object is no longer the resource prevent_destroy protects.
      if (!ActionDeletes(c.action) || !c.deposed.empty()) continue;
      auto it = in_config_.find(c.address);
      if (it == in_config_.end() || !it->second->lifecycle.prevent_destroy) continue;
      problems.push_back(PreventDestroyMessage(*it->second, c));
    }
    if (problems.empty()) return {};
    std::string msg;
    for (const auto& p : problems) msg += (msg.empty() ? "" : "\n") + p;
    return MakeError(Error::Kind::kInvalid, "PreventDestroy", msg);
  }

  bool Removed(const std::string& address) const {
    return std::any_of(req_.removed.begin(), req_.removed.end(),
                       [&](const RemovedDecl& r) { return AddressUnder(address, r.from); });
  }

  const PlanRequest& req_;
  Plan* plan_;
  std::map<std::string, std::string> moved_from_;  // new address -> the one state recorded
  std::map<std::string, std::string> imported_;    // address -> id read for `import:`
  std::unordered_map<std::string, const StateResource*> in_state_;
  std::unordered_map<std::string, const ConfigResource*> in_config_;
  RefreshResult refreshed_;
  Scope scope_;
  KnownValues known_;
  /// Data sources read before the walk, side by side (PreReadData).
  struct PreRead {
    nlohmann::json args;
    Result<provider::Attributes> got = provider::Attributes{};
  };
  std::unordered_map<std::string, PreRead> pre_read_;
  std::unordered_map<std::string, Action> planned_;  // address -> its action, as planned so far
};

}  // namespace

std::vector<ConfigResource> TopologicalOrder(std::vector<ConfigResource> resources) {
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < resources.size(); ++i) index[resources[i].address] = i;
  // A cycle (validation reports it) leaves nodes behind; they come last.
  std::vector<ConfigResource> out;
  out.reserve(resources.size());
  for (size_t i : StableTopologicalOrder(DependsOnEdges(resources, index))) out.push_back(std::move(resources[i]));
  return out;
}

// `import:` entries whose address state does not hold yet: each object is
// read by its id (Read, never Import: a plan writes nothing, not even tags)
// and added to `state` as if recorded, so the planner diffs it like any
// other; `imported` says which addresses came in this way.
static Status ReadImports(const PlanRequest& request, StateSnapshot* state, std::map<std::string, std::string>* imported) {
  std::set<std::string> held;
  for (const auto& s : state->resources) held.insert(s.address);
  for (const auto& imp : request.imports) {
    if (held.count(imp.to)) continue;  // already managed: the entry has done its work
    auto cfg = std::find_if(request.resources.begin(), request.resources.end(),
                            [&](const ConfigResource& r) { return r.address == imp.to; });
    if (cfg == request.resources.end()) continue;  // outside this plan (the stack checked the address)
    if (!request.only_region.empty() && cfg->region_alias != request.only_region) continue;
    provider::ResourceType* type = request.provider->Find(cfg->type);
    if (!type)
      return MakeError(Error::Kind::kInvalid, "UnknownType",
                       fmt::format("{}: import to {}: unknown resource type {}", imp.loc.ToString(), imp.to, cfg->type));
    auto got = type->Read(cfg->region, {imp.id});
    if (!got.ok()) {
      Error e = got.error();
      e.message = fmt::format("{}: import to {}: reading {} failed: {}", imp.loc.ToString(), imp.to, imp.id, e.message);
      return e;
    }
    auto it = got->find(imp.id);
    if (it == got->end())
      return MakeError(Error::Kind::kNotFound, "ImportNotFound",
                       fmt::format("{}: import to {}: no {} with id {} exists in {} ({}); check the id and the region",
                                   imp.loc.ToString(), imp.to, cfg->type, imp.id, cfg->region, cfg->region_alias));
    StateResource r;
    r.address = imp.to;
    r.type = cfg->type;
    r.region = cfg->region;
    r.region_alias = cfg->region_alias;
    r.id = it->second.value("id", imp.id);
    r.attributes = it->second;
    r.depends_on = cfg->depends_on;
    r.schema_version = type->schema().version;
    state->resources.push_back(std::move(r));
    (*imported)[imp.to] = imp.id;
  }
  return {};
}

Result<Plan> MakePlan(const PlanRequest& request, PlanStats* stats) {
  Plan plan;
  plan.stack = request.stack;
  plan.mode = request.mode;
  plan.state_lineage = request.state->lineage;
  plan.state_serial = request.state->serial;
  plan.regions = request.regions;
  plan.targets = request.targets;
  for (const auto& r : request.removed)
    for (const auto& c : request.resources)
      if (AddressUnder(c.address, r.from))
        return MakeError(Error::Kind::kInvalid, "RemovedStillDeclared",
                         fmt::format("{}: removed {}: {} is still declared in the stack{}; delete its declaration "
                                     "(infra then forgets it without destroying it)",
                                     r.loc.ToString(), r.from, c.address, c.location.empty() ? "" : " at " + c.location));
  if (request.moved.empty() && (request.imports.empty() || request.mode != PlanMode::kNormal)) {
    Planner planner(request, &plan);  // state as it is: no copy
    Status st = planner.Run(stats);
    if (!st.ok()) return st.error();
    return plan;
  }
  std::vector<std::string> declared;
  for (const auto& c : request.resources) declared.push_back(c.address);
  std::map<std::string, std::string> moved_from;
  auto moved_state = ApplyMoves(*request.state, request.moved, declared, &moved_from);
  if (!moved_state.ok()) return moved_state.error();
  std::map<std::string, std::string> imported;
  if (request.mode == PlanMode::kNormal) {
    auto st = ReadImports(request, &*moved_state, &imported);
    if (!st.ok()) return st.error();
  }
  PlanRequest adjusted = request;
  adjusted.state = &*moved_state;
  Planner planner(adjusted, &plan, std::move(moved_from), std::move(imported));
  Status st = planner.Run(stats);
  if (!st.ok()) return st.error();
  return plan;
}

}  // namespace infra::engine

// Recovery of unresolved journal entries, one at a time, oldest first. Each
// resolution is durable with the state change it implies (same transaction).
#include "engine/apply/recovery.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/log.h"
#include "providers/provider.h"

namespace infra::engine {
namespace {

const StateResource* FindState(const StateSnapshot& state, const std::string& address) {
  for (const auto& r : state.resources)
    if (r.address == address) return &r;
  return nullptr;
}

const StateResource* FindDeposed(const StateSnapshot& state, const std::string& address, const std::string& id) {
  for (const auto& r : state.deposed)
    if (r.address == address && r.id == id) return &r;
  return nullptr;
}

StateResource Record(const PendingIntent& e, const nlohmann::json& attributes, const StateResource* old,
                     const std::unordered_map<std::string, ConfigResource>& config) {
  StateResource s;
  s.address = e.address;
  s.type = e.type;
  s.region = e.region;
  s.attributes = attributes;
  if (attributes.contains("id") && attributes["id"].is_string()) s.id = attributes["id"].get<std::string>();
  if (old) {
    s.region_alias = old->region_alias;
    s.depends_on = old->depends_on;
    s.sensitive_attributes = old->sensitive_attributes;
  }
  auto c = config.find(e.address);
  if (c != config.end()) {
    s.region_alias = c->second.region_alias;
    s.depends_on = c->second.depends_on;
  }
  return s;
}

class Reconciler {
 public:
  Reconciler(StatePort& port, const provider::Provider& provider, const std::string& stack,
             const StateSnapshot& state, const std::unordered_map<std::string, ConfigResource>& config)
      : port_(port), provider_(provider), stack_(stack), state_(state), config_(config) {}

  Status One(const PendingIntent& e, RecoveryReport* rep) {
    auto* type = provider_.Find(e.type);
    if (!type) return port_.Resolve(e.id, "unknown type " + e.type);
    provider::OperationContext ctx{stack_, e.address, e.region, e.token, nullptr};
    const StateResource* old = FindState(state_, e.address);
    if (e.operation == "create") return Create(e, *type, ctx, old, rep);
    std::string id = e.payload.is_object() ? e.payload.value("id", "") : "";
    if (id.empty() && old) id = old->id;
    if (id.empty()) return port_.Resolve(e.id, "nothing to reconcile (no id)");
    auto got = type->Read(e.region, {id});
    if (!got.ok()) return got.error();
    auto it = got->find(id);
    ++rep->refreshed;
    if (e.operation == "update") {
      if (it == got->end()) {
        rep->notes.push_back(fmt::format("{}: {} is gone; removed from state", e.address, id));
        return port_.RemoveResource(e.address, e.id);
      }
      rep->notes.push_back(fmt::format("{}: read back {} after an interrupted update", e.address, id));
      // What the API cannot read back (a password, a final snapshot name,
      // a replica's source_region) keeps what state recorded, as a
      // refresh does (planner.cpp Observe): dropping it would make the
      // next plan add it back, and a force-new one replace the object.
      nlohmann::json merged = old && old->attributes.is_object() ? old->attributes : nlohmann::json::object();
      for (auto kv = it->second.begin(); kv != it->second.end(); ++kv) merged[kv.key()] = kv.value();
      return port_.PutResource(Record(e, merged, old, config_), e.id);
    }
    // delete
    const StateResource* deposed = FindDeposed(state_, e.address, id);
    if (it == got->end()) {
      rep->notes.push_back(fmt::format("{}: {} was deleted", e.address, id));
      if (deposed) return port_.RemoveDeposed(e.address, deposed->deposed, e.id);
      if (old && old->id == id) return port_.RemoveResource(e.address, e.id);
      return port_.Resolve(e.id, "deleted " + id);
    }
    if (deposed) {
      rep->notes.push_back(
          fmt::format("{}: the deposed object {} still exists; the next apply destroys it", e.address, id));
      return port_.Resolve(e.id, "still exists (deposed): " + id);
    }
    if (old && old->id == id) return port_.Resolve(e.id, "still exists: " + id);
    // The old object of a create_before_destroy replacement that state no
    // longer holds (a journal from before deposed objects were recorded):
    // keep it as deposed, so the next plan shows its delete.
    StateResource d = Record(e, it->second, nullptr, config_);
    d.deposed = DeposedKey(id);
    rep->notes.push_back(fmt::format("{}: kept the replaced object {} as deposed; the next apply destroys it",
                                     e.address, id));
    return port_.PutResource(d, e.id);
  }

 private:
  Status Create(const PendingIntent& e, provider::ResourceType& type, const provider::OperationContext& ctx,
                const StateResource* old, RecoveryReport* rep) {
    // The object state holds (the old one of a create_before_destroy
    // replacement) and deposed ones carry the same infra:address tag: they
    // are not the object this create made.
    provider::OperationContext find = ctx;
    if (old && !old->id.empty()) find.exclude_ids.push_back(old->id);
    for (const auto& d : state_.deposed)
      if (d.address == e.address) find.exclude_ids.push_back(d.id);
    auto found = type.FindByAddress(find, e.payload.is_null() ? nlohmann::json::object() : e.payload);
    if (!found.ok()) return found.error();
    std::string found_id = *found && (**found).contains("id") && (**found)["id"].is_string()
                               ? (**found)["id"].get<std::string>()
                               : "";
    bool excluded = std::find(find.exclude_ids.begin(), find.exclude_ids.end(), found_id) != find.exclude_ids.end();
    if (!*found || excluded) {
      ++rep->absent;
      rep->notes.push_back(fmt::format("{}: the interrupted create did not happen", e.address));
      return port_.Resolve(e.id, "not found");
    }
    // What the API cannot read back (deletion_window_in_days, a final
    // snapshot name) is what the create sent: the journal's payload, as the
    // create's own result would have recorded it. Never a secret (state
    // keeps those sealed; the next plan sets them again).
    nlohmann::json attributes = **found;
    if (e.payload.is_object() && attributes.is_object())
      for (auto kv = e.payload.begin(); kv != e.payload.end(); ++kv) {
        const auto* a = type.schema().Find(kv.key());
        if (a && !a->sensitive && !kv.value().is_null() && !attributes.contains(kv.key()))
          attributes[kv.key()] = kv.value();
      }
    StateResource s = Record(e, attributes, old, config_);
    ++rep->adopted;
    rep->notes.push_back(fmt::format("{}: adopted {} created before the interruption", e.address, s.id));
    if (!old || old->id.empty() || old->id == s.id) return port_.PutResource(s, e.id);
    return AdoptReplacement(e, type, *old, s, rep);
  }

  // The interrupted create replaced `old` (create_before_destroy, or a
  // create after the old object vanished): record the new object and, in
  // the same transaction, keep the old one as deposed if it still exists.
  Status AdoptReplacement(const PendingIntent& e, provider::ResourceType& type, const StateResource& old,
                          const StateResource& adopted, RecoveryReport* rep) {
    auto got = type.Read(e.region, {old.id});
    if (!got.ok()) return got.error();
    if (got->find(old.id) == got->end()) return port_.PutResource(adopted, e.id);
    StateResource d = old;
    d.deposed = DeposedKey(old.id);
    rep->notes.push_back(fmt::format("{}: kept the replaced object {} as deposed; the next apply destroys it",
                                     e.address, old.id));
    return port_.PutResources({adopted, d}, e.id);
  }

  StatePort& port_;
  const provider::Provider& provider_;
  const std::string& stack_;
  const StateSnapshot& state_;
  const std::unordered_map<std::string, ConfigResource>& config_;
};

}  // namespace

Result<RecoveryReport> Reconcile(StatePort& port, const provider::Provider& provider, const std::string& stack,
                                 const StateSnapshot& state,
                                 const std::unordered_map<std::string, ConfigResource>& config) {
  auto entries = port.Unfinished();
  if (!entries.ok()) return entries.error();
  RecoveryReport rep;
  Reconciler r(port, provider, stack, state, config);
  for (const auto& e : *entries) {
    Status st = r.One(e, &rep);
    if (!st.ok()) {
      Error err = st.error();
      err.message = fmt::format("reconciling the interrupted {} of {}: {}", e.operation, e.address, err.message);
      return err;
    }
  }
  return rep;
}

}  // namespace infra::engine

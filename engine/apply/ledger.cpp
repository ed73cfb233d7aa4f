// Ledger records: journal rows around each call, resource rows after it,
// deposed rows for create_before_destroy. The port decides how each is made
// durable (engine/cli/store_port.h: one transaction per call).
#include "engine/apply/ledger.h"

#include "engine/plan/attribute_diff.h"
#include "engine/plan/plan_json.h"

namespace infra::engine {

Result<int64_t> Ledger::Intend(const ResourceChange& c, OpKind kind, const std::string& token,
                               const nlohmann::json& payload) {
  PendingIntent intent;
  intent.address = c.address;
  intent.type = c.type;
  intent.region = c.region;
  intent.operation = Verb(kind);
  intent.token = token;
  intent.payload = payload;
  return state_.RecordIntent(intent);
}

void Ledger::Outcome(int64_t intent, const Error* error) {
  (void)state_.RecordOutcome(intent, error == nullptr, error ? error->ToString() : "");
  if (error) (void)state_.Resolve(intent, "failed: " + error->code);
}

void Ledger::NotStarted(int64_t intent, bool record_outcome) {
  if (record_outcome) {
    (void)state_.RecordOutcome(intent, false, "not started: interrupted");
    (void)state_.Resolve(intent, "not started");
  } else {
    (void)state_.Resolve(intent, "not started: interrupted");
  }
}

Status Ledger::Save(const ResourceChange& c, OpKind kind, const nlohmann::json& attributes,
                    const std::vector<std::string>& sensitive, bool keep_old_deposed, int64_t resolve_intent) {
  StateResource s;
  s.address = c.address;
  s.type = c.type;
  s.region = c.region;
  s.region_alias = c.region_alias;
  s.attributes = attributes.is_object() ? attributes : nlohmann::json::object();
  if (s.attributes.contains("id") && s.attributes["id"].is_string()) s.id = s.attributes["id"].get<std::string>();
  s.depends_on = c.depends_on;
  s.sensitive_attributes = sensitive;
  if (const StateResource* old = Recorded(c.address); old && kind == OpKind::kRead)
    s.sensitive_attributes = old->sensitive_attributes;
  // Whatever happens before the old object's delete, state still knows it.
  if (keep_old_deposed)
    if (auto old = OldObject(c); old && old->id != s.id) return state_.PutResources({s, *old}, resolve_intent);
  return state_.PutResource(s, resolve_intent);
}

Status Ledger::Forget(const ResourceChange& c, bool deposed, int64_t intent) {
  if (!deposed) return state_.RemoveResource(c.address, intent);
  std::string key = c.deposed.empty() ? DeposedKey(c.id) : c.deposed;
  return state_.RemoveDeposed(c.address, key, intent);
}

nlohmann::json Ledger::Prior(const ResourceChange& c, bool deposed) {
  if (const StateResource* old = RecordedDeposed(c.address, c.deposed)) return old->attributes;
  const StateResource* recorded = Recorded(c.address);
  return deposed || !recorded ? ValuesToAttributes(c.before) : recorded->attributes;
}

const StateResource* Ledger::Recorded(const std::string& address) {
  if (!recorded_state_) return nullptr;
  if (recorded_.empty())
    for (const auto& r : recorded_state_->resources) recorded_[r.address] = &r;
  auto it = recorded_.find(address);
  return it == recorded_.end() ? nullptr : it->second;
}

const StateResource* Ledger::RecordedDeposed(const std::string& address, const std::string& key) const {
  if (!recorded_state_ || key.empty()) return nullptr;
  for (const auto& r : recorded_state_->deposed)
    if (r.address == address && r.deposed == key) return &r;
  return nullptr;
}

// The object a create_before_destroy replaces, as a deposed record: from
// state when it is the planned one, else from the plan's before values.
std::optional<StateResource> Ledger::OldObject(const ResourceChange& c) {
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

}  // namespace infra::engine

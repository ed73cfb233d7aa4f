// StorePort: conversions between engine records and state rows.
#include "engine/cli/store_port.h"

#include <fmt/format.h>

#include <algorithm>

#include "engine/lang/expr_functions.h"
#include "engine/plan/schema_lookup.h"
#include "providers/provider.h"
#include "state/journal.h"
#include "state/store.h"

namespace infra::engine {

namespace {

state::ResourceRecord ToRecord(const StateResource& r, const provider::Provider& provider) {
  state::ResourceRecord rec;
  rec.address = r.address;
  rec.deposed = r.deposed;
  rec.type = r.type;
  rec.region = r.region;
  rec.region_alias = r.region_alias;
  rec.id = r.id;
  rec.attributes = r.attributes;
  rec.dependencies = r.depends_on;
  rec.sensitive_attributes = r.sensitive_attributes;
  rec.schema_version = r.schema_version;
  const provider::ResourceSchema* schema = SchemaFor(provider, r.type, r.address);
  if (schema) rec.schema_version = schema->version;
  if (schema)
    for (const auto& a : schema->attributes)
      if (a.sensitive && r.attributes.contains(a.name)) rec.sensitive_attributes.push_back(a.name);
  std::sort(rec.sensitive_attributes.begin(), rec.sensitive_attributes.end());
  rec.sensitive_attributes.erase(std::unique(rec.sensitive_attributes.begin(), rec.sensitive_attributes.end()),
                                 rec.sensitive_attributes.end());
  return rec;
}
}  // namespace

Status UpgradeStored(const provider::Provider& provider, const std::string& state_path, StateResource* r) {
  if (IsDataAddress(r->address)) return {};  // a data source's last result: read again by every plan
  const auto* type = provider.Find(r->type);
  if (!type) return {};  // the planner names an unknown type with its address
  int current = type->schema().version;
  if (r->schema_version == current) return {};
  if (r->schema_version > current)
    return MakeError(Error::Kind::kInvalid, "StateTooNew",
                     fmt::format("{}: {} was recorded under schema version {} of {}, but this infra knows only "
                                 "version {}: it was written by a newer infra. Upgrade infra; the state file {} "
                                 "was not changed.",
                                 state_path, r->address, r->schema_version, r->type, current, state_path));
  auto upgraded = type->UpgradeState(r->schema_version, r->attributes);
  if (!upgraded.ok())
    return MakeError(Error::Kind::kInvalid, "StateUpgradeFailed",
                     fmt::format("{}: {}: cannot upgrade its attributes from schema version {} to {} of {}: {}",
                                 state_path, r->address, r->schema_version, current, r->type,
                                 upgraded.error().message));
  r->attributes = std::move(*upgraded);
  r->schema_version = current;
  return {};
}

Status StorePort::PutResource(const StateResource& r, int64_t resolve_intent) {
  return store_.PutResource(ToRecord(r, provider_), resolve_intent);
}

Status StorePort::PutResources(const std::vector<StateResource>& resources, int64_t resolve_intent) {
  std::vector<state::ResourceRecord> recs;
  for (const auto& r : resources) recs.push_back(ToRecord(r, provider_));
  return store_.PutResources(recs, resolve_intent);
}

Status StorePort::RemoveResource(const std::string& address, int64_t resolve_intent) {
  return store_.DeleteResource(address, resolve_intent);
}

Status StorePort::RemoveDeposed(const std::string& address, const std::string& key, int64_t resolve_intent) {
  return store_.DeleteResource(address, resolve_intent, key);
}

Result<int64_t> StorePort::RecordIntent(const PendingIntent& intent) {
  state::JournalIntent j;
  j.address = intent.address;
  j.operation = intent.operation;
  j.token = intent.token;
  j.type = intent.type;
  j.region = intent.region;
  j.payload = intent.payload;
  if (journal_) return journal_->RecordIntent(j);
  return state::Journal(store_).RecordIntent(j);
}

Status StorePort::RecordOutcome(int64_t intent_id, bool succeeded, const std::string& detail) {
  if (journal_) return journal_->RecordOutcome(intent_id, succeeded, "", detail);
  return state::Journal(store_).RecordOutcome(intent_id, succeeded, "", detail);
}

Result<std::vector<PendingIntent>> StorePort::Unfinished() {
  auto entries = journal_ ? journal_->Unfinished() : state::Journal(store_).Unfinished();
  if (!entries.ok()) return entries.error();
  std::vector<PendingIntent> out;
  for (const auto& e : *entries) {
    PendingIntent p;
    p.id = e.id;
    p.address = e.address;
    p.type = e.type;
    p.region = e.region;
    p.operation = e.operation;
    p.token = e.token;
    p.payload = e.payload;
    out.push_back(std::move(p));
  }
  return out;
}

Status StorePort::Resolve(int64_t intent_id, const std::string& resolution) {
  if (journal_) return journal_->Resolve(intent_id, resolution);
  return state::Journal(store_).Resolve(intent_id, resolution);
}

Status StorePort::PutOutputs(const std::map<std::string, Value>& outputs) {
  std::vector<state::OutputRecord> recs;
  for (const auto& [name, v] : outputs) {
    state::OutputRecord r;
    r.name = name;
    r.value = v.ToJson();
    r.sensitive = ContainsSensitive(v);  // a secret nested in a map encrypts the whole output
    recs.push_back(std::move(r));
  }
  return store_.ReplaceOutputs(recs);
}

Result<StateSnapshot> LoadSnapshot(state::StateStore& store, const provider::Provider* provider) {
  auto rows = store.LoadResources();
  if (!rows.ok()) return rows.error();
  StateSnapshot s;
  s.lineage = store.lineage();
  s.serial = store.serial();
  s.resources.reserve(rows->size());
  for (auto& r : *rows) {
    StateResource x;
    x.address = std::move(r.address);
    x.type = std::move(r.type);
    x.region = std::move(r.region);
    x.region_alias = std::move(r.region_alias);
    x.id = std::move(r.id);
    x.attributes = std::move(r.attributes);
    x.depends_on = std::move(r.dependencies);
    x.sensitive_attributes = std::move(r.sensitive_attributes);
    x.deposed = std::move(r.deposed);
    x.schema_version = r.schema_version;
    if (provider)
      if (Status st = UpgradeStored(*provider, store.path(), &x); !st.ok()) return st.error();
    if (!x.deposed.empty()) {
      s.deposed.push_back(std::move(x));
      continue;
    }
    s.resources.push_back(std::move(x));
  }
  auto outputs = store.LoadOutputs();
  if (!outputs.ok()) return outputs.error();
  for (const auto& o : *outputs) s.outputs[o.name] = Value::FromJson(o.value).WithSensitive(o.sensitive);
  return s;
}

}  // namespace infra::engine

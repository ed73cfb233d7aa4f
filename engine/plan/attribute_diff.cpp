// Schema-driven attribute comparison. The lenient equality is deliberate:
// AWS returns numbers and booleans in whatever form its protocol uses, and
// an unchanged stack must plan as no changes.
#include "engine/plan/attribute_diff.h"

#include <algorithm>

#include "engine/lang/attribute_checks.h"

namespace infra::engine {
namespace {
using provider::AttrMode;
using provider::ResourceSchema;

bool IsEmptyish(const Value& v) {
  if (v.is_null()) return true;
  if (v.kind() == ValueKind::kList) return v.AsList().empty();
  if (v.kind() == ValueKind::kMap) return v.AsMap().empty();
  if (v.kind() == ValueKind::kString) return false;
  return false;
}

bool IsScalar(const Value& v) {
  return v.kind() == ValueKind::kBool || v.kind() == ValueKind::kNumber || v.kind() == ValueKind::kString;
}

Value Lookup(const Value::Map& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? Value() : it->second;
}

// The attribute's own equality rule (JSON document, case-insensitive, set,
// nested block) where it has one; the engine's lenient equality otherwise.
bool SameUnder(const provider::AttributeSchema& a, const Value& x, const Value& y) {
  bool plain = a.equality == provider::Equality::kExact && a.block.empty() &&
               a.type != provider::AttrType::kSetString;
  if (plain || !x.is_wholly_known() || !y.is_wholly_known()) return Equivalent(x, y);
  return provider::SameValue(a, x.ToJson(), y.ToJson());
}
}  // namespace

bool Equivalent(const Value& a, const Value& b) {
  if (a.is_unknown() || b.is_unknown()) return false;
  if (IsEmptyish(a) && IsEmptyish(b)) return true;
  if (IsScalar(a) && IsScalar(b)) return a.ToInterpolated() == b.ToInterpolated();
  if (a.kind() != b.kind()) return false;
  if (a.kind() == ValueKind::kList) {
    const auto& x = a.AsList();
    const auto& y = b.AsList();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i)
      if (!Equivalent(x[i], y[i])) return false;
    return true;
  }
  if (a.kind() == ValueKind::kMap) {
    const auto& x = a.AsMap();
    const auto& y = b.AsMap();
    for (const auto& [k, v] : x)
      if (!Equivalent(v, Lookup(y, k))) return false;
    for (const auto& [k, v] : y)
      if (!x.count(k) && !v.is_null()) return false;
    return true;
  }
  return a == b;
}

Value::Map AttributesToValues(const nlohmann::json& attributes, const ResourceSchema& schema) {
  Value::Map out;
  if (!attributes.is_object()) return out;
  for (auto it = attributes.begin(); it != attributes.end(); ++it) {
    Value v = Value::FromJson(it.value());
    const auto* a = schema.Find(it.key());
    if (a) v = MarkSensitive(*a, v);
    out.emplace(it.key(), std::move(v));
  }
  return out;
}

Value::Map AttributesToValues(const nlohmann::json& attributes, const ResourceSchema& schema,
                              const std::vector<std::string>& sensitive_names) {
  Value::Map out = AttributesToValues(attributes, schema);
  for (const auto& name : sensitive_names)
    if (auto it = out.find(name); it != out.end()) it->second = it->second.WithSensitive();
  return out;
}

nlohmann::json ValuesToAttributes(const Value::Map& values) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [k, v] : values) out[k] = v.ToJson();
  return out;
}

Value::Map WithDefaults(const Value::Map& desired, const ResourceSchema& schema) {
  Value::Map out = desired;
  for (const auto& a : schema.attributes) {
    auto it = out.find(a.name);
    bool unset = it == out.end() || it->second.is_null();
    if (unset && !a.default_value.is_null()) out[a.name] = Value::FromJson(a.default_value);
    it = out.find(a.name);
    if (it != out.end()) it->second = MarkSensitive(a, it->second);
  }
  return out;
}

nlohmann::json ProviderDesired(const Value::Map& desired, const ResourceSchema& schema) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [k, v] : desired) {
    const auto* a = schema.Find(k);
    if (!a || a->mode == AttrMode::kComputed || v.is_null() || !v.is_wholly_known()) continue;
    out[k] = v.ToJson();
  }
  return out;
}

bool IgnoresChanges(const Lifecycle& lifecycle, const std::string& name) {
  for (const auto& i : lifecycle.ignore_changes)
    if (i == name || i == "all") return true;
  return false;
}

Value::Map KeepIgnored(Value::Map desired, const Value::Map& prior, const provider::ResourceSchema& schema,
                       const Lifecycle& lifecycle) {
  for (const auto& a : schema.attributes) {
    if (!IgnoresChanges(lifecycle, a.name)) continue;
    auto p = prior.find(a.name);
    if (p == prior.end())
      desired.erase(a.name);
    else
      desired[a.name] = p->second;
  }
  return desired;
}

AttributeDiff DiffAttributes(const Value::Map& prior, const Value::Map& desired, const ResourceSchema& schema,
                             const Lifecycle& lifecycle) {
  AttributeDiff diff;
  for (const auto& a : schema.attributes) {
    if (a.mode == AttrMode::kComputed || IgnoresChanges(lifecycle, a.name)) continue;
    Value d = Lookup(desired, a.name);
    Value p = Lookup(prior, a.name);
    // Unset: optional+computed is AWS's choice; an unset scalar keeps what
    // AWS has unless the type says removing it clears it (unset_clears); an
    // unset list/map means "none" (e.g. all tags removed).
    if (d.is_null()) {
      bool collection = p.kind() == ValueKind::kList || p.kind() == ValueKind::kMap;
      if (a.mode == AttrMode::kOptionalComputed || !(collection || a.unset_clears)) continue;
    }
    if (SameUnder(a, d, p)) continue;
    diff.changed.push_back(a.name);
    if (a.force_new) diff.force_new.push_back(a.name);
  }
  return diff;
}

Value::Map PlannedForCreate(const Value::Map& desired, const ResourceSchema& schema) {
  Value::Map out;
  for (const auto& a : schema.attributes) {
    Value d = Lookup(desired, a.name);
    if (a.mode == AttrMode::kComputed || (a.mode == AttrMode::kOptionalComputed && d.is_null()))
      out[a.name] = a.sensitive ? Value::Unknown().WithSensitive() : Value::Unknown();
    else if (!d.is_null())
      out[a.name] = d;
  }
  out["id"] = Value::Unknown();
  return out;
}

Value::Map PlannedForUpdate(const Value::Map& prior, const Value::Map& desired, const AttributeDiff& diff) {
  Value::Map out = prior;
  for (const auto& name : diff.changed) {
    Value d = Lookup(desired, name);
    if (d.is_null())
      out.erase(name);
    else
      out[name] = d;
  }
  return out;
}

std::vector<std::string> DriftedAttributes(const Value::Map& recorded, const Value::Map& refreshed,
                                           const ResourceSchema& schema) {
  std::vector<std::string> out;
  for (const auto& a : schema.attributes) {
    if (a.mode == AttrMode::kComputed) continue;
    Value r = Lookup(recorded, a.name);
    Value f = Lookup(refreshed, a.name);
    if (!SameUnder(a, r, f)) out.push_back(a.name);
  }
  return out;
}

}  // namespace infra::engine

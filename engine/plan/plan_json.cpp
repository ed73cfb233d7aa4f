// Plan <-> JSON (docs/plan-json.md). Shapes follow OpenTofu's
// `show -json` where they overlap (actions, before/after, after_unknown,
// *_sensitive, replace_paths, action_reason, resource_drift).
#include "engine/plan/plan_json.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <nlohmann/json.hpp>

namespace infra::engine {
namespace {
using nlohmann::json;

// A value with unknown and sensitive parts replaced by null.
json Redacted(const Value& v) {
  if (v.sensitive() || v.is_unknown()) return nullptr;
  if (v.kind() == ValueKind::kList) {
    json arr = json::array();
    for (const auto& e : v.AsList()) arr.push_back(Redacted(e));
    return arr;
  }
  if (v.kind() == ValueKind::kMap) {
    json obj = json::object();
    for (const auto& [k, e] : v.AsMap()) obj[k] = Redacted(e);
    return obj;
  }
  return v.ToJson();
}

// Mirror with `true` where `leaf(v)` holds; false/absent elsewhere.
template <class Pred>
json Mirror(const Value& v, Pred leaf) {
  if (leaf(v)) return true;
  if (v.kind() == ValueKind::kList) {
    json arr = json::array();
    bool any = false;
    for (const auto& e : v.AsList()) {
      arr.push_back(Mirror(e, leaf));
      any = any || arr.back() != json(false);
    }
    return any ? arr : json(false);
  }
  if (v.kind() == ValueKind::kMap) {
    json obj = json::object();
    for (const auto& [k, e] : v.AsMap()) {
      json m = Mirror(e, leaf);
      if (m != json(false)) obj[k] = m;
    }
    return obj.empty() ? json(false) : obj;
  }
  return false;
}

json MapMirror(const Value::Map& values, json (*mirror)(const Value&)) {
  json obj = json::object();
  for (const auto& [k, v] : values) {
    json m = mirror(v);
    if (m != json(false)) obj[k] = m;
  }
  return obj;
}

Value Restore(const json& value, const json& unknown, const json& sensitive) {
  if (unknown == json(true)) return sensitive == json(true) ? Value::Unknown().WithSensitive() : Value::Unknown();
  if (sensitive == json(true)) return Value::Unknown().WithSensitive();  // re-evaluated at apply
  auto child = [](const json& m, const auto& key) -> json {
    if constexpr (std::is_integral_v<std::decay_t<decltype(key)>>) {
      if (m.is_array() && key < m.size()) return m[key];
    } else {
      if (m.is_object() && m.contains(key)) return m[key];
    }
    return false;
  };
  if (value.is_array()) {
    Value::List items;
    for (size_t i = 0; i < value.size(); ++i)
      items.push_back(Restore(value[i], child(unknown, i), child(sensitive, i)));
    return Value::MakeList(std::move(items));
  }
  if (value.is_object()) {
    Value::Map items;
    for (auto it = value.begin(); it != value.end(); ++it)
      items.emplace(it.key(), Restore(it.value(), child(unknown, it.key()), child(sensitive, it.key())));
    return Value::MakeMap(std::move(items));
  }
  return Value::FromJson(value);
}

json DriftToJson(const Drift& drift) {
  Drift d = drift;
  ShareSensitivity(&d.before, &d.after);
  return {{"deleted", d.deleted},
          {"before", ValuesToJson(d.before)},
          {"after", ValuesToJson(d.after)},
          {"before_sensitive", MapMirror(d.before, SensitiveMirror)},
          {"after_sensitive", MapMirror(d.after, SensitiveMirror)},
          {"changed", d.changed}};
}

Drift DriftFromJson(const json& j) {
  Drift d;
  d.deleted = j.value("deleted", false);
  d.before = ValuesFromJson(j.value("before", json::object()), json::object(), j.value("before_sensitive", json::object()));
  d.after = ValuesFromJson(j.value("after", json::object()), json::object(), j.value("after_sensitive", json::object()));
  d.changed = j.value("changed", std::vector<std::string>{});
  return d;
}

// Both sides share their secrecy (ShareSensitivity): the old value of an
// attribute that is secret now is never written either.
json ChangeToJson(const ResourceChange& original) {
  ResourceChange c = original;
  ShareSensitivity(&c.before, &c.after);
  json replace = json::array();
  for (const auto& p : c.replace_paths) replace.push_back(json::array({p}));
  json change = {{"actions", ActionNames(c.action)},
                 {"before", c.action == Action::kCreate ? json(nullptr) : ValuesToJson(c.before)},
                 {"after", c.action == Action::kDelete ? json(nullptr) : ValuesToJson(c.after)},
                 {"after_unknown", MapMirror(c.after, UnknownMirror)},
                 {"before_sensitive", MapMirror(c.before, SensitiveMirror)},
                 {"after_sensitive", MapMirror(c.after, SensitiveMirror)},
                 {"replace_paths", replace}};
  if (!c.imported_id.empty()) change["importing"] = {{"id", c.imported_id}};  // as Terraform's plan JSON
  json out = {{"address", c.address},       {"type", c.type},       {"region_alias", c.region_alias},
              {"region", c.region},         {"id", c.id},           {"depends_on", c.depends_on},
              {"create_before_destroy", c.create_before_destroy}, {"change", change}};
  if (c.reason != ActionReason::kNone) out["action_reason"] = std::string(ReasonName(c.reason));
  if (!c.deposed.empty()) out["deposed"] = c.deposed;
  if (!c.moved_from.empty()) out["previous_address"] = c.moved_from;
  if (c.drift) out["drift"] = DriftToJson(*c.drift);
  return out;
}

Result<ResourceChange> ChangeFromJson(const json& j) {
  if (!j.is_object() || !j.contains("address") || !j.contains("change"))
    return MakeError(Error::Kind::kInvalid, "PlanInvalid", "a resource change lacks address or change");
  ResourceChange c;
  c.address = j.value("address", "");
  c.type = j.value("type", "");
  c.region_alias = j.value("region_alias", "");
  c.region = j.value("region", "");
  c.id = j.value("id", "");
  c.depends_on = j.value("depends_on", std::vector<std::string>{});
  c.create_before_destroy = j.value("create_before_destroy", false);
  c.reason = ReasonFromName(j.value("action_reason", ""));
  c.deposed = j.value("deposed", "");
  c.moved_from = j.value("previous_address", "");
  const json& ch = j["change"];
  if (ch.is_object() && ch.contains("importing") && ch["importing"].is_object())
    c.imported_id = ch["importing"].value("id", "");
  c.action = ActionFromNames(ch.value("actions", std::vector<std::string>{"no-op"}));
  json before = ch.value("before", json::object());
  json after = ch.value("after", json::object());
  c.before = ValuesFromJson(before.is_null() ? json::object() : before, json::object(),
                            ch.value("before_sensitive", json::object()));
  c.after = ValuesFromJson(after.is_null() ? json::object() : after, ch.value("after_unknown", json::object()),
                           ch.value("after_sensitive", json::object()));
  for (const auto& p : ch.value("replace_paths", json::array()))
    if (p.is_array() && !p.empty() && p[0].is_string()) c.replace_paths.push_back(p[0].get<std::string>());
  if (j.contains("drift")) c.drift = DriftFromJson(j["drift"]);
  return c;
}
// Terraform's output_changes entry: a secret is null with *_sensitive true;
// an unknown is null with after_unknown true (or a mirror when partly so).
json OutputChangeToJson(const OutputChange& o) {
  auto side = [&](const Value& v, bool absent) -> json {
    if (absent || o.sensitive) return nullptr;
    return Redacted(v);
  };
  return {{"actions", ActionNames(o.action)},
          {"before", side(o.before, o.action == Action::kCreate)},
          {"after", side(o.after, o.action == Action::kDelete)},
          {"after_unknown", o.action == Action::kDelete ? json(false) : UnknownMirror(o.after)},
          {"before_sensitive", o.sensitive && o.action != Action::kCreate},
          {"after_sensitive", o.sensitive && o.action != Action::kDelete}};
}

OutputChange OutputChangeFromJson(const std::string& name, const json& j) {
  OutputChange o;
  o.name = name;
  o.action = ActionFromNames(j.value("actions", std::vector<std::string>{"no-op"}));
  json unknown = j.value("after_unknown", json(false));
  bool before_secret = j.value("before_sensitive", false), after_secret = j.value("after_sensitive", false);
  o.sensitive = before_secret || after_secret;
  if (o.action != Action::kCreate) o.before = Restore(j.value("before", json()), false, before_secret);
  if (o.action != Action::kDelete) o.after = Restore(j.value("after", json()), unknown, after_secret);
  return o;
}
}  // namespace

json ValuesToJson(const Value::Map& values) {
  json obj = json::object();
  for (const auto& [k, v] : values) obj[k] = Redacted(v);
  return obj;
}

json UnknownMirror(const Value& v) {
  return Mirror(v, [](const Value& x) { return x.is_unknown(); });
}

json SensitiveMirror(const Value& v) {
  return Mirror(v, [](const Value& x) { return x.sensitive(); });
}

Value::Map ValuesFromJson(const json& values, const json& unknown, const json& sensitive) {
  Value::Map out;
  if (values.is_object())
    for (auto it = values.begin(); it != values.end(); ++it) {
      json u = unknown.is_object() && unknown.contains(it.key()) ? unknown[it.key()] : json(false);
      json s = sensitive.is_object() && sensitive.contains(it.key()) ? sensitive[it.key()] : json(false);
      out.emplace(it.key(), Restore(it.value(), u, s));
    }
  // Unknown leaves whose value key was dropped still come back as unknown.
  if (unknown.is_object())
    for (auto it = unknown.begin(); it != unknown.end(); ++it)
      if (it.value() == json(true) && !out.count(it.key())) out.emplace(it.key(), Value::Unknown());
  return out;
}

json PlanToJson(const Plan& plan) {
  json changes = json::array();
  for (const auto& c : plan.changes) changes.push_back(ChangeToJson(c));
  json drift = json::array();
  for (const auto& c : plan.changes)
    if (c.drift) drift.push_back({{"address", c.address}, {"type", c.type}, {"region", c.region}, {"drift", DriftToJson(*c.drift)}});
  json outputs = json::object();
  for (const auto& o : plan.output_changes) outputs[o.name] = OutputChangeToJson(o);
  PlanSummary s = plan.Summary();
  return {{"format_version", kPlanFormatVersion},
          {"stack", plan.stack},
          {"mode", std::string(PlanModeName(plan.mode))},
          {"state", {{"lineage", plan.state_lineage}, {"serial", plan.state_serial}}},
          {"regions", plan.regions},
          {"targets", plan.targets},
          {"resource_changes", changes},
          {"resource_drift", drift},
          {"output_changes", outputs},
          {"summary", {{"add", s.add}, {"change", s.change}, {"destroy", s.destroy}, {"read", s.read}}},
          {"has_changes", plan.HasChanges()}};
}

// Throws json::type_error on a field of the wrong type (json::value does).
static Result<Plan> PlanFromJsonThrowing(const json& doc) {
  if (!doc.is_object() || !doc.contains("format_version") || !doc.contains("resource_changes"))
    return MakeError(Error::Kind::kInvalid, "PlanInvalid", "this file is not an infra plan (no format_version)");
  std::string version = doc.value("format_version", "");
  if (version != kPlanFormatVersion)
    return MakeError(Error::Kind::kInvalid, "PlanVersion",
                     fmt::format("the plan has format version {}, this infra reads version {}; make the plan again "
                                 "with this infra",
                                 version, kPlanFormatVersion));
  Plan plan;
  plan.stack = doc.value("stack", "");
  std::string mode = doc.value("mode", "normal");
  plan.mode = mode == "destroy" ? PlanMode::kDestroy : mode == "refresh-only" ? PlanMode::kRefreshOnly : PlanMode::kNormal;
  if (doc.contains("state")) {
    plan.state_lineage = doc["state"].value("lineage", "");
    plan.state_serial = doc["state"].value("serial", int64_t{0});
  }
  plan.regions = doc.value("regions", std::vector<std::string>{});
  plan.targets = doc.value("targets", std::vector<std::string>{});
  for (const auto& j : doc["resource_changes"]) {
    auto c = ChangeFromJson(j);
    if (!c.ok()) return c.error();
    plan.changes.push_back(std::move(*c));
  }
  const json outputs = doc.value("output_changes", json::object());
  if (!outputs.is_object())
    return MakeError(Error::Kind::kInvalid, "PlanInvalid", "output_changes is not an object");
  for (auto it = outputs.begin(); it != outputs.end(); ++it) {
    if (!it.value().is_object())
      return MakeError(Error::Kind::kInvalid, "PlanInvalid",
                       fmt::format("output change {} is not an object", it.key()));
    plan.output_changes.push_back(OutputChangeFromJson(it.key(), it.value()));
  }
  return plan;
}

Result<Plan> PlanFromJson(const json& doc) {
  try {
    return PlanFromJsonThrowing(doc);
  } catch (const json::exception& e) {  // e.g. "mode": 1 in a damaged or hand-edited file
    return MakeError(Error::Kind::kInvalid, "PlanInvalid", std::string("this file is not a valid infra plan: ") + e.what());
  }
}

namespace {
bool HoldsSecret(const Value& v) { return SensitiveMirror(v) != json(false); }

json SecretSide(const Value::Map& values) {
  json out = json::object();
  for (const auto& [k, v] : values)
    if (HoldsSecret(v) && v.is_wholly_known()) out[k] = v.ToJson();
  return out;
}

void RestoreSide(const json& secrets, Value::Map* values) {
  if (!secrets.is_object()) return;
  for (auto it = secrets.begin(); it != secrets.end(); ++it) {
    auto v = values->find(it.key());
    if (v != values->end() && HoldsSecret(v->second)) v->second = Value::FromJson(it.value()).WithSensitive();
  }
}
}  // namespace

json PlanSecrets(const Plan& plan) {
  json out = json::object();
  for (size_t i = 0; i < plan.changes.size(); ++i) {
    ResourceChange c = plan.changes[i];
    ShareSensitivity(&c.before, &c.after);
    json before = SecretSide(c.before), after = SecretSide(c.after);
    if (!before.empty() || !after.empty()) out[std::to_string(i)] = {{"before", before}, {"after", after}};
  }
  return out;
}

void RestorePlanSecrets(const json& secrets, Plan* plan) {
  if (!secrets.is_object()) return;
  for (size_t i = 0; i < plan->changes.size(); ++i) {
    auto it = secrets.find(std::to_string(i));
    if (it == secrets.end() || !it->is_object()) continue;
    RestoreSide(it->value("before", json::object()), &plan->changes[i].before);
    RestoreSide(it->value("after", json::object()), &plan->changes[i].after);
  }
}

std::string CanonicalPlanText(const json& doc) {
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string PlanDigest(const json& doc) {
  std::string text = CanonicalPlanText(doc);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), digest, &len, EVP_sha256(), nullptr);
  std::string out = "sha256:";
  for (unsigned int i = 0; i < len; ++i) out += fmt::format("{:02x}", digest[i]);
  return out;
}

}  // namespace infra::engine

// aws_route53_record: one record set, identified by (zone, name, type,
// set_identifier) as "<zone>_<name>_<type>[_<set>]" (Terraform's import
// form), names normalised so case, a trailing dot or "\052" never drift;
// ttl + records, or an alias; failover / weighted / latency routing with a
// health check. A change is one ChangeResourceRecordSets (CREATE, or UPSERT
// with allow_overwrite and for updates; DELETE with what was last sent),
// then GetChange until INSYNC through Poll. Refresh lists each zone once
// (ListResourceRecordSets, 300 a page) for all of its records.
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <set>

#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/route53/route53_service.h"
#include "providers/aws/route53/route53_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrMode;
using provider::Attributes;
using provider::AttrType;

const std::vector<std::string> kTypes = {"A", "AAAA", "CAA", "CNAME", "DS", "MX", "NAPTR", "NS",
                                         "PTR", "SOA", "SPF", "SRV", "TXT"};

kit::Spec RecordSpec() {
  auto s = route53::Schema("aws_route53_record", {
      Required("zone_id", kForceNew), Required("name", kForceNew), OneOf(Required("type", kForceNew), kTypes),
      Optional("set_identifier", kForceNew), Optional("ttl", kNone, AttrType::kNumber),
      Optional("records", kNone, AttrType::kSetString),
      Block("alias", AttrMode::kOptional,
            {Required("name"), Required("zone_id"), Required("evaluate_target_health", kNone, AttrType::kBool)}),
      Block("failover_routing_policy", AttrMode::kOptional, {OneOf(Required("type"), {"PRIMARY", "SECONDARY"})}),
      Block("weighted_routing_policy", AttrMode::kOptional, {Required("weight", kNone, AttrType::kNumber)}),
      Block("latency_routing_policy", AttrMode::kOptional, {Required("region")}),
      Optional("health_check_id"), Optional("allow_overwrite", kNone, AttrType::kBool, false), Computed("id"),
      Computed("fqdn")});
  s.taggable = false;
  s.checks = {{provider::SchemaCheck::Kind::kConflictsWith, {"alias", "records"}},
              {provider::SchemaCheck::Kind::kConflictsWith, {"alias", "ttl"}},
              {provider::SchemaCheck::Kind::kExactlyOneOf, {"alias", "records"}}};
  kit::Spec spec{std::move(s), {"route53", kit::Protocol::kRestXml, {}}, {
      {"name", "Name"},
      {"type", "Type"},
      {"set_identifier", "SetIdentifier"},
      {"ttl", "TTL", "", kit::Conv::kNumber},
      {"alias.name", "AliasTarget.DNSName"},
      {"alias.zone_id", "AliasTarget.HostedZoneId"},
      {"alias.evaluate_target_health", "AliasTarget.EvaluateTargetHealth", "", kit::Conv::kBool},
      {"failover_routing_policy.type", "Failover"},
      {"weighted_routing_policy.weight", "Weight", "", kit::Conv::kNumber},
      {"latency_routing_policy.region", "Region"},
      {"health_check_id", "HealthCheckId"},
  }, {"ChangeResourceRecordSets", ""}};
  spec.adopt = {kit::Adoption::Kind::kById};
  route53::AddRecordRoutes(spec.json.routes);
  return spec;
}

std::string RecordId(const Attributes& a) {
  std::string id = fmt::format("{}_{}_{}", kit::AttrText(a, "zone_id"), route53::NormalName(kit::AttrText(a, "name")),
                               kit::AttrText(a, "type"));
  return kit::AttrText(a, "set_identifier").empty() ? id : id + "_" + kit::AttrText(a, "set_identifier");
}

// "<zone>_<name>_<type>[_<set>]": the type is the last known type between underscores.
Attributes ParseId(const std::string& id) {
  size_t zone_end = id.find('_');
  if (zone_end == std::string::npos) return nullptr;
  for (size_t at = id.rfind('_'); at != std::string::npos && at > zone_end; at = id.rfind('_', at - 1)) {
    size_t end = id.find('_', at + 1);
    std::string type = id.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1);
    if (std::find(kTypes.begin(), kTypes.end(), type) == kTypes.end()) continue;
    Attributes a = {{"zone_id", id.substr(0, zone_end)}, {"name", id.substr(zone_end + 1, at - zone_end - 1)},
                    {"type", type}};
    if (end != std::string::npos) a["set_identifier"] = id.substr(end + 1);
    return a;
  }
  return nullptr;
}

bool Quoted(const std::string& type) { return type == "TXT" || type == "SPF"; }

class RecordType : public kit::JsonSpecType {
 public:
  using JsonSpecType::JsonSpecType;

  Result<provider::ApplyResult> Create(const provider::OperationContext&, const Attributes& desired) override {
    return Change(desired.value("allow_overwrite", false) ? "UPSERT" : "CREATE", desired);
  }
  Result<provider::ApplyResult> Update(const provider::OperationContext&, const Attributes&,
                                       const Attributes& desired) override {
    return Change("UPSERT", desired);
  }
  Result<provider::ApplyResult> Delete(const provider::OperationContext&, const Attributes& prior) override {
    auto r = Send("DELETE", prior);
    if (!r.ok() && (kit::IsNotFound(spec_.service, r.error()) || r.error().code == "InvalidChangeBatch") &&
        !ReadOne("", RecordId(prior)).ok())
      return provider::ApplyResult{prior, false};  // already gone
    if (!r.ok()) return r.error();
    return provider::ApplyResult{prior, false};
  }
  /// Waits for the change (GetChange) to be INSYNC, then reads the record.
  Result<provider::PollResult> Poll(const provider::OperationContext&, const Attributes& current,
                                    provider::Phase phase) override {
    provider::PollResult r;
    r.attributes = current;
    std::string change;
    {
      std::lock_guard lock(mu_);
      change = changes_[kit::AttrText(current, "id")];
    }
    if (!change.empty()) {
      auto got = call()("us-east-1", "GetChange", {{"Id", change}});
      if (!got.ok()) return got.error();
      std::string status = kit::AttrText(kit::JsonAt(*got, "ChangeInfo"), "Status");
      if (status != "INSYNC") {
        r.status = provider::PollStatus::kPending;
        r.detail = "change " + change + " " + status;
        r.retry_after = std::chrono::milliseconds(5000);
        return r;
      }
      std::lock_guard lock(mu_);
      changes_.erase(kit::AttrText(current, "id"));
    }
    if (phase == provider::Phase::kDelete) return r;
    auto got = ReadOne("", kit::AttrText(current, "id"));
    if (!got.ok()) return got.error();
    r.attributes = std::move(*got);
    return r;
  }
  /// Each zone's records listed once: from the record's name and type when
  /// one record of the zone is asked, else the whole zone.
  Result<std::map<std::string, Attributes>> Read(const std::string&, const std::vector<std::string>& ids) override {
    std::map<std::string, std::vector<Attributes>> by_zone;
    for (const auto& id : ids)
      if (Attributes k = ParseId(id); !k.is_null()) by_zone[kit::AttrText(k, "zone_id")].push_back(k);
    std::map<std::string, Attributes> out;
    for (const auto& [zone, keys] : by_zone) {
      std::set<std::string> wanted;
      for (const auto& k : keys) wanted.insert(RecordId(k));
      const bool one = keys.size() == 1;
      std::string start = one ? route53::NormalName(kit::AttrText(keys[0], "name")) : "";
      Status st = route53::ListRecordSets(call(), zone, start, one ? kit::AttrText(keys[0], "type") : "", 300,
                                          [&](const nlohmann::json& rs) {
        Attributes a = FromRecordSet(zone, rs);
        if (wanted.count(kit::AttrText(a, "id"))) out[kit::AttrText(a, "id")] = a;
        return !one || route53::NormalName(kit::AttrText(rs, "Name")) == start;  // past the name: done
      });
      if (!st.ok() && !kit::IsNotFound(spec_.service, st.error())) return st.error();  // NoSuchHostedZone: gone
    }
    return out;
  }

 private:
  Attributes FromRecordSet(const std::string& zone, const nlohmann::json& rs) const {
    Attributes a = {{"zone_id", zone}};
    for (const auto& f : spec_.fields) kit::FromJsonWire(rs, f.path, a, f.attr, f.conv);
    a["name"] = route53::NormalName(kit::AttrText(a, "name"));
    a["fqdn"] = a["name"];
    if (a.contains("alias")) a["alias"]["name"] = route53::NormalName(kit::AttrText(a["alias"], "name"));
    nlohmann::json values = kit::JsonAt(rs, "ResourceRecords.ResourceRecord");
    if (values.is_object()) values = nlohmann::json::array({values});
    if (values.is_array()) {
      a["records"] = Attributes::array();
      for (const auto& v : values) {
        std::string text = kit::AttrText(v, "Value");
        if (Quoted(kit::AttrText(a, "type")) && text.size() >= 2 && text.front() == '"' && text.back() == '"' &&
            text.find("\" \"") == std::string::npos)
          text = text.substr(1, text.size() - 2);
        a["records"].push_back(text);
      }
    }
    a["id"] = RecordId(a);
    return a;
  }
  // The record set as sent, the same for the same attributes (a DELETE must
  // repeat what the last CREATE / UPSERT sent).
  nlohmann::json ToRecordSet(const Attributes& a) const {
    nlohmann::json rs = nlohmann::json::object();
    Attributes norm = a;
    norm["name"] = route53::NormalName(kit::AttrText(a, "name"));
    if (norm.contains("alias") && norm["alias"].is_object())
      norm["alias"]["name"] = route53::NormalName(kit::AttrText(norm["alias"], "name"));
    for (const auto& f : spec_.fields) kit::ToJsonWire(norm, f.attr, rs, f.param, f.conv);
    std::vector<std::string> values;
    for (const auto& v : a.value("records", Attributes::array())) {
      std::string text = v.is_string() ? v.get<std::string>() : v.dump();
      values.push_back(Quoted(kit::AttrText(a, "type")) && (text.empty() || text.front() != '"') ? "\"" + text + "\""
                                                                                                  : text);
    }
    std::sort(values.begin(), values.end());
    for (const auto& v : values) rs["ResourceRecords"]["ResourceRecord"].push_back({{"Value", v}});
    return rs;
  }
  Result<nlohmann::json> Send(const std::string& action, const Attributes& a) {
    nlohmann::json change = {{"Action", action}, {"ResourceRecordSet", ToRecordSet(a)}};
    return call()("us-east-1", "ChangeResourceRecordSets",
                  {{"Id", kit::AttrText(a, "zone_id")}, {"ChangeBatch", {{"Changes", {{"Change", change}}}}}},
                  /*idempotent=*/action != "CREATE");
  }
  Result<provider::ApplyResult> Change(const std::string& action, const Attributes& desired) {
    auto r = Send(action, desired);
    if (!r.ok()) return r.error();
    Attributes a = desired;
    a["id"] = RecordId(desired);
    a["fqdn"] = route53::NormalName(kit::AttrText(desired, "name"));
    std::string change = route53::ShortId(kit::AttrText(kit::JsonAt(*r, "ChangeInfo"), "Id"));
    if (kit::AttrText(kit::JsonAt(*r, "ChangeInfo"), "Status") != "INSYNC" && !change.empty()) {
      std::lock_guard lock(mu_);
      changes_[kit::AttrText(a, "id")] = change;
      return provider::ApplyResult{std::move(a), true};  // Poll waits for INSYNC
    }
    return Finish("", kit::AttrText(a, "id"), std::move(a));
  }

  std::mutex mu_;
  std::map<std::string, std::string> changes_;  // record id -> pending change id
};

}  // namespace

void AddRoute53RecordTypes(TypeRegistry& p) { p.Add(std::make_unique<RecordType>(p.client(), RecordSpec())); }

}  // namespace infra::aws

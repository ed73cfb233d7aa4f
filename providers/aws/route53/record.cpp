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
#include "providers/aws/route53/record_set.h"
#include "providers/aws/route53/route53_service.h"
#include "providers/aws/route53/route53_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrMode;
using provider::Attributes;
using provider::AttrType;

kit::Spec RecordSpec() {
  auto s = route53::Schema("aws_route53_record", {
      Required("zone_id", kForceNew), Required("name", kForceNew), OneOf(Required("type", kForceNew), route53::kRecordTypes),
      Optional("set_identifier", kForceNew), Optional("ttl", kNone, AttrType::kNumber),
      Optional("records", kNone, AttrType::kSetString),
      // AWS reports the target lower-case with a trailing dot; read back without it.
      Block("alias", AttrMode::kOptional,
            {Compared(Matching(Required("name"), ".*[^.]"), provider::Equality::kCaseInsensitive),
             Compared(Required("zone_id"), provider::Equality::kCaseInsensitive),
             Required("evaluate_target_health", kNone, AttrType::kBool)}),
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
        !ReadOne("", route53::RecordId(prior)).ok())
      return provider::ApplyResult{prior, false};  // already gone
    if (!r.ok()) return r.error();
    return provider::ApplyResult{prior, false};
  }
  /// allow_overwrite is an instruction, never read: off for an imported record.
  Result<Attributes> Import(const provider::OperationContext& ctx, const std::string& id) override {
    auto got = JsonSpecType::Import(ctx, id);
    if (got.ok()) (*got)["allow_overwrite"] = false;
    return got;
  }
  /// A record is its identity: one with this zone, name, type and set is ours.
  Result<std::optional<Attributes>> FindByAddress(const provider::OperationContext&, const Attributes& desired) override {
    auto got = Read("", {route53::RecordId(desired)});
    if (!got.ok()) return got.error();
    if (got->empty()) return std::optional<Attributes>();
    return std::optional<Attributes>(got->begin()->second);
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
    std::map<std::string, std::map<std::string, Attributes>> by_zone;  // zone -> Key -> the asked id's parts
    for (const auto& id : ids)
      if (Attributes k = route53::ParseRecordId(id); !k.is_null()) by_zone[kit::AttrText(k, "zone_id")][route53::RecordKey(k)] = k;
    std::map<std::string, Attributes> out;
    for (const auto& [zone, wanted] : by_zone) {
      const bool one = wanted.size() == 1;
      const Attributes& first = wanted.begin()->second;
      std::string start = one ? route53::NormalName(kit::AttrText(first, "name")) : "";
      Status st = route53::ListRecordSets(call(), zone, one ? start + "." : "", one ? kit::AttrText(first, "type") : "",
                                          300, [&](const nlohmann::json& rs) {
        Attributes a = route53::FromRecordSet(spec_.fields, zone, rs);
        if (auto it = wanted.find(route53::RecordKey(a)); it != wanted.end()) {
          a["name"] = it->second["name"];  // the spelling asked for
          const std::string id = route53::RecordId(a);
          a["id"] = id;
          out[id] = std::move(a);
        }
        return !one || route53::NormalName(kit::AttrText(rs, "Name")) == start;  // past the name: done
      });
      if (!st.ok() && !kit::IsNotFound(spec_.service, st.error())) return st.error();  // NoSuchHostedZone: gone
    }
    return out;
  }

 private:
  Result<nlohmann::json> Send(const std::string& action, const Attributes& a) {
    nlohmann::json change = {{"Action", action}, {"ResourceRecordSet", route53::ToRecordSet(spec_.fields, a)}};
    return call()("us-east-1", "ChangeResourceRecordSets",
                  {{"Id", kit::AttrText(a, "zone_id")}, {"ChangeBatch", {{"Changes", {{"Change", change}}}}}},
                  /*idempotent=*/action != "CREATE");
  }
  Result<provider::ApplyResult> Change(const std::string& action, const Attributes& desired) {
    auto r = Send(action, desired);
    if (!r.ok()) return r.error();
    Attributes a = desired;
    a["id"] = route53::RecordId(desired);
    a["fqdn"] = route53::NormalName(kit::AttrText(desired, "name"));
    std::string change = route53::ShortId(kit::AttrText(kit::JsonAt(*r, "ChangeInfo"), "Id"));
    if (kit::AttrText(kit::JsonAt(*r, "ChangeInfo"), "Status") != "INSYNC" && !change.empty()) {
      std::lock_guard lock(mu_);
      changes_[kit::AttrText(a, "id")] = change;
      return provider::ApplyResult{std::move(a), true};  // Poll waits for INSYNC
    }
    const std::string id = kit::AttrText(a, "id");
    return Finish("", id, std::move(a));
  }

  std::mutex mu_;
  std::map<std::string, std::string> changes_;  // record id -> pending change id
};

}  // namespace

void AddRoute53RecordTypes(TypeRegistry& p) { p.Add(std::make_unique<RecordType>(p.client(), RecordSpec())); }

}  // namespace infra::aws

// Record set ids, keys and wire forms (record_set.h).
#include "providers/aws/route53/record_set.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "providers/aws/kit/json_wire.h"
#include "providers/aws/kit/rest_wire.h"
#include "providers/aws/route53/route53_service.h"

namespace infra::aws::route53 {

using provider::Attributes;

const std::vector<std::string> kRecordTypes = {"A", "AAAA", "CAA", "CNAME", "DS", "MX", "NAPTR", "NS",
                                               "PTR", "SOA", "SPF", "SRV", "TXT"};

namespace {
bool Quoted(const std::string& type) { return type == "TXT" || type == "SPF"; }

std::string Escaped(const nlohmann::json& v) {
  std::string text = v.is_string() ? v.get<std::string>() : v.is_boolean() ? (v.get<bool>() ? "true" : "false") : v.dump();
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// The members of `obj` named in `order`, as elements in that order (a list
// repeats its element); an object member gets `nested` order for its children.
void Append(std::string& out, const nlohmann::json& obj, const std::vector<std::string>& order) {
  static const std::map<std::string, std::vector<std::string>> kNested = {
      {"AliasTarget", {"HostedZoneId", "DNSName", "EvaluateTargetHealth"}},
      {"ResourceRecords", {"ResourceRecord"}},
      {"ResourceRecord", {"Value"}},
      {"GeoLocation", {"ContinentCode", "CountryCode", "SubdivisionCode"}}};
  for (const auto& name : order) {
    if (!obj.is_object() || !obj.contains(name) || obj[name].is_null()) continue;
    const nlohmann::json& v = obj[name];
    for (const auto& e : v.is_array() ? v : nlohmann::json::array({v})) {
      out += "<" + name + ">";
      if (auto it = kNested.find(name); it != kNested.end() && e.is_object())
        Append(out, e, it->second);
      else
        out += Escaped(e);
      out += "</" + name + ">";
    }
  }
}
}  // namespace

Result<nlohmann::json> ChangeRecordSets(AwsClient* client, const std::string& zone, const nlohmann::json& changes,
                                        bool idempotent) {
  static const std::vector<std::string> kOrder = {"Name", "Type", "SetIdentifier", "Weight", "Region", "GeoLocation",
                                                  "Failover", "MultiValueAnswer", "TTL", "ResourceRecords",
                                                  "AliasTarget", "HealthCheckId", "TrafficPolicyInstanceId"};
  std::string xml = std::string("<ChangeResourceRecordSetsRequest xmlns=\"") + kXmlns + "\"><ChangeBatch><Changes>";
  for (const auto& c : changes) {
    xml += "<Change><Action>" + Escaped(c["Action"]) + "</Action><ResourceRecordSet>";
    Append(xml, c["ResourceRecordSet"], kOrder);
    xml += "</ResourceRecordSet></Change>";
  }
  xml += "</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>";
  if (!client)
    return MakeError(Error::Kind::kInternal, "NoClient", "route53 ChangeResourceRecordSets: no AWS client [this is a bug]");
  CallOptions options;
  options.idempotent = idempotent;
  RestRequest req{"POST", "/2013-04-01/hostedzone/" + zone + "/rrset/", {}, {}, xml};
  auto reply = client->Rest("route53", "us-east-1", "ChangeResourceRecordSets", req, options);
  if (!reply.ok()) return reply.error();
  return kit::RestReplyJson(kit::Protocol::kRestXml, *reply, "route53 ChangeResourceRecordSets");
}

std::string RecordId(const Attributes& a) {
  std::string id = fmt::format("{}_{}_{}", kit::AttrText(a, "zone_id"), kit::AttrText(a, "name"), kit::AttrText(a, "type"));
  return kit::AttrText(a, "set_identifier").empty() ? id : id + "_" + kit::AttrText(a, "set_identifier");
}
std::string RecordKey(const Attributes& a) {
  Attributes n = a;
  n["name"] = NormalName(kit::AttrText(a, "name"));
  return RecordId(n);
}

Attributes ParseRecordId(const std::string& id) {
  size_t zone_end = id.find('_');
  if (zone_end == std::string::npos) return nullptr;
  for (size_t at = id.rfind('_'); at != std::string::npos && at > zone_end; at = id.rfind('_', at - 1)) {
    size_t end = id.find('_', at + 1);
    std::string type = id.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1);
    if (std::find(kRecordTypes.begin(), kRecordTypes.end(), type) == kRecordTypes.end()) continue;
    Attributes a = {{"zone_id", id.substr(0, zone_end)}, {"name", id.substr(zone_end + 1, at - zone_end - 1)},
                    {"type", type}};
    if (end != std::string::npos) a["set_identifier"] = id.substr(end + 1);
    return a;
  }
  return nullptr;
}

Attributes FromRecordSet(const std::vector<kit::Field>& fields, const std::string& zone, const nlohmann::json& rs) {
  Attributes a = {{"zone_id", zone}};
  for (const auto& f : fields) kit::FromJsonWire(rs, f.path, a, f.attr, f.conv);
  a["name"] = NormalName(kit::AttrText(a, "name"));
  a["fqdn"] = a["name"];
  if (a.contains("alias")) a["alias"]["name"] = NormalName(kit::AttrText(a["alias"], "name"));
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
nlohmann::json ToRecordSet(const std::vector<kit::Field>& fields, const Attributes& a) {
  nlohmann::json rs = nlohmann::json::object();
  Attributes norm = a;
  norm["name"] = NormalName(kit::AttrText(a, "name"));
  if (norm.contains("alias") && norm["alias"].is_object())
    norm["alias"]["name"] = NormalName(kit::AttrText(norm["alias"], "name"));
  for (const auto& f : fields) kit::ToJsonWire(norm, f.attr, rs, f.param, f.conv);
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

Status DeleteZoneRecords(const kit::JsonCall& call, AwsClient* client, const std::string& zone,
                         const std::string& name) {
  nlohmann::json changes = nlohmann::json::array();
  Status st = ListRecordSets(call, zone, "", "", 300, [&](const nlohmann::json& rs) {
    std::string type = kit::AttrText(rs, "Type");
    bool apex = NormalName(kit::AttrText(rs, "Name")) == NormalName(name);
    if (!(apex && (type == "SOA" || type == "NS"))) changes.push_back({{"Action", "DELETE"}, {"ResourceRecordSet", rs}});
    return true;
  });
  if (!st.ok()) return st;
  for (size_t i = 0; i < changes.size(); i += 100) {
    nlohmann::json part(changes.begin() + i, changes.begin() + std::min(changes.size(), i + 100));
    auto r = ChangeRecordSets(client, zone, part, /*idempotent=*/true);
    if (!r.ok()) return r.error();
  }
  return {};
}

}  // namespace infra::aws::route53

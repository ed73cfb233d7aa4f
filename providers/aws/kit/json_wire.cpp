// JSON paths, conversions and the JSON/REST call (see json_wire.h).
#include "providers/aws/kit/json_wire.h"

#include <fmt/format.h>

#include <cstdlib>
#include <vector>

namespace infra::aws::kit {
namespace {

struct Segment {
  std::string name;
  bool list = false;
};

std::vector<Segment> Parse(const std::string& path) {
  std::vector<Segment> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    std::string name = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    bool list = name.size() > 2 && name.compare(name.size() - 2, 2, "[]") == 0;
    if (list) name.resize(name.size() - 2);
    if (!name.empty()) out.push_back({name, list});
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return out;
}

std::string Text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  return v.dump();
}

// A desired attribute value as the wire wants it.
nlohmann::json Out(const nlohmann::json& v, Conv conv) {
  switch (conv) {
    case Conv::kString: return v.is_string() ? v : nlohmann::json(Text(v));
    case Conv::kBool: return v.is_string() ? nlohmann::json(v.get<std::string>() == "true") : v;
    case Conv::kNumber: {
      if (!v.is_string()) return v;
      const std::string s = v.get<std::string>();
      char* end = nullptr;
      long long n = std::strtoll(s.c_str(), &end, 10);
      return end && *end == '\0' && !s.empty() ? nlohmann::json(n) : v;
    }
    case Conv::kJsonDocument: return v.is_string() ? v : nlohmann::json(v.dump());
    case Conv::kStringList: {
      nlohmann::json out = nlohmann::json::array();
      if (v.is_array())
        for (const auto& e : v) out.push_back(Text(e));
      return out;
    }
    default: return v;
  }
}

// A reply value as the attribute holds it; null = nothing.
nlohmann::json In(const nlohmann::json& v, Conv conv) {
  if (v.is_null() || (v.is_string() && v.get<std::string>().empty() && conv != Conv::kRaw)) return nullptr;
  switch (conv) {
    case Conv::kBool: return v.is_string() ? nlohmann::json(v.get<std::string>() == "true") : v;
    case Conv::kNumber: return Out(v, Conv::kNumber);
    case Conv::kJsonDocument: return v.is_string() ? v : nlohmann::json(v.dump());
    default: return v;
  }
}

// Elements of a list step: a lone object counts as a one-element list (a
// REST-XML element that did not repeat).
std::vector<const nlohmann::json*> Elements(const nlohmann::json& v) {
  std::vector<const nlohmann::json*> out;
  if (v.is_array())
    for (const auto& e : v) out.push_back(&e);
  else if (v.is_object())
    out.push_back(&v);
  return out;
}

// Walks `src` along `sp` and writes to `dst` along `dp`; list steps pair up.
void Copy(const nlohmann::json& src, const std::vector<Segment>& sp, size_t si, nlohmann::json& dst,
          const std::vector<Segment>& dp, size_t di, const std::function<nlohmann::json(const nlohmann::json&)>& conv) {
  const nlohmann::json* at = &src;
  for (; si < sp.size(); ++si) {
    if (!at->is_object() || !at->contains(sp[si].name)) return;
    at = &(*at)[sp[si].name];
    if (sp[si].list) break;
  }
  if (si == sp.size()) {  // the leaf
    nlohmann::json v = conv(*at);
    if (v.is_null()) return;
    nlohmann::json* out = &dst;
    for (; di < dp.size(); ++di) {
      if (!out->is_object()) *out = nlohmann::json::object();
      out = &(*out)[dp[di].name];
    }
    *out = std::move(v);
    return;
  }
  // `at` is a list: find the matching list step of dp.
  nlohmann::json* out = &dst;
  for (; di < dp.size(); ++di) {
    if (!out->is_object()) *out = nlohmann::json::object();
    out = &(*out)[dp[di].name];
    if (dp[di].list) break;
  }
  if (di == dp.size()) return;  // paths disagree on lists: nothing to pair
  auto elements = Elements(*at);
  if (!out->is_array()) *out = nlohmann::json::array();
  for (size_t i = 0; i < elements.size(); ++i) {
    while (out->size() <= i) out->push_back(nlohmann::json::object());
    Copy(*elements[i], sp, si + 1, (*out)[i], dp, di + 1, conv);
  }
}

}  // namespace

void ToJsonWire(const nlohmann::json& attrs, const std::string& attr_path, nlohmann::json& body,
                const std::string& wire_path, Conv conv) {
  if (wire_path.empty()) return;
  Copy(attrs, Parse(attr_path), 0, body, Parse(wire_path), 0,
       [conv](const nlohmann::json& v) { return v.is_null() ? v : Out(v, conv); });
}

void FromJsonWire(const nlohmann::json& item, const std::string& wire_path, nlohmann::json& attrs,
                  const std::string& attr_path, Conv conv) {
  if (wire_path.empty() || wire_path == "-") return;
  Copy(item, Parse(wire_path), 0, attrs, Parse(attr_path), 0, [conv](const nlohmann::json& v) { return In(v, conv); });
}

nlohmann::json JsonAt(const nlohmann::json& j, const std::string& path) {
  const nlohmann::json* at = &j;
  for (const auto& s : Parse(path)) {
    if (!at->is_object() || !at->contains(s.name)) return nullptr;
    at = &(*at)[s.name];
  }
  return *at;
}

Result<nlohmann::json> JsonCall::operator()(const std::string& region, const std::string& action,
                                            const nlohmann::json& body, bool idempotent) const {
  if (!client_)
    return MakeError(Error::Kind::kInternal, "NoClient",
                     fmt::format("{} {}: the provider has no AWS client [this is a bug]", service_->name, action));
  CallOptions options;
  options.idempotent = idempotent;
  const Protocol p = service_->protocol;
  if (p == Protocol::kJson)
    return client_->Json(service_->name, region, action, body.is_null() ? nlohmann::json::object() : body, options);
  auto route = routes_ ? routes_->find(action) : decltype(routes_->end()){};
  if (!routes_ || route == routes_->end() || (p != Protocol::kRestJson && p != Protocol::kRestXml))
    return MakeError(Error::Kind::kInternal, "NoRoute",
                     fmt::format("{} {}: no REST route declared for this call [this is a bug]", service_->name, action));
  auto req = RestRequestFor(route->second, p, body);
  if (!req.ok()) return req.error();
  auto got = client_->Rest(service_->name, region, action, *req, options);
  if (!got.ok()) return got.error();
  return RestReplyJson(p, *got, service_->name + " " + action);
}

}  // namespace infra::aws::kit

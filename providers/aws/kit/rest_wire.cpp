// REST routes: URI templates filled from body members, XML <-> JSON for
// REST-XML bodies and replies (see rest_wire.h).
#include "providers/aws/kit/rest_wire.h"

#include <fmt/format.h>

#include <openssl/evp.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "providers/aws/sdk/protocol_json.h"
#include "providers/aws/sdk/protocol_query.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws::kit {
namespace {

std::string Scalar(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

// Percent-encodes a path value; '/' kept for a greedy "{Key+}" label.
std::string PathEncode(const std::string& s, bool greedy) {
  if (!greedy) return FormEncode(s);
  std::string out;
  size_t start = 0;
  for (size_t slash; (slash = s.find('/', start)) != std::string::npos; start = slash + 1)
    out += FormEncode(s.substr(start, slash - start)) + "/";
  return out + FormEncode(s.substr(start));
}

using XmlOrder = std::map<std::string, std::vector<std::string>>;

void AppendXml(std::string& out, const std::string& name, const nlohmann::json& v, const XmlOrder& order);

// The members of object `v` (the content of element `name`): those `order`
// lists for `name` first, in that order, then the others (sorted).
void AppendMembers(std::string& out, const std::string& name, const nlohmann::json& v, const XmlOrder& order) {
  auto listed = order.find(name);
  if (listed != order.end())
    for (const auto& m : listed->second)
      if (v.contains(m)) AppendXml(out, m, v[m], order);
  for (auto it = v.begin(); it != v.end(); ++it) {
    bool done = listed != order.end() &&
                std::find(listed->second.begin(), listed->second.end(), it.key()) != listed->second.end();
    if (!done) AppendXml(out, it.key(), it.value(), order);
  }
}

void AppendXml(std::string& out, const std::string& name, const nlohmann::json& v, const XmlOrder& order) {
  if (v.is_null()) return;
  if (v.is_array()) {
    for (const auto& e : v) AppendXml(out, name, e, order);
    return;
  }
  out += "<" + name + ">";
  if (v.is_object())
    AppendMembers(out, name, v, order);
  else
    for (char c : Scalar(v)) {
      switch (c) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
      }
    }
  out += "</" + name + ">";
}

// base64(MD5(body)), as S3 wants for some PUTs.
std::string ContentMd5(const std::string& body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(body.data(), body.size(), digest, &len, EVP_md5(), nullptr);
  std::string out(4 * ((len + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), digest, static_cast<int>(len));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace

Result<RestRequest> RestRequestFor(const RestRoute& route, Protocol protocol, nlohmann::json body) {
  if (!body.is_object()) body = nlohmann::json::object();
  RestRequest req;
  req.method = route.method;
  std::string uri = route.uri;
  std::string query;
  if (size_t q = uri.find('?'); q != std::string::npos) {
    query = uri.substr(q + 1);
    uri = uri.substr(0, q);
  }
  std::string path;
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] != '{') {
      path += uri[i];
      continue;
    }
    size_t end = uri.find('}', i);
    std::string label = uri.substr(i + 1, end - i - 1);
    bool greedy = !label.empty() && label.back() == '+';
    if (greedy) label.pop_back();
    if (!body.contains(label) || body[label].is_null())
      return MakeError(Error::Kind::kInvalid, "MissingPathMember",
                       fmt::format("{} {}: no value for the path member {}", route.method, route.uri, label));
    path += PathEncode(Scalar(body[label]), greedy);
    body.erase(label);
    i = end;
  }
  req.path = path;
  for (size_t start = 0; start < query.size();) {
    size_t amp = query.find('&', start);
    std::string part = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    start = amp == std::string::npos ? query.size() : amp + 1;
    size_t eq = part.find('=');
    if (eq == std::string::npos) {
      req.query.emplace_back(part, "");
      continue;
    }
    std::string value = part.substr(eq + 1);
    if (value.size() > 2 && value.front() == '{' && value.back() == '}') {
      std::string member = value.substr(1, value.size() - 2);
      if (!body.contains(member) || body[member].is_null()) continue;
      if (body[member].is_array())  // a list repeats the key (Lambda UntagResource tagKeys)
        for (const auto& v : body[member]) req.query.emplace_back(part.substr(0, eq), Scalar(v));
      else
        req.query.emplace_back(part.substr(0, eq), Scalar(body[member]));
      body.erase(member);
    } else {
      req.query.emplace_back(part.substr(0, eq), value);
    }
  }
  for (const auto& [member, header] : route.headers) {
    if (!body.contains(member) || body[member].is_null()) continue;
    req.headers[header] = Scalar(body[member]);
    body.erase(member);
  }
  if (!body.empty() && protocol == Protocol::kRestXml && !route.xml_root.empty()) {
    // A member named like the root is the payload itself (botocore's `payload` trait).
    const nlohmann::json& payload = body.contains(route.xml_root) ? body[route.xml_root] : body;
    req.body = JsonToXml(route.xml_root, route.xmlns, payload, route.xml_order);
  } else if (!body.empty() && protocol == Protocol::kRestJson) {
    req.headers["content-type"] = "application/json";
    req.body = body.dump();
  }
  if (route.content_md5 && !req.body.empty()) req.headers["content-md5"] = ContentMd5(req.body);
  return req;
}

nlohmann::json XmlToJson(pugi::xml_node element) {
  std::vector<std::pair<std::string, std::vector<nlohmann::json>>> members;  // in document order
  for (pugi::xml_node c : element.children()) {
    if (c.type() != pugi::node_element) continue;
    auto it = std::find_if(members.begin(), members.end(), [&](const auto& m) { return m.first == c.name(); });
    if (it == members.end()) it = members.insert(members.end(), {c.name(), {}});
    it->second.push_back(XmlToJson(c));
  }
  if (members.empty()) return element.child_value();
  nlohmann::json obj = nlohmann::json::object();
  for (auto& [name, values] : members)
    obj[name] = values.size() == 1 ? std::move(values[0]) : nlohmann::json(std::move(values));
  return obj;
}

std::string JsonToXml(const std::string& root, const std::string& xmlns, const nlohmann::json& body,
                      const XmlOrder& order) {
  std::string out = "<" + root + (xmlns.empty() ? "" : " xmlns=\"" + xmlns + "\"") + ">";
  if (body.is_object()) AppendMembers(out, root, body, order);
  return out + "</" + root + ">";
}

Result<nlohmann::json> RestReplyJson(Protocol protocol, const RestResponse& reply, const std::string& what) {
  nlohmann::json out = nlohmann::json::object();
  if (reply.body.find_first_not_of(" \t\r\n") != std::string::npos) {
    if (protocol == Protocol::kRestXml) {
      pugi::xml_document doc;
      if (auto st = ParseXml(reply.body, &doc, what); !st.ok()) return st.error();
      out = XmlToJson(doc.document_element());
      if (!out.is_object()) out = {{doc.document_element().name(), out}};
    } else {
      auto j = ParseJsonReply(reply.body, what);
      if (!j.ok()) return j.error();
      if (j->is_object()) out = std::move(*j);
    }
  }
  for (const auto& [k, v] : reply.headers) out["header:" + k] = v;
  return out;
}

}  // namespace infra::aws::kit

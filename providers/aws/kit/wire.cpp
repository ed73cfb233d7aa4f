// Calls and value conversions for the XML protocols (see wire.h).
#include "providers/aws/kit/wire.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws::kit {

Result<Reply> Call::operator()(const std::string& region, const std::string& action, const QueryParams& params,
                               bool idempotent) const {
  if (!client_)
    return MakeError(Error::Kind::kInternal, "NoClient",
                     fmt::format("{} {}: the provider has no AWS client [this is a bug]", service_->name, action));
  CallOptions options;
  options.idempotent = idempotent;
  auto got = client_->Query(service_->name, region, action, params, options);
  if (!got.ok()) return got.error();
  Reply reply;
  reply.doc = std::make_unique<pugi::xml_document>();
  if (auto st = ParseXml(got->body, reply.doc.get(), service_->name + " " + action); !st.ok()) return st.error();
  reply.root = reply.doc->document_element();
  return reply;
}

bool IsNotFound(const Service& service, const Error& e) {
  if (e.kind == Error::Kind::kNotFound || e.code.find("NotFound") != std::string::npos ||
      e.code.rfind("NoSuch", 0) == 0)
    return true;
  return std::find(service.not_found_codes.begin(), service.not_found_codes.end(), e.code) !=
         service.not_found_codes.end();
}

std::string ReplyName(Protocol protocol, const std::string& param) {
  if (protocol != Protocol::kEc2 || param.empty()) return param;
  std::string out = param;
  out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  return out;
}

namespace {
std::string Text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number()) return std::to_string(static_cast<long long>(v.get<double>()));
  return v.dump();
}
}  // namespace

void AddParam(QueryParams& params, Protocol protocol, const std::string& param, Conv conv,
              const nlohmann::json& value) {
  if (value.is_null() || param.empty()) return;
  if (conv == Conv::kStringList) {
    std::vector<std::string> items;
    if (value.is_array())
      for (const auto& e : value) items.push_back(Text(e));
    if (protocol == Protocol::kEc2)
      AddEc2List(params, param, items);
    else
      AddMemberList(params, param, items);
    return;
  }
  if (conv == Conv::kJsonDocument && !value.is_string()) {
    params.emplace_back(param, value.dump());  // a YAML map: sent as its JSON text
    return;
  }
  params.emplace_back(param, Text(value));
}

std::string AttrText(const nlohmann::json& attrs, const std::string& key) {
  if (!attrs.is_object()) return {};
  auto it = attrs.find(key);
  return it != attrs.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string PercentDecode(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

nlohmann::json ReadValue(pugi::xml_node item, const std::string& path, Conv conv) {
  if (conv == Conv::kStringList) {
    pugi::xml_node list = XmlPath(item, path);
    if (!list) return nullptr;
    nlohmann::json out = nlohmann::json::array();
    for (pugi::xml_node e : list.children()) out.push_back(e.child_value());
    return out;
  }
  std::string text = XmlText(item, path);
  if (text.empty()) return nullptr;
  switch (conv) {
    case Conv::kBool: return text == "true";
    case Conv::kNumber: {
      char* end = nullptr;
      long long n = std::strtoll(text.c_str(), &end, 10);
      return end && *end == '\0' ? nlohmann::json(n) : nlohmann::json(text);
    }
    case Conv::kJsonDocument: {
      // IAM returns documents URL-encoded; others as plain JSON text.
      if (nlohmann::json::accept(text)) return text;
      return PercentDecode(text);
    }
    default: return text;
  }
}

}  // namespace infra::aws::kit

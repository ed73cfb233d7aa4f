// The loop and its three adapters. The repeated-token check guards against
// emulators or services that return the same token forever.
#include "providers/aws/sdk/pagination.h"

#include <fmt/format.h>

#include <pugixml.hpp>
#include <set>

#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws {
namespace {

std::string NextXmlToken(const pugi::xml_document& doc, const XmlPaging& paging) {
  if (!paging.truncated_flag.empty()) {
    pugi::xml_node flag = XmlFind(doc, paging.truncated_flag);
    if (!flag || std::string_view(flag.child_value()) != "true") return "";
  }
  pugi::xml_node next = XmlFind(doc, paging.output_token);
  return next ? next.child_value() : "";
}

}  // namespace

Status Paginate(const PageFetch& fetch, int max_pages) {
  std::set<std::string> seen;
  std::string token;
  for (int page = 0; page < max_pages; ++page) {
    auto next = fetch(token);
    if (!next.ok()) return next.error();
    if (next->empty()) return {};
    if (!seen.insert(*next).second) {
      return MakeError(Error::Kind::kInternal, "PaginationLoop",
                       fmt::format("the service returned the page token '{}' twice; stopping", *next));
    }
    token = std::move(*next);
  }
  return MakeError(Error::Kind::kInternal, "PaginationLimit",
                   fmt::format("more than {} pages; stopping", max_pages));
}

Status PaginateQuery(AwsClient& client, std::string_view service, const std::string& region,
                     const std::string& action, const QueryParams& params, const XmlPaging& paging,
                     const std::function<Status(const pugi::xml_document&)>& on_page, const CallOptions& options) {
  return Paginate([&](const std::string& token) -> Result<std::string> {
    QueryParams p = params;
    if (!token.empty()) p.emplace_back(paging.input_token, token);
    auto reply = client.Query(service, region, action, p, options);
    if (!reply.ok()) return reply.error();
    pugi::xml_document doc;
    if (auto s = ParseXml(reply->body, &doc, fmt::format("{} {}", service, action)); !s.ok()) return s.error();
    if (auto s = on_page(doc); !s.ok()) return s.error();
    return NextXmlToken(doc, paging);
  });
}

Status PaginateJson(AwsClient& client, std::string_view service, const std::string& region,
                    const std::string& operation, const nlohmann::json& body, const std::string& input_token,
                    const std::string& output_token, const std::function<Status(const nlohmann::json&)>& on_page,
                    const CallOptions& options) {
  return Paginate([&](const std::string& token) -> Result<std::string> {
    nlohmann::json b = body.is_null() ? nlohmann::json::object() : body;
    if (!token.empty()) b[input_token] = token;
    auto reply = client.Json(service, region, operation, b, options);
    if (!reply.ok()) return reply.error();
    if (auto s = on_page(*reply); !s.ok()) return s.error();
    auto it = reply->find(output_token);
    return it != reply->end() && it->is_string() ? it->get<std::string>() : std::string();
  });
}

Status PaginateRest(AwsClient& client, std::string_view service, const std::string& region,
                    const std::string& operation, const RestRequest& request, const XmlPaging& paging,
                    const std::function<Status(const pugi::xml_document&)>& on_page, const CallOptions& options) {
  return Paginate([&](const std::string& token) -> Result<std::string> {
    RestRequest r = request;
    if (!token.empty()) r.query.emplace_back(paging.input_token, token);
    auto reply = client.Rest(service, region, operation, r, options);
    if (!reply.ok()) return reply.error();
    pugi::xml_document doc;
    if (auto s = ParseXml(reply->body, &doc, fmt::format("{} {}", service, operation)); !s.ok()) return s.error();
    if (auto s = on_page(doc); !s.ok()) return s.error();
    return NextXmlToken(doc, paging);
  });
}

}  // namespace infra::aws

// Form encoding and the flattening rules of the EC2 and AWS query
// protocols. Names follow botocore's serializer: EC2 lists are 1-based
// `Name.N` (locationName), query lists `Name.member.N` unless the model
// gives the member its own locationName (RDS `Filters.Filter.N`).
#include "providers/aws/sdk/protocol_query.h"

#include <fmt/format.h>

namespace infra::aws {

std::string FormEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

std::string EncodeQueryBody(std::string_view action, std::string_view version, const QueryParams& params) {
  std::string body = "Action=" + FormEncode(action) + "&Version=" + FormEncode(version);
  for (const auto& [k, v] : params) {
    body += '&';
    body += FormEncode(k);
    body += '=';
    body += FormEncode(v);
  }
  return body;
}

void AddEc2List(QueryParams& params, std::string_view name, const std::vector<std::string>& values) {
  for (size_t i = 0; i < values.size(); ++i) params.emplace_back(fmt::format("{}.{}", name, i + 1), values[i]);
}

void AddEc2Filters(QueryParams& params, const std::vector<QueryFilter>& filters, std::string_view prefix) {
  for (size_t i = 0; i < filters.size(); ++i) {
    params.emplace_back(fmt::format("{}.{}.Name", prefix, i + 1), filters[i].name);
    AddEc2List(params, fmt::format("{}.{}.Value", prefix, i + 1), filters[i].values);
  }
}

void AddEc2TagSpecification(QueryParams& params, std::string_view resource_type, const TagList& tags,
                            int index) {
  std::string base = fmt::format("TagSpecification.{}", index);
  params.emplace_back(base + ".ResourceType", std::string(resource_type));
  for (size_t i = 0; i < tags.size(); ++i) {
    params.emplace_back(fmt::format("{}.Tag.{}.Key", base, i + 1), tags[i].first);
    params.emplace_back(fmt::format("{}.Tag.{}.Value", base, i + 1), tags[i].second);
  }
}

void AddEc2Tags(QueryParams& params, const TagList& tags) {
  for (size_t i = 0; i < tags.size(); ++i) {
    params.emplace_back(fmt::format("Tag.{}.Key", i + 1), tags[i].first);
    params.emplace_back(fmt::format("Tag.{}.Value", i + 1), tags[i].second);
  }
}

void AddNamedList(QueryParams& params, std::string_view name, std::string_view element,
                  const std::vector<std::string>& values) {
  for (size_t i = 0; i < values.size(); ++i)
    params.emplace_back(fmt::format("{}.{}.{}", name, element, i + 1), values[i]);
}

void AddMemberList(QueryParams& params, std::string_view name, const std::vector<std::string>& values) {
  AddNamedList(params, name, "member", values);
}

void AddMemberTags(QueryParams& params, const TagList& tags, std::string_view name) {
  for (size_t i = 0; i < tags.size(); ++i) {
    params.emplace_back(fmt::format("{}.member.{}.Key", name, i + 1), tags[i].first);
    params.emplace_back(fmt::format("{}.member.{}.Value", name, i + 1), tags[i].second);
  }
}

void AddRdsFilters(QueryParams& params, const std::vector<QueryFilter>& filters) {
  for (size_t i = 0; i < filters.size(); ++i) {
    params.emplace_back(fmt::format("Filters.Filter.{}.Name", i + 1), filters[i].name);
    AddNamedList(params, fmt::format("Filters.Filter.{}.Values", i + 1), "Value", filters[i].values);
  }
}

}  // namespace infra::aws

// EC2 query and AWS query protocols: the form body of a request, builders
// that flatten lists, filters and tags into QueryParams as each protocol
// names them (EC2 `VpcId.1`, `Filter.1.Value.1`, `TagSpecification.1.Tag.1.Key`;
// query `Subnets.member.1`, `Tags.member.1.Key`), and the request id of a reply.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "providers/aws/sdk/aws_client.h"

namespace infra::aws {

/// Ordered key/value tags.
using TagList = std::vector<std::pair<std::string, std::string>>;

/// A describe filter: one name, any number of values (ORed).
struct QueryFilter {
  std::string name;
  std::vector<std::string> values;
};

/// "Action=<action>&Version=<version>&k=v..." percent-encoded as
/// application/x-www-form-urlencoded (RFC 3986: space is %20).
std::string EncodeQueryBody(std::string_view action, std::string_view version,
                            const QueryParams& params);

/// RFC 3986 percent-encoding of one form key or value.
std::string FormEncode(std::string_view s);

// ---- EC2 query builders (append to `params`) ----

/// name.1=v1, name.2=v2 ... ("VpcId", {"vpc-1"} -> VpcId.1=vpc-1).
void AddEc2List(QueryParams& params, std::string_view name, const std::vector<std::string>& values);
/// prefix.N.Name / prefix.N.Value.M ("Filter" for nearly every Describe*).
void AddEc2Filters(QueryParams& params, const std::vector<QueryFilter>& filters,
                   std::string_view prefix = "Filter");
/// TagSpecification.<index>.ResourceType=<type>, ...Tag.N.Key/Value.
void AddEc2TagSpecification(QueryParams& params, std::string_view resource_type,
                            const TagList& tags, int index = 1);
/// Tag.N.Key / Tag.N.Value (CreateTags, DeleteTags).
void AddEc2Tags(QueryParams& params, const TagList& tags);

// ---- AWS query builders (RDS, IAM, ELBv2, STS) ----

/// name.member.N=v ("Subnets", "SecurityGroups", "Names"...).
void AddMemberList(QueryParams& params, std::string_view name, const std::vector<std::string>& values);
/// name.member.N.Key / .Value ("Tags").
void AddMemberTags(QueryParams& params, const TagList& tags, std::string_view name = "Tags");
/// RDS style: Filters.Filter.N.Name / Filters.Filter.N.Values.Value.M.
void AddRdsFilters(QueryParams& params, const std::vector<QueryFilter>& filters);
/// RDS style element lists: name.<element>.N (e.g. "VpcSecurityGroupIds",
/// "VpcSecurityGroupId").
void AddNamedList(QueryParams& params, std::string_view name, std::string_view element,
                  const std::vector<std::string>& values);

}  // namespace infra::aws

// The EC2 data sources (data:): aws_availability_zones, aws_vpc, aws_subnets
// and aws_security_group. A query is EC2 filters built from the arguments;
// aws_vpc and aws_security_group must match one object and report it with
// the resource type's read (kit::LookupDataSource).
#include <fmt/format.h>

#include <algorithm>

#include "providers/aws/ec2/ec2_service.h"
#include "providers/aws/ec2/ec2_types.h"
#include "providers/aws/kit/lookup_data_source.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/sdk/aws_client.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrMode;
using provider::AttrType;
using provider::Attributes;

provider::AttributeSchema FilterBlocks() {
  return Blocks("filter", AttrMode::kOptional, {Required("name"), Required("values", kNone, AttrType::kListString)});
}

// Filter.N.Name / Filter.N.Value.M from fixed filters, `tags` (tag:Key) and
// the `filter` blocks, in that order.
QueryParams Filters(const Attributes& args, const std::vector<std::pair<std::string, std::string>>& fixed) {
  QueryParams out;
  int n = 0;
  auto add = [&](const std::string& name, const std::vector<std::string>& values) {
    ++n;
    out.emplace_back(fmt::format("Filter.{}.Name", n), name);
    for (size_t i = 0; i < values.size(); ++i) out.emplace_back(fmt::format("Filter.{}.Value.{}", n, i + 1), values[i]);
  };
  for (const auto& [name, value] : fixed)
    if (!value.empty()) add(name, {value});
  if (args.contains("tags") && args["tags"].is_object())
    for (auto kv = args["tags"].begin(); kv != args["tags"].end(); ++kv)
      add("tag:" + kv.key(), {kv.value().is_string() ? kv.value().get<std::string>() : kv.value().dump()});
  if (args.contains("filter") && args["filter"].is_array())
    for (const auto& f : args["filter"]) {
      std::vector<std::string> values;
      for (const auto& v : f.value("values", Attributes::array())) values.push_back(v.is_string() ? v.get<std::string>() : v.dump());
      add(f.value("name", ""), values);
    }
  return out;
}

// Every `id_path` under `items` of `action` filtered by `params` (one page
// per NextToken).
Result<std::vector<std::string>> MatchingIds(AwsClient& client, const std::string& region, const std::string& action,
                                             QueryParams params, const std::string& items, const std::string& id_path) {
  std::vector<std::string> ids;
  std::string token;
  do {
    QueryParams page = params;
    if (!token.empty()) page.emplace_back("NextToken", token);
    auto reply = client.Query("ec2", region, action, page);
    if (!reply.ok()) return reply.error();
    pugi::xml_document doc;
    if (Status st = ParseXml(reply->body, &doc, "ec2 " + action); !st.ok()) return st.error();
    pugi::xml_node root = doc.first_child();
    for (pugi::xml_node item : XmlItems(root, items)) ids.push_back(XmlText(item, id_path));
    token = XmlText(root, "nextToken");
  } while (!token.empty());
  std::sort(ids.begin(), ids.end());
  return ids;
}

// The one id a query must match, or the errors Terraform users know.
Result<std::string> One(Result<std::vector<std::string>> ids, const std::string& what, const Attributes& args) {
  if (!ids.ok()) return ids.error();
  if (ids->empty())
    return MakeError(Error::Kind::kNotFound, "NoMatchingObject", fmt::format("no matching {} found for {}", what, args.dump()));
  if (ids->size() > 1)
    return MakeError(Error::Kind::kInvalid, "MultipleMatches",
                     fmt::format("{} {}s match {} ({}, ...); narrow the query", ids->size(), what, args.dump(), (*ids)[0]));
  return (*ids)[0];
}

std::string Text(const Attributes& args, const char* key) {
  if (!args.contains(key) || args[key].is_null()) return "";
  return args[key].is_string() ? args[key].get<std::string>() : args[key].dump();
}

provider::ResourceSchema DataSchema(std::string type, std::vector<provider::AttributeSchema> attributes) {
  provider::ResourceSchema s = ec2::Schema(std::move(type), std::move(attributes));
  s.taggable = false;
  return s;
}

std::unique_ptr<provider::DataSourceType> AvailabilityZones(std::shared_ptr<AwsClient> client) {
  auto schema = DataSchema("aws_availability_zones",
                           {OneOf(Optional("state"), {"available", "information", "impaired", "unavailable"}),
                            FilterBlocks(), Computed("names", AttrType::kListString),
                            Computed("zone_ids", AttrType::kListString), Computed("id")});
  return std::make_unique<kit::FunctionDataSource>(
      std::move(schema), [client](const provider::OperationContext& ctx, const Attributes& args) -> Result<Attributes> {
        auto reply = client->Query("ec2", ctx.region, "DescribeAvailabilityZones", Filters(args, {{"state", Text(args, "state")}}));
        if (!reply.ok()) return reply.error();
        pugi::xml_document doc;
        if (Status st = ParseXml(reply->body, &doc, "ec2 DescribeAvailabilityZones"); !st.ok()) return st.error();
        std::vector<std::pair<std::string, std::string>> zones;
        for (pugi::xml_node z : XmlItems(doc.first_child(), "availabilityZoneInfo"))
          zones.emplace_back(XmlText(z, "zoneName"), XmlText(z, "zoneId"));
        std::sort(zones.begin(), zones.end());
        Attributes out = args;
        out["names"] = Attributes::array();
        out["zone_ids"] = Attributes::array();
        for (const auto& [name, id] : zones) {
          out["names"].push_back(name);
          out["zone_ids"].push_back(id);
        }
        out["id"] = ctx.region;
        return out;
      });
}

std::unique_ptr<provider::DataSourceType> Subnets(std::shared_ptr<AwsClient> client) {
  auto schema = DataSchema("aws_subnets", {FilterBlocks(), Optional("tags", kNone, AttrType::kMapString),
                                           Computed("ids", AttrType::kListString), Computed("id")});
  return std::make_unique<kit::FunctionDataSource>(
      std::move(schema), [client](const provider::OperationContext& ctx, const Attributes& args) -> Result<Attributes> {
        auto ids = MatchingIds(*client, ctx.region, "DescribeSubnets", Filters(args, {}), "subnetSet", "subnetId");
        if (!ids.ok()) return ids.error();
        Attributes out = args;
        out["ids"] = *ids;
        out["id"] = ctx.region;
        return out;
      });
}

std::unique_ptr<provider::DataSourceType> Vpc(std::shared_ptr<AwsClient> client) {
  kit::LookupSpec spec{"aws_vpc",
                       {OptionalComputed("id"), OptionalComputed("cidr_block"), Optional("default", kNone, AttrType::kBool),
                        Optional("state"), Optional("tags", kNone, AttrType::kMapString), FilterBlocks()},
                       [client](const provider::OperationContext& ctx, const Attributes& args) {
                         std::string dflt = args.contains("default") && args["default"].is_boolean()
                                                ? (args["default"].get<bool>() ? "true" : "false") : "";
                         auto params = Filters(args, {{"vpc-id", Text(args, "id")},
                                                      {"cidr", Text(args, "cidr_block")},
                                                      {"is-default", dflt},
                                                      {"state", Text(args, "state")}});
                         return One(MatchingIds(*client, ctx.region, "DescribeVpcs", params, "vpcSet", "vpcId"), "VPC", args);
                       }};
  return std::make_unique<kit::LookupDataSource>(std::make_unique<kit::SpecType>(client, ec2::VpcSpec()), std::move(spec));
}

std::unique_ptr<provider::DataSourceType> SecurityGroup(std::shared_ptr<AwsClient> client) {
  kit::LookupSpec spec{"aws_security_group",
                       {OptionalComputed("id"), OptionalComputed("name"), OptionalComputed("vpc_id"),
                        Optional("tags", kNone, AttrType::kMapString), FilterBlocks()},
                       [client](const provider::OperationContext& ctx, const Attributes& args) {
                         auto params = Filters(args, {{"group-id", Text(args, "id")},
                                                      {"group-name", Text(args, "name")},
                                                      {"vpc-id", Text(args, "vpc_id")}});
                         return One(MatchingIds(*client, ctx.region, "DescribeSecurityGroups", params,
                                                "securityGroupInfo", "groupId"),
                                    "security group", args);
                       }};
  return std::make_unique<kit::LookupDataSource>(std::make_unique<kit::SpecType>(client, ec2::SecurityGroupSpec()),
                                                 std::move(spec));
}

}  // namespace

void AddEc2DataSources(TypeRegistry& p) {
  p.AddData(AvailabilityZones(p.client()));
  p.AddData(Subnets(p.client()));
  p.AddData(Vpc(p.client()));
  p.AddData(SecurityGroup(p.client()));
}

}  // namespace infra::aws

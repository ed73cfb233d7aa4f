// aws_region and aws_partition answer from the resource's region without a
// call; aws_caller_identity asks STS (signed for the resource's region).
#include "providers/aws/meta/meta_data_sources.h"

#include "providers/aws/kit/lookup_data_source.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/sdk/aws_client.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::Attributes;

provider::ResourceSchema MetaSchema(std::string type, std::vector<provider::AttributeSchema> attributes) {
  provider::ResourceSchema s;
  s.type = std::move(type);
  s.service = "sts";
  s.taggable = false;
  s.attributes = std::move(attributes);
  return s;
}

std::string PartitionOf(const std::string& region) {
  if (region.rfind("cn-", 0) == 0) return "aws-cn";
  if (region.rfind("us-gov-", 0) == 0) return "aws-us-gov";
  return "aws";
}

}  // namespace

void AddMetaDataSources(TypeRegistry& p) {
  p.AddData(std::make_unique<kit::FunctionDataSource>(
      MetaSchema("aws_region", {OptionalComputed("name"), Computed("endpoint"), Computed("description"), Computed("id")}),
      [](const provider::OperationContext& ctx, const Attributes& args) -> Result<Attributes> {
        std::string name = args.contains("name") && args["name"].is_string() ? args["name"].get<std::string>() : ctx.region;
        std::string suffix = PartitionOf(name) == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
        return Attributes{{"name", name}, {"id", name}, {"endpoint", "ec2." + name + "." + suffix},
                          {"description", name}};
      }));
  p.AddData(std::make_unique<kit::FunctionDataSource>(
      MetaSchema("aws_partition", {Computed("partition"), Computed("dns_suffix"), Computed("id")}),
      [](const provider::OperationContext& ctx, const Attributes&) -> Result<Attributes> {
        std::string partition = PartitionOf(ctx.region);
        return Attributes{{"partition", partition}, {"id", partition},
                          {"dns_suffix", partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"}};
      }));
  auto client = p.client();
  p.AddData(std::make_unique<kit::FunctionDataSource>(
      MetaSchema("aws_caller_identity", {Computed("account_id"), Computed("arn"), Computed("user_id"), Computed("id")}),
      [client](const provider::OperationContext& ctx, const Attributes&) -> Result<Attributes> {
        auto reply = client->Query("sts", ctx.region, "GetCallerIdentity", {});
        if (!reply.ok()) return reply.error();
        pugi::xml_document doc;
        if (Status st = ParseXml(reply->body, &doc, "sts GetCallerIdentity"); !st.ok()) return st.error();
        pugi::xml_node r = XmlFind(doc, "GetCallerIdentityResult");
        std::string account = XmlText(r, "Account");
        return Attributes{{"account_id", account}, {"id", account}, {"arn", XmlText(r, "Arn")},
                          {"user_id", XmlText(r, "UserId")}};
      }));
}

}  // namespace infra::aws

// data.aws_lb: one load balancer by `arn` or `name` (DescribeLoadBalancers
// Names.member.1 gives its ARN), reported with aws_lb's attributes through
// that type's Read (the argument not given is the object's).
#include <fmt/format.h>

#include <memory>

#include "providers/aws/elbv2/elbv2_type.h"
#include "providers/aws/elbv2/elbv2_types.h"
#include "providers/aws/kit/lookup_data_source.h"

namespace infra::aws {

using provider::Attributes;

std::unique_ptr<provider::DataSourceType> NewLoadBalancerData(provider::ResourceType& lb,
                                                              std::shared_ptr<AwsClient> client) {
  kit::LookupSpec spec;
  spec.type = "aws_lb";
  spec.arguments = {schema::OptionalComputed("arn"), schema::OptionalComputed("name")};
  spec.resolve_id = [client, svc = elbv2::Service()](const provider::OperationContext& ctx,
                                                     const Attributes& args) -> Result<std::string> {
    std::string arn = kit::AttrText(args, "arn"), name = kit::AttrText(args, "name");
    if (!arn.empty()) return arn;
    if (name.empty()) return MakeError(Error::Kind::kInvalid, "MissingArgument", "'arn' or 'name' must be set");
    auto r = kit::Call(client.get(), &svc)(ctx.region, "DescribeLoadBalancers", {{"Names.member.1", name}});
    if (!r.ok() && kit::IsNotFound(svc, r.error()))
      return MakeError(Error::Kind::kNotFound, "NoMatchingObject", fmt::format("no aws_lb named {} in {}", name, ctx.region));
    if (!r.ok()) return r.error();
    std::string found = r->root.child("DescribeLoadBalancersResult").child("LoadBalancers").child("member")
                            .child_value("LoadBalancerArn");
    if (found.empty())
      return MakeError(Error::Kind::kNotFound, "NoMatchingObject", fmt::format("no aws_lb named {} in {}", name, ctx.region));
    return found;
  };
  return std::make_unique<kit::LookupDataSource>(lb, std::move(spec));
}

}  // namespace infra::aws

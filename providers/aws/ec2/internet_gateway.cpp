// aws_internet_gateway with its VPC attachment: attached after the create,
// moved by detach + attach in place, detached before the delete. The VPC
// is read from the gateway's attachment set.
#include "providers/aws/ec2/ec2_service.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws::ec2 {
namespace {

using provider::Attributes;
using namespace schema;

Status Attach(const kit::Call& call, const std::string& region, const char* action, const std::string& id,
              const std::string& vpc) {
  return Done(call(region, action, {{"InternetGatewayId", id}, {"VpcId", vpc}}));
}

// Detaching from a VPC it is no longer attached to is success.
Status Detach(const kit::Call& call, const std::string& region, const std::string& id, const std::string& vpc) {
  Status st = Attach(call, region, "DetachInternetGateway", id, vpc);
  if (!st.ok() && st.error().code == "Gateway.NotAttached") return {};
  return st;
}

// Attaching a gateway infra just made (or adopted unattached): a re-sent
// attach whose first reply was lost fails with Resource.AlreadyAssociated,
// which is success here (no one else knows the new gateway's id).
Status AttachOurs(const kit::Call& call, const std::string& region, const std::string& id, const std::string& vpc) {
  Status st = Attach(call, region, "AttachInternetGateway", id, vpc);
  if (!st.ok() && st.error().code == "Resource.AlreadyAssociated") return {};
  return st;
}

}  // namespace

kit::Spec InternetGatewaySpec() {
  kit::Spec spec{Schema("aws_internet_gateway", {
      Optional("vpc_id"),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("owner_id"),
  }), Service("internet-gateway"), {
      {"owner_id", "", "ownerId", kit::Conv::kString, kit::kRead},
  }, {"CreateInternetGateway", "internetGateway/internetGatewayId"}};
  spec.updates = {{{"vpc_id"}, "", {}, {}, {}, {},
                   [](const kit::Call& call, const std::string& region, const std::string& id, const Attributes& prior,
                      const Attributes& desired) {
                     std::string from = Str(prior, "vpc_id"), to = Str(desired, "vpc_id");
                     if (!from.empty())
                       if (auto st = Detach(call, region, id, from); !st.ok()) return st;
                     return to.empty() ? Status() : Attach(call, region, "AttachInternetGateway", id, to);
                   }}};
  spec.del = {"DeleteInternetGateway"};
  spec.read = ReadByIds("DescribeInternetGateways", "InternetGatewayId", "internetGatewaySet", "internetGatewayId",
                        "internet-gateway-id");
  spec.hooks.after_create = [](const kit::Call& call, const provider::OperationContext& ctx, const std::string& id,
                               const Attributes& desired) {
    std::string vpc = Str(desired, "vpc_id");
    return vpc.empty() ? Status() : AttachOurs(call, ctx.region, id, vpc);
  };
  // Adopted after a lost CreateInternetGateway reply: the attach never ran.
  spec.hooks.after_adopt = [](const kit::Call& call, const provider::OperationContext& ctx, const Attributes& found,
                              const Attributes& desired) {
    std::string vpc = Str(desired, "vpc_id");
    if (vpc.empty() || !Str(found, "vpc_id").empty()) return Status();  // attached elsewhere: the plan moves it
    return AttachOurs(call, ctx.region, Str(found, "id"), vpc);
  };
  spec.hooks.before_delete = [](const kit::Call& call, const provider::OperationContext& ctx, const Attributes& prior) {
    std::string vpc = Str(prior, "vpc_id");
    return vpc.empty() ? Status() : Detach(call, ctx.region, Str(prior, "id"), vpc);
  };
  spec.hooks.on_read = [](pugi::xml_node item, const std::string& region, Attributes& a) {
    std::string vpc;
    for (pugi::xml_node att : XmlItems(item, "attachmentSet")) vpc = XmlText(att, "vpcId");
    a["vpc_id"] = vpc.empty() ? nlohmann::json() : nlohmann::json(vpc);
    a["arn"] = Arn(region, Str(a, "owner_id"), "internet-gateway", Str(a, "id"));
  };
  return spec;
}

}  // namespace infra::aws::ec2

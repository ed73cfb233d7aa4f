// aws_nat_gateway: `pending` after create, `deleting` after delete. A
// deleted NAT gateway stays listed with state `deleted` for a while, which
// reads as gone; the waits read the state of the raw item (Poll below),
// since a failed gateway reads as gone too but must fail the create.
#include <fmt/format.h>

#include "providers/aws/ec2/ec2_service.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws::ec2 {
namespace {

using provider::ApplyResult;
using provider::Attributes;
using provider::AttrType;
using provider::OperationContext;
using provider::Phase;
using provider::PollResult;
using provider::PollStatus;
using namespace schema;

kit::Spec NatGatewaySpec() {
  const std::string addr = "natGatewayAddressSet/item/";
  kit::Spec spec{Schema("aws_nat_gateway", {
      Optional("allocation_id", kForceNew),
      Required("subnet_id", kForceNew),
      Optional("connectivity_type", kForceNew, AttrType::kString, "public"),
      OptionalComputed("private_ip", kForceNew),
      Tags(),
      Computed("id"),
      Computed("association_id"),
      Computed("network_interface_id"),
      Computed("public_ip"),
  }), Service("natgateway"), {
      {"subnet_id", "SubnetId"},
      {"allocation_id", "AllocationId", addr + "allocationId"},
      {"connectivity_type", "ConnectivityType"},
      {"private_ip", "PrivateIpAddress", addr + "privateIp"},
      {"association_id", "", addr + "associationId", kit::Conv::kString, kit::kRead},
      {"network_interface_id", "", addr + "networkInterfaceId", kit::Conv::kString, kit::kRead},
      {"public_ip", "", addr + "publicIp", kit::Conv::kString, kit::kRead},
  }, {"CreateNatGateway", "natGateway/natGatewayId", /*token=*/true}};
  spec.del = {"DeleteNatGateway"};
  spec.read = ReadByIds("DescribeNatGateways", "NatGatewayId", "natGatewaySet", "natGatewayId", "nat-gateway-id");
  spec.wait = kit::Wait{"state", {"available"}, {"pending"}};
  // Tag filters are ignored for NAT gateways by some emulators: narrow by
  // subnet and state; the kit checks the tags client-side.
  spec.adopt.tag_filters = false;
  spec.adopt.filters = [](const Attributes& desired) {
    return std::vector<QueryFilter>{{"subnet-id", {Str(desired, "subnet_id")}}, {"state", {"pending", "available"}}};
  };
  spec.hooks.on_read = [](pugi::xml_node item, const std::string&, Attributes& a) {
    std::string state = XmlText(item, "state");
    if (state == "deleted" || state == "deleting" || state == "failed") a = nullptr;
    else if (a["connectivity_type"].is_null()) a["connectivity_type"] = "public";
  };
  return spec;
}

class NatGatewayType : public kit::SpecType {
 public:
  using SpecType::SpecType;

  Result<ApplyResult> Delete(const OperationContext& ctx, const Attributes& prior) override {
    auto r = call()(ctx.region, "DeleteNatGateway", IdParams(Str(prior, "id")));
    if (!r.ok() && kit::IsNotFound(spec_.service, r.error())) return ApplyResult{prior, false};
    if (!r.ok()) return r.error();
    return ApplyResult{prior, true};  // Poll waits for `deleted`
  }

  // One describe per call: create waits for `available`, delete for `deleted`.
  Result<PollResult> Poll(const OperationContext& ctx, const Attributes& current, Phase phase) override {
    PollResult out;
    out.attributes = current;
    std::string id = Str(current, "id");
    auto r = call()(ctx.region, "DescribeNatGateways", {{"NatGatewayId.1", id}});
    if (!r.ok() && !(phase == Phase::kDelete && kit::IsNotFound(spec_.service, r.error()))) return r.error();
    pugi::xml_node item = r.ok() ? XmlPath(r->root, "natGatewaySet/item") : pugi::xml_node();
    std::string state = item ? XmlText(item, "state") : "deleted";
    out.detail = "state " + state;
    if (phase == Phase::kDelete) {
      out.status = state == "deleted" ? PollStatus::kReady : PollStatus::kPending;
    } else if (state == "available") {
      out.attributes = FromItem(item, id, ctx.region);
    } else if (state == "pending") {
      out.status = PollStatus::kPending;
    } else {
      out.status = PollStatus::kFailed;
      out.detail = fmt::format("NAT gateway {} is {}: {}", id, state, XmlText(item, "failureMessage"));
    }
    if (out.status == PollStatus::kPending) out.retry_after = spec_.wait->interval;
    return out;
  }
};

}  // namespace

std::unique_ptr<kit::SpecType> NewNatGatewayType(std::shared_ptr<AwsClient> client) {
  return std::make_unique<NatGatewayType>(std::move(client), NatGatewaySpec());
}

}  // namespace infra::aws::ec2

// aws_subnet: map_public_ip_on_launch is not a CreateSubnet parameter, so
// it is set after the create or the adoption (and by its update operation).
#include "providers/aws/ec2/ec2_service.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws::ec2 {

using provider::Attributes;
using provider::AttrType;
using namespace schema;

kit::Spec SubnetSpec() {
  kit::Spec spec{Schema("aws_subnet", {
      Required("vpc_id", kForceNew),
      Required("cidr_block", kForceNew | kCidr),
      OptionalComputed("availability_zone", kForceNew),
      OptionalComputed("availability_zone_id", kForceNew),
      Optional("map_public_ip_on_launch", kNone, AttrType::kBool, false),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("owner_id"),
  }), Service("subnet"), {
      {"vpc_id", "VpcId"},
      {"cidr_block", "CidrBlock"},
      {"availability_zone", "AvailabilityZone"},
      {"availability_zone_id", "AvailabilityZoneId", "", kit::Conv::kString, kit::kRead},  // sent when no AZ name
      {"map_public_ip_on_launch", "MapPublicIpOnLaunch.Value", "mapPublicIpOnLaunch", kit::Conv::kBool, kit::kRead},
      {"owner_id", "", "ownerId", kit::Conv::kString, kit::kRead},
  }, {"CreateSubnet", "subnet/subnetId"}};
  spec.updates = {{{"map_public_ip_on_launch"}, "ModifySubnetAttribute"}};
  spec.del = {"DeleteSubnet"};
  spec.read = ReadByIds("DescribeSubnets", "SubnetId", "subnetSet", "subnetId", "subnet-id");
  spec.hooks.create_params = [](const provider::OperationContext&, const Attributes& desired, QueryParams& p) {
    if (Str(desired, "availability_zone").empty())
      kit::AddParam(p, kit::Protocol::kEc2, "AvailabilityZoneId", kit::Conv::kString,
                    Get(desired, "availability_zone_id"));
  };
  spec.hooks.after_create = [](const kit::Call& call, const provider::OperationContext& ctx, const std::string& id,
                               const Attributes& desired) {
    if (!Bool(desired, "map_public_ip_on_launch")) return Status();
    return Done(call(ctx.region, "ModifySubnetAttribute", {{"SubnetId", id}, {"MapPublicIpOnLaunch.Value", "true"}}));
  };
  // A create whose reply (or whose ModifySubnetAttribute's) was lost is
  // adopted by its tags: finish the attribute here, else the apply reports
  // success with map_public_ip_on_launch still false (the fault campaign).
  // ModifySubnetAttribute is idempotent, so a repeat is harmless.
  spec.hooks.after_adopt = [](const kit::Call& call, const provider::OperationContext& ctx, const Attributes& found,
                              const Attributes& desired) {
    if (!Bool(desired, "map_public_ip_on_launch") || Bool(found, "map_public_ip_on_launch")) return Status();
    return Done(call(ctx.region, "ModifySubnetAttribute",
                     {{"SubnetId", Str(found, "id")}, {"MapPublicIpOnLaunch.Value", "true"}}));
  };
  spec.hooks.on_read = [](pugi::xml_node item, const std::string& region, Attributes& a) {
    if (a["map_public_ip_on_launch"].is_null()) a["map_public_ip_on_launch"] = false;
    std::string arn = XmlText(item, "subnetArn");
    a["arn"] = arn.empty() ? Arn(region, Str(a, "owner_id"), "subnet", Str(a, "id")) : arn;
  };
  return spec;
}

}  // namespace infra::aws::ec2

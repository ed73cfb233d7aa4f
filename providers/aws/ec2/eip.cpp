// aws_eip (VPC domain). Its release is retried while a NAT gateway being
// deleted still holds the address (InvalidIPAddress.InUse, AuthFailure).
#include <fmt/format.h>

#include <algorithm>

#include "providers/aws/ec2/ec2_service.h"

namespace infra::aws::ec2 {

using provider::Attributes;
using provider::AttrType;
using namespace schema;

kit::Spec EipSpec() {
  kit::Spec spec{Schema("aws_eip", {
      Optional("domain", kForceNew, AttrType::kString, "vpc"),
      OptionalComputed("network_border_group", kForceNew),
      OptionalComputed("public_ipv4_pool", kForceNew),
      Tags(),
      Computed("id"),
      Computed("allocation_id"),
      Computed("association_id"),
      Computed("public_ip"),
      Computed("public_dns"),
      Computed("private_ip"),
  }), Service("elastic-ip"), {
      {"domain", "Domain", "", kit::Conv::kString, kit::kCreate | kit::kRead, "vpc"},
      {"network_border_group", "NetworkBorderGroup"},
      {"public_ipv4_pool", "PublicIpv4Pool"},
      {"allocation_id", "", "allocationId", kit::Conv::kString, kit::kRead},
      {"public_ip", "", "publicIp", kit::Conv::kString, kit::kRead},
      {"private_ip", "", "privateIpAddress", kit::Conv::kString, kit::kRead},
      {"association_id", "", "associationId", kit::Conv::kString, kit::kRead},
  }, {"AllocateAddress", "allocationId"}};
  spec.del = {"ReleaseAddress", {"DependencyViolation", "InvalidIPAddress.InUse", "AuthFailure"}};
  spec.read = ReadByIds("DescribeAddresses", "AllocationId", "addressesSet", "allocationId", "allocation-id");
  spec.hooks.on_read = [](pugi::xml_node, const std::string& region, Attributes& a) {
    std::string dashed = Str(a, "public_ip");
    std::replace(dashed.begin(), dashed.end(), '.', '-');
    a["public_dns"] = dashed.empty() ? nlohmann::json()
                                     : nlohmann::json(fmt::format("ec2-{}.{}.compute.amazonaws.com", dashed, region));
  };
  return spec;
}

}  // namespace infra::aws::ec2

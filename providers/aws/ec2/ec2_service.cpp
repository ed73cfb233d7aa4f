// The EC2 family's shared pieces (see ec2_service.h) and its registration.
#include "providers/aws/ec2/ec2_service.h"

#include <fmt/format.h>

#include "providers/aws/ec2/ec2_types.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws {
namespace ec2 {

kit::Service Service(std::string tag_resource_type) {
  kit::Service s;
  s.name = "ec2";
  s.protocol = kit::Protocol::kEc2;
  if (!tag_resource_type.empty()) s.tags = {kit::Tagging::Style::kTagSpecifications, std::move(tag_resource_type)};
  return s;
}

provider::ResourceSchema Schema(std::string type, std::vector<provider::AttributeSchema> attributes) {
  provider::ResourceSchema s;
  s.type = std::move(type);
  s.service = "ec2";
  s.attributes = std::move(attributes);
  return s;
}

kit::ReadPolicy ReadByIds(std::string action, std::string id_param, std::string items, std::string id_path,
                          std::string id_filter) {
  return {kit::ReadPolicy::Kind::kIdList, std::move(action), std::move(id_param), std::move(items),
          std::move(id_path), std::move(id_filter)};
}

std::string Arn(const std::string& region, const std::string& owner, std::string_view kind, const std::string& id) {
  return fmt::format("arn:aws:ec2:{}:{}:{}/{}", region, owner, kind, id);
}

bool Bool(const provider::Attributes& attrs, const std::string& key, bool def) {
  if (!attrs.is_object()) return def;
  auto it = attrs.find(key);
  return it != attrs.end() && it->is_boolean() ? it->get<bool>() : def;
}

bool XmlBool(pugi::xml_node node, std::string_view path) { return XmlText(node, path) == "true"; }

}  // namespace ec2

namespace {
void AddSpec(TypeRegistry& p, kit::Spec spec) { p.Add(std::make_unique<kit::SpecType>(p.client(), std::move(spec))); }
}  // namespace

void AddVpcTypes(TypeRegistry& p) {
  AddSpec(p, ec2::VpcSpec());
  AddSpec(p, ec2::SubnetSpec());
  AddSpec(p, ec2::InternetGatewaySpec());
}

void AddEipNatTypes(TypeRegistry& p) {
  AddSpec(p, ec2::EipSpec());
  p.Add(ec2::NewNatGatewayType(p.client()));
}

void AddRouteTypes(TypeRegistry& p) {
  AddSpec(p, ec2::RouteTableSpec());
  p.Add(ec2::NewRouteType(p.client()));
  p.Add(ec2::NewRouteTableAssociationType(p.client()));
}

void AddSecurityGroupTypes(TypeRegistry& p) {
  AddSpec(p, ec2::SecurityGroupSpec());
  p.Add(ec2::NewSecurityGroupRuleType(p.client(), /*egress=*/false));
  p.Add(ec2::NewSecurityGroupRuleType(p.client(), /*egress=*/true));
}

void AddPeeringTypes(TypeRegistry& p) {
  p.Add(ec2::NewPeeringType(p.client()));
  p.Add(ec2::NewPeeringAccepterType(p.client()));
}

}  // namespace infra::aws

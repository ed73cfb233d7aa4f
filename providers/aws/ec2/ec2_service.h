// What every EC2 network type shares on the kit: the EC2 service (query
// protocol, TagSpecification tags), its schemas in the "ec2" pool, the
// batched read by id list, ARNs, and the attribute accessors the hooks use.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/spec.h"
#include "providers/aws/kit/spec_type.h"
#include "providers/provider.h"

namespace infra::aws::ec2 {

/// The EC2 service; `tag_resource_type` is the TagSpecification
/// ResourceType of the type ("subnet"; "" = untagged).
kit::Service Service(std::string tag_resource_type);
/// An EC2 schema: `type` in the "ec2" pool.
provider::ResourceSchema Schema(std::string type, std::vector<provider::AttributeSchema> attributes);
/// The usual EC2 read: `action` with `id_param`.N, items under `items`
/// keyed by `id_path`, narrowed by `id_filter` when one id is gone.
kit::ReadPolicy ReadByIds(std::string action, std::string id_param, std::string items, std::string id_path,
                          std::string id_filter);

/// arn:aws:ec2:<region>:<owner>:<kind>/<id>
std::string Arn(const std::string& region, const std::string& owner, std::string_view kind, const std::string& id);

/// `attrs[key]` as text ("" when absent or not a string).
inline std::string Str(const provider::Attributes& attrs, const std::string& key) {
  return kit::AttrText(attrs, key);
}
/// `attrs[key]`, or null when absent.
inline nlohmann::json Get(const provider::Attributes& attrs, const std::string& key) {
  return attrs.is_object() ? attrs.value(key, nlohmann::json()) : nlohmann::json();
}
/// `attrs[key]` as a bool; `def` when absent or null.
bool Bool(const provider::Attributes& attrs, const std::string& key, bool def = false);
/// An EC2 XML boolean ("true").
bool XmlBool(pugi::xml_node node, std::string_view path);
/// A call's outcome as a Status.
inline Status Done(const Result<kit::Reply>& r) { return r.ok() ? Status() : Status(r.error()); }

/// The types of the family, one per file of providers/aws/ec2/.
kit::Spec VpcSpec();                 // vpc.cpp
kit::Spec SubnetSpec();              // subnet.cpp
kit::Spec InternetGatewaySpec();     // internet_gateway.cpp
kit::Spec EipSpec();                 // eip.cpp
kit::Spec RouteTableSpec();          // route_table.cpp
kit::Spec SecurityGroupSpec();       // security_group.cpp
std::unique_ptr<kit::SpecType> NewNatGatewayType(std::shared_ptr<AwsClient> client);        // nat_gateway.cpp
std::unique_ptr<kit::SpecType> NewPeeringType(std::shared_ptr<AwsClient> client);           // peering.cpp
std::unique_ptr<kit::SpecType> NewPeeringAccepterType(std::shared_ptr<AwsClient> client);   // peering.cpp
std::unique_ptr<kit::SpecType> NewRouteType(std::shared_ptr<AwsClient> client);             // route.cpp
std::unique_ptr<kit::SpecType> NewRouteTableAssociationType(std::shared_ptr<AwsClient> client);  // route.cpp
std::unique_ptr<kit::SpecType> NewSecurityGroupRuleType(std::shared_ptr<AwsClient> client, bool egress);
                                                                                            // security_group_rule.cpp
}  // namespace infra::aws::ec2

// data.aws_route53_zone: a hosted zone by zone_id, or by name (with
// private_zone: a public and a private zone may share a name), found by
// ListHostedZonesByName and read as aws_route53_zone reads it; zone_id is
// an argument and a result (the found zone's id).
#include <fmt/format.h>

#include <map>
#include <memory>
#include <utility>

#include "providers/aws/kit/lookup_data_source.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/route53/route53_service.h"
#include "providers/aws/route53/route53_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::Attributes;
using provider::AttrType;

// The zones of a name, listed by ListHostedZonesByName.
class ZoneNames {
 public:
  explicit ZoneNames(std::shared_ptr<AwsClient> client)
      : client_(std::move(client)), service_(route53::Service("hostedzone", routes_)) {
    routes_["ListHostedZonesByName"] = {"GET", "/2013-04-01/hostedzonesbyname?dnsname={DNSName}&maxitems={MaxItems}"};
  }
  /// The id of the zone named `name` (NormalName) that is private or not.
  Result<std::string> Find(const std::string& name, bool is_private) const {
    kit::JsonCall call(client_.get(), &service_, &routes_);
    auto zones = call("us-east-1", "ListHostedZonesByName", {{"DNSName", name}, {"MaxItems", "100"}});
    if (!zones.ok()) return zones.error();
    nlohmann::json list = kit::JsonAt(*zones, "HostedZones.HostedZone");
    if (list.is_object()) list = nlohmann::json::array({list});
    for (const auto& z : list.is_array() ? list : nlohmann::json::array())
      if (route53::NormalName(kit::AttrText(z, "Name")) == name &&
          (kit::AttrText(z["Config"], "PrivateZone") == "true") == is_private)
        return route53::ShortId(kit::AttrText(z, "Id"));
    return MakeError(Error::Kind::kNotFound, "NoMatchingZone", fmt::format("no Route 53 zone named {} found", name));
  }

 private:
  std::shared_ptr<AwsClient> client_;
  std::map<std::string, kit::RestRoute> routes_;
  kit::Service service_;
};

class ZoneData : public kit::LookupDataSource {
 public:
  using LookupDataSource::LookupDataSource;
  Result<Attributes> Read(const provider::OperationContext& ctx, const Attributes& args) override {
    auto got = LookupDataSource::Read(ctx, args);
    if (got.ok()) (*got)["zone_id"] = (*got)["id"];
    return got;
  }
};

}  // namespace

void AddRoute53ZoneData(TypeRegistry& p, provider::ResourceType& zone_type) {
  kit::LookupSpec data{"aws_route53_zone", {Optional("name"), Optional("zone_id"),
                                            Optional("private_zone", kNone, AttrType::kBool, false)}, nullptr};
  data.omit = {"force_destroy", "comment"};
  data.resolve_id = [names = std::make_shared<const ZoneNames>(p.client())](
                        const provider::OperationContext&, const Attributes& args) -> Result<std::string> {
    if (!kit::AttrText(args, "zone_id").empty()) return kit::AttrText(args, "zone_id");
    const std::string name = route53::NormalName(kit::AttrText(args, "name"));
    if (name.empty()) return MakeError(Error::Kind::kInvalid, "MissingArgument", "'name' or 'zone_id' must be set");
    return names->Find(name, args.value("private_zone", false));
  };
  p.AddData(std::make_unique<ZoneData>(zone_type, std::move(data)));
}

}  // namespace infra::aws

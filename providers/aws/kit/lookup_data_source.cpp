// LookupDataSource: arguments -> physical id (the family's resolve_id) ->
// the resource type's Read of that one id -> the attribute object with the
// arguments kept as the user wrote them.
#include "providers/aws/kit/lookup_data_source.h"

#include <algorithm>
#include <fmt/format.h>

namespace infra::aws::kit {

using provider::AttrMode;
using provider::Attributes;

LookupDataSource::LookupDataSource(std::unique_ptr<provider::ResourceType> resource, LookupSpec spec)
    : LookupDataSource(*resource, std::move(spec)) {
  owned_ = std::move(resource);
}

LookupDataSource::LookupDataSource(provider::ResourceType& resource, LookupSpec spec)
    : resource_(resource), spec_(std::move(spec)) {
  const provider::ResourceSchema& rs = resource_.schema();
  schema_.type = spec_.type;
  schema_.service = rs.service;
  schema_.scope = rs.scope;
  schema_.taggable = false;
  schema_.attributes = spec_.arguments;
  for (const provider::AttributeSchema& a : rs.attributes) {
    if (schema_.Find(a.name)) continue;
    if (std::find(spec_.omit.begin(), spec_.omit.end(), a.name) != spec_.omit.end()) continue;
    provider::AttributeSchema computed = a;
    computed.mode = AttrMode::kComputed;
    computed.force_new = false;
    computed.default_value = nullptr;
    computed.checks.clear();
    schema_.attributes.push_back(std::move(computed));
  }
}

Result<Attributes> LookupDataSource::Read(const provider::OperationContext& ctx, const Attributes& args) {
  auto id = spec_.resolve_id(ctx, args);
  if (!id) return id.error();
  auto found = resource_.Read(ctx.region, {*id});
  if (!found) return found.error();
  auto it = found->find(*id);
  if (it == found->end())
    return MakeError(Error::Kind::kNotFound, "NoMatchingObject",
                     fmt::format("no {} matches {} in {}", spec_.type, args.dump(), ctx.region));
  Attributes out = Attributes::object();
  for (const provider::AttributeSchema& a : schema_.attributes) {
    bool given = a.mode != AttrMode::kComputed && args.contains(a.name) && !args[a.name].is_null();
    if (given)
      out[a.name] = args[a.name];
    else
      out[a.name] = it->second.contains(a.name) ? it->second[a.name] : Attributes(nullptr);
  }
  out["id"] = *id;
  return out;
}

std::function<Result<std::string>(const provider::OperationContext&, const Attributes&)> IdFromArgument(
    std::string argument) {
  return [argument](const provider::OperationContext&, const Attributes& args) -> Result<std::string> {
    if (!args.contains(argument) || !args[argument].is_string() || args[argument].get<std::string>().empty())
      return MakeError(Error::Kind::kInvalid, "MissingArgument", fmt::format("'{}' must be set", argument));
    return args[argument].get<std::string>();
  };
}

}  // namespace infra::aws::kit

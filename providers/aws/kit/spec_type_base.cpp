// SpecTypeBase: the protocol-free part of the kit's two runners.
#include "providers/aws/kit/spec_type_base.h"

#include <fmt/format.h>

namespace infra::aws::kit {

using provider::ApplyResult;
using provider::Attributes;

std::vector<std::string> SpecTypeBase::RequiresReplace(const Attributes& prior, const Attributes& desired) const {
  return spec_.plan.requires_replace ? spec_.plan.requires_replace(prior, desired) : std::vector<std::string>{};
}

Attributes SpecTypeBase::PlanKnown(const provider::OperationContext& ctx, const Attributes& desired) const {
  return spec_.plan.plan_known ? spec_.plan.plan_known(ctx, desired) : Attributes::object();
}

Result<Attributes> SpecTypeBase::UpgradeState(int from, const Attributes& stored) const {
  return spec_.plan.upgrade ? spec_.plan.upgrade(from, stored) : Result<Attributes>(stored);
}

std::string SpecTypeBase::RegionFor(const std::string& region) const {
  return spec_.schema.scope == provider::Scope::kGlobal ? "us-east-1" : region;
}

Result<Attributes> SpecTypeBase::ReadOne(const std::string& region, const std::string& id) {
  auto got = Read(region, {id});
  if (!got.ok()) return got.error();
  auto it = got->find(id);
  if (it == got->end())
    return MakeError(Error::Kind::kNotFound, "NotFound",
                     fmt::format("{} {} was not found in {}", spec_.schema.type, id, RegionFor(region)));
  return it->second;
}

Result<ApplyResult> SpecTypeBase::Finish(const std::string& region, const std::string& id, Attributes fallback) {
  auto got = ReadOne(region, id);
  if (got.ok()) return ApplyResult{std::move(*got), false};
  if (!IsNotFound(spec_.service, got.error())) return got.error();
  fallback["id"] = id;
  return ApplyResult{std::move(fallback), true};  // not visible yet: Poll reads again
}

Error SpecTypeBase::Propagating(const provider::OperationContext& ctx, Error e) const {
  for (const auto& p : spec_.propagation) {
    if (e.code != p.code || e.message.find(p.message) == std::string::npos) continue;
    e.kind = Error::Kind::kNotFound;
    e.message = fmt::format("{}: refused while IAM propagates (retried within the grace of what it depends on): {}",
                            ctx.address, e.message);
    return e;
  }
  return e;
}

}  // namespace infra::aws::kit

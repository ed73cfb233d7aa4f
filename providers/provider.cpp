// Shared pieces of the provider contract: schema lookup, default Poll/Import.
#include "providers/provider.h"

#include <fmt/format.h>

namespace infra::provider {

std::string_view AttrTypeName(AttrType t) {
  switch (t) {
    case AttrType::kString: return "string";
    case AttrType::kNumber: return "number";
    case AttrType::kBool: return "bool";
    case AttrType::kListString: return "list(string)";
    case AttrType::kMapString: return "map(string)";
    case AttrType::kListAny: return "list";
    case AttrType::kMapAny: return "map";
    case AttrType::kAny: return "any";
  }
  return "?";
}

const AttributeSchema* ResourceSchema::Find(std::string_view name) const {
  for (const auto& a : attributes)
    if (a.name == name) return &a;
  return nullptr;
}

Result<PollResult> ResourceType::Poll(const OperationContext&, const Attributes& current, Phase) {
  PollResult r;
  r.status = PollStatus::kReady;
  r.attributes = current;
  return r;
}

Result<Attributes> ResourceType::Import(const OperationContext& ctx, const std::string& id) {
  auto got = Read(ctx.region, {id});
  if (!got.ok()) return got.error();
  auto it = got->find(id);
  if (it == got->end())
    return MakeError(Error::Kind::kNotFound, "NotFound",
                     fmt::format("{} {} does not exist in {}", schema().type, id, ctx.region));
  return it->second;
}

}  // namespace infra::provider

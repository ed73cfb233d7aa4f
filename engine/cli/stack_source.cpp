// Stack -> planner adapter. The evaluator looks instances up by address so
// that a saved plan's ConfigResource (a copy) still finds its instance.
#include "engine/cli/stack_source.h"

#include <fmt/format.h>

#include <unordered_set>

namespace infra::engine {

std::vector<ConfigResource> ConfigResources(const Stack& stack) {
  std::vector<ConfigResource> out;
  out.reserve(stack.resources().size());
  for (const auto& r : stack.resources()) {
    ConfigResource c;
    c.address = r.address;
    c.type = r.type;
    c.region_alias = r.region_alias;
    c.region = r.region;
    c.data = r.data;
    c.lifecycle = r.lifecycle;
    c.timeouts = r.timeouts;
    c.location = r.loc.ToString();
    std::unordered_set<std::string> seen;
    for (const auto& ref : r.references)
      if (ref.address != r.address && seen.insert(ref.address).second) c.depends_on.push_back(ref.address);
    for (const auto& d : r.depends_on)
      if (d != r.address && seen.insert(d).second) c.depends_on.push_back(d);
    out.push_back(std::move(c));
  }
  return out;
}

ResourceValues AsResourceValues(const KnownValues& known) {
  return [&known](const std::string& address) -> std::optional<Value> {
    auto it = known.find(address);
    if (it == known.end()) return std::nullopt;
    return it->second;
  };
}

AttributeEvaluator StackEvaluator(const Stack& stack) {
  return [stack](const ConfigResource& resource, const KnownValues& known) -> Result<Value::Map> {
    const ResourceInstance* instance = stack.Find(resource.address);
    if (!instance)
      return MakeError(Error::Kind::kInvalid, "NotInStack",
                       fmt::format("{} is not in the stack any more", resource.address));
    return stack.EvaluateAttributes(*instance, AsResourceValues(known));
  };
}

OutputEvaluator StackOutputEvaluator(const Stack& stack) {
  return [stack](const KnownValues& known) { return stack.EvaluateOutputs(AsResourceValues(known)); };
}

}  // namespace infra::engine

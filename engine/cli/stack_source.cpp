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
    ResourceValues values = AsResourceValues(known);
    // A dependency's postconditions against what it now is (planned, or
    // made by this apply): nothing starts on an object that failed them.
    for (const auto& d : resource.depends_on) {
      const ResourceInstance* dep = stack.Find(d);
      auto self = known.find(d);
      if (!dep || self == known.end() || !stack.HasPostconditions(*dep)) continue;
      auto failed = stack.FailedConditions(*dep, true, values, &self->second);
      if (!failed.empty())
        return MakeError(Error::Kind::kInvalid, "PostconditionFailed",
                         fmt::format("{} (so {} is not changed)", failed.front(), resource.address));
    }
    // Its own preconditions, before anything is planned or called; one not
    // known at plan is checked again at apply, where this runs once more.
    auto failed = stack.FailedConditions(*instance, false, values);
    if (!failed.empty()) {
      std::string all = failed.front();
      for (size_t i = 1; i < failed.size(); ++i) all += "\n" + failed[i];
      return MakeError(Error::Kind::kInvalid, "PreconditionFailed", all);
    }
    return stack.EvaluateAttributes(*instance, values);
  };
}

OutputEvaluator StackOutputEvaluator(const Stack& stack) {
  return [stack](const KnownValues& known) { return stack.EvaluateOutputs(AsResourceValues(known)); };
}

}  // namespace infra::engine

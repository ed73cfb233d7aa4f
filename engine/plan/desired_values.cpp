// Re-evaluation, the ignore_changes overlay for updates, the "still
// unknown" check, sensitivity, and the provider's view of the values.
#include "engine/plan/desired_values.h"

#include <fmt/format.h>

#include "engine/plan/attribute_diff.h"
#include "engine/plan/plan_json.h"

namespace infra::engine {

Result<FinalDesired> FinalizeDesired(const ResourceChange& c, const ConfigResource* config,
                                     const AttributeEvaluator& evaluate, const KnownValues& known,
                                     const nlohmann::json* prior, const provider::ResourceSchema& schema) {
  Value::Map values = c.after;
  bool reevaluated = evaluate && config;
  if (reevaluated) {
    auto evaluated = evaluate(*config, known);
    if (!evaluated.ok()) return evaluated.error();
    values = WithDefaults(*evaluated, schema);
    if (prior) values = KeepIgnored(std::move(values), AttributesToValues(*prior, schema), schema, config->lifecycle);
    // Without re-evaluation the plan's unknowns are placeholders for
    // computed values and are left out; with it, a user-set value must be known now.
    for (const auto& [k, v] : values) {
      const auto* a = schema.Find(k);
      if (a && a->mode != provider::AttrMode::kComputed && !v.is_wholly_known())
        return MakeError(Error::Kind::kInternal, "ValueUnknown",
                         fmt::format("{}: {} is still unknown after its dependencies completed", c.address, k));
    }
  }
  FinalDesired out;
  for (const auto& [k, v] : values)
    if (SensitiveMirror(v) != nlohmann::json(false)) out.sensitive.push_back(k);
  out.attributes = ProviderDesired(values, schema);
  return out;
}

}  // namespace infra::engine

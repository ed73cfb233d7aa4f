// The plan as JSON: `infra plan --json` prints it and `plan -out FILE`
// saves it (docs/plan-json.md). Unknown and sensitive values are carried in
// mirror objects (after_unknown, after_sensitive); a sensitive value itself
// is never written, it is null in the JSON and re-evaluated at apply.
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "common/result.h"
#include "engine/plan/plan.h"

namespace infra::engine {

/// Current format_version of the plan JSON.
inline constexpr const char* kPlanFormatVersion = "1";

/// The plan as a JSON document.
nlohmann::json PlanToJson(const Plan& plan);
/// Reads a document written by PlanToJson; a foreign or newer document is
/// an error. Sensitive values come back as unknown + sensitive.
Result<Plan> PlanFromJson(const nlohmann::json& doc);

/// The text `plan --out` writes and a digest is taken of: compact JSON,
/// keys sorted (nlohmann's object order), no trailing newline. Invalid
/// UTF-8 is replaced rather than thrown on.
std::string CanonicalPlanText(const nlohmann::json& doc);
/// "sha256:" + 64 hex digits of CanonicalPlanText(doc): the digest history
/// records for an apply. For a saved plan, `doc` is the file parsed, so the
/// hex equals `sha256sum FILE` of an unmodified file; for a plan apply made
/// itself, `doc` is PlanToJson(plan), so both agree when the plans do.
std::string PlanDigest(const nlohmann::json& doc);

/// The secret parts of a plan's resource values, in clear, for a saved plan
/// to carry encrypted (PlanToJson writes them as null): per change index,
/// {"before": {attr: value}, "after": {attr: value}} for each top-level
/// attribute that holds a secret and is wholly known. The caller must
/// encrypt the result before it goes anywhere.
nlohmann::json PlanSecrets(const Plan& plan);
/// Puts PlanSecrets(plan) back into the same plan as read by PlanFromJson;
/// restored values stay marked sensitive. Entries that do not fit (another
/// plan) are ignored.
void RestorePlanSecrets(const nlohmann::json& secrets, Plan* plan);

/// Encoding of one value map: values with unknowns and sensitive parts
/// nulled, and the mirrors ({"id": true} for unknown/sensitive leaves).
nlohmann::json ValuesToJson(const Value::Map& values);
nlohmann::json UnknownMirror(const Value& v);
nlohmann::json SensitiveMirror(const Value& v);
/// Inverse of the three above.
Value::Map ValuesFromJson(const nlohmann::json& values, const nlohmann::json& unknown,
                          const nlohmann::json& sensitive);

}  // namespace infra::engine

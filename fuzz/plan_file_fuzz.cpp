// Fuzz target: plan-file loading as `apply PLANFILE` and `show PLANFILE`
// read it: JSON, the plan document (PlanFromJson), its "saved" section,
// its digest; a plan that loads is rendered and written back out.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/cli/saved_plan.h"
#include "engine/plan/plan_json.h"
#include "engine/plan/plan_render.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace infra;
  nlohmann::json doc = nlohmann::json::parse(data, data + size, nullptr, false);
  if (doc.is_discarded()) return 0;
  (void)cli::ReadSavedSection(doc);
  (void)engine::PlanDigest(doc);
  auto plan = engine::PlanFromJson(doc);
  if (!plan.ok()) return 0;
  engine::RestorePlanSecrets(engine::PlanSecrets(*plan), &*plan);  // the secrets come back authenticated only
  (void)engine::RenderPlan(*plan, {});
  (void)engine::RenderSummary(*plan);
  (void)engine::PlanToJson(*plan).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return 0;
}

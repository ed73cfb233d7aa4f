// Human rendering of a plan: drift first ("Objects have changed outside of
// infra"), then each change with the familiar + ~ - -/+ +/- symbols and
// attribute-level detail, then "Changes to Outputs:", then the summary
// line. Colour only when asked (the CLI asks on a TTY without --no-color).
#pragma once
#include <string>

#include "engine/plan/plan.h"

namespace infra::engine {

struct RenderOptions {
  bool color = false;
};

/// The whole plan as people read it, ending with the summary line.
std::string RenderPlan(const Plan& plan, const RenderOptions& options);
/// "Plan: 3 to add, 1 to change, 0 to destroy." or the no-changes sentence.
std::string RenderSummary(const Plan& plan);
/// The "Changes to Outputs:" section (+ new, ~ changed, - removed;
/// "(known after apply)", "(sensitive value)"), "" when no output changes.
std::string RenderOutputChanges(const Plan& plan, const RenderOptions& options);
/// One resource change block (used by apply when it lists what it does).
std::string RenderChange(const ResourceChange& change, const RenderOptions& options);

}  // namespace infra::engine

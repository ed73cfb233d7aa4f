// The `checks:` of a stack reported after a plan or an apply: warnings on
// stderr, never a failure (as Terraform's check blocks); and the lifecycle
// postconditions, which are failures.
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "engine/lang/stack.h"
#include "engine/plan/plan.h"
#include "engine/plan/state_port.h"

namespace infra::cli {

/// The values a plan expects once applied: every change's `after` (deleted
/// resources left out), for checks and the like.
engine::KnownValues PlannedValues(const engine::Plan& plan);

/// Writes a line per failed or not-yet-known check, and a summary line when
/// the stack has checks; returns how many failed.
int ReportChecks(const engine::Stack& stack, const engine::KnownValues& values, bool after_apply, std::ostream& out);

/// The checks as plan JSON's `checks` (docs/plan-json.md): one entry per
/// check, in stack order, with Terraform's address/status/problems shape.
nlohmann::json ChecksToJson(const engine::Stack& stack, const engine::KnownValues& values);

/// The lifecycle postconditions that fail against `values` (each resource's
/// own values are its `self`; resources absent from `values` are skipped),
/// in stack order, each "file:line:col: address: postcondition failed: ...".
std::vector<std::string> FailedPostconditions(const engine::Stack& stack, const engine::KnownValues& values);

}  // namespace infra::cli

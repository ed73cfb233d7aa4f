// The `checks:` of a stack reported after a plan or an apply: warnings on
// stderr, never a failure (as Terraform's check blocks).
#pragma once
#include <ostream>

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

}  // namespace infra::cli

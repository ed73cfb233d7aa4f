// The waits of aws_lambda_function: after create, State must be Active;
// after an update, LastUpdateStatus Successful (a Failed one fails with its
// reason). And the create refused because Lambda cannot assume a role IAM
// made a moment ago, which the engine retries within IAM's grace.
#pragma once
#include <string>

#include "common/result.h"
#include "providers/provider.h"

namespace infra::aws::lambda {

/// What a FunctionConfiguration (GetFunction's "Configuration") says of
/// function `id`: kFailed with StateReason / LastUpdateStatusReason when
/// State or LastUpdateStatus is Failed; kReady when State is Active and
/// LastUpdateStatus Successful (either absent counts as done); else
/// kPending, to be checked again in 2 s. `attributes` is left empty.
provider::PollResult FunctionStatus(const nlohmann::json& configuration, const std::string& id);

/// True for CreateFunction's refusal of a role Lambda cannot assume yet
/// (IAM propagation).
bool RoleNotReady(const Error& e);

/// `e` (a RoleNotReady error of `address`'s create with `role`) as a
/// NotFound, which the engine retries within the role's consistency grace.
Error RoleNotReadyYet(const Error& e, const std::string& address, const std::string& role);

}  // namespace infra::aws::lambda

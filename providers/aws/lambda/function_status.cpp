// The waits of aws_lambda_function (function_status.h).
#include "providers/aws/lambda/function_status.h"

#include <fmt/format.h>

#include "providers/aws/kit/wire.h"

namespace infra::aws::lambda {

provider::PollResult FunctionStatus(const nlohmann::json& c, const std::string& id) {
  const std::string state = kit::AttrText(c, "State"), update = kit::AttrText(c, "LastUpdateStatus");
  provider::PollResult r;
  if (state == "Failed" || update == "Failed") {
    r.status = provider::PollStatus::kFailed;
    r.detail = fmt::format("function {} {}: {}", id, state == "Failed" ? "state Failed" : "update Failed",
                           kit::AttrText(c, state == "Failed" ? "StateReason" : "LastUpdateStatusReason"));
    return r;
  }
  if ((state.empty() || state == "Active") && (update.empty() || update == "Successful")) return r;
  r.status = provider::PollStatus::kPending;
  r.detail = fmt::format("function {} state {}, last update {}", id, state, update);
  r.retry_after = std::chrono::milliseconds(2000);
  return r;
}

bool RoleNotReady(const Error& e) {
  return e.code == "InvalidParameterValueException" &&
         (e.message.find("cannot be assumed by Lambda") != std::string::npos ||
          e.message.find("execution role does not have permissions") != std::string::npos);
}

Error RoleNotReadyYet(const Error& e, const std::string& address, const std::string& role) {
  return MakeError(Error::Kind::kNotFound, "RoleNotAssumableYet",
                   fmt::format("{}: the role {} cannot be assumed by Lambda yet (IAM propagation): {}", address, role,
                               e.message));
}

}  // namespace infra::aws::lambda

// lifecycle preconditions and postconditions against moto_server, checked
// with boto3: a false precondition stops the plan (nothing is made); a
// postcondition that only the made object can answer fails the apply after
// that object is made (it stays in state), and its dependent is not made.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "stack_dir_fixture.h"

namespace infra::test {
namespace {

constexpr const char* kStack = R"(stack: cond
regions:
  primary: eu-west-1
variables:
  retention: {type: number, default: 14}
resources:
  first:
    type: aws_cloudwatch_log_group
    name: cond-first
    retention_in_days: ${var.retention}
    lifecycle:
      precondition: {condition: "${var.retention >= 7}", error_message: "keep logs a week at least, not ${var.retention} days"}
      postcondition: {condition: "${endswith(self.arn, \"never\")}", error_message: "the ARN is ${self.arn}"}
  second:
    type: aws_cloudwatch_log_group
    name: ${first.name}-second
)";

class ConditionsTest : public StackDirTest {
 protected:
  nlohmann::json Groups() {
    auto r = Boto3(R"PY(
logs = boto3.client("logs", region_name="eu-west-1", endpoint_url=ENDPOINT)
print(json.dumps(sorted(g["logGroupName"] for g in logs.describe_log_groups(logGroupNamePrefix="cond-")["logGroups"])))
)PY");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json;
  }
};

TEST_F(ConditionsTest, FalsePreconditionStopsThePlanWithItsPlace) {
  WriteStack(kStack);
  auto plan = Infra("plan -var retention=3 --state " + Path("state.db"));
  EXPECT_EQ(plan.exit_code, 1) << plan.out;
  EXPECT_NE(plan.err.find("stack.yaml:12:21: aws_cloudwatch_log_group.first: precondition failed: keep logs a week "
                          "at least, not 3 days"),
            std::string::npos)
      << plan.err;
  EXPECT_EQ(Infra("apply --auto-approve -var retention=3 --state " + Path("state.db")).exit_code, 1);
  EXPECT_EQ(Groups(), nlohmann::json::array());
}

TEST_F(ConditionsTest, FailedPostconditionKeepsTheObjectAndStopsItsDependent) {
  WriteStack(kStack);
  auto plan = Infra("plan --state " + Path("state.db"));
  EXPECT_EQ(plan.exit_code, 0) << plan.err;  // the ARN is not known before apply: checked after
  auto apply = Infra("apply --auto-approve --state " + Path("state.db"));
  EXPECT_EQ(apply.exit_code, 1) << apply.out;
  std::string all = apply.out + apply.err;
  EXPECT_NE(all.find("aws_cloudwatch_log_group.first: postcondition failed: the ARN is arn:aws:logs:eu-west-1:"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("so aws_cloudwatch_log_group.second is not changed"), std::string::npos) << all;
  EXPECT_EQ(Groups(), nlohmann::json::array({"cond-first"}));
  EXPECT_EQ(Infra("state list --state " + Path("state.db")).out, "aws_cloudwatch_log_group.first\n");
  // The next plan knows the ARN now, and says so before anything is called.
  auto again = Infra("plan --state " + Path("state.db"));
  EXPECT_EQ(again.exit_code, 1) << again.out;
  EXPECT_NE(again.err.find("postcondition failed: the ARN is arn:aws:logs"), std::string::npos) << again.err;
  ASSERT_EQ(Infra("destroy --auto-approve --state " + Path("state.db")).exit_code, 0);
  EXPECT_EQ(Groups(), nlohmann::json::array());
}

}  // namespace
}  // namespace infra::test

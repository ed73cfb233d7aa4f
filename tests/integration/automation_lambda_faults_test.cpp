// aws_lambda_function under IAM propagation and a lost reply, through a
// fault proxy in front of moto_server: the first two CreateFunction calls
// are refused with "The role defined for the function cannot be assumed by
// Lambda" (the role was made seconds before in the same apply), the third
// reaches moto but its reply is cut. One apply: the refusals are retried
// within the role's grace, the function made by the cut call is adopted by
// its name (never created twice, which would be ResourceConflictException),
// and the next plan is empty.
#include <gtest/gtest.h>

#include "integration/stack_dir_fixture.h"
#include "support/fault_proxy.h"

namespace infra::test {
namespace {

class LambdaFaultsTest : public StackDirTest {
 protected:
  CommandResult InfraVia(const std::string& args) {
    return RunCommand("AWS_ENDPOINT_URL=" + ShellQuote(proxy_.endpoint()) + " " + ShellQuote(InfraBinary()) + " -C " +
                      ShellQuote(dir_.string()) + " " + args + " </dev/null");
  }
  FaultProxy proxy_{moto_.port()};
};

Fault RoleNotAssumable(const std::string& match) {
  Fault f;
  f.type = Fault::Type::kRespond;
  f.status = 400;
  f.content_type = "application/json";
  f.headers = {{"x-amzn-ErrorType", "InvalidParameterValueException"}};
  f.body = R"({"Type":"User","message":"The role defined for the function cannot be assumed by Lambda."})";
  f.match = match;
  return f;
}

TEST_F(LambdaFaultsTest, ARoleNotYetAssumableIsRetriedAndALostCreateIsAdopted) {
  WriteStack(R"(stack: lambda-faults
regions:
  primary: eu-west-1
data:
  code:
    type: archive_file
    source_content: "def handler(event, context):\n    return 1\n"
    source_content_filename: index.py
    output_path: ${path.module}/fn.zip
resources:
  role:
    type: aws_iam_role
    name: fresh-role
    assume_role_policy:
      Version: "2012-10-17"
      Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: "sts:AssumeRole"}]
  fn:
    type: aws_lambda_function
    function_name: dr-automation
    role: ${role.arn}
    runtime: python3.12
    handler: index.handler
    filename: ${data.code.output_path}
    source_code_hash: ${data.code.output_base64sha256}
)");
  const std::string create = "POST /2015-03-31/functions HTTP";
  proxy_.Script({RoleNotAssumable(create), RoleNotAssumable(create), Fault::CutShort(10, create)});
  auto apply = InfraVia("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(proxy_.pending(), 0u) << "every fault was hit";
  EXPECT_EQ(proxy_.requests(create), 3) << "two refusals retried, the cut one adopted, none sent again";
  auto r = Boto3(R"(
lam = boto3.client("lambda", endpoint_url=ENDPOINT, region_name="eu-west-1")
print(json.dumps([f["FunctionName"] for f in lam.list_functions()["Functions"]]))
)");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.json, nlohmann::json({"dr-automation"}));
  auto plan = InfraVia("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  ASSERT_EQ(InfraVia("destroy --auto-approve").exit_code, 0);
}

}  // namespace
}  // namespace infra::test

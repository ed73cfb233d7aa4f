// moved: and removed: against moto_server, checked with boto3: a renamed
// VPC keeps its id (nothing destroyed or created), its dependent follows;
// a removed log group leaves state but stays in AWS; the next plan is empty.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "stack_dir_fixture.h"

namespace infra::test {
namespace {

class MovedRemovedTest : public StackDirTest {
 protected:
  nlohmann::json Aws() {
    auto r = Boto3(R"PY(
ec2 = boto3.client("ec2", region_name="eu-west-1", endpoint_url=ENDPOINT)
logs = boto3.client("logs", region_name="eu-west-1", endpoint_url=ENDPOINT)
vpcs = [v["VpcId"] for v in ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["mv"]}])["Vpcs"]]
groups = [g["logGroupName"] for g in logs.describe_log_groups(logGroupNamePrefix="mv-")["logGroups"]]
print(json.dumps({"vpcs": vpcs, "groups": groups}))
)PY");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json;
  }
};

TEST_F(MovedRemovedTest, RenamedKeepsTheObjectAndRemovedLeavesItInAws) {
  WriteStack(R"(stack: mv
regions:
  primary: eu-west-1
resources:
  old_vpc: {type: aws_vpc, cidr_block: 10.3.0.0/16, tags: {Name: mv}}
  sg: {type: aws_security_group, name: mv-sg, vpc_id: "${old_vpc.id}"}
  keep_log: {type: aws_cloudwatch_log_group, name: mv-keep}
)");
  ASSERT_EQ(Infra("apply --auto-approve --state " + Path("state.db")).exit_code, 0);
  auto before = Aws();
  ASSERT_EQ(before["vpcs"].size(), 1u) << before.dump();
  WriteStack(R"(stack: mv
regions:
  primary: eu-west-1
moved:
  - {from: aws_vpc.old_vpc, to: aws_vpc.vpc}
removed:
  - {from: aws_cloudwatch_log_group.keep_log}
resources:
  vpc: {type: aws_vpc, cidr_block: 10.3.0.0/16, tags: {Name: mv}}
  sg: {type: aws_security_group, name: mv-sg, vpc_id: "${vpc.id}"}
)");
  auto plan = Infra("plan --detailed-exitcode --state " + Path("state.db"));
  EXPECT_EQ(plan.exit_code, 2) << plan.err;
  EXPECT_NE(plan.out.find("# aws_vpc.old_vpc has moved to aws_vpc.vpc"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("Plan: 0 to add, 0 to change, 0 to destroy, 1 to move, 1 to forget."), std::string::npos)
      << plan.out;
  auto apply = Infra("apply --auto-approve --state " + Path("state.db"));
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_NE(apply.out.find("0 destroyed, 1 forgotten"), std::string::npos) << apply.out;
  auto after = Aws();
  EXPECT_EQ(after["vpcs"], before["vpcs"]);  // the same VPC: nothing re-created
  EXPECT_EQ(after["groups"], nlohmann::json::array({"mv-keep"}));
  auto list = Infra("state list --state " + Path("state.db"));
  EXPECT_EQ(list.out, "aws_security_group.sg\naws_vpc.vpc\n");
  EXPECT_EQ(Infra("plan --detailed-exitcode --state " + Path("state.db")).exit_code, 0);
  ASSERT_EQ(Infra("destroy --auto-approve --state " + Path("state.db")).exit_code, 0);
  EXPECT_TRUE(Aws()["vpcs"].empty());
  EXPECT_EQ(Aws()["groups"], nlohmann::json::array({"mv-keep"}));  // never infra's again
}

}  // namespace
}  // namespace infra::test

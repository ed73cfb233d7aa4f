// `import:` blocks against moto_server, checked with boto3: objects made
// outside infra are adopted by the plan ("will be imported", with the
// update that makes them match), a saved plan records and tags them on
// apply without creating twins, and the next plan is empty. An id that
// names nothing is an error at plan, located in stack.yaml.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "stack_dir_fixture.h"

namespace infra::test {
namespace {

class ImportBlocksTest : public StackDirTest {
 protected:
  nlohmann::json Aws() {
    auto r = Boto3(R"PY(
ec2 = boto3.client("ec2", region_name="eu-west-1", endpoint_url=ENDPOINT)
logs = boto3.client("logs", region_name="eu-west-1", endpoint_url=ENDPOINT)
vpcs = ec2.describe_vpcs(Filters=[{"Name": "cidr-block-association.cidr-block", "Values": ["10.77.0.0/16"]}])["Vpcs"]
groups = logs.describe_log_groups(logGroupNamePrefix="imp-")["logGroups"]
print(json.dumps({"vpcs": [{"id": v["VpcId"], "tags": {t["Key"]: t["Value"] for t in v.get("Tags", [])}} for v in vpcs],
                  "groups": [{"name": g["logGroupName"], "retention": g.get("retentionInDays", 0)} for g in groups]}))
)PY");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json;
  }
  static std::string Stack(const std::string& log_group_id) {
    return R"(stack: imp
regions:
  primary: eu-west-1
variables:
  vpc_id: {type: string}
import:
  - {to: aws_vpc.main, id: "${var.vpc_id}"}
  - {to: aws_cloudwatch_log_group.app, id: )" + log_group_id + R"(}
resources:
  main: {type: aws_vpc, cidr_block: 10.77.0.0/16, tags: {Name: imp, Env: test}}
  app: {type: aws_cloudwatch_log_group, name: imp-app, retention_in_days: 14}
)";
  }
};

TEST_F(ImportBlocksTest, PlanShowsTheImportAndApplyAdoptsWithoutTwins) {
  auto made = Boto3(R"PY(
ec2 = boto3.client("ec2", region_name="eu-west-1", endpoint_url=ENDPOINT)
logs = boto3.client("logs", region_name="eu-west-1", endpoint_url=ENDPOINT)
v = ec2.create_vpc(CidrBlock="10.77.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "imp"}]}])
logs.create_log_group(logGroupName="imp-app")
logs.put_retention_policy(logGroupName="imp-app", retentionInDays=7)
print(json.dumps({"vpc": v["Vpc"]["VpcId"]}))
)PY");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  std::string vpc = made.json["vpc"];
  WriteStack(Stack("imp-app"));
  std::string var = " -var vpc_id=" + vpc + " --state " + Path("state.db");

  auto plan = Infra("plan --detailed-exitcode --out " + Path("p.plan") + var);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("# aws_vpc.main will be updated in-place\n  # (imported from \"" + vpc + "\")"),
            std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("Plan: 2 to import, 0 to add, 2 to change, 0 to destroy."), std::string::npos) << plan.out;
  EXPECT_EQ(Aws()["vpcs"][0]["tags"].count("infra:address"), 0u);  // a plan writes nothing, not even tags

  auto json = Infra("show --json " + Path("p.plan") + " --state " + Path("state.db"));
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto doc = nlohmann::json::parse(json.out);
  bool seen = false;
  for (const auto& c : doc["resource_changes"])
    if (c["address"] == "aws_vpc.main") {
      seen = true;
      EXPECT_EQ(c["change"]["importing"]["id"], vpc);
      EXPECT_EQ(c["change"]["actions"], nlohmann::json::array({"update"}));
    }
  EXPECT_TRUE(seen) << json.out;

  auto apply = Infra("apply " + Path("p.plan") + " --state " + Path("state.db"));
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_NE(apply.out.find("aws_vpc.main: Import complete [id=" + vpc + "]"), std::string::npos) << apply.out;
  auto after = Aws();
  ASSERT_EQ(after["vpcs"].size(), 1u) << after.dump();  // the same VPC, no twin
  EXPECT_EQ(after["vpcs"][0]["id"], vpc);
  EXPECT_EQ(after["vpcs"][0]["tags"]["Env"], "test");
  EXPECT_EQ(after["vpcs"][0]["tags"]["infra:address"], "aws_vpc.main");
  EXPECT_EQ(after["vpcs"][0]["tags"]["infra:stack"], "imp");
  ASSERT_EQ(after["groups"].size(), 1u);
  EXPECT_EQ(after["groups"][0]["retention"], 14);
  EXPECT_EQ(Infra("state list --state " + Path("state.db")).out, "aws_cloudwatch_log_group.app\naws_vpc.main\n");
  // Imported: the entries stay in the stack and plan nothing more.
  auto again = Infra("plan --detailed-exitcode" + var);
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  ASSERT_EQ(Infra("destroy --auto-approve" + var).exit_code, 0);
  EXPECT_TRUE(Aws()["vpcs"].empty());
}

TEST_F(ImportBlocksTest, AnIdThatNamesNothingIsAnErrorAtPlanWithItsPlace) {
  WriteStack(Stack("imp-missing"));
  auto plan = Infra("plan -var vpc_id=vpc-0123456789abcdef0 --state " + Path("state.db"));
  EXPECT_EQ(plan.exit_code, 1) << plan.out;
  EXPECT_NE(plan.err.find("stack.yaml:7:5: import to aws_vpc.main: no aws_vpc with id vpc-0123456789abcdef0 exists "
                          "in eu-west-1 (primary)"),
            std::string::npos)
      << plan.err;
  EXPECT_TRUE(Aws()["vpcs"].empty());  // nothing was created instead
}

TEST_F(ImportBlocksTest, ForEachImportsOneObjectPerElement) {
  auto made = Boto3(R"PY(
logs = boto3.client("logs", region_name="eu-west-1", endpoint_url=ENDPOINT)
for n in ["imp-web", "imp-worker"]:
    logs.create_log_group(logGroupName=n)
print(json.dumps({}))
)PY");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  WriteStack(R"(stack: imp
regions:
  primary: eu-west-1
variables:
  groups: {type: map(string), default: {web: imp-web, worker: imp-worker}}
import:
  - {for_each: "${var.groups}", to: "aws_cloudwatch_log_group.app[each.key]", id: "${each.value}"}
resources:
  app:
    type: aws_cloudwatch_log_group
    for_each: ${var.groups}
    name: ${each.value}
    retention_in_days: 30
)");
  std::string st = " --state " + Path("state.db");
  auto plan = Infra("plan --detailed-exitcode" + st);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("Plan: 2 to import, 0 to add, 2 to change, 0 to destroy."), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("# aws_cloudwatch_log_group.app[\"worker\"] will be updated in-place\n  # (imported from "
                          "\"imp-worker\")"),
            std::string::npos) << plan.out;
  ASSERT_EQ(Infra("apply --auto-approve" + st).exit_code, 0);
  auto got = Boto3(R"PY(
logs = boto3.client("logs", region_name="eu-west-1", endpoint_url=ENDPOINT)
out = {}
for g in logs.describe_log_groups(logGroupNamePrefix="imp-")["logGroups"]:
    tags = logs.list_tags_for_resource(resourceArn=g["arn"].rstrip(":*"))["tags"]
    out[g["logGroupName"]] = {"retention": g.get("retentionInDays", 0), "address": tags.get("infra:address", "")}
print(json.dumps(out))
)PY");
  ASSERT_EQ(got.exit_code, 0) << got.err;
  ASSERT_EQ(got.json.size(), 2u) << got.json.dump();  // adopted, no twins
  EXPECT_EQ(got.json["imp-web"]["address"], "aws_cloudwatch_log_group.app[\"web\"]");
  EXPECT_EQ(got.json["imp-worker"]["address"], "aws_cloudwatch_log_group.app[\"worker\"]");
  EXPECT_EQ(got.json["imp-worker"]["retention"], 30);
  EXPECT_EQ(Infra("plan --detailed-exitcode" + st).exit_code, 0);
}

}  // namespace
}  // namespace infra::test

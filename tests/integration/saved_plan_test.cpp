// Issue 10 item 2 end to end against moto_server: `apply PLANFILE` applies
// exactly the reviewed plan, with the variables it was made with (a
// sensitive one sealed), refuses the flags that would change it and a
// stack changed since; history records the file's digest. Checked with
// boto3.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "stack_dir_fixture.h"

namespace infra::test {
namespace {

constexpr char kStack[] =
    "stack: saved\nregions: {primary: eu-central-1}\n"
    "variables:\n"
    "  name: {type: string, default: sg-one}\n"
    "  env: {type: string, default: dev}\n"
    "  token: {type: string, sensitive: true}\n"
    "resources:\n"
    "  vpc: {type: aws_vpc, cidr_block: 10.41.0.0/16}\n"
    "  sg:\n    type: aws_security_group\n    name: ${var.name}\n    vpc_id: ${vpc.id}\n"
    "    tags: {Env: \"${var.env}\", Token: \"${var.token}\"}\n";

// name -> {Env, Token} of every security group of the VPC infra made.
nlohmann::json GroupsInAws() {
  auto r = Boto3(R"PY(
ec2 = boto3.client("ec2", region_name="eu-central-1", endpoint_url=ENDPOINT)
vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:infra:stack", "Values": ["saved"]}])["Vpcs"]
out = {}
for v in vpcs:
    for g in ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [v["VpcId"]]}])["SecurityGroups"]:
        if g["GroupName"] == "default": continue
        tags = {t["Key"]: t["Value"] for t in g.get("Tags", [])}
        out[g["GroupName"]] = {"Env": tags.get("Env", ""), "Token": tags.get("Token", "")}
print(json.dumps(out))
)PY");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.json;
}

class SavedPlanTest : public StackDirTest {};

TEST_F(SavedPlanTest, AppliesExactlyTheReviewedPlan) {
  WriteStack(kStack);
  auto first = Infra("apply --auto-approve -var name=sg-two -var token=tok-first");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  ASSERT_TRUE(GroupsInAws().contains("sg-two")) << GroupsInAws().dump();

  auto plan = Infra("plan -var name=sg-three -var env=stage -var token=tok-second --out x.plan");
  ASSERT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("\"sg-two\" -> \"sg-three\""), std::string::npos) << plan.out;
  EXPECT_EQ(Bytes(Path("x.plan")).find("tok-second"), std::string::npos) << "the secret is in the plan file";

  // Flags that would change what was reviewed are refused, nothing is done.
  WriteFile("evil-vars.txt", "name: sg-evil\n");  // not .yaml: a stray .yaml in the stack dir is an error
  for (const std::string flags : {"-var name=sg-evil", "-var-file evil-vars.txt", "--target aws_vpc.vpc",
                                  "--replace aws_vpc.vpc", "--refresh-only"}) {
    auto refused = Infra("apply x.plan " + flags);
    EXPECT_EQ(refused.exit_code, 1) << flags << "\n" << refused.out << refused.err;
    EXPECT_NE(refused.err.find("cannot be used with a saved plan"), std::string::npos) << flags << "\n" << refused.err;
  }
  EXPECT_FALSE(GroupsInAws().contains("sg-evil"));

  // Without flags: the plan's variables (defaults not taken back, the
  // sealed token used), exactly as reviewed.
  auto apply = Infra("apply x.plan");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  nlohmann::json groups = GroupsInAws();
  EXPECT_EQ(groups.size(), 1u) << groups.dump();
  ASSERT_TRUE(groups.contains("sg-three")) << groups.dump();
  EXPECT_EQ(groups["sg-three"]["Env"], "stage");
  EXPECT_EQ(groups["sg-three"]["Token"], "tok-second");

  auto sum = RunCommand("sha256sum " + ShellQuote(Path("x.plan")));
  auto history = Infra("state history --json");
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_EQ(nlohmann::json::parse(history.out)[0]["plan_digest"], "sha256:" + sum.out.substr(0, 64));
}

TEST_F(SavedPlanTest, RefusesAPlanWhoseStackFilesChanged) {
  WriteStack(kStack);
  auto plan = Infra("plan -var token=t1 --out y.plan");
  ASSERT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  WriteStack(std::string(kStack) + "    description: changed after review\n");
  auto apply = Infra("apply y.plan");
  EXPECT_EQ(apply.exit_code, 1) << apply.out << apply.err;
  EXPECT_NE(apply.err.find("the stack files changed since this plan was made"), std::string::npos) << apply.err;
  auto vpcs = AwsCli("eu-central-1", "ec2 describe-vpcs --filters Name=tag:infra:stack,Values=saved");
  ASSERT_EQ(vpcs.exit_code, 0) << vpcs.err;
  EXPECT_TRUE(vpcs.json["Vpcs"].empty()) << "nothing may be created from a stale plan";
}

}  // namespace
}  // namespace infra::test

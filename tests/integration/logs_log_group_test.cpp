// aws_cloudwatch_log_group end to end through the `infra` binary against
// moto_server, checked with boto3: a retention AWS does not allow is refused
// at validate with its file:line:col (moto would accept it); create -> read
// back -> no-op plan -> in-place update (retention, tags) -> replacement
// (name) -> delete -> gone; import of a group made outside infra.
#include <gtest/gtest.h>

#include "integration/stack_dir_fixture.h"

namespace infra::test {
namespace {

const char* kStack = R"(stack: logs-test
regions:
  primary: eu-west-1
variables:
  name: {type: string, default: /app/web}
  days: {type: number, default: 14}
  team: {type: string, default: app}
resources:
  web:
    type: aws_cloudwatch_log_group
    name: ${var.name}
    retention_in_days: ${var.days}
    tags: {team: "${var.team}"}
)";

class LogGroupStackTest : public StackDirTest {
 protected:
  // Every log group with its retention and tags, as boto3 sees them.
  nlohmann::json Groups() {
    auto r = Boto3(R"(
logs = boto3.client("logs", endpoint_url=ENDPOINT, region_name="eu-west-1")
out = {}
for g in logs.describe_log_groups()["logGroups"]:
    arn = g["arn"][:-2] if g["arn"].endswith(":*") else g["arn"]
    out[g["logGroupName"]] = {"days": g.get("retentionInDays"),
                              "tags": logs.list_tags_for_resource(resourceArn=arn)["tags"]}
print(json.dumps(out))
)");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json;
  }
};

TEST_F(LogGroupStackTest, ARetentionAwsDoesNotAllowIsRefusedAtValidate) {
  WriteStack(kStack);
  auto v = Infra("validate -var days=13");
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  std::string all = v.out + v.err;
  EXPECT_NE(all.find("stack.yaml:12:26"), std::string::npos) << all;
  EXPECT_NE(all.find("'retention_in_days' must be one of 1, 3, 5, 7, 14"), std::string::npos) << all;
  EXPECT_NE(all.find("got 13"), std::string::npos) << all;
  EXPECT_EQ(Infra("validate -var days=14").exit_code, 0);
}

TEST_F(LogGroupStackTest, LifecycleCreateNoOpUpdateReplaceDestroy) {
  WriteStack(kStack);
  auto apply = Infra("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  auto g = Groups();
  ASSERT_TRUE(g.contains("/app/web")) << g.dump(2);
  EXPECT_EQ(g["/app/web"]["days"], 14);
  EXPECT_EQ(g["/app/web"]["tags"]["team"], "app");
  EXPECT_EQ(g["/app/web"]["tags"]["infra:address"], "aws_cloudwatch_log_group.web");

  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;

  std::string vars = "-var days=30 -var team=ops";
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_cloudwatch_log_group.web will be updated in-place"), std::string::npos) << plan.out;
  apply = Infra("apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  g = Groups();
  EXPECT_EQ(g["/app/web"]["days"], 30);
  EXPECT_EQ(g["/app/web"]["tags"]["team"], "ops");
  EXPECT_EQ(Infra("plan --detailed-exitcode " + vars).exit_code, 0);

  vars += " -var name=/app/web2";
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_cloudwatch_log_group.web must be replaced"), std::string::npos) << plan.out;
  apply = Infra("apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  g = Groups();
  EXPECT_FALSE(g.contains("/app/web")) << g.dump(2);
  ASSERT_TRUE(g.contains("/app/web2")) << g.dump(2);
  EXPECT_EQ(g["/app/web2"]["days"], 30);
  EXPECT_EQ(Infra("plan --detailed-exitcode " + vars).exit_code, 0);

  auto destroy = Infra("destroy --auto-approve " + vars);
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  EXPECT_EQ(Groups(), nlohmann::json::object());
}

TEST_F(LogGroupStackTest, ImportedGroupPlansNoChanges) {
  auto made = Boto3(R"(
logs = boto3.client("logs", endpoint_url=ENDPOINT, region_name="eu-west-1")
logs.create_log_group(logGroupName="/made/outside", tags={"team": "app"})
logs.put_retention_policy(logGroupName="/made/outside", retentionInDays=14)
print(json.dumps({"ok": True}))
)");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  WriteStack(kStack);
  auto import = Infra("import aws_cloudwatch_log_group.web /made/outside -var name=/made/outside");
  ASSERT_EQ(import.exit_code, 0) << import.out << import.err;
  auto g = Groups();  // an imported object is tagged like a created one
  EXPECT_EQ(g["/made/outside"]["tags"]["infra:address"], "aws_cloudwatch_log_group.web");
  EXPECT_FALSE(g["/made/outside"]["tags"].value("infra:stack", "").empty());
  EXPECT_EQ(g["/made/outside"]["tags"]["team"], "app");
  auto plan = Infra("plan --detailed-exitcode -var name=/made/outside");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  ASSERT_EQ(Infra("destroy --auto-approve -var name=/made/outside").exit_code, 0);
  EXPECT_EQ(Groups(), nlohmann::json::object());
}

}  // namespace
}  // namespace infra::test

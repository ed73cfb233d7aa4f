// aws_ssm_parameter and data.aws_ssm_parameter end to end through the
// `infra` binary against moto_server, checked with boto3: a String and a
// SecureString (given with `attributes: {type: ...}`, the language's
// spelling of a reserved key); the secret never in plan output or state
// bytes; create -> read back -> no-op plan -> in-place update (value,
// description, tags) -> replacement (type) -> destroy -> gone; the data
// source reads a parameter made outside infra; import of one.
#include <gtest/gtest.h>

#include "integration/stack_dir_fixture.h"

namespace infra::test {
namespace {

const char* kStack = R"(stack: ssm-test
regions:
  primary: eu-west-1
variables:
  secret: {type: string, default: hunter2-initial, sensitive: true}
  endpoint: {type: string, default: db.internal}
  team: {type: string, default: db}
  kind: {type: string, default: String}
resources:
  endpoint:
    type: aws_ssm_parameter
    name: /app/db/endpoint
    attributes: {type: "${var.kind}"}
    value: ${var.endpoint}
    description: writer endpoint
    tags: {team: "${var.team}"}
  password:
    type: aws_ssm_parameter
    name: /app/db/password
    attributes: {type: SecureString}
    value: ${var.secret}
)";

class SsmStackTest : public StackDirTest {
 protected:
  nlohmann::json Seen() {
    auto r = Boto3(R"(
ssm = boto3.client("ssm", endpoint_url=ENDPOINT, region_name="eu-west-1")
out = {}
for p in ssm.describe_parameters()["Parameters"]:
    v = ssm.get_parameter(Name=p["Name"], WithDecryption=True)["Parameter"]
    tags = {t["Key"]: t["Value"] for t in ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=p["Name"])["TagList"]}
    out[p["Name"]] = {"type": v["Type"], "value": v["Value"], "version": v["Version"], "description": p.get("Description"), "tags": tags}
print(json.dumps(out))
)");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json;
  }
};

TEST_F(SsmStackTest, LifecycleCreateNoOpUpdateReplaceDestroyWithoutShowingTheSecret) {
  WriteStack(kStack);
  auto plan = Infra("plan");
  ASSERT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_EQ((plan.out + plan.err).find("hunter2"), std::string::npos) << plan.out;
  auto apply = Infra("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ((apply.out + apply.err).find("hunter2"), std::string::npos) << apply.out;
  EXPECT_EQ(EverythingStored().find("hunter2"), std::string::npos);  // encrypted in state
  auto s = Seen();
  ASSERT_TRUE(s.contains("/app/db/password")) << s.dump(2);
  EXPECT_EQ(s["/app/db/password"]["type"], "SecureString");
  EXPECT_EQ(s["/app/db/password"]["value"], "hunter2-initial");
  EXPECT_EQ(s["/app/db/endpoint"]["type"], "String");
  EXPECT_EQ(s["/app/db/endpoint"]["value"], "db.internal");
  EXPECT_EQ(s["/app/db/endpoint"]["description"], "writer endpoint");
  EXPECT_EQ(s["/app/db/endpoint"]["tags"]["team"], "db");
  EXPECT_EQ(s["/app/db/endpoint"]["tags"]["infra:address"], "aws_ssm_parameter.endpoint");

  plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;

  std::string vars = "-var secret=hunter2-rotated -var endpoint=db2.internal -var team=ops";
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_ssm_parameter.password will be updated in-place"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("aws_ssm_parameter.endpoint will be updated in-place"), std::string::npos) << plan.out;
  EXPECT_EQ((plan.out + plan.err).find("hunter2"), std::string::npos) << plan.out;
  apply = Infra("apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  s = Seen();
  EXPECT_EQ(s["/app/db/password"]["value"], "hunter2-rotated");
  EXPECT_EQ(s["/app/db/password"]["version"], 2);
  EXPECT_EQ(s["/app/db/endpoint"]["value"], "db2.internal");
  EXPECT_EQ(s["/app/db/endpoint"]["tags"]["team"], "ops");
  EXPECT_EQ(EverythingStored().find("hunter2"), std::string::npos);
  EXPECT_EQ(Infra("plan --detailed-exitcode " + vars).exit_code, 0);

  vars += " -var kind=StringList";
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_ssm_parameter.endpoint must be replaced"), std::string::npos) << plan.out;
  apply = Infra("apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(Seen()["/app/db/endpoint"]["type"], "StringList");
  EXPECT_EQ(Infra("plan --detailed-exitcode " + vars).exit_code, 0);

  auto destroy = Infra("destroy --auto-approve " + vars);
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  EXPECT_EQ(Seen(), nlohmann::json::object());
}

TEST_F(SsmStackTest, TheDataSourceReadsAndImportAdoptsAParameterMadeOutside) {
  auto made = Boto3(R"(
ssm = boto3.client("ssm", endpoint_url=ENDPOINT, region_name="eu-west-1")
ssm.put_parameter(Name="/shared/api-key", Type="SecureString", Value="outside-s3cret", Tags=[{"Key": "team", "Value": "api"}])
print(json.dumps({"ok": True}))
)");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  WriteStack(R"(stack: ssm-import
regions:
  primary: eu-west-1
data:
  key:
    type: aws_ssm_parameter
    name: /shared/api-key
resources:
  copy:
    type: aws_ssm_parameter
    name: /app/api-key
    attributes: {type: SecureString}
    value: ${data.key.value}
  key:
    type: aws_ssm_parameter
    name: /shared/api-key
    attributes: {type: SecureString}
    value: outside-s3cret
    tags: {team: api}
)");
  auto import = Infra("import aws_ssm_parameter.key /shared/api-key");
  ASSERT_EQ(import.exit_code, 0) << import.out << import.err;
  auto apply = Infra("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ((apply.out + apply.err).find("outside-s3cret"), std::string::npos) << apply.out;
  EXPECT_EQ(apply.out.find("aws_ssm_parameter.key will be"), std::string::npos) << apply.out;  // imported: no change
  auto s = Seen();
  EXPECT_EQ(s["/app/api-key"]["value"], "outside-s3cret");
  EXPECT_EQ(s["/shared/api-key"]["tags"]["infra:address"], "aws_ssm_parameter.key");
  EXPECT_EQ(s["/shared/api-key"]["tags"]["team"], "api");
  EXPECT_EQ(Infra("plan --detailed-exitcode").exit_code, 0);
  ASSERT_EQ(Infra("destroy --auto-approve").exit_code, 0);
  EXPECT_EQ(Seen(), nlohmann::json::object());
}

}  // namespace
}  // namespace infra::test

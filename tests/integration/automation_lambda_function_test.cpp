// aws_lambda_function end to end through the `infra` binary against
// moto_server, checked with boto3: a function zipped by archive_file from a
// directory, with its role made in the same apply; create -> read back (the
// code's SHA-256 is the zip's) -> no-op plan (also from a copy of the
// sources elsewhere with other times) -> a one-line source change updates
// the code in place -> concurrency 0 <-> unset in place -> a new name
// replaces it -> destroy leaves nothing; import of a function made outside.
// The sensitive environment value never shows. Nine functions (refresh
// lists them: ListFunctions, then each one's tags and concurrency): tags and
// reserved concurrency changed outside show in the plan and are repaired.
#include <gtest/gtest.h>

#include <filesystem>

#include "integration/stack_dir_fixture.h"

namespace infra::test {
namespace {

const char* kStack = R"(stack: lambda-test
regions:
  primary: eu-west-1
variables:
  name: {type: string, default: health}
  src: {type: string, default: src}
  disabled: {type: bool, default: false}
  token: {type: string, default: s3cr3t-t0ken, sensitive: true}
data:
  code:
    type: archive_file
    source_dir: ${path.module}/${var.src}
    output_path: ${path.module}/build/health.zip
resources:
  role:
    type: aws_iam_role
    name: health-role
    assume_role_policy:
      Version: "2012-10-17"
      Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: "sts:AssumeRole"}]
  health:
    type: aws_lambda_function
    function_name: ${var.name}
    role: ${role.arn}
    runtime: python3.12
    handler: index.handler
    filename: ${data.code.output_path}
    source_code_hash: ${data.code.output_base64sha256}
    timeout: 10
    reserved_concurrent_executions: '${var.disabled ? 0 : null}'
    environment:
      variables: {MODE: primary, TOKEN: "${var.token}"}
    tags: {team: ops}
)";

class LambdaFunctionStackTest : public StackDirTest {
 protected:
  void WriteSource(const std::string& dir, const std::string& body) {
    std::filesystem::create_directories(dir_ / dir);
    WriteFile(dir + "/index.py", "def handler(event, context):\n    return " + body + "\n");
    WriteFile(dir + "/util.py", "X = 1\n");
  }
  // Every function: its configuration, concurrency and tags; and the
  // base64 SHA-256 of the zip archive_file wrote.
  nlohmann::json Functions() {
    auto r = Boto3(R"(
import base64, hashlib, os
lam = boto3.client("lambda", endpoint_url=ENDPOINT, region_name="eu-west-1")
out = {}
for f in lam.list_functions()["Functions"]:
    n = f["FunctionName"]
    out[n] = {"sha": f["CodeSha256"], "timeout": f["Timeout"], "env": f.get("Environment", {}).get("Variables"),
              "role": f["Role"],
              "concurrency": lam.get_function_concurrency(FunctionName=n).get("ReservedConcurrentExecutions"),
              "tags": lam.list_tags(Resource=f["FunctionArn"])["Tags"]}
zip_path = os.path.join(")" + dir_.string() + R"(", "build", "health.zip")
zip_sha = base64.b64encode(hashlib.sha256(open(zip_path, "rb").read()).digest()).decode() if os.path.exists(zip_path) else None
print(json.dumps({"functions": out, "zip": zip_sha}))
)");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json;
  }
};

TEST_F(LambdaFunctionStackTest, LifecycleCodeByHashConcurrencyReplaceDestroy) {
  WriteStack(kStack);
  WriteSource("src", "1");
  auto apply = Infra("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  auto s = Functions();
  ASSERT_TRUE(s["functions"].contains("health")) << s.dump(2);
  auto f = s["functions"]["health"];
  EXPECT_EQ(f["sha"], s["zip"]);
  EXPECT_EQ(f["timeout"], 10);
  EXPECT_EQ(f["env"]["MODE"], "primary");
  EXPECT_TRUE(f["concurrency"].is_null());
  EXPECT_EQ(f["tags"]["team"], "ops");
  EXPECT_EQ(f["tags"]["infra:address"], "aws_lambda_function.health");
  EXPECT_NE(f["role"].get<std::string>().find("role/health-role"), std::string::npos);
  EXPECT_EQ((apply.out + apply.err).find("s3cr3t-t0ken"), std::string::npos);

  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  // The same sources checked out elsewhere (other mtimes) zip to the same hash.
  WriteSource("checkout2/src", "1");
  plan = Infra("plan --detailed-exitcode -var src=checkout2/src");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;

  WriteSource("src", "2");  // one line changed
  plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_lambda_function.health will be updated in-place"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("source_code_hash"), std::string::npos) << plan.out;
  EXPECT_EQ((plan.out + plan.err).find("s3cr3t-t0ken"), std::string::npos) << plan.out;
  apply = Infra("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  auto s2 = Functions();
  EXPECT_NE(s2["functions"]["health"]["sha"], f["sha"]);
  EXPECT_EQ(s2["functions"]["health"]["sha"], s2["zip"]);
  EXPECT_EQ(Infra("plan --detailed-exitcode").exit_code, 0);

  plan = Infra("plan --detailed-exitcode -var disabled=true");
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("0 to add, 1 to change, 0 to destroy"), std::string::npos) << plan.out;
  ASSERT_EQ(Infra("apply --auto-approve -var disabled=true").exit_code, 0);
  EXPECT_EQ(Functions()["functions"]["health"]["concurrency"], 0);
  EXPECT_EQ(Infra("plan --detailed-exitcode -var disabled=true").exit_code, 0);
  ASSERT_EQ(Infra("apply --auto-approve").exit_code, 0);
  EXPECT_TRUE(Functions()["functions"]["health"]["concurrency"].is_null());
  EXPECT_EQ(Infra("plan --detailed-exitcode").exit_code, 0);

  plan = Infra("plan --detailed-exitcode -var name=health2");
  EXPECT_EQ(plan.exit_code, 2);
  EXPECT_NE(plan.out.find("aws_lambda_function.health must be replaced"), std::string::npos) << plan.out;
  ASSERT_EQ(Infra("apply --auto-approve -var name=health2").exit_code, 0);
  auto names = Functions()["functions"];
  EXPECT_FALSE(names.contains("health"));
  EXPECT_TRUE(names.contains("health2"));

  auto destroy = Infra("destroy --auto-approve -var name=health2");
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  EXPECT_EQ(Functions()["functions"], nlohmann::json::object());
  EXPECT_EQ(EverythingStored().find("s3cr3t-t0ken"), std::string::npos);
}

TEST_F(LambdaFunctionStackTest, AFunctionMadeOutsideIsImportedAndConverges) {
  WriteStack(kStack);
  WriteSource("src", "1");
  auto made = Boto3(R"(
import io, zipfile
iam = boto3.client("iam", endpoint_url=ENDPOINT, region_name="us-east-1")
arn = iam.create_role(RoleName="outside", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("index.py", "def handler(e, c):\n    return 0\n")
lam = boto3.client("lambda", endpoint_url=ENDPOINT, region_name="eu-west-1")
lam.create_function(FunctionName="legacy", Role=arn, Runtime="python3.12", Handler="index.handler",
                    Code={"ZipFile": buf.getvalue()}, Timeout=10, Tags={"team": "ops"})
print(json.dumps({"ok": True}))
)");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  auto import = Infra("import -var name=legacy aws_lambda_function.health legacy");
  ASSERT_EQ(import.exit_code, 0) << import.out << import.err;
  EXPECT_EQ(Functions()["functions"]["legacy"]["tags"]["infra:address"], "aws_lambda_function.health");
  auto plan = Infra("plan -var name=legacy");
  ASSERT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_lambda_function.health will be updated in-place"), std::string::npos) << plan.out;
  EXPECT_EQ(plan.out.find("aws_lambda_function.health must be replaced"), std::string::npos) << plan.out;
  ASSERT_EQ(Infra("apply --auto-approve -var name=legacy").exit_code, 0);
  auto s = Functions();
  EXPECT_EQ(s["functions"]["legacy"]["sha"], s["zip"]);  // the stack's code now
  EXPECT_EQ(Infra("plan --detailed-exitcode -var name=legacy").exit_code, 0);
  ASSERT_EQ(Infra("destroy --auto-approve -var name=legacy").exit_code, 0);
  EXPECT_EQ(Functions()["functions"], nlohmann::json::object());
}

TEST_F(LambdaFunctionStackTest, DriftInTagsAndConcurrencyOfListedFunctionsIsSeenAndRepaired) {
  WriteStack(R"(stack: lambda-many
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
    name: many-role
    assume_role_policy:
      Version: "2012-10-17"
      Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: "sts:AssumeRole"}]
  fn:
    type: aws_lambda_function
    count: 9
    function_name: fn-${count.index}
    role: ${role.arn}
    runtime: python3.12
    handler: index.handler
    filename: ${data.code.output_path}
    source_code_hash: ${data.code.output_base64sha256}
    reserved_concurrent_executions: '${count.index == 0 ? 0 : null}'
    tags: {team: ops}
)");
  auto apply = Infra("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  ASSERT_EQ(Functions()["functions"].size(), 9u);
  auto drift = Boto3(R"(
lam = boto3.client("lambda", endpoint_url=ENDPOINT, region_name="eu-west-1")
arn = lam.get_function(FunctionName="fn-3")["Configuration"]["FunctionArn"]
lam.tag_resource(Resource=arn, Tags={"team": "rogue"})
lam.put_function_concurrency(FunctionName="fn-3", ReservedConcurrentExecutions=7)
lam.delete_function_concurrency(FunctionName="fn-0")
print(json.dumps(True))
)");
  ASSERT_EQ(drift.exit_code, 0) << drift.err;
  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_lambda_function.fn[3] will be updated in-place"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("aws_lambda_function.fn[0] will be updated in-place"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("rogue"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("0 to add, 2 to change, 0 to destroy"), std::string::npos) << plan.out;
  apply = Infra("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  auto f = Functions()["functions"];
  EXPECT_EQ(f["fn-3"]["tags"]["team"], "ops");
  EXPECT_TRUE(f["fn-3"]["concurrency"].is_null()) << f.dump(2);
  EXPECT_EQ(f["fn-0"]["concurrency"], 0) << f.dump(2);
  EXPECT_EQ(Infra("plan --detailed-exitcode").exit_code, 0);
}

}  // namespace
}  // namespace infra::test

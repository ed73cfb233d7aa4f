// The IAM family end to end through the `infra` binary against moto_server,
// checked with boto3: create -> read back -> no-op plan -> in-place update
// -> replacement where forced -> delete -> gone, import of a role whose
// policy AWS holds with its keys in another order, and crash recovery of
// the types whose id AWS makes (a policy, an OIDC provider) and of a role
// named from name_prefix after their create replies were lost.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/fault_proxy.h"
#include "support/moto_server.h"
#include "test_paths.h"

namespace infra::test {
namespace {
namespace fs = std::filesystem;

class IamStackTest : public testing::Test {
 protected:
  void SetUp() override {
    moto_.ExportEnvironment();
    moto_.Reset();
    work_ = fs::temp_directory_path() / ("infra-iam-" + std::to_string(::getpid()));
    fs::remove_all(work_);
    fs::create_directories(work_);
  }
  void TearDown() override { fs::remove_all(work_); }

  CommandResult Infra(const std::string& stack, const std::string& args) {
    return RunCommand(ShellQuote(InfraBinary()) + " -C " + ShellQuote(DataDir() + "/stacks/" + stack) + " " + args +
                      " --state " + ShellQuote((work_ / "s.db").string()) + " </dev/null");
  }

  // What IAM holds, as boto3 sees it (one python start-up for all checks).
  nlohmann::json Snapshot() {
    auto r = Boto3(R"(
iam = boto3.client("iam", endpoint_url=ENDPOINT, region_name="us-east-1")
out = {"roles": {}, "policies": {}, "oidc": []}
for role in iam.list_roles()["Roles"]:
    name = role["RoleName"]
    got = iam.get_role(RoleName=name)["Role"]
    out["roles"][name] = {
        "path": got["Path"], "description": got.get("Description"),
        "tags": {t["Key"]: t["Value"] for t in got.get("Tags", [])},
        "attached": sorted(p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]),
        "inline": {n: iam.get_role_policy(RoleName=name, PolicyName=n)["PolicyDocument"]
                   for n in iam.list_role_policies(RoleName=name)["PolicyNames"]}}
for p in iam.list_policies(Scope="Local")["Policies"]:
    v = iam.get_policy_version(PolicyArn=p["Arn"], VersionId=p["DefaultVersionId"])["PolicyVersion"]
    out["policies"][p["PolicyName"]] = {"arn": p["Arn"], "version": p["DefaultVersionId"], "document": v["Document"]}
for o in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]:
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=o["Arn"])
    out["oidc"].append({"arn": o["Arn"], "url": got["Url"], "clients": got["ClientIDList"],
                        "thumbprints": got["ThumbprintList"]})
print(json.dumps(out, default=str))
)");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json;
  }

  MotoServer& moto_ = MotoServer::Shared();
  fs::path work_;
};

TEST_F(IamStackTest, LifecycleCreateNoOpUpdateReplaceDestroy) {
  auto apply = Infra("iam", "apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  auto s = Snapshot();
  ASSERT_TRUE(s["roles"].contains("task-role")) << s.dump(2);
  const auto& role = s["roles"]["task-role"];
  EXPECT_EQ(role["path"], "/app/");
  EXPECT_EQ(role["description"], "first");
  EXPECT_EQ(role["tags"]["team"], "app");
  EXPECT_FALSE(role["tags"].contains("Nul")) << "a null tag value is no tag: " << role.dump();
  EXPECT_EQ(role["tags"]["infra:address"], "aws_iam_role.task_role");
  ASSERT_TRUE(s["policies"].contains("read-bucket")) << s.dump(2);
  std::string policy_arn = s["policies"]["read-bucket"]["arn"];
  EXPECT_EQ(role["attached"], (nlohmann::json{policy_arn,
                                              "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"}));
  EXPECT_TRUE(role["inline"].contains("logs")) << role.dump();
  ASSERT_EQ(s["oidc"].size(), 1u);
  EXPECT_EQ(s["oidc"][0]["clients"], (nlohmann::json{"sts.amazonaws.com"}));

  // Read back: no changes, though AWS holds the documents in its own form.
  auto plan = Infra("iam", "plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;

  // In place: the role's description and the policy's document (a new
  // default version); nothing is replaced.
  std::string vars = "-var description=second -var action=s3:PutObject";
  plan = Infra("iam", "plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_iam_role.task_role will be updated in-place"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("aws_iam_policy.read_policy will be updated in-place"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("0 to add, 2 to change, 0 to destroy"), std::string::npos) << plan.out;
  apply = Infra("iam", "apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  s = Snapshot();
  EXPECT_EQ(s["roles"]["task-role"]["description"], "second");
  EXPECT_EQ(s["policies"]["read-bucket"]["version"], "v2");
  EXPECT_NE(s["policies"]["read-bucket"]["document"].dump().find("s3:PutObject"), std::string::npos) << s.dump(2);
  EXPECT_EQ(s["policies"]["read-bucket"]["arn"], policy_arn);
  EXPECT_EQ(Infra("iam", "plan --detailed-exitcode " + vars).exit_code, 0);

  // The OIDC provider's URL forces a replacement.
  vars += " -var oidc_url=https://gitlab.example.com";
  plan = Infra("iam", "plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_iam_openid_connect_provider.github must be replaced"), std::string::npos) << plan.out;
  apply = Infra("iam", "apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  s = Snapshot();
  ASSERT_EQ(s["oidc"].size(), 1u) << s.dump(2);
  EXPECT_EQ(s["oidc"][0]["url"], "gitlab.example.com");
  EXPECT_EQ(Infra("iam", "plan --detailed-exitcode " + vars).exit_code, 0);

  auto destroy = Infra("iam", "destroy --auto-approve " + vars);
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  s = Snapshot();
  EXPECT_FALSE(s["roles"].contains("task-role")) << s.dump(2);
  EXPECT_TRUE(s["policies"].empty()) << s.dump(2);
  EXPECT_TRUE(s["oidc"].empty()) << s.dump(2);
}

TEST_F(IamStackTest, ImportedRoleWithReorderedPolicyPlansNoChanges) {
  auto made = Boto3(R"(
iam = boto3.client("iam", endpoint_url=ENDPOINT, region_name="us-east-1")
doc = '{"Statement": [{"Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:org/app:*"]}},\n'\
      '  "Action": ["sts:AssumeRoleWithWebIdentity"], "Principal": {"Federated": '\
      '"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}, "Effect": "Allow"}],\n'\
      ' "Version": "2012-10-17"}'
iam.create_role(RoleName="deploy", AssumeRolePolicyDocument=doc)
print(json.dumps({"ok": True}))
)");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  auto plan = Infra("iam-import", "plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 2) << "the role is not managed yet:\n" << plan.out << plan.err;
  auto import = Infra("iam-import", "import aws_iam_role.deploy deploy");
  ASSERT_EQ(import.exit_code, 0) << import.out << import.err;
  plan = Infra("iam-import", "plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  ASSERT_EQ(Infra("iam-import", "destroy --auto-approve").exit_code, 0);
  auto gone = Boto3(R"(
iam = boto3.client("iam", endpoint_url=ENDPOINT, region_name="us-east-1")
print(json.dumps([r["RoleName"] for r in iam.list_roles()["Roles"]]))
)");
  EXPECT_EQ(gone.json, nlohmann::json::array()) << gone.out;
}

// Issue 11: the replies to CreatePolicy, CreateOpenIDConnectProvider and a
// name_prefix CreateRole are cut short (the objects exist, infra does not
// know their ids): the lookup by name + path, by URL and by the asked name
// adopts each in the same run, so IAM holds exactly one of each (a repeat
// would have failed with EntityAlreadyExists and left the first orphaned).
constexpr const char* kLostStack = R"(stack: iam-lost
regions:
  primary: eu-central-1
resources:
  deploy:
    type: aws_iam_policy
    name: lost-deploy
    path: /lost/
    policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:ListBucket", Resource: "*"}]}
  github:
    type: aws_iam_openid_connect_provider
    url: https://token.actions.githubusercontent.com
    client_id_list: [sts.amazonaws.com]
    thumbprint_list: [6938fd4d98bab03faadb97b34396831e3780aea1]
  runner:
    type: aws_iam_role
    name_prefix: lost-runner-
    assume_role_policy:
      Version: "2012-10-17"
      Statement: [{Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: "sts:AssumeRole"}]
)";

TEST_F(IamStackTest, LostCreateRepliesAreAdoptedByNamePathAndUrl) {
  FaultProxy proxy(moto_.port());
  fs::create_directories(work_ / "stack");
  { std::ofstream(work_ / "stack" / "stack.yaml") << kLostStack; }
  auto infra = [&](const std::string& args, bool via_proxy) {
    std::string env = via_proxy ? "AWS_ENDPOINT_URL=" + ShellQuote(proxy.endpoint()) + " " : "";
    return RunCommand(env + ShellQuote(InfraBinary()) + " -C " + ShellQuote((work_ / "stack").string()) + " " + args +
                      " --state " + ShellQuote((work_ / "lost.db").string()) + " </dev/null");
  };
  proxy.Script({Fault::CutShort(10, "Action=CreatePolicy"), Fault::CutShort(10, "Action=CreateOpenIDConnectProvider"),
                Fault::CutShort(10, "Action=CreateRole")});
  auto apply = infra("apply --auto-approve", true);
  EXPECT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(proxy.pending(), 0u) << "every fault was hit";
  EXPECT_EQ(proxy.requests("Action=CreatePolicy"), 1);  // adopted, never sent again
  EXPECT_EQ(proxy.requests("Action=CreateOpenIDConnectProvider"), 1);
  EXPECT_EQ(proxy.requests("Action=CreateRole"), 1);
  auto s = Snapshot();
  EXPECT_EQ(s["policies"].size(), 1u) << s.dump(2);
  EXPECT_TRUE(s["policies"].contains("lost-deploy")) << s.dump(2);
  EXPECT_EQ(s["oidc"].size(), 1u) << s.dump(2);
  auto runners = [](const nlohmann::json& snapshot) {
    int n = 0;
    for (auto it = snapshot["roles"].begin(); it != snapshot["roles"].end(); ++it)
      n += it.key().rfind("lost-runner-", 0) == 0;
    return n;
  };
  EXPECT_EQ(runners(s), 1) << s.dump(2);
  auto plan = infra("plan --detailed-exitcode", false);
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  auto destroyed = infra("destroy --auto-approve", false);
  EXPECT_EQ(destroyed.exit_code, 0) << destroyed.out << destroyed.err;
  s = Snapshot();
  EXPECT_TRUE(s["policies"].empty() && s["oidc"].empty() && runners(s) == 0) << s.dump(2);
}

}  // namespace
}  // namespace infra::test

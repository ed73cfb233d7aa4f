// The ECR family end to end through the `infra` binary against moto_server,
// checked with boto3: a repository with its nested blocks and tags, its
// lifecycle policy (a YAML map, compared as a document) and the registry's
// replication rules: create -> read back -> no-op plan -> in-place update
// of all three -> replacement (name; encryption plans one) -> delete ->
// gone; import of all three made outside infra plans no changes.
#include <gtest/gtest.h>

#include "integration/stack_dir_fixture.h"

namespace infra::test {
namespace {

const char* kStack = R"(stack: ecr-test
regions:
  primary: eu-west-1
variables:
  repo: {type: string, default: app}
  mutability: {type: string, default: MUTABLE}
  scan: {type: bool, default: false}
  encryption: {type: string, default: AES256}
  keep: {type: number, default: 10}
  dr_region: {type: string, default: us-east-1}
resources:
  app:
    type: aws_ecr_repository
    name: ${var.repo}
    image_tag_mutability: ${var.mutability}
    image_scanning_configuration:
      scan_on_push: ${var.scan}
    encryption_configuration:
      encryption_type: ${var.encryption}
    force_delete: true
    tags: {team: app}
  keep_last:
    type: aws_ecr_lifecycle_policy
    repository: ${app.name}
    policy:
      rules:
        - rulePriority: 1
          description: keep the last images
          selection:
            tagStatus: any
            countType: imageCountMoreThan
            countNumber: ${var.keep}
          action: {type: expire}
  replication:
    type: aws_ecr_replication_configuration
    replication_configuration:
      rule:
        - destination:
            - region: ${var.dr_region}
              registry_id: "123456789012"
)";

class EcrStackTest : public StackDirTest {
 protected:
  // Repositories, lifecycle policies and replication rules as boto3 sees them.
  nlohmann::json Registry() {
    auto r = Boto3(R"(
ecr = boto3.client("ecr", endpoint_url=ENDPOINT, region_name="eu-west-1")
out = {"repos": {}, "rules": ecr.describe_registry()["replicationConfiguration"]["rules"]}
for repo in ecr.describe_repositories()["repositories"]:
    name = repo["repositoryName"]
    tags = ecr.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"]
    try:
        policy = json.loads(ecr.get_lifecycle_policy(repositoryName=name)["lifecyclePolicyText"])
    except ecr.exceptions.LifecyclePolicyNotFoundException:
        policy = None
    out["repos"][name] = {"mutability": repo["imageTagMutability"],
                          "scan": repo["imageScanningConfiguration"]["scanOnPush"],
                          "encryption": repo["encryptionConfiguration"]["encryptionType"],
                          "tags": {t["Key"]: t["Value"] for t in tags}, "policy": policy}
print(json.dumps(out))
)");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json;
  }
};

TEST_F(EcrStackTest, LifecycleCreateNoOpUpdateReplaceDestroy) {
  WriteStack(kStack);
  auto apply = Infra("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  auto s = Registry();
  ASSERT_TRUE(s["repos"].contains("app")) << s.dump(2);
  const auto& app = s["repos"]["app"];
  EXPECT_EQ(app["mutability"], "MUTABLE");
  EXPECT_EQ(app["scan"], false);
  EXPECT_EQ(app["encryption"], "AES256");
  EXPECT_EQ(app["tags"]["team"], "app");
  EXPECT_EQ(app["tags"]["infra:address"], "aws_ecr_repository.app");
  EXPECT_EQ(app["policy"]["rules"][0]["selection"]["countNumber"], 10) << app.dump();
  EXPECT_EQ(s["rules"], nlohmann::json::parse(R"([{"destinations": [{"region": "us-east-1",
                                                    "registryId": "123456789012"}]}])"));
  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;

  std::string vars = "-var mutability=IMMUTABLE -var scan=true -var keep=5 -var dr_region=eu-north-1";
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  for (const char* a : {"aws_ecr_repository.app", "aws_ecr_lifecycle_policy.keep_last",
                        "aws_ecr_replication_configuration.replication"})
    EXPECT_NE(plan.out.find(std::string(a) + " will be updated in-place"), std::string::npos) << a << plan.out;
  apply = Infra("apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  s = Registry();
  EXPECT_EQ(s["repos"]["app"]["mutability"], "IMMUTABLE");
  EXPECT_EQ(s["repos"]["app"]["scan"], true);
  EXPECT_EQ(s["repos"]["app"]["policy"]["rules"][0]["selection"]["countNumber"], 5);
  EXPECT_EQ(s["rules"][0]["destinations"][0]["region"], "eu-north-1");
  EXPECT_EQ(Infra("plan --detailed-exitcode " + vars).exit_code, 0);

  // Encryption can only be set at create.
  plan = Infra("plan --detailed-exitcode " + vars + " -var encryption=KMS");
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_ecr_repository.app must be replaced"), std::string::npos) << plan.out;

  vars += " -var repo=web";
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_ecr_repository.app must be replaced"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("aws_ecr_lifecycle_policy.keep_last must be replaced"), std::string::npos) << plan.out;
  apply = Infra("apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  s = Registry();
  EXPECT_FALSE(s["repos"].contains("app")) << s.dump(2);
  ASSERT_TRUE(s["repos"].contains("web")) << s.dump(2);
  EXPECT_EQ(s["repos"]["web"]["policy"]["rules"][0]["selection"]["countNumber"], 5);
  EXPECT_EQ(Infra("plan --detailed-exitcode " + vars).exit_code, 0);

  auto destroy = Infra("destroy --auto-approve " + vars);
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  s = Registry();
  EXPECT_EQ(s["repos"], nlohmann::json::object());
  EXPECT_EQ(s["rules"], nlohmann::json::array());
}

TEST_F(EcrStackTest, ImportedRepositoryPolicyAndReplicationPlanNoChanges) {
  auto made = Boto3(R"(
ecr = boto3.client("ecr", endpoint_url=ENDPOINT, region_name="eu-west-1")
ecr.create_repository(repositoryName="outside", imageTagMutability="IMMUTABLE",
                      imageScanningConfiguration={"scanOnPush": True}, tags=[{"Key": "team", "Value": "app"}])
ecr.put_lifecycle_policy(repositoryName="outside", lifecyclePolicyText=
    '{"rules": [{"action": {"type": "expire"}, "selection": {"countNumber": 10, "countType": "imageCountMoreThan",'
    ' "tagStatus": "any"}, "rulePriority": 1}]}')
ecr.put_replication_configuration(replicationConfiguration={"rules": [{"destinations": [
    {"region": "us-east-1", "registryId": "123456789012"}]}]})
print(json.dumps({"ok": True}))
)");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  WriteStack(R"(stack: ecr-import
regions:
  primary: eu-west-1
resources:
  app:
    type: aws_ecr_repository
    name: outside
    image_tag_mutability: IMMUTABLE
    image_scanning_configuration: {scan_on_push: true}
    tags: {team: app}
  keep_last:
    type: aws_ecr_lifecycle_policy
    repository: outside
    policy: {rules: [{rulePriority: 1, selection: {tagStatus: any, countType: imageCountMoreThan, countNumber: 10},
                      action: {type: expire}}]}
  replication:
    type: aws_ecr_replication_configuration
    replication_configuration:
      rule: [{destination: [{region: us-east-1, registry_id: "123456789012"}]}]
)");
  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 2) << "nothing is managed yet:\n" << plan.out << plan.err;
  for (const char* args : {"import aws_ecr_repository.app outside", "import aws_ecr_lifecycle_policy.keep_last outside",
                           "import aws_ecr_replication_configuration.replication registry"}) {
    auto import = Infra(args);
    ASSERT_EQ(import.exit_code, 0) << args << "\n" << import.out << import.err;
  }
  plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  ASSERT_EQ(Infra("destroy --auto-approve").exit_code, 0);
  auto s = Registry();
  EXPECT_EQ(s["repos"], nlohmann::json::object());
  EXPECT_EQ(s["rules"], nlohmann::json::array());
}

}  // namespace
}  // namespace infra::test

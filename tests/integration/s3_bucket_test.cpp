// aws_s3_bucket (minimal, REST-XML) end to end through the `infra` binary
// against moto_server, checked with boto3: create (in eu-west-1, with its
// location constraint) -> read back -> no-op plan -> in-place tag update ->
// replacement (bucket name) -> delete -> gone; import of a bucket made
// outside infra plans no changes.
#include <gtest/gtest.h>

#include "integration/stack_dir_fixture.h"

namespace infra::test {
namespace {

const char* kStack = R"(stack: s3-test
regions:
  primary: eu-west-1
variables:
  bucket: {type: string, default: infra-logs-1}
  team: {type: string, default: app}
resources:
  logs:
    type: aws_s3_bucket
    bucket: ${var.bucket}
    tags: {team: "${var.team}"}
)";

class S3BucketStackTest : public StackDirTest {
 protected:
  // Every bucket with its region and tags, as boto3 sees them.
  nlohmann::json Buckets() {
    auto r = Boto3(R"(
s3 = boto3.client("s3", endpoint_url=ENDPOINT, region_name="eu-west-1")
out = {}
for b in s3.list_buckets()["Buckets"]:
    name = b["Name"]
    try:
        tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=name)["TagSet"]}
    except s3.exceptions.ClientError:
        tags = {}
    out[name] = {"region": s3.get_bucket_location(Bucket=name)["LocationConstraint"], "tags": tags}
print(json.dumps(out))
)");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json;
  }
};

TEST_F(S3BucketStackTest, LifecycleCreateNoOpUpdateReplaceDestroy) {
  WriteStack(kStack);
  auto apply = Infra("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  auto b = Buckets();
  ASSERT_TRUE(b.contains("infra-logs-1")) << b.dump(2);
  EXPECT_EQ(b["infra-logs-1"]["region"], "eu-west-1");
  EXPECT_EQ(b["infra-logs-1"]["tags"]["team"], "app");
  EXPECT_EQ(b["infra-logs-1"]["tags"]["infra:address"], "aws_s3_bucket.logs");
  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;

  plan = Infra("plan --detailed-exitcode -var team=ops");
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_s3_bucket.logs will be updated in-place"), std::string::npos) << plan.out;
  apply = Infra("apply --auto-approve -var team=ops");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  b = Buckets();
  EXPECT_EQ(b["infra-logs-1"]["tags"]["team"], "ops");
  EXPECT_EQ(b["infra-logs-1"]["tags"]["infra:stack"], "s3-test");  // the whole set was replaced, infra:* kept
  EXPECT_EQ(Infra("plan --detailed-exitcode -var team=ops").exit_code, 0);

  std::string vars = "-var team=ops -var bucket=infra-logs-2";
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_s3_bucket.logs must be replaced"), std::string::npos) << plan.out;
  apply = Infra("apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  b = Buckets();
  EXPECT_FALSE(b.contains("infra-logs-1")) << b.dump(2);
  ASSERT_TRUE(b.contains("infra-logs-2")) << b.dump(2);
  EXPECT_EQ(Infra("plan --detailed-exitcode " + vars).exit_code, 0);

  auto destroy = Infra("destroy --auto-approve " + vars);
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  EXPECT_EQ(Buckets(), nlohmann::json::object());
}

TEST_F(S3BucketStackTest, ImportedBucketPlansNoChanges) {
  auto made = Boto3(R"(
s3 = boto3.client("s3", endpoint_url=ENDPOINT, region_name="eu-west-1")
s3.create_bucket(Bucket="made-outside", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
s3.put_bucket_tagging(Bucket="made-outside", Tagging={"TagSet": [{"Key": "team", "Value": "app"}]})
print(json.dumps({"ok": True}))
)");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  WriteStack(kStack);
  auto import = Infra("import aws_s3_bucket.logs made-outside -var bucket=made-outside");
  ASSERT_EQ(import.exit_code, 0) << import.out << import.err;
  auto plan = Infra("plan --detailed-exitcode -var bucket=made-outside");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  ASSERT_EQ(Infra("destroy --auto-approve -var bucket=made-outside").exit_code, 0);
  EXPECT_EQ(Buckets(), nlohmann::json::object());
}

}  // namespace
}  // namespace infra::test

// random_password and random_id through plan and apply against moto_server,
// checked with boto3: the password reaches AWS (a tag) but never the plan,
// the state file or the outputs; re-plans are empty (the value is stable);
// a keepers change makes a new password and updates its user in place;
// destroy leaves nothing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "stack_dir_fixture.h"

namespace infra::test {
namespace {

class RandomTest : public StackDirTest {
 protected:
  nlohmann::json VpcTags() {
    auto r = Boto3(R"PY(
ec2 = boto3.client("ec2", region_name="eu-west-1", endpoint_url=ENDPOINT)
vs = ec2.describe_vpcs(Filters=[{"Name": "tag:Role", "Values": ["random-test"]}])["Vpcs"]
print(json.dumps({"count": len(vs), "tags": {t["Key"]: t["Value"] for v in vs for t in v.get("Tags", [])}}))
)PY");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json;
  }
};

constexpr const char* kStack = R"(stack: random-test
regions:
  primary: eu-west-1
variables:
  rotation: {type: string, default: "1"}
resources:
  pw: {type: random_password, length: 24, special: false, keepers: {rotation: "${var.rotation}"}}
  suffix: {type: random_id, byte_length: 4}
  vpc:
    type: aws_vpc
    cidr_block: 10.9.0.0/16
    tags: {Role: random-test, Name: "app-${suffix.hex}", Secret: "${pw.result}"}
outputs:
  name: {value: "app-${suffix.hex}"}
)";

TEST_F(RandomTest, PasswordReachesAwsOnlyAndIsStableUntilKeepersChange) {
  WriteStack(kStack);
  auto apply = Infra("apply --auto-approve --state " + Path("state.db"));
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  auto tags = VpcTags();
  ASSERT_EQ(tags["count"], 1) << tags.dump();
  std::string secret = tags["tags"]["Secret"];
  EXPECT_EQ(secret.size(), 24u);
  EXPECT_EQ(apply.out.find(secret), std::string::npos);
  EXPECT_EQ(EverythingStored().find(secret), std::string::npos);
  auto out = Infra("output --json --state " + Path("state.db"));
  EXPECT_EQ(nlohmann::json::parse(out.out)["name"]["value"], tags["tags"]["Name"]) << out.out;

  auto again = Infra("plan --detailed-exitcode --state " + Path("state.db"));
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;

  auto rotate = Infra("plan --detailed-exitcode -var rotation=2 --state " + Path("state.db"));
  EXPECT_EQ(rotate.exit_code, 2) << rotate.err;
  EXPECT_NE(rotate.out.find("random_password.pw must be replaced"), std::string::npos) << rotate.out;
  EXPECT_NE(rotate.out.find("aws_vpc.vpc will be updated in-place"), std::string::npos) << rotate.out;
  EXPECT_EQ(rotate.out.find(secret), std::string::npos);
  auto applied = Infra("apply --auto-approve -var rotation=2 --state " + Path("state.db"));
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  auto rotated = VpcTags();
  EXPECT_EQ(rotated["count"], 1);
  EXPECT_NE(rotated["tags"]["Secret"], secret);
  EXPECT_EQ(rotated["tags"]["Name"], tags["tags"]["Name"]);  // random_id kept: no keepers changed
  EXPECT_EQ(EverythingStored().find(rotated["tags"]["Secret"].get<std::string>()), std::string::npos);

  auto destroy = Infra("destroy --auto-approve -var rotation=2 --state " + Path("state.db"));
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  EXPECT_EQ(VpcTags()["count"], 0);
}

}  // namespace
}  // namespace infra::test

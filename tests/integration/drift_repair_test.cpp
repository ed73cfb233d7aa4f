// Issue 10 item 1: the first apply after drift repairs it. A subnet's Name
// tag and map_public_ip_on_launch are changed with the AWS CLI behind
// infra's back; one `infra apply` must put them back (checked with boto3)
// and the next plan must be empty.
#include <gtest/gtest.h>

#include <fstream>

#include "support/moto_server.h"
#include "support/temp_dir.h"
#include "test_paths.h"

namespace infra::test {
namespace {

constexpr const char* kStack = R"(stack: drift
regions:
  primary: eu-central-1
resources:
  vpc:
    type: aws_vpc
    cidr_block: 10.20.0.0/16
    tags: {Name: drift-vpc}
  subnet:
    type: aws_subnet
    vpc_id: ${vpc.id}
    cidr_block: 10.20.1.0/24
    availability_zone: eu-central-1a
    map_public_ip_on_launch: true
    tags: {Name: subnet-a}
)";

class DriftRepairTest : public testing::Test {
 protected:
  void SetUp() override {
    moto_.ExportEnvironment();
    moto_.Reset();
    std::ofstream(dir_.File("stack.yaml")) << kStack;
  }
  CommandResult Infra(const std::string& args) {
    return RunCommand(ShellQuote(InfraBinary()) + " -C " + ShellQuote(dir_.path()) + " " + args + " --state " +
                      ShellQuote(dir_.File("drift.db")) + " </dev/null");
  }
  // The subnet as boto3 sees it: {"id", "name", "public"}.
  nlohmann::json Subnet() {
    auto r = Boto3(R"PY(
ec2 = boto3.client("ec2", region_name="eu-central-1", endpoint_url=ENDPOINT)
s = ec2.describe_subnets(Filters=[{"Name": "tag:infra:stack", "Values": ["drift"]}])["Subnets"]
print(json.dumps([{"id": x["SubnetId"], "public": x["MapPublicIpOnLaunch"],
                   "name": next((t["Value"] for t in x.get("Tags", []) if t["Key"] == "Name"), None)} for x in s]))
)PY");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.json.is_array() && r.json.size() == 1) << r.out << r.err;
    return r.json.is_array() && r.json.size() == 1 ? r.json[0] : nlohmann::json::object();
  }

  MotoServer& moto_ = MotoServer::Shared();
  TempDir dir_{"infra-drift"};
};

TEST_F(DriftRepairTest, FirstApplyAfterDriftPutsTagAndAttributeBack) {
  auto applied = Infra("apply --auto-approve");
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  nlohmann::json before = Subnet();
  ASSERT_EQ(before.value("name", ""), "subnet-a");
  ASSERT_EQ(before.value("public", false), true);
  std::string id = before.value("id", "");
  // Drift, made with the AWS CLI.
  ASSERT_EQ(AwsCli("eu-central-1", "ec2 create-tags --resources " + id + " --tags Key=Name,Value=renamed").exit_code, 0);
  ASSERT_EQ(AwsCli("eu-central-1", "ec2 modify-subnet-attribute --subnet-id " + id + " --no-map-public-ip-on-launch")
                .exit_code,
            0);
  ASSERT_EQ(Subnet().value("name", ""), "renamed");
  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  auto repaired = Infra("apply --auto-approve");
  ASSERT_EQ(repaired.exit_code, 0) << repaired.out << repaired.err;
  nlohmann::json after = Subnet();
  EXPECT_EQ(after.value("id", ""), id);  // repaired in place, not replaced
  EXPECT_EQ(after.value("name", ""), "subnet-a");
  EXPECT_EQ(after.value("public", false), true);
  auto again = Infra("plan --detailed-exitcode");
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(Infra("destroy --auto-approve").exit_code, 0);
}

}  // namespace
}  // namespace infra::test

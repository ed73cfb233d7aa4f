// End to end (issue 10 item 4): `infra import` is a state change like any
// other: it bumps the serial and writes a history row, so a plan saved
// before it is refused on apply instead of creating a second object; the
// AWS CLI sees no VPC infra did not mean to make. An imported object is
// tagged infra:stack / infra:address like a created one, and a refresh-only
// apply is a state change too.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>

#include "support/moto_server.h"
#include "support/temp_dir.h"
#include "test_paths.h"

namespace infra::test {
namespace {

constexpr const char* kStack = R"(stack: importer
regions:
  primary: eu-central-1
resources:
  main:
    type: aws_vpc
    cidr_block: 10.42.0.0/16
  sub:
    type: aws_subnet
    vpc_id: ${main.id}
    cidr_block: 10.42.1.0/24
    availability_zone: eu-central-1a
)";

class ImportTest : public testing::Test {
 protected:
  void SetUp() override {
    moto_.ExportEnvironment();
    moto_.Reset();
    std::ofstream(dir_.File("stack.yaml")) << kStack;
  }
  CommandResult Infra(const std::string& args) {
    return RunCommand(ShellQuote(InfraBinary()) + " -C " + ShellQuote(dir_.path()) + " " + args +
                      " --state " + ShellQuote(dir_.File("state.db")) + " </dev/null");
  }
  // VPCs with the stack's CIDR, as the AWS CLI sees them.
  int VpcsWithTheStacksCidr() {
    auto r = AwsCli("eu-central-1", "ec2 describe-vpcs --filters Name=cidr-block-association.cidr-block,Values=10.42.0.0/16");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json.is_object() ? static_cast<int>(r.json.value("Vpcs", nlohmann::json::array()).size()) : -1;
  }

  MotoServer& moto_ = MotoServer::Shared();
  TempDir dir_{"infra-import"};
};

TEST_F(ImportTest, ImportBumpsTheSerialSoAPlanSavedBeforeIsRefused) {
  auto made = AwsCli("eu-central-1", "ec2 create-vpc --cidr-block 10.42.0.0/16");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  std::string id = made.json["Vpc"]["VpcId"];

  auto plan = Infra("plan --out " + ShellQuote(dir_.File("p.plan")));
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_NE(plan.out.find("will be created"), std::string::npos) << plan.out;

  auto imported = Infra("import aws_vpc.main " + id);
  ASSERT_EQ(imported.exit_code, 0) << imported.err << imported.out;
  auto history = Infra("state history --json");
  ASSERT_EQ(history.exit_code, 0) << history.err;
  auto rows = nlohmann::json::parse(history.out);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0]["command"], "import");
  EXPECT_EQ(rows[0]["result"], "succeeded");
  EXPECT_EQ(rows[0]["changes"]["imported"][0], "aws_vpc.main");
  int64_t serial = rows[0]["serial"];
  EXPECT_GE(serial, 1);

  auto stale = Infra("apply " + ShellQuote(dir_.File("p.plan")));
  EXPECT_NE(stale.exit_code, 0) << stale.out;
  EXPECT_EQ(VpcsWithTheStacksCidr(), 1);  // the imported one; no twin
  auto list = Infra("state list");
  EXPECT_EQ(list.out, "aws_vpc.main\n");
}

TEST_F(ImportTest, ImportedObjectsAreTaggedLikeCreatedOnesAndRefreshOnlyIsAStateChange) {
  auto vpc = AwsCli("eu-central-1", "ec2 create-vpc --cidr-block 10.42.0.0/16 --tag-specifications "
                                    "'ResourceType=vpc,Tags=[{Key=Name,Value=by-hand}]'");
  ASSERT_EQ(vpc.exit_code, 0) << vpc.err;
  std::string vpc_id = vpc.json["Vpc"]["VpcId"];
  auto subnet = AwsCli("eu-central-1", "ec2 create-subnet --vpc-id " + vpc_id +
                                           " --cidr-block 10.42.1.0/24 --availability-zone eu-central-1a");
  ASSERT_EQ(subnet.exit_code, 0) << subnet.err;
  std::string subnet_id = subnet.json["Subnet"]["SubnetId"];
  ASSERT_EQ(Infra("import aws_vpc.main " + vpc_id).exit_code, 0);
  auto imported = Infra("import aws_subnet.sub " + subnet_id);
  ASSERT_EQ(imported.exit_code, 0) << imported.err << imported.out;

  // Tagged like created objects (the VPC type and the kit's subnet type);
  // the user's tag is left alone.
  auto tags = AwsCli("eu-central-1", "ec2 describe-tags --filters Name=resource-id,Values=" + vpc_id + "," +
                                         subnet_id);
  ASSERT_EQ(tags.exit_code, 0) << tags.err;
  std::map<std::string, std::map<std::string, std::string>> by_id;
  for (const auto& t : tags.json["Tags"]) by_id[t["ResourceId"]][t["Key"]] = t["Value"];
  EXPECT_EQ(by_id[vpc_id]["infra:stack"], "importer") << tags.out;
  EXPECT_EQ(by_id[vpc_id]["infra:address"], "aws_vpc.main") << tags.out;
  EXPECT_EQ(by_id[vpc_id]["Name"], "by-hand") << tags.out;
  EXPECT_EQ(by_id[subnet_id]["infra:stack"], "importer") << tags.out;
  EXPECT_EQ(by_id[subnet_id]["infra:address"], "aws_subnet.sub") << tags.out;

  // A refresh-only apply that records drift: a new serial and its own row.
  auto before = nlohmann::json::parse(Infra("state history --json").out);
  ASSERT_FALSE(before.empty());
  ASSERT_EQ(AwsCli("eu-central-1", "ec2 create-tags --resources " + vpc_id + " --tags Key=Name,Value=renamed").exit_code,
            0);
  auto refreshed = Infra("apply --refresh-only --auto-approve");
  ASSERT_EQ(refreshed.exit_code, 0) << refreshed.out << refreshed.err;
  auto after = nlohmann::json::parse(Infra("state history --json").out);
  ASSERT_EQ(after.size(), before.size() + 1) << after.dump();
  EXPECT_EQ(after[0]["command"], "apply --refresh-only");
  EXPECT_EQ(after[0]["result"], "succeeded");
  EXPECT_EQ(after[0]["serial"].get<int64_t>(), before[0]["serial"].get<int64_t>() + 1);
  auto shown = Infra("state show aws_vpc.main");
  EXPECT_NE(shown.out.find("renamed"), std::string::npos) << shown.out;

  // state mv / rm are state changes as well.
  ASSERT_EQ(Infra("state rm aws_subnet.sub").exit_code, 0);
  auto last = nlohmann::json::parse(Infra("state history --json").out);
  EXPECT_EQ(last[0]["serial"].get<int64_t>(), after[0]["serial"].get<int64_t>() + 1) << last.dump();
}

}  // namespace
}  // namespace infra::test

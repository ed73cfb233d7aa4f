// End to end through the `infra` binary against moto_server, checked with the
// AWS CLI: a tag change is exactly one in-place update, and a subnet CIDR
// change replaces the subnet with its dependent association following.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "support/moto_server.h"
#include "test_paths.h"

namespace infra::test {
namespace {
namespace fs = std::filesystem;

class NetworkStackChangeTest : public testing::Test {
 protected:
  void SetUp() override {
    moto_.ExportEnvironment();
    moto_.Reset();
    work_ = fs::temp_directory_path() / ("infra-change-" + std::to_string(::getpid()));
    fs::remove_all(work_);
    fs::create_directories(work_);
  }
  void TearDown() override { fs::remove_all(work_); }

  CommandResult Infra(const std::string& args) {
    std::string dir = DataDir() + "/stacks/network-change";
    return RunCommand(ShellQuote(InfraBinary()) + " -C " + ShellQuote(dir) + " " + args + " --state " +
                      ShellQuote((work_ / "s.db").string()) + " </dev/null");
  }
  nlohmann::json Vpcs() {
    return AwsCli("eu-central-1", "ec2 describe-vpcs --filters Name=tag:infra:stack,Values=network-change")
        .json["Vpcs"];
  }
  nlohmann::json Subnets() {
    return AwsCli("eu-central-1", "ec2 describe-subnets --filters Name=tag:infra:stack,Values=network-change")
        .json["Subnets"];
  }

  MotoServer& moto_ = MotoServer::Shared();
  fs::path work_;
};

std::string Tag(const nlohmann::json& tags, const std::string& key) {
  for (const auto& t : tags)
    if (t.value("Key", "") == key) return t.value("Value", "");
  return "";
}

TEST_F(NetworkStackChangeTest, TagChangeIsOneUpdateAndCidrChangeIsAReplacement) {
  auto apply = Infra("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  auto vpcs = Vpcs();
  ASSERT_EQ(vpcs.size(), 1u);
  std::string vpc_id = vpcs[0]["VpcId"];
  EXPECT_EQ(Tag(vpcs[0]["Tags"], "env"), "dev");
  auto subnets = Subnets();
  ASSERT_EQ(subnets.size(), 1u);
  std::string old_subnet = subnets[0]["SubnetId"];

  // Tag change: one in-place update, same VPC id afterwards.
  auto plan = Infra("plan --detailed-exitcode -var env=prod");
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_vpc.vpc will be updated in-place"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("Plan: 0 to add, 1 to change, 0 to destroy."), std::string::npos) << plan.out;
  ASSERT_EQ(Infra("apply --auto-approve -var env=prod").exit_code, 0);
  vpcs = Vpcs();
  ASSERT_EQ(vpcs.size(), 1u);
  EXPECT_EQ(vpcs[0]["VpcId"], vpc_id);
  EXPECT_EQ(Tag(vpcs[0]["Tags"], "env"), "prod");
  EXPECT_EQ(Infra("plan --detailed-exitcode -var env=prod").exit_code, 0);

  // CIDR change: the subnet is replaced and the association follows it.
  plan = Infra("plan --detailed-exitcode -var env=prod -var subnet_cidr=10.20.2.0/24");
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("aws_subnet.subnet must be replaced"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("aws_route_table_association.assoc"), std::string::npos) << plan.out;
  EXPECT_EQ(plan.out.find("aws_vpc.vpc "), std::string::npos) << "the VPC must not change:\n" << plan.out;
  auto apply2 = Infra("apply --auto-approve -var env=prod -var subnet_cidr=10.20.2.0/24");
  ASSERT_EQ(apply2.exit_code, 0) << apply2.out << apply2.err;
  subnets = Subnets();
  ASSERT_EQ(subnets.size(), 1u);
  EXPECT_NE(subnets[0]["SubnetId"], old_subnet);
  EXPECT_EQ(subnets[0]["CidrBlock"], "10.20.2.0/24");
  auto rts = AwsCli("eu-central-1", "ec2 describe-route-tables --filters Name=association.subnet-id,Values=" +
                                        subnets[0]["SubnetId"].get<std::string>());
  EXPECT_EQ(rts.json["RouteTables"].size(), 1u) << rts.out;
  EXPECT_EQ(Infra("plan --detailed-exitcode -var env=prod -var subnet_cidr=10.20.2.0/24").exit_code, 0);

  ASSERT_EQ(Infra("destroy --auto-approve -var env=prod -var subnet_cidr=10.20.2.0/24").exit_code, 0);
  EXPECT_TRUE(Vpcs().empty());
  EXPECT_TRUE(Subnets().empty());
}

TEST_F(NetworkStackChangeTest, ImportedResourcePlansWithoutChanges) {
  ASSERT_EQ(Infra("apply --auto-approve").exit_code, 0);
  auto subnets = Subnets();
  ASSERT_EQ(subnets.size(), 1u);
  std::string subnet_id = subnets[0]["SubnetId"];
  // Forget the subnet, then import it by id: it is managed again, unchanged.
  ASSERT_EQ(Infra("state rm aws_subnet.subnet").exit_code, 0);
  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 2) << "a forgotten subnet must plan a create:\n" << plan.out;
  auto import = Infra("import aws_subnet.subnet " + subnet_id);
  ASSERT_EQ(import.exit_code, 0) << import.out << import.err;
  plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_EQ(Subnets().size(), 1u);
  ASSERT_EQ(Infra("destroy --auto-approve").exit_code, 0);
  EXPECT_TRUE(Subnets().empty());
}

}  // namespace
}  // namespace infra::test

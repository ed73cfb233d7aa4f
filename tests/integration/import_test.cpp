// End to end (issue 10 item 4): `infra import` is a state change like any
// other: it bumps the serial and writes a history row, so a plan saved
// before it is refused on apply instead of creating a second object; the
// AWS CLI sees no VPC infra did not mean to make.
#include <gtest/gtest.h>

#include <fstream>
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

}  // namespace
}  // namespace infra::test

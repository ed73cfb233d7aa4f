// Issue 12: an apply of 300 resources in two regions through the fault proxy,
// which answers every tenth EC2 request with RequestLimitExceeded (HTTP 503,
// as EC2 sends it), succeeds with no failure: the adaptive limiter and the
// retries absorb the throttling. Checked with boto3 against moto; the next
// plan is empty.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/fault_proxy.h"
#include "support/moto_server.h"
#include "support/temp_dir.h"
#include "test_paths.h"

namespace infra::test {
namespace {

constexpr int kVpcsPerRegion = 3;
constexpr int kSubnetsPerVpc = 24;
constexpr int kGroupsPerVpc = 25;  // 3 x 2 x (1 + 24 + 25) = 300 resources

std::string StackText() {
  std::ostringstream y;
  y << "stack: throttled\nregions:\n  primary: eu-central-1\n  dr: eu-west-1\nresources:\n";
  const char* regions[] = {"primary", "dr"};
  const char* names[] = {"eu-central-1", "eu-west-1"};
  for (int r = 0; r < 2; ++r)
    for (int v = 0; v < kVpcsPerRegion; ++v) {
      std::string vpc = std::string("vpc_") + regions[r] + "_" + std::to_string(v);
      int octet = 40 + r * 10 + v;
      y << "  " << vpc << ":\n    type: aws_vpc\n    region: " << regions[r] << "\n    cidr_block: 10." << octet
        << ".0.0/16\n";
      for (int s = 0; s < kSubnetsPerVpc; ++s)
        y << "  " << vpc << "_s" << s << ":\n    type: aws_subnet\n    region: " << regions[r]
          << "\n    vpc_id: ${" << vpc << ".id}\n    cidr_block: 10." << octet << "." << s
          << ".0/24\n    availability_zone: " << names[r] << "abc"[s % 3] << "\n";
      for (int g = 0; g < kGroupsPerVpc; ++g)
        y << "  " << vpc << "_g" << g << ":\n    type: aws_security_group\n    region: " << regions[r]
          << "\n    name: " << vpc << "-g" << g << "\n    description: throttled\n    vpc_id: ${" << vpc
          << ".id}\n";
    }
  return y.str();
}

class ThroughputThrottleTest : public testing::Test {
 protected:
  void SetUp() override {
    moto_.ExportEnvironment();
    moto_.Reset();
    std::ofstream(dir_.File("stack.yaml")) << StackText();
  }
  CommandResult Infra(const std::string& args, bool via_proxy) {
    std::string env = via_proxy ? "AWS_ENDPOINT_URL=" + ShellQuote(proxy_.endpoint()) + " " : "";
    return RunCommand(env + ShellQuote(InfraBinary()) + " -C " + ShellQuote(dir_.path()) + " " + args +
                      " --state " + ShellQuote(dir_.File("t.db")) + " </dev/null");
  }

  MotoServer& moto_ = MotoServer::Shared();
  FaultProxy proxy_{moto_.port()};
  TempDir dir_{"infra-throttled"};
};

TEST_F(ThroughputThrottleTest, ThreeHundredResourcesWithTenPercentThrottlingApplyWithoutFailure) {
  proxy_.SetEveryNth(10, Fault::Ec2Throttle());
  auto applied = Infra("apply --auto-approve", true);
  EXPECT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_NE(applied.out.find("300 added"), std::string::npos) << applied.out;
  EXPECT_EQ(applied.out.find("failed"), std::string::npos) << applied.out;
  int requests = proxy_.requests();
  int throttled = proxy_.every_nth_answered();
  EXPECT_GE(throttled, requests / 10 - 1) << "one request in ten was throttled";
  EXPECT_GT(throttled, 30);

  auto r = Boto3(R"PY(
out = {}
for region in ("eu-central-1", "eu-west-1"):
    ec2 = boto3.client("ec2", region_name=region, endpoint_url=ENDPOINT)
    f = [{"Name": "tag:infra:stack", "Values": ["throttled"]}]
    vpcs = ec2.describe_vpcs(Filters=f)["Vpcs"]
    ids = [v["VpcId"] for v in vpcs]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": ids}])["Subnets"] if ids else []
    groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": ids},
                                                    {"Name": "description", "Values": ["throttled"]}])["SecurityGroups"] if ids else []
    out[region] = [len(vpcs), len(subnets), len(groups)]
print(json.dumps(out))
)PY");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json want = {kVpcsPerRegion, kVpcsPerRegion * kSubnetsPerVpc, kVpcsPerRegion * kGroupsPerVpc};
  EXPECT_EQ(r.json["eu-central-1"], want);
  EXPECT_EQ(r.json["eu-west-1"], want);

  auto plan = Infra("plan --detailed-exitcode", false);
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
}

}  // namespace
}  // namespace infra::test

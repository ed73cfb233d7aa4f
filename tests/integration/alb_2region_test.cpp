// stacks/examples/alb-2region end to end against moto_server, checked with
// boto3 in both regions: apply; the ALB, its target group on /health.php
// and the HTTP listener present with the declared attributes in each
// region; re-plan empty (exit 0 with --detailed-exitcode); destroy leaves
// nothing of the stack (ELBv2, or EC2 by its infra:stack tag).
#include <gtest/gtest.h>

#include "elbv2_fixture.h"

namespace infra::test {
namespace {

class Alb2RegionTest : public Elbv2Test {
 protected:
  CommandResult Run(const std::string& args) {
    return RunCommand(ShellQuote(InfraBinary()) + " -C " + ShellQuote(SourceDir() + "/stacks/examples/alb-2region") +
                      " " + args + " --state " + ShellQuote(dir_.File("alb.db")) + " </dev/null");
  }
  // What EC2 holds tagged with the stack, summed over both regions.
  int TaggedEc2() {
    auto r = Boto3(R"PY(
f = [{"Name": "tag:infra:stack", "Values": ["alb-2region"]}]
n = 0
for region in ["eu-central-1", "eu-west-1"]:
    ec2 = boto3.client("ec2", region_name=region, endpoint_url=ENDPOINT)
    n += len(ec2.describe_vpcs(Filters=f)["Vpcs"]) + len(ec2.describe_subnets(Filters=f)["Subnets"])
    n += len(ec2.describe_security_groups(Filters=f)["SecurityGroups"])
print(json.dumps(n))
)PY");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json.is_number() ? r.json.get<int>() : -1;
  }
};

TEST_F(Alb2RegionTest, ApplyBothRegionsPlanEmptyDestroyLeavesNothing) {
  auto apply = Run("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  for (const char* region : {"eu-central-1", "eu-west-1"}) {
    SCOPED_TRACE(region);
    auto s = Snapshot(region);
    ASSERT_EQ(s["lbs"]["app"].size(), 1u) << s.dump(2);
    const auto& lb = s["lbs"]["app"][0];
    EXPECT_EQ(lb["scheme"], "internet-facing");
    EXPECT_EQ(lb["subnets"].size(), 2u);
    EXPECT_EQ(lb["sgs"].size(), 1u);
    EXPECT_EQ(lb["attrs"]["routing.http.drop_invalid_header_fields.enabled"], "true");
    EXPECT_EQ(lb["tags"]["Project"], "pilot-light");
    EXPECT_EQ(lb["tags"]["infra:stack"], "alb-2region");
    ASSERT_EQ(s["tgs"]["app"].size(), 1u) << s.dump(2);
    const auto& tg = s["tgs"]["app"][0];
    EXPECT_EQ(tg["type"], "ip");
    EXPECT_EQ(tg["path"], "/health.php");
    EXPECT_EQ(tg["matcher"], "200-299");
    EXPECT_EQ(tg["healthy"], 2);
    EXPECT_EQ(tg["attrs"]["deregistration_delay.timeout_seconds"], "30");
    ASSERT_EQ(s["listeners"].size(), 1u) << s.dump(2);
    EXPECT_EQ(s["listeners"][0]["protocol"], "HTTP");
    EXPECT_EQ(s["listeners"][0]["actions"][0]["TargetGroupArn"], tg["arn"]);
  }
  auto url = Run("output -raw primary_url");
  EXPECT_EQ(url.out.rfind("http://app-", 0), 0u) << url.out << url.err;

  auto plan = Run("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_EQ(plan.out.find("changed outside"), std::string::npos) << plan.out;

  auto destroy = Run("destroy --auto-approve");
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  for (const char* region : {"eu-central-1", "eu-west-1"}) {
    auto s = Snapshot(region);
    EXPECT_TRUE(s["lbs"].empty()) << region << s.dump(2);
    EXPECT_TRUE(s["tgs"].empty()) << region << s.dump(2);
  }
  EXPECT_EQ(TaggedEc2(), 0);
}

}  // namespace
}  // namespace infra::test

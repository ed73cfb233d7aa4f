// Crash recovery of the ELBv2 family: the replies of CreateLoadBalancer,
// CreateTargetGroup, CreateListener and CreateRule are cut (AWS made the
// object, infra never heard). moto would make a second ALB with the same
// name, so the engine must find each by name or parent plus its
// infra:address tag and adopt it: one apply, exactly one of each, and an
// empty plan after.
#include <gtest/gtest.h>

#include "elbv2_fixture.h"
#include "support/fault_proxy.h"

namespace infra::test {
namespace {

class Elbv2LostReplyTest : public Elbv2Test {
 protected:
  FaultProxy proxy_{moto_.port()};
};

TEST_F(Elbv2LostReplyTest, LostCreateRepliesAreAdoptedNeverMadeTwice) {
  WriteStack(std::string(R"(stack: elbv2-lost
regions:
  primary: eu-central-1
resources:)") + kElbv2Network + R"(
  web:
    type: aws_lb
    name: web
    subnets:
      - ${subnet_a.id}
      - ${subnet_b.id}
    security_groups:
      - ${sg.id}
  app:
    type: aws_lb_target_group
    name_prefix: app-
    port: 80
    protocol: HTTP
    vpc_id: ${vpc.id}
    target_type: ip
  http:
    type: aws_lb_listener
    load_balancer_arn: ${web.arn}
    port: 80
    protocol: HTTP
    default_action:
      - type: forward
        target_group_arn: ${app.arn}
  api:
    type: aws_lb_listener_rule
    listener_arn: ${http.arn}
    priority: 5
    action:
      - type: forward
        target_group_arn: ${app.arn}
    condition:
      - path_pattern:
          values: [/api/*]
)");
  proxy_.Script({Fault::CutShort(20, "Action=CreateLoadBalancer"), Fault::CutShort(20, "Action=CreateTargetGroup"),
                 Fault::CutShort(20, "Action=CreateListener"), Fault::CutShort(20, "Action=CreateRule")});
  auto apply = Infra("apply --auto-approve", proxy_.endpoint());
  EXPECT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(proxy_.pending(), 0u) << "every fault was hit";
  for (const char* action : {"CreateLoadBalancer", "CreateTargetGroup", "CreateListener", "CreateRule"})
    EXPECT_EQ(proxy_.requests(std::string("Action=") + action), 1) << action << " adopted, never sent again";
  auto s = Snapshot();
  EXPECT_EQ(s["lbs"]["web"].size(), 1u) << s.dump(2);
  EXPECT_EQ(s["tgs"].size(), 1u) << s.dump(2);
  EXPECT_EQ(s["listeners"].size(), 1u) << s.dump(2);
  EXPECT_EQ(s["rules"].size(), 1u) << s.dump(2);
  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  auto destroy = Infra("destroy --auto-approve");
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  s = Snapshot();
  EXPECT_TRUE(s["lbs"].empty()) << s.dump(2);
  EXPECT_TRUE(s["tgs"].empty()) << s.dump(2);
}

}  // namespace
}  // namespace infra::test

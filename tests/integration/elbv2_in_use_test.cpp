// A target group whose listener was just deleted can still be "in use" for a
// moment in AWS (ResourceInUse): destroy must retry its delete through the
// executor's timer queue until the listener is gone, not fail. The first
// DeleteTargetGroup gets AWS's ResourceInUse reply from a fault proxy in
// front of moto_server; boto3 checks that nothing is left.
#include <gtest/gtest.h>

#include "elbv2_fixture.h"
#include "support/fault_proxy.h"

namespace infra::test {
namespace {

class Elbv2InUseTest : public Elbv2Test {
 protected:
  FaultProxy proxy_{moto_.port()};
};

TEST_F(Elbv2InUseTest, TargetGroupDeleteIsRetriedWhileTheListenerGoesAway) {
  WriteStack(std::string(R"(stack: elbv2-in-use
regions:
  primary: eu-central-1
resources:)") + kElbv2Network + R"(
  web:
    type: aws_lb
    name: web
    subnets:
      - ${subnet_a.id}
      - ${subnet_b.id}
  app:
    type: aws_lb_target_group
    name: app
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
)");
  auto apply = Infra("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  ASSERT_EQ(Snapshot()["tgs"]["app"].size(), 1u);

  Fault in_use;
  in_use.status = 400;
  in_use.match = "Action=DeleteTargetGroup";
  in_use.body = "<ErrorResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\"><Error>"
                "<Type>Sender</Type><Code>ResourceInUse</Code><Message>Target group is currently in use by a "
                "listener or a rule</Message></Error><RequestId>in-use-1</RequestId></ErrorResponse>";
  proxy_.Script({in_use});
  auto destroy = Infra("destroy --auto-approve", proxy_.endpoint());
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  EXPECT_EQ(proxy_.pending(), 0u) << "the ResourceInUse reply was served";
  EXPECT_EQ(proxy_.requests("Action=DeleteTargetGroup"), 2) << "one refused, one retried";
  auto s = Snapshot();
  EXPECT_TRUE(s["tgs"].empty()) << s.dump(2);
  EXPECT_TRUE(s["lbs"].empty()) << s.dump(2);
}

}  // namespace
}  // namespace infra::test

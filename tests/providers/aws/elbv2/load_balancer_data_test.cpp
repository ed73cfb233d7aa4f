// data.aws_lb over a scripted client: by name (DescribeLoadBalancers Names
// gives the ARN, then aws_lb's own read), by ARN (no lookup call), no match
// is NotFound naming the name and region, and neither argument is an error.
#include <gtest/gtest.h>

#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using nlohmann::json;
using test::ScriptedAwsClient;

const std::string kLb = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";

std::string Lbs(const std::string& members) {
  return "<DescribeLoadBalancersResponse><DescribeLoadBalancersResult><LoadBalancers>" + members +
         "</LoadBalancers></DescribeLoadBalancersResult></DescribeLoadBalancersResponse>";
}
std::string Lb() {
  return "<member><LoadBalancerArn>" + kLb + "</LoadBalancerArn><DNSName>web-1.eu-west-1.elb.amazonaws.com</DNSName>"
         "<CanonicalHostedZoneId>Z32O12XQLNTSW2</CanonicalHostedZoneId><LoadBalancerName>web</LoadBalancerName>"
         "<Scheme>internet-facing</Scheme><VpcId>vpc-1</VpcId><State><Code>active</Code></State>"
         "<Type>application</Type></member>";
}
std::string Tags() {
  return "<DescribeTagsResponse><DescribeTagsResult><TagDescriptions><member><ResourceArn>" + kLb +
         "</ResourceArn><Tags><member><Key>team</Key><Value>a</Value></member></Tags></member></TagDescriptions>"
         "</DescribeTagsResult></DescribeTagsResponse>";
}
std::string Attrs() {
  return "<DescribeLoadBalancerAttributesResponse><DescribeLoadBalancerAttributesResult><Attributes><member><Key>"
         "idle_timeout.timeout_seconds</Key><Value>60</Value></member></Attributes>"
         "</DescribeLoadBalancerAttributesResult></DescribeLoadBalancerAttributesResponse>";
}

class LoadBalancerDataTest : public testing::Test {
 protected:
  provider::DataSourceType& D() { return *provider_->FindData("aws_lb"); }
  provider::OperationContext Ctx() { return {"s", "data.aws_lb.web", "eu-west-1", "", nullptr}; }
  void ScriptRead() {
    client_->Reply("DescribeLoadBalancers", Lbs(Lb()));
    client_->Reply("DescribeTags", Tags());
    client_->Reply("DescribeLoadBalancerAttributes", Attrs());
  }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
};

TEST_F(LoadBalancerDataTest, ByNameLooksUpTheArnThenReadsTheLoadBalancer) {
  client_->Reply("DescribeLoadBalancers", Lbs(Lb()));
  ScriptRead();
  auto got = D().Read(Ctx(), {{"name", "web"}});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ((*got)["arn"], kLb);
  EXPECT_EQ((*got)["id"], kLb);
  EXPECT_EQ((*got)["name"], "web");
  EXPECT_EQ((*got)["dns_name"], "web-1.eu-west-1.elb.amazonaws.com");
  EXPECT_EQ((*got)["zone_id"], "Z32O12XQLNTSW2");
  EXPECT_EQ((*got)["tags"], json({{"team", "a"}}));
  EXPECT_EQ(client_->calls()[0].Param("Names.member.1"), "web");
  EXPECT_EQ(D().schema().Find("dns_name")->mode, provider::AttrMode::kComputed);
}

TEST_F(LoadBalancerDataTest, ByArnNeedsNoLookupAndReportsTheName) {
  ScriptRead();
  auto got = D().Read(Ctx(), {{"arn", kLb}});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ((*got)["name"], "web");
  EXPECT_EQ(client_->calls().size(), 3u);
  EXPECT_EQ(client_->calls()[0].Param("LoadBalancerArns.member.1"), kLb);
}

TEST_F(LoadBalancerDataTest, NoMatchOrNoArgumentIsAnError) {
  client_->Fail("DescribeLoadBalancers", "LoadBalancerNotFound", Error::Kind::kNotFound);
  auto none = D().Read(Ctx(), {{"name", "nope"}});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind, Error::Kind::kNotFound);
  EXPECT_NE(none.error().message.find("no aws_lb named nope in eu-west-1"), std::string::npos) << none.error().message;
  auto neither = D().Read(Ctx(), json::object());
  ASSERT_FALSE(neither.ok());
  EXPECT_EQ(neither.error().kind, Error::Kind::kInvalid);
}

}  // namespace
}  // namespace infra::aws

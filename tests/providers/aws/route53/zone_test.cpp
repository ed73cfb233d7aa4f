// aws_route53_zone and aws_route53_health_check (REST-XML, global) over a
// scripted client, with golden wire fixtures: the zone's create with its
// CallerReference and tags put after, its read (zone_id, name servers, the
// name normalised; the create never re-sent on a lost reply), VPCs
// associated and disassociated in place (public <-> private replaces), a
// comment update, adoption by name + infra:* tags
// among twins, force_destroy deleting every record but the apex SOA / NS,
// the data source by name; the health check's create wrapped in
// HealthCheckConfig and its flat update.
#include <gtest/gtest.h>

#include "fakes/golden_wire.h"
#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using nlohmann::json;
using test::MatchesGolden;
using test::ScriptedAwsClient;

const char* kZone =
    "<GetHostedZoneResponse><HostedZone><Id>/hostedzone/Z1</Id><Name>Example.COM.</Name><Config><Comment>main"
    "</Comment><PrivateZone>false</PrivateZone></Config></HostedZone><DelegationSet><NameServers>"
    "<NameServer>ns-1.awsdns.com</NameServer><NameServer>ns-2.awsdns.net</NameServer></NameServers>"
    "</DelegationSet></GetHostedZoneResponse>";
const char* kTags =
    "<ListTagsForResourceResponse><ResourceTagSet><ResourceType>hostedzone</ResourceType><ResourceId>Z1</ResourceId>"
    "<Tags><Tag><Key>infra:address</Key><Value>aws_route53_zone.main</Value></Tag><Tag><Key>infra:stack</Key>"
    "<Value>s</Value></Tag><Tag><Key>team</Key><Value>a</Value></Tag></Tags></ResourceTagSet>"
    "</ListTagsForResourceResponse>";

class Route53ZoneTest : public testing::Test {
 protected:
  provider::ResourceType& T(const std::string& type = "aws_route53_zone") { return *provider_->Find(type); }
  provider::OperationContext Ctx() { return {"s", "aws_route53_zone.main", "eu-west-1", "tok", nullptr}; }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
};

TEST_F(Route53ZoneTest, CreateTagsAndReadsTheZoneInUsEast1) {
  client_->ReplyRest("CreateHostedZone",
                     "<CreateHostedZoneResponse><HostedZone><Id>/hostedzone/Z1</Id></HostedZone><ChangeInfo><Id>/change/C1"
                     "</Id><Status>INSYNC</Status></ChangeInfo></CreateHostedZoneResponse>", 201);
  client_->ReplyRest("ChangeTagsForResource", "");
  client_->ReplyRest("GetHostedZone", kZone);
  client_->ReplyRest("ListTagsForResource", kTags);
  auto r = T().Create(Ctx(), {{"name", "example.com"}, {"comment", "main"}, {"tags", {{"team", "a"}}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_route53_zone", "create"));
  EXPECT_EQ(r->attributes, json({{"id", "Z1"}, {"zone_id", "Z1"}, {"name", "example.com"}, {"comment", "main"},
                                 {"arn", "arn:aws:route53:::hostedzone/Z1"},
                                 {"name_servers", {"ns-1.awsdns.com", "ns-2.awsdns.net"}}, {"tags", {{"team", "a"}}}}));
  for (const auto& c : client_->calls()) EXPECT_EQ(c.region, "us-east-1") << c.action;
  // moto ignores CallerReference: a lost reply is settled by the lookup by
  // name + tags (FindByAddress), never by re-sending the create.
  EXPECT_FALSE(client_->calls().at(0).idempotent);
}

TEST_F(Route53ZoneTest, VpcsChangeInPlaceAndPublicPrivateReplaces) {
  const json vpc1 = {{"vpc_id", "vpc-1"}, {"vpc_region", "eu-west-1"}};
  json prior = {{"id", "Z1"}, {"name", "example.com"}, {"comment", "main"}, {"vpc", {vpc1}}};
  json desired = prior;
  desired["vpc"] = {{{"vpc_id", "vpc-2"}}};  // its region: the resource's
  EXPECT_FALSE(T().schema().Find("vpc")->force_new);
  EXPECT_TRUE(T().RequiresReplace(prior, desired).empty());
  json public_zone = prior;
  public_zone.erase("vpc");
  EXPECT_EQ(T().RequiresReplace(prior, public_zone), std::vector<std::string>{"vpc"});
  EXPECT_EQ(T().RequiresReplace(public_zone, prior), std::vector<std::string>{"vpc"});

  client_->ReplyRest("AssociateVPCWithHostedZone",
                     "<AssociateVPCWithHostedZoneResponse><ChangeInfo><Id>/change/C2</Id><Status>PENDING</Status>"
                     "</ChangeInfo></AssociateVPCWithHostedZoneResponse>");
  client_->ReplyRest("DisassociateVPCFromHostedZone",
                     "<DisassociateVPCFromHostedZoneResponse><ChangeInfo><Id>/change/C3</Id><Status>INSYNC</Status>"
                     "</ChangeInfo></DisassociateVPCFromHostedZoneResponse>");
  client_->ReplyRest("GetHostedZone", kZone);
  client_->ReplyRest("ListTagsForResource", kTags);
  auto r = T().Update(Ctx(), prior, desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->pending);  // C2 is not INSYNC yet
  auto calls = client_->calls();
  ASSERT_GE(calls.size(), 2u);
  EXPECT_EQ(calls[0].rest.path, "/2013-04-01/hostedzone/Z1/associatevpc");
  EXPECT_NE(calls[0].rest.body.find("<VPC><VPCRegion>eu-west-1</VPCRegion><VPCId>vpc-2</VPCId></VPC>"),
            std::string::npos) << calls[0].rest.body;
  EXPECT_EQ(calls[1].rest.path, "/2013-04-01/hostedzone/Z1/disassociatevpc");  // after: a private zone keeps one
  EXPECT_NE(calls[1].rest.body.find("<VPCId>vpc-1</VPCId>"), std::string::npos) << calls[1].rest.body;

  client_->ReplyRest("GetChange", "<GetChangeResponse><ChangeInfo><Id>/change/C2</Id><Status>PENDING</Status>"
                                  "</ChangeInfo></GetChangeResponse>");
  auto p = T().Poll(Ctx(), r->attributes, provider::Phase::kUpdate);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->status, provider::PollStatus::kPending);
  client_->ReplyRest("GetChange", "<GetChangeResponse><ChangeInfo><Id>/change/C2</Id><Status>INSYNC</Status>"
                                  "</ChangeInfo></GetChangeResponse>");
  client_->ReplyRest("GetHostedZone", kZone);
  client_->ReplyRest("ListTagsForResource", kTags);
  p = T().Poll(Ctx(), r->attributes, provider::Phase::kUpdate);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->status, provider::PollStatus::kReady);
  EXPECT_EQ(client_->calls().at(client_->calls().size() - 3).rest.path, "/2013-04-01/change/C2");
  EXPECT_EQ(client_->remaining(), 0u);
}

TEST_F(Route53ZoneTest, CommentUpdateAndAdoptionAmongTwins) {
  json prior = {{"id", "Z1"}, {"name", "example.com"}, {"comment", "main"}};
  json desired = prior;
  desired["comment"] = "primary";
  client_->ReplyRest("UpdateHostedZoneComment", "<UpdateHostedZoneCommentResponse/>");
  client_->ReplyRest("GetHostedZone", kZone);
  client_->ReplyRest("ListTagsForResource", kTags);
  ASSERT_TRUE(T().Update(Ctx(), prior, desired).ok());
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_route53_zone", "update_comment"));

  // Two zones named example.com (moto ignores CallerReference): the tagged one is ours.
  client_->ReplyRest("ListHostedZonesByName",
                     "<ListHostedZonesByNameResponse><HostedZones><HostedZone><Id>/hostedzone/Z0</Id><Name>example.com."
                     "</Name></HostedZone><HostedZone><Id>/hostedzone/Z1</Id><Name>example.com.</Name></HostedZone>"
                     "<HostedZone><Id>/hostedzone/Z9</Id><Name>other.com.</Name></HostedZone></HostedZones>"
                     "</ListHostedZonesByNameResponse>");
  client_->ReplyRest("ListTagsForResource", "<ListTagsForResourceResponse><ResourceTagSet><Tags/></ResourceTagSet>"
                                            "</ListTagsForResourceResponse>");
  client_->ReplyRest("ListTagsForResource", kTags);
  client_->ReplyRest("GetHostedZone", kZone);
  client_->ReplyRest("ListTagsForResource", kTags);
  auto found = T().FindByAddress(Ctx(), {{"name", "example.com."}});
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((**found)["id"], "Z1");
}

TEST_F(Route53ZoneTest, ForceDestroyDeletesRecordsButTheApexSoaAndNs) {
  client_->ReplyRest(
      "ListResourceRecordSets",
      "<ListResourceRecordSetsResponse><ResourceRecordSets><ResourceRecordSet><Name>example.com.</Name><Type>NS</Type>"
      "<TTL>172800</TTL><ResourceRecords><ResourceRecord><Value>ns-1.</Value></ResourceRecord></ResourceRecords>"
      "</ResourceRecordSet><ResourceRecordSet><Name>example.com.</Name><Type>SOA</Type><TTL>900</TTL>"
      "<ResourceRecords><ResourceRecord><Value>ns-1. h. 1 2 3 4 5</Value></ResourceRecord></ResourceRecords>"
      "</ResourceRecordSet><ResourceRecordSet><Name>www.example.com.</Name><Type>A</Type><TTL>60</TTL>"
      "<ResourceRecords><ResourceRecord><Value>10.0.0.1</Value></ResourceRecord></ResourceRecords>"
      "</ResourceRecordSet></ResourceRecordSets><IsTruncated>false</IsTruncated></ListResourceRecordSetsResponse>");
  client_->ReplyRest("ChangeResourceRecordSets", "<ChangeResourceRecordSetsResponse/>");
  client_->ReplyRest("DeleteHostedZone", "<DeleteHostedZoneResponse/>");
  auto r = T().Delete(Ctx(), {{"id", "Z1"}, {"name", "example.com"}, {"force_destroy", true}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_route53_zone", "force_destroy"));

  client_->Fail("DeleteHostedZone", "HostedZoneNotEmpty", Error::Kind::kInvalid);
  r = T().Delete(Ctx(), {{"id", "Z1"}, {"name", "example.com"}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("force_destroy"), std::string::npos);
}

TEST_F(Route53ZoneTest, DataSourceFindsTheZoneByNameAndPrivacy) {
  auto* data = provider_->FindData("aws_route53_zone");
  ASSERT_NE(data, nullptr);
  client_->ReplyRest("ListHostedZonesByName",
                     "<ListHostedZonesByNameResponse><HostedZones><HostedZone><Id>/hostedzone/Z1</Id><Name>example.com."
                     "</Name><Config><PrivateZone>false</PrivateZone></Config></HostedZone></HostedZones>"
                     "</ListHostedZonesByNameResponse>");
  client_->ReplyRest("GetHostedZone", kZone);
  client_->ReplyRest("ListTagsForResource", kTags);
  auto got = data->Read(Ctx(), {{"name", "EXAMPLE.com."}, {"private_zone", false}});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ((*got)["zone_id"], "Z1");
  EXPECT_EQ((*got)["name_servers"].size(), 2u);
  client_->ReplyRest("ListHostedZonesByName", "<ListHostedZonesByNameResponse><HostedZones/></ListHostedZonesByNameResponse>");
  EXPECT_FALSE(data->Read(Ctx(), {{"name", "nope.com"}, {"private_zone", false}}).ok());
}

TEST_F(Route53ZoneTest, HealthCheckCreateWrapsTheConfigAndUpdateSendsItFlat) {
  auto& t = T("aws_route53_health_check");
  const char* check =
      "<GetHealthCheckResponse><HealthCheck><Id>hc-1</Id><HealthCheckConfig><Type>HTTP</Type>"
      "<FullyQualifiedDomainName>lb.example.com</FullyQualifiedDomainName><Port>80</Port><ResourcePath>/health.php"
      "</ResourcePath><RequestInterval>30</RequestInterval><FailureThreshold>3</FailureThreshold><MeasureLatency>false"
      "</MeasureLatency><Inverted>false</Inverted></HealthCheckConfig></HealthCheck></GetHealthCheckResponse>";
  client_->ReplyRest("CreateHealthCheck", "<CreateHealthCheckResponse><HealthCheck><Id>hc-1</Id></HealthCheck>"
                                          "</CreateHealthCheckResponse>", 201);
  client_->ReplyRest("ChangeTagsForResource", "");
  client_->ReplyRest("GetHealthCheck", check);
  client_->ReplyRest("ListTagsForResource", "<ListTagsForResourceResponse/>");
  json desired = {{"type", "HTTP"}, {"fqdn", "lb.example.com"}, {"port", 80}, {"resource_path", "/health.php"},
                  {"request_interval", 30}, {"failure_threshold", 3}, {"measure_latency", false},
                  {"invert_healthcheck", false}};
  auto r = t.Create(Ctx(), desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  json want = desired;
  want["id"] = "hc-1";
  want["arn"] = "arn:aws:route53:::healthcheck/hc-1";
  want["tags"] = nullptr;
  EXPECT_EQ(r->attributes, want);
  json changed = r->attributes;
  changed["failure_threshold"] = 5;
  client_->ReplyRest("UpdateHealthCheck", "<UpdateHealthCheckResponse/>");
  client_->ReplyRest("GetHealthCheck", check);
  client_->ReplyRest("ListTagsForResource", "<ListTagsForResourceResponse/>");
  ASSERT_TRUE(t.Update(Ctx(), r->attributes, changed).ok());
  client_->ReplyRest("DeleteHealthCheck", "");
  ASSERT_TRUE(t.Delete(Ctx(), changed).ok());
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_route53_health_check", "create_update_delete"));
  client_->Fail("GetHealthCheck", "NoSuchHealthCheck", Error::Kind::kNotFound);
  EXPECT_TRUE(t.Read("eu-west-1", {"hc-1"})->empty());
}

TEST_F(Route53ZoneTest, AHealthCheckTwinIsToldApartByItsTags) {
  provider::OperationContext ctx = Ctx();
  ctx.address = "aws_route53_health_check.primary";
  client_->ReplyRest("ListHealthChecks",
                     "<ListHealthChecksResponse><HealthChecks><HealthCheck><Id>hc-0</Id></HealthCheck><HealthCheck>"
                     "<Id>hc-1</Id></HealthCheck></HealthChecks><IsTruncated>false</IsTruncated></ListHealthChecksResponse>");
  client_->ReplyRest("ListTagsForResource", "<ListTagsForResourceResponse/>");
  const char* ours = "<ListTagsForResourceResponse><ResourceTagSet><Tags><Tag><Key>infra:address</Key><Value>"
                     "aws_route53_health_check.primary</Value></Tag><Tag><Key>infra:stack</Key><Value>s</Value></Tag>"
                     "</Tags></ResourceTagSet></ListTagsForResourceResponse>";
  client_->ReplyRest("ListTagsForResource", ours);
  client_->ReplyRest("GetHealthCheck", "<GetHealthCheckResponse><HealthCheck><Id>hc-1</Id><HealthCheckConfig><Type>HTTP"
                                       "</Type></HealthCheckConfig></HealthCheck></GetHealthCheckResponse>");
  client_->ReplyRest("ListTagsForResource", ours);
  auto found = T("aws_route53_health_check").FindByAddress(ctx, {{"type", "HTTP"}});
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((**found)["id"], "hc-1");
  EXPECT_EQ(client_->remaining(), 0u);
}

}  // namespace
}  // namespace infra::aws

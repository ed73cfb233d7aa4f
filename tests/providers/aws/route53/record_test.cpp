// aws_route53_record over a scripted client, with golden wire fixtures
// (tests/data/aws/wire/aws_route53_record.json): a failover alias record's
// CREATE and read-back, the INSYNC wait through Poll (GetChange), a flip of
// PRIMARY as one UPSERT, the DELETE repeating what was sent, names
// normalised (case, trailing dot, "\052"), TXT values quoted on the wire
// only, ids with underscores, and refresh listing a zone once for all its
// records, with pages that never carry NextRecordIdentifier.
#include <gtest/gtest.h>

#include "fakes/golden_wire.h"
#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using nlohmann::json;
using test::MatchesGolden;
using test::ScriptedAwsClient;

std::string Page(const std::string& sets, bool truncated, const std::string& next_name = "",
                 const std::string& next_type = "") {
  std::string out = "<ListResourceRecordSetsResponse><ResourceRecordSets>" + sets + "</ResourceRecordSets><IsTruncated>" +
                    (truncated ? "true" : "false") + "</IsTruncated>";
  if (!next_name.empty()) out += "<NextRecordName>" + next_name + "</NextRecordName><NextRecordType>" + next_type +
                                 "</NextRecordType>";
  return out + "<MaxItems>300</MaxItems></ListResourceRecordSetsResponse>";
}
std::string Failover(const std::string& set, const std::string& role, const std::string& target) {
  return "<ResourceRecordSet><Name>www.example.com.</Name><Type>A</Type><SetIdentifier>" + set +
         "</SetIdentifier><Failover>" + role + "</Failover><AliasTarget><HostedZoneId>ZLB</HostedZoneId><DNSName>" +
         target + "</DNSName><EvaluateTargetHealth>true</EvaluateTargetHealth></AliasTarget></ResourceRecordSet>";
}
std::string Plain(const std::string& name, const std::string& type, const std::string& value) {
  return "<ResourceRecordSet><Name>" + name + "</Name><Type>" + type + "</Type><TTL>60</TTL><ResourceRecords>"
         "<ResourceRecord><Value>" + value + "</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>";
}
const char* kInsync = "<ChangeResourceRecordSetsResponse><ChangeInfo><Id>/change/C1</Id><Status>INSYNC</Status>"
                      "</ChangeInfo></ChangeResourceRecordSetsResponse>";

json Primary() {
  return {{"zone_id", "Z1"}, {"name", "WWW.example.com."}, {"type", "A"}, {"set_identifier", "primary"},
          {"failover_routing_policy", {{"type", "PRIMARY"}}},
          {"alias", {{"name", "Lb-1.eu-west-1.elb.amazonaws.com"}, {"zone_id", "ZLB"}, {"evaluate_target_health", true}}}};
}

class Route53RecordTest : public testing::Test {
 protected:
  provider::ResourceType& T() { return *provider_->Find("aws_route53_record"); }
  provider::OperationContext Ctx() { return {"s", "aws_route53_record.www", "eu-west-1", "tok", nullptr}; }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
};

TEST_F(Route53RecordTest, FailoverAliasCreateFlipAndDelete) {
  client_->ReplyRest("ChangeResourceRecordSets", kInsync);
  client_->ReplyRest("ListResourceRecordSets",
                     Page(Failover("primary", "PRIMARY", "lb-1.eu-west-1.elb.amazonaws.com.") +
                              Failover("secondary", "SECONDARY", "lb-2.eu-central-1.elb.amazonaws.com."), false));
  auto r = T().Create(Ctx(), Primary());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_FALSE(r->pending);
  EXPECT_EQ(r->attributes["id"], "Z1_WWW.example.com._A_primary");  // the stack's spelling: no drift
  EXPECT_EQ(r->attributes["fqdn"], "www.example.com");
  EXPECT_EQ(r->attributes["alias"]["name"], "lb-1.eu-west-1.elb.amazonaws.com");
  EXPECT_TRUE(provider::SameValue(*T().schema().Find("alias"), Primary()["alias"], r->attributes["alias"]));
  for (const char* attr : {"zone_id", "name", "type", "set_identifier", "failover_routing_policy"})
    EXPECT_EQ(r->attributes[attr], Primary()[attr]) << attr;

  json flipped = r->attributes;
  flipped["failover_routing_policy"]["type"] = "SECONDARY";
  client_->ReplyRest("ChangeResourceRecordSets", kInsync);
  client_->ReplyRest("ListResourceRecordSets", Page(Failover("primary", "SECONDARY", "lb-1.eu-west-1.elb.amazonaws.com."), false));
  auto u = T().Update(Ctx(), r->attributes, flipped);
  ASSERT_TRUE(u.ok()) << u.error().ToString();
  EXPECT_EQ(u->attributes["failover_routing_policy"]["type"], "SECONDARY");
  client_->ReplyRest("ChangeResourceRecordSets", kInsync);
  ASSERT_TRUE(T().Delete(Ctx(), u->attributes).ok());
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_route53_record", "failover_create_flip_delete"));
  auto calls = client_->calls();
  // The DELETE repeats the last UPSERT's record set exactly (Route 53 matches it as a whole).
  EXPECT_EQ(calls[4].rest.body.substr(calls[4].rest.body.find("<ResourceRecordSet>")),
            calls[2].rest.body.substr(calls[2].rest.body.find("<ResourceRecordSet>")));
}

TEST_F(Route53RecordTest, APendingChangeIsPolledUntilInsync) {
  client_->ReplyRest("ChangeResourceRecordSets",
                     "<ChangeResourceRecordSetsResponse><ChangeInfo><Id>/change/C7</Id><Status>PENDING</Status>"
                     "</ChangeInfo></ChangeResourceRecordSetsResponse>");
  json desired = {{"zone_id", "Z1"}, {"name", "api.example.com"}, {"type", "CNAME"}, {"ttl", 60},
                  {"records", {"lb.example.com"}}};
  auto r = T().Create(Ctx(), desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_TRUE(r->pending);
  client_->ReplyRest("GetChange", "<GetChangeResponse><ChangeInfo><Id>/change/C7</Id><Status>PENDING</Status>"
                                  "</ChangeInfo></GetChangeResponse>");
  auto p = T().Poll(Ctx(), r->attributes, provider::Phase::kCreate);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->status, provider::PollStatus::kPending);
  client_->ReplyRest("GetChange", "<GetChangeResponse><ChangeInfo><Id>/change/C7</Id><Status>INSYNC</Status>"
                                  "</ChangeInfo></GetChangeResponse>");
  client_->ReplyRest("ListResourceRecordSets", Page(Plain("api.example.com.", "CNAME", "lb.example.com"), false));
  p = T().Poll(Ctx(), r->attributes, provider::Phase::kCreate);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->status, provider::PollStatus::kReady);
  EXPECT_EQ(p->attributes["records"], json({"lb.example.com"}));
  EXPECT_EQ(p->attributes["ttl"], 60);
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_route53_record", "pending_then_insync"));
}

TEST_F(Route53RecordTest, RefreshListsEachZoneOnceAndEndsWithoutNextRecordIdentifier) {
  // Page 1 ends inside the failover pair; moto restarts page 2 at www/A
  // (no identifier), repeating the primary.
  client_->ReplyRest("ListResourceRecordSets",
                     Page(Plain("api.example.com.", "A", "10.0.0.1") +
                              Failover("primary", "PRIMARY", "lb-1.eu-west-1.elb.amazonaws.com."),
                          true, "www.example.com.", "A"));
  client_->ReplyRest("ListResourceRecordSets",
                     Page(Failover("primary", "PRIMARY", "lb-1.eu-west-1.elb.amazonaws.com.") +
                              Failover("secondary", "SECONDARY", "lb-2.eu-central-1.elb.amazonaws.com.") +
                              Plain("\\052.example.com.", "TXT", "\"v=spf1 -all\""),
                          false));
  auto got = T().Read("eu-west-1", {"Z1_api.example.com_A", "Z1_www.example.com_A_primary",
                                    "Z1_www.example.com_A_secondary", "Z1_*.example.com_TXT", "Z1_gone.example.com_A"});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->size(), 4u);
  EXPECT_EQ(got->at("Z1_*.example.com_TXT")["records"], json({"v=spf1 -all"}));  // quotes are the wire's
  EXPECT_EQ(got->at("Z1_www.example.com_A_secondary")["failover_routing_policy"]["type"], "SECONDARY");
  EXPECT_EQ(client_->calls().size(), 2u);
  EXPECT_EQ(client_->calls()[1].rest.query,
            (QueryParams{{"name", "www.example.com."}, {"type", "A"}, {"maxitems", "300"}}));

  // A page that brings nothing new (the same name and type forever) ends the listing.
  const std::string same = Page(Failover("primary", "PRIMARY", "x.") + Failover("secondary", "SECONDARY", "y."), true,
                                "www.example.com.", "A");
  client_->ReplyRest("ListResourceRecordSets", same);
  client_->ReplyRest("ListResourceRecordSets", same);
  got = T().Read("eu-west-1", {"Z1_www.example.com_A_primary", "Z1_www.example.com_A_secondary"});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->size(), 2u);
  EXPECT_EQ(client_->remaining(), 0u);
}

TEST_F(Route53RecordTest, TxtValuesAreQuotedOnTheWireAndIdsMayHoldUnderscores) {
  client_->ReplyRest("ChangeResourceRecordSets", kInsync);
  client_->ReplyRest("ListResourceRecordSets", Page(Plain("_dmarc.example.com.", "TXT", "\"v=DMARC1; p=none\""), false));
  auto r = T().Create(Ctx(), {{"zone_id", "Z1"}, {"name", "_dmarc.example.com"}, {"type", "TXT"}, {"ttl", 60},
                              {"records", {"v=DMARC1; p=none"}}, {"allow_overwrite", true}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->attributes["id"], "Z1__dmarc.example.com_TXT");
  EXPECT_EQ(r->attributes["records"], json({"v=DMARC1; p=none"}));
  EXPECT_NE(client_->calls()[0].rest.body.find("<Action>UPSERT</Action>"), std::string::npos);  // allow_overwrite
  EXPECT_NE(client_->calls()[0].rest.body.find("<Value>&quot;v=DMARC1; p=none&quot;</Value>"), std::string::npos)
      << client_->calls()[0].rest.body;
  client_->ReplyRest("ListResourceRecordSets", Page(Plain("_dmarc.example.com.", "TXT", "\"v=DMARC1; p=none\""), false));
  client_->ReplyRest("ListResourceRecordSets", Page(Plain("_dmarc.example.com.", "TXT", "\"v=DMARC1; p=none\""), false));
  auto found = T().FindByAddress(Ctx(), {{"zone_id", "Z1"}, {"name", "_dmarc.example.com"}, {"type", "TXT"}});
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());  // after a crash the record is adopted, not created twice
  auto imported = T().Import(Ctx(), "Z1__dmarc.example.com_TXT");
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  EXPECT_EQ((*imported)["name"], "_dmarc.example.com");
  EXPECT_EQ((*imported)["zone_id"], "Z1");
  EXPECT_EQ((*imported)["allow_overwrite"], false);  // not read: the default, so the import plans no change
}

}  // namespace
}  // namespace infra::aws

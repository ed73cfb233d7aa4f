// REST routes: path members percent-encoded (greedy labels keep '/'),
// query members sent only when set, header members, the rest as a JSON or
// XML body; replies as JSON, XML elements that repeat as lists.
#include "providers/aws/kit/rest_wire.h"

#include <gtest/gtest.h>

namespace infra::aws::kit {
namespace {

using nlohmann::json;

TEST(RestWireTest, PathQueryHeadersAndJsonBody) {
  RestRoute route{"PUT", "/2015-03-31/functions/{FunctionName}/configuration?Qualifier={Qualifier}&x=1"};
  route.headers = {{"RevisionId", "x-amz-revision"}};
  auto r = RestRequestFor(route, Protocol::kRestJson,
                          {{"FunctionName", "my fn"}, {"Timeout", 3}, {"RevisionId", "r1"}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->method, "PUT");
  EXPECT_EQ(r->path, "/2015-03-31/functions/my%20fn/configuration");
  EXPECT_EQ(r->query, (QueryParams{{"x", "1"}}));  // Qualifier unset: not sent
  EXPECT_EQ(r->headers.at("x-amz-revision"), "r1");
  EXPECT_EQ(json::parse(r->body), json({{"Timeout", 3}}));
  EXPECT_EQ(r->headers.at("content-type"), "application/json");
}

TEST(RestWireTest, GreedyLabelsBareQueryAndXmlBody) {
  RestRoute route{"PUT", "/{Bucket}/{Key+}?tagging", "Tagging", "http://s3.amazonaws.com/doc/2006-03-01/"};
  auto r = RestRequestFor(route, Protocol::kRestXml,
                          {{"Bucket", "b"}, {"Key", "a/b c"},
                           {"TagSet", {{"Tag", {{{"Key", "k"}, {"Value", "<v>"}}, {{"Key", "k2"}, {"Value", "w"}}}}}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->path, "/b/a/b%20c");
  EXPECT_EQ(r->query, (QueryParams{{"tagging", ""}}));
  EXPECT_EQ(r->body, "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag><Key>k</Key>"
                     "<Value>&lt;v&gt;</Value></Tag><Tag><Key>k2</Key><Value>w</Value></Tag></TagSet></Tagging>");
  RestRoute create{"PUT", "/{Bucket}", "CreateBucketConfiguration", "x"};
  auto payload = RestRequestFor(create, Protocol::kRestXml,
                                {{"Bucket", "b"}, {"CreateBucketConfiguration", {{"LocationConstraint", "eu-west-1"}}}});
  ASSERT_TRUE(payload.ok()) << payload.error().ToString();
  EXPECT_EQ(payload->body, "<CreateBucketConfiguration xmlns=\"x\"><LocationConstraint>eu-west-1</LocationConstraint>"
                           "</CreateBucketConfiguration>");  // the payload member is the root, not inside it
  auto missing = RestRequestFor(route, Protocol::kRestXml, {{"Key", "k"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("Bucket"), std::string::npos);
}

TEST(RestWireTest, RepliesBecomeJson) {
  RestResponse xml{200, {{"x-amz-bucket-region", "eu-west-1"}},
                   "<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>2</Value>"
                   "</Tag></TagSet></Tagging>", ""};
  auto j = RestReplyJson(Protocol::kRestXml, xml, "s3 GetBucketTagging");
  ASSERT_TRUE(j.ok()) << j.error().ToString();
  EXPECT_EQ((*j)["TagSet"]["Tag"], json({{{"Key", "a"}, {"Value", "1"}}, {{"Key", "b"}, {"Value", "2"}}}));
  EXPECT_EQ((*j)["header:x-amz-bucket-region"], "eu-west-1");
  auto empty = RestReplyJson(Protocol::kRestJson, RestResponse{204, {}, "", ""}, "lambda DeleteFunction");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, json::object());
  auto bad = RestReplyJson(Protocol::kRestJson, RestResponse{200, {}, "{oops", ""}, "lambda GetFunction");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("lambda GetFunction"), std::string::npos);
}

}  // namespace
}  // namespace infra::aws::kit

namespace infra::aws::kit {
namespace {

TEST(RestWireOrderTest, ListedChildrenComeInTheirOrderThenTheRestSorted) {
  nlohmann::json body = {{"Name", "example.com"},
                         {"CallerReference", "tok"},
                         {"HostedZoneConfig", {{"PrivateZone", false}, {"Comment", "c"}}},
                         {"Zzz", "x"},
                         {"Aaa", "y"}};
  std::map<std::string, std::vector<std::string>> order = {
      {"CreateHostedZoneRequest", {"Name", "VPC", "CallerReference", "HostedZoneConfig"}},
      {"HostedZoneConfig", {"Comment", "PrivateZone"}}};
  EXPECT_EQ(JsonToXml("CreateHostedZoneRequest", "", body, order),
            "<CreateHostedZoneRequest><Name>example.com</Name><CallerReference>tok</CallerReference>"
            "<HostedZoneConfig><Comment>c</Comment><PrivateZone>false</PrivateZone></HostedZoneConfig>"
            "<Aaa>y</Aaa><Zzz>x</Zzz></CreateHostedZoneRequest>");
  // Without an order: sorted, as before.
  EXPECT_EQ(JsonToXml("R", "", {{"b", 1}, {"a", 2}}), "<R><a>2</a><b>1</b></R>");
}

}  // namespace
}  // namespace infra::aws::kit

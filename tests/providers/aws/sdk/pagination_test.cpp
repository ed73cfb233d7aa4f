// Pagination: the generic loop's guards and each adapter over a scripted
// transport (EC2 nextToken, RDS Marker, Route 53 IsTruncated/NextMarker,
// JSON nextToken).
#include "providers/aws/sdk/pagination.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "fakes/scripted_transport.h"
#include "providers/aws/sdk/credentials.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws {
namespace {

using test::ScriptedTransport;

std::shared_ptr<AwsClient> Client(std::shared_ptr<ScriptedTransport> t) {
  ClientSeams seams;
  seams.transport = std::move(t);
  seams.env = FixedEnvironment({{"AWS_ENDPOINT_URL", "http://127.0.0.1:4566"}});
  seams.credentials = NewStaticCredentialsProvider(Credentials{"AKID", "secret", "", std::nullopt, "test"});
  seams.sleep = [](std::chrono::nanoseconds) {};
  return NewAwsClient({}, std::move(seams));
}

TEST(PaginationTest, LoopStopsOnEmptyToken) {
  std::vector<std::string> seen;
  Status s = Paginate([&](const std::string& token) -> Result<std::string> {
    seen.push_back(token);
    return std::string(token.empty() ? "a" : token == "a" ? "b" : "");
  });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"", "a", "b"}));
}

TEST(PaginationTest, RepeatedTokenIsAnError) {
  Status s = Paginate([](const std::string&) -> Result<std::string> { return std::string("same"); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "PaginationLoop");
}

TEST(PaginationTest, PageLimitAndErrorsPropagate) {
  int n = 0;
  Status limit = Paginate([&](const std::string&) -> Result<std::string> { return std::to_string(++n); }, 5);
  EXPECT_EQ(limit.error().code, "PaginationLimit");
  Status fail = Paginate([](const std::string&) -> Result<std::string> {
    return MakeError(Error::Kind::kAuth, "AccessDenied", "no");
  });
  EXPECT_EQ(fail.error().code, "AccessDenied");
}

TEST(PaginationTest, Ec2NextToken) {
  auto t = std::make_shared<ScriptedTransport>();
  t->Reply(200, "<R><vpcSet><item><vpcId>a</vpcId></item></vpcSet><nextToken>tok1</nextToken></R>");
  t->Reply(200, "<R><vpcSet><item><vpcId>b</vpcId></item></vpcSet></R>");
  auto client = Client(t);
  std::vector<std::string> ids;
  Status s = PaginateQuery(*client, "ec2", "eu-west-1", "DescribeVpcs", {{"MaxResults", "5"}}, XmlPaging{},
                           [&](const pugi::xml_document& doc) -> Status {
                             for (auto item : XmlItems(doc.document_element(), "vpcSet"))
                               ids.push_back(XmlText(item, "vpcId"));
                             return {};
                           });
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(t->requests()[1].body, "Action=DescribeVpcs&Version=2016-11-15&MaxResults=5&NextToken=tok1");
}

TEST(PaginationTest, RdsMarker) {
  auto t = std::make_shared<ScriptedTransport>();
  t->Reply(200, "<R><DescribeDBClustersResult><Marker>m1</Marker></DescribeDBClustersResult></R>");
  t->Reply(200, "<R><DescribeDBClustersResult></DescribeDBClustersResult></R>");
  int pages = 0;
  Status s = PaginateQuery(*Client(t), "rds", "eu-west-1", "DescribeDBClusters", {}, XmlPaging{"Marker", "Marker", ""},
                           [&](const pugi::xml_document&) -> Status {
                             ++pages;
                             return {};
                           });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(pages, 2);
  EXPECT_NE(t->requests()[1].body.find("&Marker=m1"), std::string::npos);
}

TEST(PaginationTest, Route53IsTruncated) {
  auto t = std::make_shared<ScriptedTransport>();
  t->Reply(200, "<ListHostedZonesResponse><IsTruncated>true</IsTruncated><NextMarker>Z2</NextMarker>"
                "</ListHostedZonesResponse>");
  t->Reply(200, "<ListHostedZonesResponse><IsTruncated>false</IsTruncated><NextMarker>Z3</NextMarker>"
                "</ListHostedZonesResponse>");
  RestRequest req;
  req.path = "/2013-04-01/hostedzone";
  int pages = 0;
  Status s = PaginateRest(*Client(t), "route53", "us-east-1", "ListHostedZones", req,
                          XmlPaging{"marker", "NextMarker", "IsTruncated"}, [&](const pugi::xml_document&) -> Status {
                            ++pages;
                            return {};
                          });
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(pages, 2) << "IsTruncated=false ends the loop even with a NextMarker";
  EXPECT_EQ(t->requests()[1].url, "http://127.0.0.1:4566/2013-04-01/hostedzone?marker=Z2");
}

TEST(PaginationTest, JsonNextToken) {
  auto t = std::make_shared<ScriptedTransport>();
  t->Reply(200, R"({"clusterArns":["a"],"nextToken":"n1"})");
  t->Reply(200, R"({"clusterArns":["b"]})");
  std::vector<std::string> arns;
  Status s = PaginateJson(*Client(t), "ecs", "eu-west-1", "ListClusters", nullptr, "nextToken", "nextToken",
                          [&](const nlohmann::json& page) -> Status {
                            for (const auto& a : page["clusterArns"]) arns.push_back(a);
                            return {};
                          });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(arns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(nlohmann::json::parse(t->requests()[1].body)["nextToken"], "n1");
}

}  // namespace
}  // namespace infra::aws

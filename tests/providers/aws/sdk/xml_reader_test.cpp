// XML helpers against a recorded EC2 DescribeVpcs reply.
#include "providers/aws/sdk/xml_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "test_paths.h"

namespace infra::aws {
namespace {

TEST(XmlReaderTest, WalksEc2ItemSets) {
  std::ifstream in(test::DataDir() + "/aws/ec2_describe_vpcs.xml");
  std::stringstream ss;
  ss << in.rdbuf();
  pugi::xml_document doc;
  ASSERT_TRUE(ParseXml(ss.str(), &doc, "ec2 DescribeVpcs").ok());
  auto vpcs = XmlItems(doc.document_element(), "vpcSet");
  ASSERT_EQ(vpcs.size(), 1u);
  EXPECT_EQ(XmlText(vpcs[0], "cidrBlock"), "172.31.0.0/16");
  EXPECT_EQ(XmlText(vpcs[0], "isDefault"), "true");
  EXPECT_EQ(XmlText(vpcs[0], "cidrBlockAssociationSet/item/cidrBlockState/state"), "associated");
  EXPECT_EQ(XmlText(vpcs[0], "no/such/path"), "");
  EXPECT_TRUE(XmlItems(vpcs[0], "tagSet").empty());
  EXPECT_TRUE(XmlFind(doc, "vpcId"));
}

TEST(XmlReaderTest, QueryResultPath) {
  pugi::xml_document doc;
  ASSERT_TRUE(ParseXml("<GetCallerIdentityResponse xmlns='x'><GetCallerIdentityResult><Account>1</Account>"
                       "</GetCallerIdentityResult></GetCallerIdentityResponse>",
                       &doc, "sts").ok());
  EXPECT_EQ(XmlText(doc.document_element(), "GetCallerIdentityResult/Account"), "1");
}

TEST(XmlReaderTest, MalformedNamesTheCall) {
  pugi::xml_document doc;
  Status s = ParseXml("<a><b></a>", &doc, "rds DescribeDBClusters");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "MalformedReply");
  EXPECT_NE(s.error().message.find("rds DescribeDBClusters"), std::string::npos);
}

}  // namespace
}  // namespace infra::aws

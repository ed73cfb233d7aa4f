// EC2/query flattening and form encoding, checked against the names botocore
// produces for the same inputs.
#include "providers/aws/sdk/protocol_query.h"

#include <gtest/gtest.h>

namespace infra::aws {
namespace {

TEST(ProtocolQueryTest, Ec2ListsFiltersAndTagSpecifications) {
  QueryParams p;
  AddEc2List(p, "VpcId", {"vpc-1", "vpc-2"});
  AddEc2Filters(p, {{"tag:infra:stack", {"web"}}, {"state", {"available", "pending"}}});
  AddEc2TagSpecification(p, "vpc", {{"Name", "main"}, {"infra:address", "aws_vpc.main"}});
  QueryParams want = {{"VpcId.1", "vpc-1"},
                      {"VpcId.2", "vpc-2"},
                      {"Filter.1.Name", "tag:infra:stack"},
                      {"Filter.1.Value.1", "web"},
                      {"Filter.2.Name", "state"},
                      {"Filter.2.Value.1", "available"},
                      {"Filter.2.Value.2", "pending"},
                      {"TagSpecification.1.ResourceType", "vpc"},
                      {"TagSpecification.1.Tag.1.Key", "Name"},
                      {"TagSpecification.1.Tag.1.Value", "main"},
                      {"TagSpecification.1.Tag.2.Key", "infra:address"},
                      {"TagSpecification.1.Tag.2.Value", "aws_vpc.main"}};
  EXPECT_EQ(p, want);
}

TEST(ProtocolQueryTest, Ec2Tags) {
  QueryParams p;
  AddEc2Tags(p, {{"a", "1"}});
  EXPECT_EQ(p, (QueryParams{{"Tag.1.Key", "a"}, {"Tag.1.Value", "1"}}));
}

TEST(ProtocolQueryTest, QueryMembersAndRdsFilters) {
  QueryParams p;
  AddMemberList(p, "Subnets", {"subnet-a", "subnet-b"});
  AddMemberTags(p, {{"k", "v"}});
  AddRdsFilters(p, {{"db-cluster-id", {"a", "b"}}});
  AddNamedList(p, "VpcSecurityGroupIds", "VpcSecurityGroupId", {"sg-1"});
  QueryParams want = {{"Subnets.member.1", "subnet-a"},
                      {"Subnets.member.2", "subnet-b"},
                      {"Tags.member.1.Key", "k"},
                      {"Tags.member.1.Value", "v"},
                      {"Filters.Filter.1.Name", "db-cluster-id"},
                      {"Filters.Filter.1.Values.Value.1", "a"},
                      {"Filters.Filter.1.Values.Value.2", "b"},
                      {"VpcSecurityGroupIds.VpcSecurityGroupId.1", "sg-1"}};
  EXPECT_EQ(p, want);
}

TEST(ProtocolQueryTest, BodyEncoding) {
  QueryParams p = {{"Filter.1.Name", "tag:infra:address"}, {"Filter.1.Value.1", "a b/c[\"x\"]~"}};
  EXPECT_EQ(EncodeQueryBody("DescribeVpcs", "2016-11-15", p),
            "Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=tag%3Ainfra%3Aaddress"
            "&Filter.1.Value.1=a%20b%2Fc%5B%22x%22%5D~");
}

TEST(ProtocolQueryTest, FormEncodeUtf8) {
  EXPECT_EQ(FormEncode("ü+="), "%C3%BC%2B%3D");
  EXPECT_EQ(FormEncode("AZaz09-_.~"), "AZaz09-_.~");
}

}  // namespace
}  // namespace infra::aws

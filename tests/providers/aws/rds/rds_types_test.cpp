// The other RDS types over a scripted client, with golden wire fixtures:
// aws_db_instance (a cross-region read replica created by
// CreateDBInstanceReadReplica without the primary-only fields, promoted in
// place), aws_rds_cluster_instance, aws_db_subnet_group (ModifyDBSubnetGroup
// with the subnets every time; tags by ListTagsForResource) and the
// parameter groups (parameters put after the create, reset when removed).
#include <gtest/gtest.h>

#include "fakes/golden_wire.h"
#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using nlohmann::json;
using test::MatchesGolden;
using test::ScriptedAwsClient;

const char* kEmpty = "<R/>";
const char* kPrimaryArn = "arn:aws:rds:eu-central-1:123456789012:db:primary";

std::string Instance(const std::string& id, const std::string& status, const std::string& source = "") {
  return "<DescribeDBInstancesResponse><DescribeDBInstancesResult><DBInstances><DBInstance><DBInstanceIdentifier>" + id +
         "</DBInstanceIdentifier><DBInstanceStatus>" + status + "</DBInstanceStatus><Engine>mysql</Engine>"
         "<DBInstanceClass>db.t3.micro</DBInstanceClass><AllocatedStorage>20</AllocatedStorage>"
         "<Endpoint><Address>" + id + ".x.rds.amazonaws.com</Address><Port>3306</Port></Endpoint>"
         "<DBInstanceArn>arn:aws:rds:eu-west-1:123456789012:db:" + id + "</DBInstanceArn>" +
         (source.empty() ? "" : "<ReadReplicaSourceDBInstanceIdentifier>" + source + "</ReadReplicaSourceDBInstanceIdentifier>") +
         "<TagList/></DBInstance></DBInstances></DescribeDBInstancesResult></DescribeDBInstancesResponse>";
}
std::string Tags(const std::string& inner = "") {
  return "<ListTagsForResourceResponse><ListTagsForResourceResult><TagList>" + inner +
         "</TagList></ListTagsForResourceResult></ListTagsForResourceResponse>";
}

class RdsTypesTest : public testing::Test {
 protected:
  provider::ResourceType& T(const char* type) { return *provider_->Find(type); }
  provider::OperationContext Ctx(const std::string& address) { return {"s", address, "eu-west-1", "tok", nullptr}; }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
};

TEST_F(RdsTypesTest, AnInstanceReplicaIsCreatedFromItsSourceWithoutPrimaryOnlyFields) {
  client_->Reply("CreateDBInstanceReadReplica",
                 "<CreateDBInstanceReadReplicaResponse><CreateDBInstanceReadReplicaResult><DBInstance>"
                 "<DBInstanceIdentifier>replica</DBInstanceIdentifier></DBInstance>"
                 "</CreateDBInstanceReadReplicaResult></CreateDBInstanceReadReplicaResponse>");
  auto r = T("aws_db_instance").Create(Ctx("aws_db_instance.replica"),
                                       {{"identifier", "replica"}, {"instance_class", "db.t3.micro"},
                                        {"engine", "mysql"}, {"username", "admin"}, {"password", "s3cret!"},
                                        {"allocated_storage", 20}, {"replicate_source_db", kPrimaryArn},
                                        {"skip_final_snapshot", true}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->pending);
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_db_instance", "create_replica"));
  EXPECT_EQ(client_->calls()[0].Param("MasterUserPassword"), "");  // a replica takes the primary's
  // The source is in eu-central-1 (its ARN), the replica in eu-west-1: the
  // create carries the same call presigned for the source region, as
  // Terraform's SourceRegion makes the AWS SDK do.
  auto presigns = client_->presigns();
  ASSERT_FALSE(presigns.empty());
  EXPECT_EQ(presigns.back().region, "eu-central-1");
  EXPECT_EQ(presigns.back().action, "CreateDBInstanceReadReplica");
  EXPECT_EQ(presigns.back().Param("SourceDBInstanceIdentifier"), kPrimaryArn);
  EXPECT_EQ(presigns.back().Param("DestinationRegion"), "eu-west-1");
  EXPECT_EQ(client_->calls()[0].Param("PreSignedUrl").rfind("https://presigned.eu-central-1/", 0), 0u);
}

// Issue 11 (IAM propagation): a monitoring role made seconds ago is refused
// with InvalidParameterValue naming ENHANCED_MONITORING; that is a NotFound,
// which the engine retries within the role's grace. Other invalid values
// stay errors.
TEST_F(RdsTypesTest, AMonitoringRoleNotYetPropagatedIsRetriedNotReported) {
  json desired = {{"identifier", "db"}, {"instance_class", "db.t3.micro"}, {"engine", "mysql"},
                  {"username", "admin"}, {"password", "s3cret!"}, {"allocated_storage", 20},
                  {"monitoring_interval", 60}, {"monitoring_role_arn", "arn:aws:iam::123456789012:role/rds-mon"},
                  {"skip_final_snapshot", true}};
  client_->Fail("CreateDBInstance", "InvalidParameterValue", Error::Kind::kInvalid,
                "IAM role ARN value is invalid or does not include the required permissions for: ENHANCED_MONITORING");
  auto r = T("aws_db_instance").Create(Ctx("aws_db_instance.db"), desired);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Error::Kind::kNotFound) << r.error().ToString();
  EXPECT_EQ(client_->calls().at(0).Param("MonitoringInterval"), "60");
  EXPECT_EQ(client_->calls().at(0).Param("MonitoringRoleArn"), "arn:aws:iam::123456789012:role/rds-mon");
  client_->Fail("CreateDBInstance", "InvalidParameterValue", Error::Kind::kInvalid, "Invalid DB instance class");
  auto other = T("aws_db_instance").Create(Ctx("aws_db_instance.db"), desired);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().kind, Error::Kind::kInvalid);
  client_->Fail("CreateDBInstance", "InvalidParameterValue", Error::Kind::kInvalid,
                "IAM role ARN value is invalid or does not include the required permissions for: ENHANCED_MONITORING");
  auto member = T("aws_rds_cluster_instance").Create(Ctx("aws_rds_cluster_instance.db"),
                                                      {{"identifier", "db"}, {"cluster_identifier", "c"},
                                                       {"instance_class", "db.r6g.large"}, {"engine", "aurora-mysql"},
                                                       {"monitoring_interval", 60},
                                                       {"monitoring_role_arn", "arn:aws:iam::1:role/m"}});
  ASSERT_FALSE(member.ok());
  EXPECT_EQ(member.error().kind, Error::Kind::kNotFound);
}

TEST_F(RdsTypesTest, APrimaryInstanceIsCreatedWithItsCredentials) {
  client_->Reply("CreateDBInstance", "<CreateDBInstanceResponse><CreateDBInstanceResult><DBInstance>"
                                     "<DBInstanceIdentifier>primary</DBInstanceIdentifier></DBInstance>"
                                     "</CreateDBInstanceResult></CreateDBInstanceResponse>");
  client_->Reply("DescribeDBInstances", Instance("primary", "available"));
  auto r = T("aws_db_instance").Create(Ctx("aws_db_instance.primary"),
                                       {{"identifier", "primary"}, {"instance_class", "db.t3.micro"},
                                        {"engine", "mysql"}, {"username", "admin"}, {"password", "s3cret!"},
                                        {"allocated_storage", 20}, {"skip_final_snapshot", true}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto p = T("aws_db_instance").Poll(Ctx("aws_db_instance.primary"), r->attributes, provider::Phase::kCreate);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->attributes["endpoint"], "primary.x.rds.amazonaws.com:3306");
  EXPECT_EQ(p->attributes["allocated_storage"], 20);
  EXPECT_EQ(client_->calls()[0].Param("MasterUserPassword"), "s3cret!");
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_db_instance", "create"));
}

TEST_F(RdsTypesTest, RemovingAnInstanceSourcePromotesIt) {
  json prior = {{"id", "replica"}, {"identifier", "replica"}, {"instance_class", "db.t3.micro"},
                {"replicate_source_db", kPrimaryArn}, {"skip_final_snapshot", true}};
  json desired = prior;
  desired.erase("replicate_source_db");
  client_->Reply("PromoteReadReplica", kEmpty);
  client_->Reply("DescribeDBInstances", Instance("replica", "modifying", kPrimaryArn));
  auto r = T("aws_db_instance").Update(Ctx("aws_db_instance.replica"), prior, desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->pending);
  client_->Reply("DescribeDBInstances", Instance("replica", "available"));
  auto p = T("aws_db_instance").Poll(Ctx("aws_db_instance.replica"), r->attributes, provider::Phase::kUpdate);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->status, provider::PollStatus::kReady);
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_db_instance", "promote"));
  EXPECT_EQ(T("aws_db_instance").RequiresReplace(desired, prior), std::vector<std::string>{"replicate_source_db"});
}

TEST_F(RdsTypesTest, AClusterInstanceNamesItsClusterAndChangesItsClassInPlace) {
  client_->Reply("CreateDBInstance", "<CreateDBInstanceResponse><CreateDBInstanceResult><DBInstance>"
                                     "<DBInstanceIdentifier>db-1</DBInstanceIdentifier></DBInstance>"
                                     "</CreateDBInstanceResult></CreateDBInstanceResponse>");
  json desired = {{"identifier", "db-1"}, {"cluster_identifier", "db"}, {"instance_class", "db.r6g.large"},
                  {"engine", "aurora-mysql"}, {"promotion_tier", 1}};
  auto& t = T("aws_rds_cluster_instance");
  auto r = t.Create(Ctx("aws_rds_cluster_instance.one"), desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  json prior = desired;
  prior["id"] = "db-1";
  json bigger = prior;
  bigger["instance_class"] = "db.r6g.xlarge";
  client_->Reply("ModifyDBInstance", kEmpty);
  client_->Reply("DescribeDBInstances", Instance("db-1", "available"));
  auto u = t.Update(Ctx("aws_rds_cluster_instance.one"), prior, bigger);
  ASSERT_TRUE(u.ok()) << u.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_rds_cluster_instance", "create_update"));
}

TEST_F(RdsTypesTest, ASubnetGroupSendsItsSubnetsOnEveryModifyAndReadsTagsByArn) {
  auto& t = T("aws_db_subnet_group");
  std::string group = "<DescribeDBSubnetGroupsResponse><DescribeDBSubnetGroupsResult><DBSubnetGroups><DBSubnetGroup>"
                      "<DBSubnetGroupName>sn</DBSubnetGroupName><DBSubnetGroupDescription>new</DBSubnetGroupDescription>"
                      "<VpcId>vpc-1</VpcId><Subnets><Subnet><SubnetIdentifier>subnet-1</SubnetIdentifier></Subnet>"
                      "<Subnet><SubnetIdentifier>subnet-2</SubnetIdentifier></Subnet></Subnets>"
                      "<DBSubnetGroupArn>arn:aws:rds:eu-west-1:123456789012:subgrp:sn</DBSubnetGroupArn>"
                      "</DBSubnetGroup></DBSubnetGroups></DescribeDBSubnetGroupsResult></DescribeDBSubnetGroupsResponse>";
  client_->Reply("CreateDBSubnetGroup", "<CreateDBSubnetGroupResponse><CreateDBSubnetGroupResult><DBSubnetGroup>"
                                        "<DBSubnetGroupName>sn</DBSubnetGroupName></DBSubnetGroup>"
                                        "</CreateDBSubnetGroupResult></CreateDBSubnetGroupResponse>");
  client_->Reply("DescribeDBSubnetGroups", group);
  client_->Reply("ListTagsForResource", Tags("<Tag><Key>team</Key><Value>a</Value></Tag>"));
  json desired = {{"name", "sn"}, {"description", "old"}, {"subnet_ids", {"subnet-1", "subnet-2"}},
                  {"tags", {{"team", "a"}}}};
  auto r = t.Create(Ctx("aws_db_subnet_group.sn"), desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->attributes["subnet_ids"], json({"subnet-1", "subnet-2"}));
  EXPECT_EQ(r->attributes["vpc_id"], "vpc-1");
  EXPECT_EQ(r->attributes["tags"], json({{"team", "a"}}));
  json changed = r->attributes;
  changed["description"] = "newer";
  client_->Reply("ModifyDBSubnetGroup", kEmpty);
  client_->Reply("DescribeDBSubnetGroups", group);
  client_->Reply("ListTagsForResource", Tags("<Tag><Key>team</Key><Value>a</Value></Tag>"));
  auto u = t.Update(Ctx("aws_db_subnet_group.sn"), r->attributes, changed);
  ASSERT_TRUE(u.ok()) << u.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_db_subnet_group", "create_update"));
}

TEST_F(RdsTypesTest, ParameterGroupParametersArePutAfterCreateResetWhenRemovedAndReadByGroup) {
  auto& t = T("aws_rds_cluster_parameter_group");
  std::string group = "<DescribeDBClusterParameterGroupsResponse><DescribeDBClusterParameterGroupsResult>"
                      "<DBClusterParameterGroups><DBClusterParameterGroup><DBClusterParameterGroupName>pg"
                      "</DBClusterParameterGroupName><DBParameterGroupFamily>aurora-mysql8.0</DBParameterGroupFamily>"
                      "<Description>d</Description><DBClusterParameterGroupArn>arn:pg</DBClusterParameterGroupArn>"
                      "</DBClusterParameterGroup></DBClusterParameterGroups></DescribeDBClusterParameterGroupsResult>"
                      "</DescribeDBClusterParameterGroupsResponse>";
  auto params = [](const std::string& inner) {
    return "<DescribeDBClusterParametersResponse><DescribeDBClusterParametersResult><Parameters>" + inner +
           "</Parameters></DescribeDBClusterParametersResult></DescribeDBClusterParametersResponse>";
  };
  std::string tz = "<Parameter><ParameterName>time_zone</ParameterName><ParameterValue>UTC</ParameterValue>"
                   "<ApplyMethod>immediate</ApplyMethod></Parameter>";
  client_->Reply("CreateDBClusterParameterGroup",
                 "<CreateDBClusterParameterGroupResponse><CreateDBClusterParameterGroupResult><DBClusterParameterGroup>"
                 "<DBClusterParameterGroupName>pg</DBClusterParameterGroupName></DBClusterParameterGroup>"
                 "</CreateDBClusterParameterGroupResult></CreateDBClusterParameterGroupResponse>");
  client_->Reply("ModifyDBClusterParameterGroup", kEmpty);
  client_->Reply("DescribeDBClusterParameterGroups", group);
  client_->Reply("DescribeDBClusterParameters", params(tz));
  client_->Reply("ListTagsForResource", Tags());
  json tz_param = {{"name", "time_zone"}, {"value", "UTC"}, {"apply_method", "immediate"}};
  json desired = {{"name", "pg"}, {"family", "aurora-mysql8.0"}, {"description", "d"}, {"parameter", {tz_param}}};
  auto r = t.Create(Ctx("aws_rds_cluster_parameter_group.pg"), desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->attributes["parameter"], json({tz_param}));
  json changed = r->attributes;
  changed["parameter"] = {{{"name", "binlog_format"}, {"value", "ROW"}, {"apply_method", "pending-reboot"}}};
  client_->Reply("ResetDBClusterParameterGroup", kEmpty);
  client_->Reply("ModifyDBClusterParameterGroup", kEmpty);
  client_->Reply("DescribeDBClusterParameterGroups", group);
  client_->Reply("DescribeDBClusterParameters", params(""));
  client_->Reply("ListTagsForResource", Tags());
  auto u = t.Update(Ctx("aws_rds_cluster_parameter_group.pg"), r->attributes, changed);
  ASSERT_TRUE(u.ok()) << u.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_rds_cluster_parameter_group", "create_update"));
  EXPECT_NE(provider_->Find("aws_db_parameter_group"), nullptr);
}

}  // namespace
}  // namespace infra::aws

namespace infra::aws {
namespace {

std::string Globals(const std::string& members) {
  auto one = [](const std::string& id, const std::string& m) {
    return "<GlobalClusterMember><GlobalClusterIdentifier>" + id + "</GlobalClusterIdentifier>"
           "<GlobalClusterArn>arn:aws:rds::123456789012:global-cluster:" + id + "</GlobalClusterArn>"
           "<Engine>aurora-mysql</Engine><GlobalClusterMembers>" + m + "</GlobalClusterMembers></GlobalClusterMember>";
  };
  return "<DescribeGlobalClustersResponse><DescribeGlobalClustersResult><GlobalClusters>" + one("other", "") +
         one("global", members) + "</GlobalClusters></DescribeGlobalClustersResult></DescribeGlobalClustersResponse>";
}

TEST_F(RdsTypesTest, AGlobalClusterIsMatchedAmongAllListedAndItsMembersLeaveOnlyWithForceDestroy) {
  auto& t = T("aws_rds_global_cluster");
  const std::string member = "<GlobalClusterMember><DBClusterArn>arn:aws:rds:eu-west-1:123456789012:cluster:db"
                             "</DBClusterArn><IsWriter>true</IsWriter></GlobalClusterMember>";
  client_->Reply("CreateGlobalCluster", "<CreateGlobalClusterResponse><CreateGlobalClusterResult><GlobalCluster>"
                                        "<GlobalClusterIdentifier>global</GlobalClusterIdentifier></GlobalCluster>"
                                        "</CreateGlobalClusterResult></CreateGlobalClusterResponse>");
  client_->Reply("DescribeGlobalClusters", Globals(member));  // moto lists every global cluster
  auto r = t.Create(Ctx("aws_rds_global_cluster.g"), {{"global_cluster_identifier", "global"}, {"engine", "aurora-mysql"}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->attributes["arn"], "arn:aws:rds::123456789012:global-cluster:global");
  EXPECT_EQ(r->attributes["global_cluster_members"], json({"arn:aws:rds:eu-west-1:123456789012:cluster:db"}));
  auto refused = t.Delete(Ctx("aws_rds_global_cluster.g"), r->attributes);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("force_destroy"), std::string::npos) << refused.error().message;
  json forced = r->attributes;
  forced["force_destroy"] = true;
  client_->Reply("RemoveFromGlobalCluster", kEmpty);
  client_->Reply("DeleteGlobalCluster", kEmpty);
  auto d = t.Delete(Ctx("aws_rds_global_cluster.g"), forced);
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_rds_global_cluster", "create_delete"));
}

TEST_F(RdsTypesTest, AClusterInAGlobalDatabaseLeavesItBeforeItsDelete) {
  client_->Reply("RemoveFromGlobalCluster", kEmpty);
  client_->Reply("DeleteDBCluster", kEmpty);
  auto r = T("aws_rds_cluster").Delete(Ctx("aws_rds_cluster.db"),
                                       {{"id", "db"}, {"arn", "arn:aws:rds:eu-west-1:123456789012:cluster:db"},
                                        {"global_cluster_identifier", "global"}, {"skip_final_snapshot", true}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(client_->calls().size(), 2u);
  EXPECT_EQ(client_->calls()[0].Param("DbClusterIdentifier"), "arn:aws:rds:eu-west-1:123456789012:cluster:db");
  EXPECT_EQ(client_->calls()[1].action, "DeleteDBCluster");
}

}  // namespace
}  // namespace infra::aws

// aws_rds_cluster over a scripted client, with golden wire fixtures
// (tests/data/aws/wire/aws_rds_cluster.json): the create with RDS's list
// and tag shapes and the wait for `available`, the read batched by the
// db-cluster-id filter with tags inline, one ModifyDBCluster per update,
// promotion of a replica (an update that waits until it reads standalone),
// the replacement rules, the deletion guards, the delete's wait, import and
// adoption.
#include <gtest/gtest.h>

#include "fakes/golden_wire.h"
#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using nlohmann::json;
using test::MatchesGolden;
using test::ScriptedAwsClient;

const char* kArn = "arn:aws:rds:eu-west-1:123456789012:cluster:db";
const char* kSource = "arn:aws:rds:eu-central-1:123456789012:cluster:primary";

std::string Cluster(const std::string& id, const std::string& status, const std::string& source = "",
                    const std::string& extra_tags = "") {
  return "<DBCluster><DBClusterIdentifier>" + id + "</DBClusterIdentifier><Status>" + status + "</Status>"
         "<Engine>aurora-mysql</Engine><EngineVersion>8.0.mysql_aurora.3.05.2</EngineVersion>"
         "<MasterUsername>admin</MasterUsername><DBSubnetGroup>sn</DBSubnetGroup>"
         "<DBClusterParameterGroup>default.aurora-mysql8.0</DBClusterParameterGroup>"
         "<BackupRetentionPeriod>7</BackupRetentionPeriod><StorageEncrypted>true</StorageEncrypted>"
         "<DeletionProtection>false</DeletionProtection><CopyTagsToSnapshot>false</CopyTagsToSnapshot>"
         "<Port>3306</Port><Endpoint>" + id + ".cluster-x.eu-west-1.rds.amazonaws.com</Endpoint>"
         "<ReaderEndpoint>" + id + ".cluster-ro-x.eu-west-1.rds.amazonaws.com</ReaderEndpoint>"
         "<DBClusterArn>arn:aws:rds:eu-west-1:123456789012:cluster:" + id + "</DBClusterArn>"
         "<DbClusterResourceId>cluster-ABC</DbClusterResourceId>" +
         (source.empty() ? "" : "<ReplicationSourceIdentifier>" + source + "</ReplicationSourceIdentifier>") +
         "<VpcSecurityGroups><VpcSecurityGroupMembership><VpcSecurityGroupId>sg-1</VpcSecurityGroupId>"
         "<Status>active</Status></VpcSecurityGroupMembership></VpcSecurityGroups>"
         "<TagList><Tag><Key>team</Key><Value>a</Value></Tag><Tag><Key>infra:address</Key>"
         "<Value>aws_rds_cluster.db</Value></Tag>" + extra_tags + "</TagList></DBCluster>";
}
std::string Describe(const std::string& clusters) {
  return "<DescribeDBClustersResponse><DescribeDBClustersResult><DBClusters>" + clusters +
         "</DBClusters></DescribeDBClustersResult></DescribeDBClustersResponse>";
}
std::string Created(const std::string& id) {
  return "<CreateDBClusterResponse><CreateDBClusterResult><DBCluster><DBClusterIdentifier>" + id +
         "</DBClusterIdentifier><Status>creating</Status></DBCluster></CreateDBClusterResult></CreateDBClusterResponse>";
}
const char* kEmpty = "<R/>";

class ClusterTest : public testing::Test {
 protected:
  provider::ResourceType& T() { return *provider_->Find("aws_rds_cluster"); }
  provider::OperationContext Ctx() { return {"s", "aws_rds_cluster.db", "eu-west-1", "tok", nullptr}; }
  json Standalone() {
    return {{"id", "db"}, {"cluster_identifier", "db"}, {"engine", "aurora-mysql"}, {"arn", kArn},
            {"backup_retention_period", 7}, {"skip_final_snapshot", true}, {"tags", {{"team", "a"}}}};
  }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
};

TEST_F(ClusterTest, SchemaMarksThePasswordSensitiveAndTheSourceClearedWhenRemoved) {
  const auto& s = T().schema();
  EXPECT_EQ(s.service, "rds");
  EXPECT_TRUE(s.Find("master_password")->sensitive);
  EXPECT_TRUE(s.Find("replication_source_identifier")->unset_clears);
  EXPECT_FALSE(s.Find("replication_source_identifier")->force_new);  // RequiresReplace decides
  EXPECT_EQ(s.Find("vpc_security_group_ids")->type, provider::AttrType::kSetString);
}

TEST_F(ClusterTest, CreateSendsRdsListsAndTagsThenWaitsForAvailable) {
  client_->Reply("CreateDBCluster", Created("db"));
  auto r = T().Create(Ctx(), {{"cluster_identifier", "db"}, {"engine", "aurora-mysql"}, {"master_username", "admin"},
                              {"master_password", "s3cret!"}, {"vpc_security_group_ids", {"sg-1", "sg-2"}},
                              {"backup_retention_period", 7}, {"db_subnet_group_name", "sn"},
                              {"skip_final_snapshot", true}, {"tags", {{"team", "a"}}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->pending);
  client_->Reply("DescribeDBClusters", Describe(Cluster("db", "creating")));
  auto p = T().Poll(Ctx(), r->attributes, provider::Phase::kCreate);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->status, provider::PollStatus::kPending);
  client_->Reply("DescribeDBClusters", Describe(Cluster("db", "available")));
  p = T().Poll(Ctx(), r->attributes, provider::Phase::kCreate);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->status, provider::PollStatus::kReady);
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_rds_cluster", "create"));
  const auto& a = p->attributes;
  EXPECT_EQ(a["arn"], kArn);
  EXPECT_EQ(a["endpoint"], "db.cluster-x.eu-west-1.rds.amazonaws.com");
  EXPECT_EQ(a["vpc_security_group_ids"], json({"sg-1"}));
  EXPECT_EQ(a["tags"], json({{"team", "a"}}));  // infra:* kept out
  EXPECT_FALSE(a.contains("master_password"));  // never read back: state keeps the sealed value
}

// Issue 15: an encrypted cross-region replica needs a PreSignedUrl on real
// AWS. With source_region the create carries the same CreateDBCluster
// presigned for the source region, with DestinationRegion (the client's
// signing is tested in tests/providers/aws/sdk/presigned_query_test.cpp),
// without the master password; a replica in its source's region and a
// standalone cluster carry none.
TEST_F(ClusterTest, ACrossRegionReplicaCreateCarriesAPreSignedUrlForTheSourceRegion) {
  client_->Reply("CreateDBCluster", Created("db"));
  json desired = {{"cluster_identifier", "db"}, {"engine", "aurora-mysql"}, {"master_username", "admin"},
                  {"master_password", "s3cret!"}, {"replication_source_identifier", kSource},
                  {"source_region", "eu-central-1"}, {"storage_encrypted", true},
                  {"kms_key_id", "arn:aws:kms:eu-west-1:123456789012:key/k1"}, {"skip_final_snapshot", true}};
  auto r = T().Create(Ctx(), desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto presigns = client_->presigns();
  ASSERT_FALSE(presigns.empty());
  const auto& url = presigns.back();  // the first one checks that the client can presign at all
  EXPECT_EQ(url.service, "rds");
  EXPECT_EQ(url.region, "eu-central-1");
  EXPECT_EQ(url.action, "CreateDBCluster");
  EXPECT_EQ(url.Param("DestinationRegion"), "eu-west-1");
  EXPECT_EQ(url.Param("ReplicationSourceIdentifier"), kSource);
  EXPECT_EQ(url.Param("KmsKeyId"), "arn:aws:kms:eu-west-1:123456789012:key/k1");
  EXPECT_EQ(url.Param("DBClusterIdentifier"), "db");
  EXPECT_EQ(url.Param("Tags.Tag.1.Key"), "infra:address");
  EXPECT_EQ(url.Param("MasterUserPassword"), "");  // never inside a URL
  auto create = client_->calls().at(0);
  EXPECT_EQ(create.action, "CreateDBCluster");
  EXPECT_EQ(create.Param("PreSignedUrl"), "https://presigned.eu-central-1/CreateDBCluster?" +
                                              std::to_string(url.params.size()));
  EXPECT_EQ(create.Param("SourceRegion"), "");  // not an RDS parameter: the SDKs turn it into the URL
  EXPECT_EQ(create.Param("MasterUserPassword"), "s3cret!");

  client_->Reply("CreateDBCluster", Created("db"));
  desired["source_region"] = "eu-west-1";  // the replica's own region: nothing to presign
  ASSERT_TRUE(T().Create(Ctx(), desired).ok());
  EXPECT_EQ(client_->calls().at(1).Param("PreSignedUrl"), "");
  client_->Reply("CreateDBCluster", Created("db"));
  desired.erase("source_region");
  ASSERT_TRUE(T().Create(Ctx(), desired).ok());
  EXPECT_EQ(client_->calls().at(2).Param("PreSignedUrl"), "");
  EXPECT_EQ(client_->presigns().size(), presigns.size());
}

TEST_F(ClusterTest, ReadIsOneCallFilteredByClusterIdsAndAGoneClusterIsAbsent) {
  client_->Reply("DescribeDBClusters", Describe(Cluster("a", "available") + Cluster("b", "available", kSource)));
  auto got = T().Read("eu-west-1", {"a", "b", "gone"});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_rds_cluster", "read"));
  ASSERT_EQ(got->size(), 2u);
  EXPECT_TRUE(got->at("a")["replication_source_identifier"].is_null());
  EXPECT_EQ(got->at("b")["replication_source_identifier"], kSource);
  EXPECT_EQ(got->at("a")["backup_retention_period"], 7);
  // source_region follows from a cross-region source's ARN (an imported
  // replica then plans no replacement for it); a standalone has none.
  EXPECT_EQ(got->at("b")["source_region"], "eu-central-1");
  EXPECT_FALSE(got->at("a").contains("source_region"));
}

TEST_F(ClusterTest, AnUnchangedClusterMakesNoModifyCall) {
  client_->Reply("DescribeDBClusters", Describe(Cluster("db", "available")));
  auto r = T().Update(Ctx(), Standalone(), Standalone());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(client_->calls().size(), 1u);
  EXPECT_EQ(client_->calls()[0].action, "DescribeDBClusters");
}

TEST_F(ClusterTest, UpdateIsOneModifyCallWithTheChangedAttributesThenTagsByArn) {
  json desired = Standalone();
  desired["backup_retention_period"] = 14;
  desired["vpc_security_group_ids"] = {"sg-2"};
  desired["apply_immediately"] = true;
  desired["tags"] = {{"env", "prod"}};
  client_->Reply("ModifyDBCluster", kEmpty);
  client_->Reply("RemoveTagsFromResource", kEmpty);
  client_->Reply("AddTagsToResource", kEmpty);
  client_->Reply("DescribeDBClusters", Describe(Cluster("db", "available")));
  auto r = T().Update(Ctx(), Standalone(), desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_FALSE(r->pending);
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_rds_cluster", "update"));
}

TEST_F(ClusterTest, RemovingTheSourcePromotesAndWaitsUntilStandalone) {
  json prior = Standalone();
  prior["replication_source_identifier"] = kSource;
  client_->Reply("PromoteReadReplicaDBCluster", kEmpty);
  client_->Reply("DescribeDBClusters", Describe(Cluster("db", "promoting", kSource)));
  auto r = T().Update(Ctx(), prior, Standalone());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->pending);
  EXPECT_TRUE(r->attributes["replication_source_identifier"].is_null());
  client_->Reply("DescribeDBClusters", Describe(Cluster("db", "available", kSource)));
  client_->Reply("DescribeDBClusters", Describe(Cluster("db", "available", kSource)));
  auto p = T().Poll(Ctx(), r->attributes, provider::Phase::kUpdate);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->status, provider::PollStatus::kPending);  // still replicating
  EXPECT_TRUE(p->attributes["replication_source_identifier"].is_null());  // what the next poll waits for
  p = T().Poll(Ctx(), p->attributes, provider::Phase::kUpdate);  // the engine polls with what Poll gave
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->status, provider::PollStatus::kPending);
  client_->Reply("DescribeDBClusters", Describe(Cluster("db", "available")));
  p = T().Poll(Ctx(), r->attributes, provider::Phase::kUpdate);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->status, provider::PollStatus::kReady);
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_rds_cluster", "promote"));
}

TEST_F(ClusterTest, SettingOrChangingTheSourceRequiresReplacementRemovingItDoesNot) {
  json replica = Standalone();
  replica["replication_source_identifier"] = kSource;
  json other = replica;
  other["replication_source_identifier"] = "arn:aws:rds:eu-central-1:123456789012:cluster:other";
  EXPECT_EQ(T().RequiresReplace(Standalone(), replica), std::vector<std::string>{"replication_source_identifier"});
  EXPECT_EQ(T().RequiresReplace(replica, other), std::vector<std::string>{"replication_source_identifier"});
  EXPECT_TRUE(T().RequiresReplace(replica, Standalone()).empty());
  EXPECT_TRUE(T().RequiresReplace(replica, replica).empty());
}

TEST_F(ClusterTest, DeletionProtectionAndAMissingFinalSnapshotRefuseTheDeleteNamingTheAttribute) {
  json guarded = Standalone();
  guarded["deletion_protection"] = true;
  auto r = T().Delete(Ctx(), guarded);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("deletion_protection"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("aws_rds_cluster.db"), std::string::npos) << r.error().message;
  json no_snapshot = Standalone();
  no_snapshot["skip_final_snapshot"] = false;
  r = T().Delete(Ctx(), no_snapshot);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("final_snapshot_identifier"), std::string::npos) << r.error().message;
  EXPECT_TRUE(client_->calls().empty());
}

TEST_F(ClusterTest, ValidateRequiresSkipFinalSnapshotOrAnIdentifier) {
  bool found = false;
  for (const auto& c : T().schema().checks)
    found = found || (c.kind == provider::SchemaCheck::Kind::kAtLeastOneOf &&
                      c.attributes == std::vector<std::string>{"skip_final_snapshot", "final_snapshot_identifier"});
  EXPECT_TRUE(found);
}

TEST_F(ClusterTest, DeleteSendsTheSnapshotChoiceAndWaitsUntilGone) {
  json prior = Standalone();
  prior["skip_final_snapshot"] = false;
  prior["final_snapshot_identifier"] = "db-final";
  client_->Reply("DeleteDBCluster", kEmpty);
  auto r = T().Delete(Ctx(), prior);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->pending);
  client_->Reply("DescribeDBClusters", Describe(Cluster("db", "deleting")));
  auto p = T().Poll(Ctx(), prior, provider::Phase::kDelete);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->status, provider::PollStatus::kPending);
  client_->Reply("DescribeDBClusters", Describe(""));
  p = T().Poll(Ctx(), prior, provider::Phase::kDelete);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->status, provider::PollStatus::kReady);
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_rds_cluster", "delete"));
}

TEST_F(ClusterTest, ImportReadsAndTagsByArn) {
  client_->Reply("DescribeDBClusters", Describe(Cluster("db", "available")));
  client_->Reply("AddTagsToResource", kEmpty);
  auto r = T().Import(Ctx(), "db");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ((*r)["arn"], kArn);
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_rds_cluster", "import"));
}

TEST_F(ClusterTest, AdoptionTakesTheNamedClusterOnlyWithThisAddressTags) {
  const std::string stack_tag = "<Tag><Key>infra:stack</Key><Value>s</Value></Tag>";
  auto tags = [](const std::string& address) {
    return "<ListTagsForResourceResponse><ListTagsForResourceResult><TagList><Tag><Key>infra:address</Key><Value>" +
           address + "</Value></Tag><Tag><Key>infra:stack</Key><Value>s</Value></Tag></TagList>"
           "</ListTagsForResourceResult></ListTagsForResourceResponse>";
  };
  client_->Reply("DescribeDBClusters", Describe(Cluster("db", "available", "", stack_tag)));
  client_->Reply("ListTagsForResource", tags("aws_rds_cluster.db"));
  auto found = T().FindByAddress(Ctx(), {{"cluster_identifier", "db"}});
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((**found)["id"], "db");
  client_->Reply("DescribeDBClusters", Describe(Cluster("db", "available")));
  client_->Reply("ListTagsForResource", tags("aws_rds_cluster.other"));
  found = T().FindByAddress(Ctx(), {{"cluster_identifier", "db"}});
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_FALSE(found->has_value());
}

}  // namespace
}  // namespace infra::aws

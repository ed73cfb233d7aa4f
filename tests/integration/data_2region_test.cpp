// stacks/examples/data-2region end to end against moto_server, checked with
// the AWS CLI: apply; the DR cluster replicates the primary
// (ReplicationSourceIdentifier = the primary's ARN, listed in the primary's
// ReadReplicaIdentifiers), the MySQL replica its primary, the secret is
// replicated and its value read back by data source
// aws_secretsmanager_secret_version; re-plan empty; the failover flip (dr_active=true) plans one
// in-place update per promoted database and no destroy, says "will be
// promoted", and after apply the CLI shows the cluster standalone; the
// password appears in no file of the stack directory, plan JSON or debug
// log; destroy leaves nothing of the stack. The table's replica is not
// checked here: moto 5.2.1 accepts UpdateTable ReplicaUpdates and drops them
// (no Replicas in DescribeTable, no table in the replica region), so the
// replica calls are covered by tests/providers/aws/dynamodb/table_test.cpp.
// moto 5.2.1's PromoteReadReplica leaves ReadReplicaSourceDBInstanceIdentifier
// set (it only clears an internal flag), so the instance never reads back
// standalone: the test gives the replica a short update timeout and checks
// that PromoteReadReplica was accepted and that the wait, which on AWS ends
// when the source clears, is the one thing that failed.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "stack_dir_fixture.h"

namespace infra::test {
namespace {

class Data2RegionTest : public StackDirTest {
 protected:
  void SetUp() override {
    StackDirTest::SetUp();
    std::string stack = Bytes(SourceDir() + "/stacks/examples/data-2region/stack.yaml");
    const std::string replica = "    identifier: data-mysql-dr\n";
    size_t at = stack.find(replica);
    ASSERT_NE(at, std::string::npos);
    stack.insert(at + replica.size(), "    timeouts: {update: 25s}  # moto never clears the source: see above\n");
    // moto 5.2.1 drops UpdateTable's ReplicaUpdates (no replica is made):
    // the table's replica is left out so the test holds only what moto can.
    const std::string table_replica = "    replica:\n      - {region_name: eu-west-1}\n";
    at = stack.find(table_replica);
    ASSERT_NE(at, std::string::npos);
    stack.erase(at, table_replica.size());
    WriteStack(stack);
  }
  // infra; what it says is kept to look for the password in (made by
  // random_password at apply: known only once AWS holds it).
  CommandResult Run(const std::string& args) {
    bool takes_vars = args.find("output") == std::string::npos && args.find("apply failover.plan") == std::string::npos;
    auto r = Infra(args + (takes_vars ? " -var mysql_variant=true" : ""));  // the MySQL variant too
    said_ += r.out + r.err;
    return r;
  }
  std::string said_;
  nlohmann::json Cluster(const std::string& region, const std::string& id) {
    auto r = AwsCli(region, "rds describe-db-clusters --db-cluster-identifier " + id);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json.is_object() ? r.json["DBClusters"][0] : nlohmann::json();
  }
  nlohmann::json Instance(const std::string& region, const std::string& id) {
    auto r = AwsCli(region, "rds describe-db-instances --db-instance-identifier " + id);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json.is_object() ? r.json["DBInstances"][0] : nlohmann::json();
  }
  // Every byte under the stack directory (state, journal, plan files, key).
  std::string AllFiles() const {
    std::string all;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir_))
      if (e.is_regular_file()) all += Bytes(e.path().string());
    return all;
  }
};

TEST_F(Data2RegionTest, ReplicasPromoteInPlaceAndNoSecretIsStored) {
  auto apply = Run("--log-level debug apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_NE(apply.err.find("Action=CreateDBCluster"), std::string::npos);  // the debug log ran

  auto primary = Cluster("eu-central-1", "data-primary");
  auto replica = Cluster("eu-west-1", "data-dr");
  ASSERT_TRUE(primary.is_object() && replica.is_object());
  EXPECT_EQ(replica["ReplicationSourceIdentifier"], primary["DBClusterArn"]) << replica.dump(2);
  EXPECT_EQ(primary["ReadReplicaIdentifiers"], nlohmann::json::array({replica["DBClusterArn"]})) << primary.dump(2);
  EXPECT_EQ(primary["DBClusterMembers"].size(), 2u);
  EXPECT_EQ(replica["DBClusterMembers"].size(), 1u);
  EXPECT_EQ(primary["StorageEncrypted"], true);
  auto mysql = Instance("eu-central-1", "data-mysql");
  auto mysql_dr = Instance("eu-west-1", "data-mysql-dr");
  EXPECT_EQ(mysql_dr["ReadReplicaSourceDBInstanceIdentifier"], mysql["DBInstanceArn"]) << mysql_dr.dump(2);
  auto secret = AwsCli("eu-central-1", "secretsmanager describe-secret --secret-id data-2region/db");
  ASSERT_EQ(secret.exit_code, 0) << secret.err;
  EXPECT_EQ(secret.json["ReplicationStatus"][0]["Region"], "eu-west-1") << secret.out;
  auto value = AwsCli("eu-central-1", "secretsmanager get-secret-value --secret-id data-2region/db");
  ASSERT_EQ(value.exit_code, 0) << value.err;
  const std::string password = nlohmann::json::parse(value.json["SecretString"].get<std::string>())["password"];
  ASSERT_EQ(password.size(), 24u);
  // The data source read the current version during the apply.
  std::string current;
  for (auto it = secret.json["VersionIdsToStages"].begin(); it != secret.json["VersionIdsToStages"].end(); ++it)
    if (it.value() == nlohmann::json::array({"AWSCURRENT"})) current = it.key();
  auto version = Run("output -raw credentials_version");
  EXPECT_EQ(version.out, current) << version.err;
  auto username = Run("output --json db_username");  // asked by name: shown
  EXPECT_EQ(nlohmann::json::parse(username.out, nullptr, false), "admin") << username.out << username.err;
  auto table = AwsCli("eu-central-1", "dynamodb describe-table --table-name data-2region-sessions");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.json["Table"]["KeySchema"][0]["AttributeName"], "id");
  EXPECT_EQ(table.json["Table"]["StreamSpecification"]["StreamViewType"], "NEW_AND_OLD_IMAGES");
  auto pitr = AwsCli("eu-central-1", "dynamodb describe-continuous-backups --table-name data-2region-sessions");
  EXPECT_EQ(pitr.json["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"],
            "ENABLED")
      << pitr.out;
  auto alias = AwsCli("eu-central-1", "kms list-aliases");
  bool aliased = false;
  for (const auto& a : alias.json["Aliases"]) aliased = aliased || a["AliasName"] == "alias/data-2region";
  EXPECT_TRUE(aliased) << alias.out;

  auto again = Run("plan --detailed-exitcode");
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;

  // Failover: the replicas' sources removed. One in-place update each.
  auto json = Run("plan --json -var dr_active=true");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto doc = nlohmann::json::parse(json.out);
  std::map<std::string, nlohmann::json> actions;
  for (const auto& c : doc["resource_changes"])
    if (c["change"]["actions"] != nlohmann::json::array({"no-op"})) actions[c["address"]] = c["change"]["actions"];
  EXPECT_EQ(actions, (std::map<std::string, nlohmann::json>{{"aws_rds_cluster.db_replica", {"update"}},
                                                             {"aws_db_instance.mysql_replica[0]", {"update"}}}))
      << json.out;
  auto plan = Run("plan -var dr_active=true -out failover.plan");
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_NE(plan.out.find("aws_rds_cluster.db_replica will be promoted to a standalone cluster"), std::string::npos)
      << plan.out;
  EXPECT_NE(plan.out.find("aws_db_instance.mysql_replica[0] will be promoted to a standalone instance"),
            std::string::npos)
      << plan.out;
  EXPECT_NE(plan.out.find(" replication_source_identifier = \"" + primary["DBClusterArn"].get<std::string>() +
                          "\" -> null"),
            std::string::npos)
      << plan.out;
  EXPECT_NE(plan.out.find("0 to add, 2 to change, 0 to destroy"), std::string::npos) << plan.out;

  auto failover = Run("--log-level debug apply failover.plan");
  EXPECT_NE(failover.err.find("Action=PromoteReadReplicaDBCluster"), std::string::npos) << failover.err;
  EXPECT_NE(failover.err.find("Action=PromoteReadReplica&"), std::string::npos) << failover.err;
  replica = Cluster("eu-west-1", "data-dr");
  EXPECT_FALSE(replica.contains("ReplicationSourceIdentifier")) << replica.dump(2);
  EXPECT_TRUE(Cluster("eu-central-1", "data-primary")["ReadReplicaIdentifiers"].empty());
  // moto: the instance still names its source, so only its wait failed.
  EXPECT_EQ(failover.exit_code, 1) << failover.out << failover.err;
  const std::string said = failover.out + failover.err;
  EXPECT_NE(said.find("1 succeeded, 1 failed"), std::string::npos) << said;
  EXPECT_NE(said.find("failed aws_db_instance.mysql_replica[0]: timed out"), std::string::npos) << said;
  auto after = Run("plan --json -var dr_active=true");
  ASSERT_EQ(after.exit_code, 0) << after.err;
  for (const auto& c : nlohmann::json::parse(after.out)["resource_changes"]) {
    if (c["address"] == "aws_db_instance.mysql_replica[0]") continue;  // moto: see above
    EXPECT_EQ(c["change"]["actions"], nlohmann::json::array({"no-op"})) << c.dump();
  }

  EXPECT_EQ(AllFiles().find(password), std::string::npos) << "the password is stored in clear";
  EXPECT_EQ(json.out.find(password), std::string::npos);

  auto destroy = Run("destroy --auto-approve -var dr_active=true");
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  for (const char* region : {"eu-central-1", "eu-west-1"}) {
    SCOPED_TRACE(region);
    EXPECT_TRUE(AwsCli(region, "rds describe-db-clusters").json["DBClusters"].empty());
    EXPECT_TRUE(AwsCli(region, "rds describe-db-instances").json["DBInstances"].empty());
    EXPECT_TRUE(AwsCli(region, "rds describe-db-subnet-groups").json["DBSubnetGroups"].empty());
    EXPECT_TRUE(AwsCli(region, "secretsmanager list-secrets").json["SecretList"].empty());
    EXPECT_TRUE(AwsCli(region, "dynamodb list-tables").json["TableNames"].empty());
    for (const auto& k : AwsCli(region, "kms list-keys").json["Keys"]) {
      auto d = AwsCli(region, "kms describe-key --key-id " + k["KeyId"].get<std::string>());
      EXPECT_EQ(d.json["KeyMetadata"]["KeyState"], "PendingDeletion") << d.out;
    }
  }
  EXPECT_EQ(AllFiles().find(password), std::string::npos);
  EXPECT_EQ(said_.find(password), std::string::npos) << "the password was shown (plans, debug logs, outputs)";
}

}  // namespace
}  // namespace infra::test

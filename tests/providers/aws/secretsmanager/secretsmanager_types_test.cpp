// The Secrets Manager family over a scripted client, with golden wire
// fixtures: a secret's create with [{Key,Value}] tags and replica regions,
// its read (a secret scheduled for deletion is gone), replica and
// description updates, the delete (replicas removed first, the recovery
// window); a version's put with the token, its read without the value, and
// the data source's GetSecretValue.
#include <gtest/gtest.h>

#include "fakes/golden_wire.h"
#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using nlohmann::json;
using test::MatchesGolden;
using test::ScriptedAwsClient;

const char* kArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";

json Described(json replicas = json::array(), json versions = nullptr) {
  json d = {{"ARN", kArn}, {"Name", "db"}, {"Description", "creds"},
            {"Tags", {{{"Key", "team"}, {"Value", "a"}}, {{"Key", "infra:address"}, {"Value", "aws_secretsmanager_secret.db"}},
                      {{"Key", "infra:stack"}, {"Value", "s"}}}},
            {"ReplicationStatus", replicas}};
  if (!versions.is_null()) d["VersionIdsToStages"] = versions;
  return d;
}

class SecretsTest : public testing::Test {
 protected:
  provider::ResourceType& T(const char* type) { return *provider_->Find(type); }
  provider::OperationContext Ctx(const std::string& address) { return {"s", address, "eu-west-1", "tok", nullptr}; }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
};

TEST_F(SecretsTest, SecretCreateSendsTagsAndReplicasAndReadsTheArnAsId) {
  json replicas = {{{"Region", "eu-central-1"}, {"KmsKeyId", "alias/aws/secretsmanager"}, {"Status", "InSync"}}};
  client_->ReplyJson("CreateSecret", {{"ARN", kArn}, {"Name", "db"}});
  client_->ReplyJson("DescribeSecret", Described(replicas));
  auto r = T("aws_secretsmanager_secret").Create(
      Ctx("aws_secretsmanager_secret.db"),
      {{"name", "db"}, {"description", "creds"}, {"replica", {{{"region", "eu-central-1"}}}}, {"tags", {{"team", "a"}}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_secretsmanager_secret", "create"));
  const auto& a = r->attributes;
  EXPECT_EQ(a["id"], kArn);
  EXPECT_EQ(a["replica"][0]["region"], "eu-central-1");
  EXPECT_EQ(a["replica"][0]["status"], "InSync");
  EXPECT_EQ(a["tags"], json({{"team", "a"}}));
}

TEST_F(SecretsTest, ASecretScheduledForDeletionIsGone) {
  json d = Described();
  d["DeletedDate"] = 1700000000;
  client_->ReplyJson("DescribeSecret", d);
  auto got = T("aws_secretsmanager_secret").Read("eu-west-1", {kArn});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_TRUE(got->empty());
}

TEST_F(SecretsTest, ReplicasAreAddedAndRemovedInPlaceAndTheDeleteRemovesThemFirst) {
  json prior = {{"id", kArn}, {"name", "db"}, {"description", "creds"}, {"recovery_window_in_days", 0},
                {"replica", {{{"region", "eu-central-1"}}}}, {"tags", {{"team", "a"}}}};
  json desired = prior;
  desired["replica"] = {{{"region", "us-east-1"}, {"kms_key_id", "alias/dr"}}};
  desired["description"] = "creds2";
  client_->ReplyJson("RemoveRegionsFromReplication", json::object());
  client_->ReplyJson("ReplicateSecretToRegions", json::object());
  client_->ReplyJson("UpdateSecret", json::object());
  client_->ReplyJson("DescribeSecret", Described());
  auto u = T("aws_secretsmanager_secret").Update(Ctx("aws_secretsmanager_secret.db"), prior, desired);
  ASSERT_TRUE(u.ok()) << u.error().ToString();
  client_->ReplyJson("RemoveRegionsFromReplication", json::object());
  client_->ReplyJson("DeleteSecret", json::object());
  auto d = T("aws_secretsmanager_secret").Delete(Ctx("aws_secretsmanager_secret.db"), prior);
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_secretsmanager_secret", "update_delete"));
}

TEST_F(SecretsTest, AVersionIsPutWithTheTokenAndNeverReadBack) {
  const auto& schema = T("aws_secretsmanager_secret_version").schema();
  EXPECT_TRUE(schema.Find("secret_string")->sensitive);
  client_->ReplyJson("PutSecretValue", {{"ARN", kArn}, {"VersionId", "v1"}, {"VersionStages", {"AWSCURRENT"}}});
  client_->ReplyJson("DescribeSecret", Described(json::array(), {{"v1", {"AWSCURRENT"}}}));
  auto r = T("aws_secretsmanager_secret_version").Create(Ctx("aws_secretsmanager_secret_version.db"),
                                                         {{"secret_id", kArn}, {"secret_string", "p4ss"}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_secretsmanager_secret_version", "create"));
  EXPECT_EQ(r->attributes["id"], std::string(kArn) + "|v1");
  EXPECT_EQ(r->attributes["version_stages"], json({"AWSCURRENT"}));
  EXPECT_FALSE(r->attributes.contains("secret_string"));  // the engine keeps the sealed desired value
  client_->ReplyJson("DescribeSecret", Described(json::array(), {{"v2", {"AWSCURRENT"}}}));
  auto got = T("aws_secretsmanager_secret_version").Read("eu-west-1", {std::string(kArn) + "|v1"});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_TRUE(got->empty());  // the version is gone
  auto del = T("aws_secretsmanager_secret_version").Delete(Ctx("aws_secretsmanager_secret_version.db"), r->attributes);
  ASSERT_TRUE(del.ok());
  EXPECT_EQ(client_->remaining(), 0u);
}

TEST_F(SecretsTest, TheDataSourceReadsTheCurrentValueAsSensitive) {
  auto* data = provider_->FindData("aws_secretsmanager_secret_version");
  ASSERT_NE(data, nullptr);
  const auto* value = data->schema().Find("secret_string");
  ASSERT_NE(value, nullptr);
  EXPECT_TRUE(value->sensitive);
  EXPECT_EQ(value->mode, provider::AttrMode::kComputed);
  client_->ReplyJson("GetSecretValue", {{"ARN", kArn}, {"VersionId", "v1"}, {"VersionStages", {"AWSCURRENT"}},
                                        {"SecretString", "p4ss"}});
  auto r = data->Read(Ctx("data.aws_secretsmanager_secret_version.db"), {{"secret_id", "db"}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ((*r)["secret_string"], "p4ss");
  EXPECT_EQ((*r)["id"], std::string(kArn) + "|v1");
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_secretsmanager_secret_version", "data_source"));
  client_->Fail("GetSecretValue", "ResourceNotFoundException", Error::Kind::kNotFound);
  auto gone = data->Read(Ctx("data.aws_secretsmanager_secret_version.db"), {{"secret_id", "nope"}});
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().kind, Error::Kind::kNotFound);
}

}  // namespace
}  // namespace infra::aws

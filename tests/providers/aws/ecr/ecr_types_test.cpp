// The ECR family over a scripted client, with golden wire fixtures
// (tests/data/aws/wire/aws_ecr_*.json): the repository's nested blocks and
// [{Key,Value}] tags at create, in-place updates of mutability and
// scanning, a batched read that falls back to one name at a time when one
// is missing, force delete; the lifecycle policy compared as a document;
// the registry-wide replication rules (two levels of repeating blocks).
#include <gtest/gtest.h>

#include "fakes/golden_wire.h"
#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using nlohmann::json;
using test::MatchesGolden;
using test::ScriptedAwsClient;

json Repo(const std::string& name, const std::string& mutability = "MUTABLE", bool scan = false) {
  return {{"repositoryArn", "arn:aws:ecr:eu-west-1:123456789012:repository/" + name},
          {"registryId", "123456789012"},
          {"repositoryName", name},
          {"repositoryUri", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/" + name},
          {"imageTagMutability", mutability},
          {"imageScanningConfiguration", {{"scanOnPush", scan}}},
          {"encryptionConfiguration", {{"encryptionType", "AES256"}}}};
}

json Tags(const std::string& address) {
  return {{"tags", {{{"Key", "infra:address"}, {"Value", address}}, {{"Key", "infra:stack"}, {"Value", "s"}},
                    {{"Key", "team"}, {"Value", "a"}}}}};
}

class EcrTypesTest : public testing::Test {
 protected:
  provider::ResourceType& T(const char* type) { return *provider_->Find(type); }
  provider::OperationContext Ctx(const std::string& address) { return {"s", address, "eu-west-1", "tok", nullptr}; }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
};

TEST_F(EcrTypesTest, RepositoryCreateSendsBlocksAndTagsAndReadsComputedValues) {
  client_->ReplyJson("CreateRepository", {{"repository", Repo("app", "IMMUTABLE", true)}});
  client_->ReplyJson("DescribeRepositories", {{"repositories", {Repo("app", "IMMUTABLE", true)}}});
  client_->ReplyJson("ListTagsForResource", Tags("aws_ecr_repository.app"));
  auto r = T("aws_ecr_repository").Create(Ctx("aws_ecr_repository.app"),
                                          {{"name", "app"}, {"image_tag_mutability", "IMMUTABLE"},
                                           {"image_scanning_configuration", {{"scan_on_push", true}}},
                                           {"encryption_configuration", {{"encryption_type", "AES256"}}},
                                           {"force_delete", true}, {"tags", {{"team", "a"}}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_ecr_repository", "create"));
  const auto& a = r->attributes;
  EXPECT_EQ(a["id"], "app");
  EXPECT_EQ(a["arn"], "arn:aws:ecr:eu-west-1:123456789012:repository/app");
  EXPECT_EQ(a["registry_id"], "123456789012");
  EXPECT_EQ(a["repository_url"], "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app");
  EXPECT_EQ(a["image_scanning_configuration"], json({{"scan_on_push", true}}));
  EXPECT_EQ(a["encryption_configuration"], json({{"encryption_type", "AES256"}}));
  EXPECT_EQ(a["tags"], json({{"team", "a"}}));
  EXPECT_FALSE(a.contains("force_delete"));  // an instruction: never read, state keeps it
}

TEST_F(EcrTypesTest, RepositoryUpdatesInPlaceAndReadFallsBackWhenANameIsMissing) {
  json prior = {{"id", "app"}, {"name", "app"}, {"arn", "arn:aws:ecr:eu-west-1:123456789012:repository/app"},
                {"image_tag_mutability", "MUTABLE"}, {"image_scanning_configuration", {{"scan_on_push", false}}},
                {"tags", {{"team", "a"}}}};
  json desired = prior;
  desired["image_tag_mutability"] = "IMMUTABLE";
  desired["image_scanning_configuration"] = {{"scan_on_push", true}};
  desired["tags"] = {{"team", "a"}, {"env", "prod"}};
  client_->ReplyJson("PutImageTagMutability", json::object());
  client_->ReplyJson("PutImageScanningConfiguration", json::object());
  client_->ReplyJson("TagResource", json::object());
  client_->ReplyJson("DescribeRepositories", {{"repositories", {Repo("app", "IMMUTABLE", true)}}});
  client_->ReplyJson("ListTagsForResource", Tags("aws_ecr_repository.app"));
  auto r = T("aws_ecr_repository").Update(Ctx("aws_ecr_repository.app"), prior, desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_ecr_repository", "update"));

  ScriptedAwsClient& c = *client_;
  size_t before = c.calls().size();
  c.Fail("DescribeRepositories", "RepositoryNotFoundException", Error::Kind::kNotFound);
  c.ReplyJson("DescribeRepositories", {{"repositories", {Repo("app")}}});
  c.ReplyJson("ListTagsForResource", {{"tags", json::array()}});
  c.Fail("DescribeRepositories", "RepositoryNotFoundException", Error::Kind::kNotFound);
  auto got = T("aws_ecr_repository").Read("eu-west-1", {"app", "gone"});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_TRUE(got->at("app")["tags"].is_null());
  auto calls = c.calls();
  ASSERT_EQ(calls.size(), before + 4);
  EXPECT_EQ(calls[before].body, json({{"repositoryNames", {"app", "gone"}}}));
  EXPECT_EQ(calls[before + 1].body, json({{"repositoryNames", {"app"}}}));
  EXPECT_EQ(calls[before + 3].body, json({{"repositoryNames", {"gone"}}}));
}

TEST_F(EcrTypesTest, RepositoryForceDeleteAndEncryptionForcesReplacement) {
  client_->ReplyJson("DeleteRepository", json::object());
  auto r = T("aws_ecr_repository").Delete(Ctx("aws_ecr_repository.app"), {{"id", "app"}, {"force_delete", true}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_ecr_repository", "delete"));
  const auto* enc = T("aws_ecr_repository").schema().Find("encryption_configuration");
  ASSERT_NE(enc, nullptr);
  EXPECT_TRUE(enc->force_new);
  EXPECT_FALSE(T("aws_ecr_repository").schema().Find("image_scanning_configuration")->force_new);
}

TEST_F(EcrTypesTest, LifecyclePolicyIsSentAsTextAndComparedAsADocument) {
  json policy = {{"rules", {{{"rulePriority", 1}, {"selection", {{"tagStatus", "any"}, {"countType", "imageCountMoreThan"},
                                                                  {"countNumber", 10}}},
                             {"action", {{"type", "expire"}}}}}}};
  client_->ReplyJson("PutLifecyclePolicy", {{"registryId", "123456789012"}, {"repositoryName", "app"},
                                            {"lifecyclePolicyText", policy.dump()}});
  // AWS answers the document with its own spacing and key order.
  std::string reordered = "{ \"rules\": [ { \"action\": {\"type\": \"expire\"}, \"selection\": {\"countNumber\": 10, "
                          "\"countType\": \"imageCountMoreThan\", \"tagStatus\": \"any\"}, \"rulePriority\": 1 } ] }";
  client_->ReplyJson("GetLifecyclePolicy", {{"registryId", "123456789012"}, {"repositoryName", "app"},
                                            {"lifecyclePolicyText", reordered}});
  auto& t = T("aws_ecr_lifecycle_policy");
  auto r = t.Create(Ctx("aws_ecr_lifecycle_policy.app"), {{"repository", "app"}, {"policy", policy}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_ecr_lifecycle_policy", "create"));
  EXPECT_EQ(r->attributes["id"], "app");
  EXPECT_EQ(r->attributes["registry_id"], "123456789012");
  EXPECT_TRUE(provider::SameValue(*t.schema().Find("policy"), policy, r->attributes["policy"]));

  client_->Fail("GetLifecyclePolicy", "LifecyclePolicyNotFoundException", Error::Kind::kNotFound);
  auto gone = t.Read("eu-west-1", {"app"});
  ASSERT_TRUE(gone.ok()) << gone.error().ToString();
  EXPECT_TRUE(gone->empty());
}

TEST_F(EcrTypesTest, ReplicationRulesRoundTripAndDeleteClearsThem) {
  json cfg = {{"rule", {{{"destination", {{{"region", "us-east-1"}, {"registry_id", "123456789012"}}}},
                         {"repository_filter", {{{"filter", "app"}, {"filter_type", "PREFIX_MATCH"}}}}}}}};
  json wire_rules = {{"rules", {{{"destinations", {{{"region", "us-east-1"}, {"registryId", "123456789012"}}}},
                                 {"repositoryFilters", {{{"filter", "app"}, {"filterType", "PREFIX_MATCH"}}}}}}}};
  client_->ReplyJson("PutReplicationConfiguration", {{"replicationConfiguration", wire_rules}});
  client_->ReplyJson("DescribeRegistry", {{"registryId", "123456789012"}, {"replicationConfiguration", wire_rules}});
  auto& t = T("aws_ecr_replication_configuration");
  auto r = t.Create(Ctx("aws_ecr_replication_configuration.dr"), {{"replication_configuration", cfg}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->attributes["replication_configuration"], cfg);
  EXPECT_EQ(r->attributes["registry_id"], "123456789012");
  EXPECT_EQ(r->attributes["id"], "registry");

  client_->ReplyJson("PutReplicationConfiguration", {{"replicationConfiguration", {{"rules", json::array()}}}});
  ASSERT_TRUE(t.Delete(Ctx("aws_ecr_replication_configuration.dr"), r->attributes).ok());
  client_->ReplyJson("DescribeRegistry", {{"registryId", "123456789012"},
                                          {"replicationConfiguration", {{"rules", json::array()}}}});
  auto gone = t.Read("eu-west-1", {"registry"});
  ASSERT_TRUE(gone.ok()) << gone.error().ToString();
  EXPECT_TRUE(gone->empty());  // no rules: nothing configured
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_ecr_replication_configuration", "create_delete"));
}

}  // namespace
}  // namespace infra::aws

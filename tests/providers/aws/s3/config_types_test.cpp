// The bucket configuration types (versioning, encryption, public access
// block, ownership controls, policy, lifecycle, replication, logging) over a
// scripted client: each create is one PUT of the whole configuration (golden
// wire: tests/data/aws/wire/<type>.json) read back by its GET; an update
// PUTs it again; an unset configuration reads as gone; delete is the DELETE
// call or the PUT that turns it off; replication checks both buckets'
// versioning first.
#include <gtest/gtest.h>

#include "fakes/golden_wire.h"
#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using nlohmann::json;
using test::MatchesGolden;
using test::ScriptedAwsClient;

class S3ConfigTest : public testing::Test {
 protected:
  provider::ResourceType& T(const std::string& type) { return *provider_->Find(type); }
  provider::OperationContext Ctx() { return {"s", "x.y", "eu-west-1", "tok", nullptr}; }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
};

TEST_F(S3ConfigTest, VersioningPutsReadsSuspendsAndReadsUnversionedAsGone) {
  auto& t = T("aws_s3_bucket_versioning");
  client_->ReplyRest("PutBucketVersioning", "");
  client_->ReplyRest("GetBucketVersioning", "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>");
  json desired = {{"bucket", "b1"}, {"versioning_configuration", {{"status", "Enabled"}}}};
  auto r = t.Create(Ctx(), desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->attributes, json({{"id", "b1"}, {"bucket", "b1"}, {"versioning_configuration", {{"status", "Enabled"}}}}));
  client_->ReplyRest("PutBucketVersioning", "");
  EXPECT_TRUE(t.Delete(Ctx(), r->attributes).ok());
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_s3_bucket_versioning", "create_delete"));

  client_->ReplyRest("GetBucketVersioning", "<VersioningConfiguration/>");
  client_->Fail("GetBucketVersioning", "NoSuchBucket", Error::Kind::kNotFound);
  auto got = t.Read("eu-west-1", {"never", "gone"});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_TRUE(got->empty());
  size_t calls = client_->calls().size();
  EXPECT_TRUE(t.Delete(Ctx(), {{"id", "b1"}, {"versioning_configuration", {{"status", "Suspended"}}}}).ok());
  EXPECT_EQ(client_->calls().size(), calls);  // nothing to suspend: forgotten
}

TEST_F(S3ConfigTest, EncryptionWithKmsKeyAndBucketKey) {
  auto& t = T("aws_s3_bucket_server_side_encryption_configuration");
  json rule = {{"apply_server_side_encryption_by_default", {{"sse_algorithm", "aws:kms"}, {"kms_master_key_id", "k1"}}},
               {"bucket_key_enabled", true}};
  client_->ReplyRest("PutBucketEncryption", "");
  client_->ReplyRest("GetBucketEncryption",
                     "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms"
                     "</SSEAlgorithm><KMSMasterKeyID>k1</KMSMasterKeyID></ApplyServerSideEncryptionByDefault>"
                     "<BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>");
  auto r = t.Create(Ctx(), {{"bucket", "b1"}, {"rule", {rule}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->attributes["rule"], json::array({rule}));  // one <Rule> reads as a list of one
  client_->ReplyRest("DeleteBucketEncryption", "", 204);
  EXPECT_TRUE(t.Delete(Ctx(), r->attributes).ok());
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_s3_bucket_server_side_encryption_configuration", "create_delete"));
  client_->Fail("GetBucketEncryption", "ServerSideEncryptionConfigurationNotFoundError", Error::Kind::kNotFound);
  EXPECT_TRUE(t.Read("eu-west-1", {"b1"})->empty());
}

TEST_F(S3ConfigTest, PublicAccessBlockAndOwnershipControlsUpdateByPuttingAgain) {
  auto& pab = T("aws_s3_bucket_public_access_block");
  json prior = {{"id", "b1"}, {"bucket", "b1"}, {"block_public_acls", true}, {"block_public_policy", true},
                {"ignore_public_acls", false}, {"restrict_public_buckets", false}};
  json desired = prior;
  desired["ignore_public_acls"] = true;
  client_->ReplyRest("PutPublicAccessBlock", "");
  client_->ReplyRest("GetPublicAccessBlock",
                     "<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true"
                     "</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>false"
                     "</RestrictPublicBuckets></PublicAccessBlockConfiguration>");
  auto r = pab.Update(Ctx(), prior, desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->attributes, desired);
  auto& own = T("aws_s3_bucket_ownership_controls");
  client_->ReplyRest("PutBucketOwnershipControls", "");
  client_->ReplyRest("GetBucketOwnershipControls",
                     "<OwnershipControls><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule>"
                     "</OwnershipControls>");
  r = own.Create(Ctx(), {{"bucket", "b1"}, {"rule", {{"object_ownership", "BucketOwnerEnforced"}}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->attributes["rule"], json({{"object_ownership", "BucketOwnerEnforced"}}));
  client_->ReplyRest("DeleteBucketOwnershipControls", "", 204);
  EXPECT_TRUE(own.Delete(Ctx(), r->attributes).ok());
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_s3_bucket_public_access_block", "update_ownership"));
}

TEST_F(S3ConfigTest, PolicyIsSentAsTheDocumentAndComparedSemantically) {
  auto& t = T("aws_s3_bucket_policy");
  json doc = {{"Version", "2012-10-17"},
              {"Statement", {{{"Effect", "Allow"}, {"Principal", "*"}, {"Action", "s3:GetObject"},
                              {"Resource", "arn:aws:s3:::b1/*"}}}}};
  client_->ReplyRest("PutBucketPolicy", "", 204);
  // AWS reformats: other key order, one statement as a list, whitespace.
  const std::string back = R"({"Statement":[{"Resource":"arn:aws:s3:::b1/*","Action":["s3:GetObject"],)"
                           R"( "Principal":"*","Effect":"Allow"}],"Version":"2012-10-17"})";
  client_->ReplyRest("GetBucketPolicy", back);
  auto r = t.Create(Ctx(), {{"bucket", "b1"}, {"policy", doc}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->attributes["policy"], back);
  EXPECT_TRUE(provider::SameValue(*t.schema().Find("policy"), doc, r->attributes["policy"]));
  client_->ReplyRest("DeleteBucketPolicy", "", 204);
  EXPECT_TRUE(t.Delete(Ctx(), r->attributes).ok());
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_s3_bucket_policy", "create_delete"));
  client_->Fail("GetBucketPolicy", "NoSuchBucketPolicy", Error::Kind::kNotFound);
  EXPECT_TRUE(t.Read("eu-west-1", {"b1"})->empty());
}

TEST_F(S3ConfigTest, LifecycleRulesWithTransitionsAndARuleWithoutFilter) {
  auto& t = T("aws_s3_bucket_lifecycle_configuration");
  json rules = {{{"id", "old-versions"}, {"status", "Enabled"}, {"filter", {{"prefix", "assets/"}}},
                 {"transition", {{{"days", 30}, {"storage_class", "STANDARD_IA"}}, {{"days", 90}, {"storage_class", "GLACIER"}}}},
                 {"noncurrent_version_transition", {{{"noncurrent_days", 30}, {"storage_class", "GLACIER"}}}},
                 {"noncurrent_version_expiration", {{"noncurrent_days", 365}}}},
                {{"id", "uploads"}, {"status", "Enabled"}, {"abort_incomplete_multipart_upload", {{"days_after_initiation", 7}}}}};
  client_->ReplyRest("PutBucketLifecycleConfiguration", "");
  client_->ReplyRest(
      "GetBucketLifecycleConfiguration",
      "<LifecycleConfiguration><Rule><ID>old-versions</ID><Filter><Prefix>assets/</Prefix></Filter><Status>Enabled"
      "</Status><Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition><Transition><Days>90"
      "</Days><StorageClass>GLACIER</StorageClass></Transition><NoncurrentVersionTransition><NoncurrentDays>30"
      "</NoncurrentDays><StorageClass>GLACIER</StorageClass></NoncurrentVersionTransition>"
      "<NoncurrentVersionExpiration><NoncurrentDays>365</NoncurrentDays></NoncurrentVersionExpiration></Rule>"
      "<Rule><ID>uploads</ID><Filter></Filter><Status>Enabled</Status><AbortIncompleteMultipartUpload>"
      "<DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule></LifecycleConfiguration>");
  auto r = t.Create(Ctx(), {{"bucket", "b1"}, {"rule", rules}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(provider::SameValue(*t.schema().Find("rule"), rules, r->attributes["rule"]))
      << r->attributes["rule"].dump();
  client_->ReplyRest("DeleteBucketLifecycle", "", 204);
  EXPECT_TRUE(t.Delete(Ctx(), r->attributes).ok());
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_s3_bucket_lifecycle_configuration", "create_delete"));
}

TEST_F(S3ConfigTest, ReplicationChecksVersioningOnBothBucketsFirst) {
  auto& t = T("aws_s3_bucket_replication_configuration");
  json desired = {{"bucket", "src"}, {"role", "arn:aws:iam::123456789012:role/r"},
                  {"rule", {{{"id", "all"}, {"priority", 1}, {"status", "Enabled"}, {"filter", {{"prefix", ""}}},
                             {"delete_marker_replication", {{"status", "Disabled"}}},
                             {"destination", {{"bucket", "arn:aws:s3:::dst"}, {"storage_class", "STANDARD"}}}}}}};
  const char* on = "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>";
  client_->ReplyRest("GetBucketVersioning", on);
  client_->ReplyRest("GetBucketVersioning", "<VersioningConfiguration/>");
  auto r = t.Create(Ctx(), desired);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("destination bucket 'dst' has none"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("aws_s3_bucket_versioning"), std::string::npos);
  EXPECT_EQ(client_->calls().size(), 2u);  // nothing put

  client_->ReplyRest("GetBucketVersioning", on);
  client_->ReplyRest("GetBucketVersioning", on);
  client_->ReplyRest("PutBucketReplication", "");
  client_->ReplyRest("GetBucketReplication",
                     "<ReplicationConfiguration><Role>arn:aws:iam::123456789012:role/r</Role><Rule><ID>all</ID>"
                     "<Priority>1</Priority><Status>Enabled</Status><DeleteMarkerReplication><Status>Disabled</Status>"
                     "</DeleteMarkerReplication><Filter><Prefix></Prefix></Filter><Destination><Bucket>arn:aws:s3:::dst"
                     "</Bucket><StorageClass>STANDARD</StorageClass></Destination></Rule></ReplicationConfiguration>");
  r = t.Create(Ctx(), desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(provider::SameValue(*t.schema().Find("rule"), desired["rule"], r->attributes["rule"]))
      << r->attributes["rule"].dump();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_s3_bucket_replication_configuration", "refused_then_create"));
}

TEST_F(S3ConfigTest, LoggingIsTurnedOffByAnEmptyStatus) {
  auto& t = T("aws_s3_bucket_logging");
  client_->ReplyRest("PutBucketLogging", "");
  client_->ReplyRest("GetBucketLogging",
                     "<BucketLoggingStatus><LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix>b1/"
                     "</TargetPrefix></LoggingEnabled></BucketLoggingStatus>");
  auto r = t.Create(Ctx(), {{"bucket", "b1"}, {"target_bucket", "logs"}, {"target_prefix", "b1/"}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->attributes["target_prefix"], "b1/");
  client_->ReplyRest("PutBucketLogging", "");
  EXPECT_TRUE(t.Delete(Ctx(), r->attributes).ok());
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_s3_bucket_logging", "create_delete"));
  client_->ReplyRest("GetBucketLogging", "<BucketLoggingStatus/>");
  EXPECT_TRUE(t.Read("eu-west-1", {"b1"})->empty());
}

}  // namespace
}  // namespace infra::aws

// aws_s3_bucket (REST-XML) over a scripted client, with golden wire
// fixtures (tests/data/aws/wire/aws_s3_bucket.json): the create with its
// location constraint and object lock header, every tag put at once (with
// Content-MD5), refresh by one ListBuckets for every bucket plus
// GetBucketTagging each (NoSuchTagSet as none), a tag change replacing the
// whole set, bucket_prefix, force_destroy emptying every version and delete
// marker, import reading object lock, plan-time names and the data source.
#include <gtest/gtest.h>

#include "fakes/golden_wire.h"
#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using nlohmann::json;
using test::MatchesGolden;
using test::ScriptedAwsClient;

const char* kTagging =
    "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag><Key>infra:address</Key>"
    "<Value>aws_s3_bucket.logs</Value></Tag><Tag><Key>infra:stack</Key><Value>s</Value></Tag><Tag><Key>team</Key>"
    "<Value>a</Value></Tag></TagSet></Tagging>";

std::string Listing(const std::vector<std::string>& names) {
  std::string out = "<ListAllMyBucketsResult><Owner><ID>x</ID></Owner><Buckets>";
  for (const auto& n : names) out += "<Bucket><Name>" + n + "</Name><CreationDate>d</CreationDate></Bucket>";
  return out + "</Buckets></ListAllMyBucketsResult>";
}

json Names(const std::string& b, const std::string& region) {
  return {{"arn", "arn:aws:s3:::" + b}, {"bucket_domain_name", b + ".s3.amazonaws.com"},
          {"bucket_regional_domain_name", b + ".s3." + region + ".amazonaws.com"}, {"region", region}};
}

class S3BucketTest : public testing::Test {
 protected:
  provider::ResourceType& T() { return *provider_->Find("aws_s3_bucket"); }
  provider::OperationContext Ctx() { return {"s", "aws_s3_bucket.logs", "eu-west-1", "tok", nullptr}; }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
};

TEST_F(S3BucketTest, CreatePutsEveryTagAndReadsByListBuckets) {
  client_->ReplyRest("CreateBucket", "", 200, {{"location", "/logs-1"}});
  client_->ReplyRest("PutBucketTagging", "", 204);
  client_->ReplyRest("ListBuckets", Listing({"other", "logs-1"}));
  client_->ReplyRest("GetBucketTagging", kTagging);
  auto r = T().Create(Ctx(), {{"bucket", "logs-1"}, {"object_lock_enabled", true}, {"tags", {{"team", "a"}}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_s3_bucket", "create"));
  json want = {{"id", "logs-1"}, {"bucket", "logs-1"}, {"tags", {{"team", "a"}}}};
  want.update(Names("logs-1", "eu-west-1"));
  EXPECT_EQ(r->attributes, want);
}

TEST_F(S3BucketTest, ATagChangeReplacesTheWholeSetAndRefreshIsOneListForAllBuckets) {
  json prior = {{"id", "logs-1"}, {"bucket", "logs-1"}, {"tags", {{"team", "a"}}}};
  json desired = prior;
  desired.erase("tags");
  client_->ReplyRest("PutBucketTagging", "", 204);
  client_->ReplyRest("ListBuckets", Listing({"logs-1"}));
  client_->ReplyRest("GetBucketTagging", "<Tagging><TagSet><Tag><Key>infra:stack</Key><Value>s</Value></Tag>"
                                         "</TagSet></Tagging>");
  auto r = T().Update(Ctx(), prior, desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_s3_bucket", "untag"));
  EXPECT_TRUE(r->attributes["tags"].is_null());

  client_->ReplyRest("ListBuckets", Listing({"logs-1", "logs-2", "unrelated"}));
  client_->Fail("GetBucketTagging", "NoSuchTagSet", Error::Kind::kNotFound);
  client_->ReplyRest("GetBucketTagging", kTagging);
  auto got = T().Read("eu-west-1", {"logs-1", "logs-2", "gone"});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  ASSERT_EQ(got->size(), 2u);
  EXPECT_TRUE(got->at("logs-1")["tags"].is_null());  // NoSuchTagSet: no tags
  EXPECT_EQ(got->at("logs-2")["tags"], json({{"team", "a"}}));
  EXPECT_EQ(client_->remaining(), 0u);
}

TEST_F(S3BucketTest, BucketPrefixGeneratesAStableNameAndUsEast1SendsNoConstraint) {
  client_->ReplyRest("CreateBucket", "");
  client_->ReplyRest("PutBucketTagging", "", 204);
  client_->ReplyRest("ListBuckets", "<ListAllMyBucketsResult><Buckets></Buckets></ListAllMyBucketsResult>");
  provider::OperationContext ctx = Ctx();
  ctx.region = "us-east-1";
  auto r = T().Create(ctx, {{"bucket_prefix", "logs-"}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->pending);  // not listed yet: Poll reads again
  const std::string id = r->attributes["id"];
  EXPECT_EQ(id.rfind("logs-", 0), 0u) << id;
  EXPECT_EQ(id.size(), 5u + 20u);
  EXPECT_EQ(client_->calls()[0].rest.path, "/" + id);
  EXPECT_TRUE(client_->calls()[0].rest.body.empty());
  EXPECT_EQ(client_->calls()[0].rest.headers.count("x-amz-bucket-object-lock-enabled"), 0u);
}

TEST_F(S3BucketTest, ForceDestroyDeletesEveryVersionAndDeleteMarkerBeforeTheBucket) {
  client_->ReplyRest("ListObjectVersions",
                     "<ListVersionsResult><Version><Key>a.txt</Key><VersionId>v1</VersionId></Version>"
                     "<Version><Key>a.txt</Key><VersionId>v2</VersionId></Version>"
                     "<DeleteMarker><Key>b.txt</Key><VersionId>m1</VersionId></DeleteMarker></ListVersionsResult>");
  client_->ReplyRest("DeleteObjects", "<DeleteResult></DeleteResult>");
  client_->ReplyRest("ListObjectVersions", "<ListVersionsResult><Name>logs-1</Name></ListVersionsResult>");
  client_->ReplyRest("DeleteBucket", "", 204);
  auto r = T().Delete(Ctx(), {{"id", "logs-1"}, {"bucket", "logs-1"}, {"force_destroy", true}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_s3_bucket", "force_destroy"));
}

TEST_F(S3BucketTest, ObjectsThatStayListedFailInsteadOfLooping) {
  const char* page = "<ListVersionsResult><Version><Key>a</Key><VersionId>v1</VersionId></Version></ListVersionsResult>";
  client_->ReplyRest("ListObjectVersions", page);
  client_->ReplyRest("DeleteObjects", "<DeleteResult></DeleteResult>");
  client_->ReplyRest("ListObjectVersions", page);
  auto r = T().Delete(Ctx(), {{"id", "logs-1"}, {"force_destroy", true}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("still listed"), std::string::npos) << r.error().message;
}

TEST_F(S3BucketTest, ANonEmptyBucketWithoutForceDestroyNamesTheSetting) {
  client_->Fail("DeleteBucket", "BucketNotEmpty", Error::Kind::kInvalid);
  auto r = T().Delete(Ctx(), {{"id", "logs-1"}, {"force_destroy", false}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("force_destroy"), std::string::npos) << r.error().message;
}

TEST_F(S3BucketTest, ImportReadsObjectLockAndTagsTheBucket) {
  client_->ReplyRest("ListBuckets", Listing({"made"}));
  client_->ReplyRest("GetBucketTagging", "<Tagging><TagSet><Tag><Key>team</Key><Value>a</Value></Tag></TagSet></Tagging>");
  client_->ReplyRest("PutBucketTagging", "", 204);
  client_->ReplyRest("GetObjectLockConfiguration",
                     "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>");
  auto r = T().Import(Ctx(), "made");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ((*r)["object_lock_enabled"], true);
  EXPECT_EQ((*r)["force_destroy"], false);
  EXPECT_EQ((*r)["tags"], json({{"team", "a"}}));
}

TEST_F(S3BucketTest, NamesAreKnownAtPlanAndTheDataSourceReadsByName) {
  json known = Names("logs-1", "eu-west-1");
  known["id"] = "logs-1";  // a bucket's id is its name: references to it are known at plan
  EXPECT_EQ(T().PlanKnown(Ctx(), {{"bucket", "logs-1"}}), known);
  EXPECT_EQ(T().PlanKnown(Ctx(), {{"bucket_prefix", "logs-"}}), json::object());
  auto* data = provider_->FindData("aws_s3_bucket");
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->schema().Find("force_destroy"), nullptr);
  client_->ReplyRest("ListBuckets", Listing({"logs-1"}));
  client_->Fail("GetBucketTagging", "NoSuchTagSet", Error::Kind::kNotFound);
  auto got = data->Read(Ctx(), {{"bucket", "logs-1"}});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ((*got)["arn"], "arn:aws:s3:::logs-1");
  EXPECT_EQ((*got)["bucket_regional_domain_name"], "logs-1.s3.eu-west-1.amazonaws.com");
  client_->ReplyRest("ListBuckets", Listing({}));
  EXPECT_FALSE(data->Read(Ctx(), {{"bucket", "nope"}}).ok());
}

}  // namespace
}  // namespace infra::aws

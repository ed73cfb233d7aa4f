// aws_s3_bucket (REST-XML) over a scripted client, with golden wire
// fixtures (tests/data/aws/wire/aws_s3_bucket.json): the create with its
// location constraint, every tag put at once (with Content-MD5), the read
// by HeadBucket and GetBucketTagging (one tag or several, NoSuchTagSet as
// none), a tag change replacing the whole set, and a gone bucket.
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

class S3BucketTest : public testing::Test {
 protected:
  provider::ResourceType& T() { return *provider_->Find("aws_s3_bucket"); }
  provider::OperationContext Ctx() { return {"s", "aws_s3_bucket.logs", "eu-west-1", "tok", nullptr}; }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
};

TEST_F(S3BucketTest, CreatePutsEveryTagAndReadsRegionAndTags) {
  client_->ReplyRest("CreateBucket", "", 200, {{"location", "/logs-1"}});
  client_->ReplyRest("PutBucketTagging", "", 204);
  client_->ReplyRest("HeadBucket", "", 200, {{"x-amz-bucket-region", "eu-west-1"}});
  client_->ReplyRest("GetBucketTagging", kTagging);
  auto r = T().Create(Ctx(), {{"bucket", "logs-1"}, {"tags", {{"team", "a"}}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_s3_bucket", "create"));
  EXPECT_EQ(r->attributes, json({{"id", "logs-1"}, {"bucket", "logs-1"}, {"region", "eu-west-1"},
                                 {"arn", "arn:aws:s3:::logs-1"}, {"bucket_domain_name", "logs-1.s3.amazonaws.com"},
                                 {"tags", {{"team", "a"}}}}));
}

TEST_F(S3BucketTest, ATagChangeReplacesTheWholeSetAndOneTagReadsAsOne) {
  json prior = {{"id", "logs-1"}, {"bucket", "logs-1"}, {"tags", {{"team", "a"}}}};
  json desired = prior;
  desired.erase("tags");
  client_->ReplyRest("PutBucketTagging", "", 204);
  client_->ReplyRest("HeadBucket", "", 200, {{"x-amz-bucket-region", "eu-west-1"}});
  client_->ReplyRest("GetBucketTagging", "<Tagging><TagSet><Tag><Key>infra:stack</Key><Value>s</Value></Tag>"
                                         "</TagSet></Tagging>");
  auto r = T().Update(Ctx(), prior, desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(MatchesGolden(client_->calls(), "aws_s3_bucket", "untag"));
  EXPECT_TRUE(r->attributes["tags"].is_null());

  client_->ReplyRest("HeadBucket", "", 200, {{"x-amz-bucket-region", "eu-west-1"}});
  client_->Fail("GetBucketTagging", "NoSuchTagSet", Error::Kind::kNotFound);
  client_->Fail("HeadBucket", "NotFound", Error::Kind::kNotFound);
  auto got = T().Read("eu-west-1", {"logs-1", "gone"});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_TRUE(got->at("logs-1")["tags"].is_null());  // NoSuchTagSet: no tags
}

}  // namespace
}  // namespace infra::aws

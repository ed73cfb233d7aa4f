// aws_s3_bucket (REST-XML) over a scripted client, with golden wire
// fixtures (tests/data/aws/wire/aws_s3_bucket.json): the create with its
// location constraint and object lock header, every tag put at once (with
// Content-MD5), refresh by one ListBuckets for every bucket plus
// GetBucketTagging each (NoSuchTagSet as none), a tag change replacing the
// whole set, bucket_prefix, force_destroy emptying every version and delete
// marker, import reading object lock, plan-time names and the data source.
#include <gtest/gtest.h>

#include <thread>

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

// S3's namespace is global: one refresh (one Read per region) lists once.
TEST_F(S3BucketTest, OneRefreshListsBucketsOnceForEveryRegion) {
  auto lists = [&] {
    int n = 0;
    for (const auto& c : client_->calls()) n += c.action == "ListBuckets";
    return n;
  };
  client_->ReplyRest("ListBuckets", Listing({"p-1", "d-1", "gone-later"}));
  client_->Fail("GetBucketTagging", "NoSuchTagSet", Error::Kind::kNotFound);
  client_->Fail("GetBucketTagging", "NoSuchTagSet", Error::Kind::kNotFound);
  client_->Fail("GetBucketTagging", "NoSuchTagSet", Error::Kind::kNotFound);
  auto primary = T().Read("eu-central-1", {"p-1"});
  auto dr = T().Read("eu-west-1", {"d-1", "gone"});
  auto east = T().Read("us-east-1", {"gone-later"});
  ASSERT_TRUE(primary.ok() && dr.ok() && east.ok());
  EXPECT_EQ(lists(), 1);
  EXPECT_EQ(primary->at("p-1")["region"], "eu-central-1");
  EXPECT_EQ(dr->at("d-1")["region"], "eu-west-1");
  EXPECT_EQ(dr->count("gone"), 0u);
  EXPECT_EQ(client_->calls().at(0).region, "eu-central-1");

  // The next refresh reads eu-central-1 again: a new listing, shared anew.
  client_->ReplyRest("ListBuckets", Listing({"p-1", "d-1"}));
  client_->Fail("GetBucketTagging", "NoSuchTagSet", Error::Kind::kNotFound);
  client_->Fail("GetBucketTagging", "NoSuchTagSet", Error::Kind::kNotFound);
  ASSERT_TRUE(T().Read("eu-central-1", {"p-1"}).ok());
  ASSERT_TRUE(T().Read("eu-west-1", {"d-1"}).ok());
  auto later = T().Read("us-east-1", {"gone-later"});
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(lists(), 2);
  EXPECT_TRUE(later->empty());  // deleted since the first listing: not read from it

  // A change through the type (here a delete) forgets the listing: the
  // read after it lists again, though eu-west-1 has not used this one.
  client_->ReplyRest("DeleteBucket", "", 204);
  ASSERT_TRUE(T().Delete(Ctx(), {{"id", "p-1"}, {"bucket", "p-1"}}).ok());
  client_->ReplyRest("ListBuckets", Listing({"d-1"}));
  client_->Fail("GetBucketTagging", "NoSuchTagSet", Error::Kind::kNotFound);
  ASSERT_TRUE(T().Read("ap-south-1", {"p-1", "d-1"}).ok());
  EXPECT_EQ(lists(), 3);
  EXPECT_EQ(client_->remaining(), 0u);
}

// Regions read at once share the listing on the wire.
TEST_F(S3BucketTest, ReadsOfTwoRegionsAtOnceShareOneListBuckets) {
  client_->ReplyRest("ListBuckets", Listing({"p-1", "d-1"}));
  client_->Fail("GetBucketTagging", "NoSuchTagSet", Error::Kind::kNotFound);
  client_->Fail("GetBucketTagging", "NoSuchTagSet", Error::Kind::kNotFound);
  Result<std::map<std::string, json>> a = std::map<std::string, json>{}, b = std::map<std::string, json>{};
  std::thread t([&] { a = T().Read("eu-central-1", {"p-1"}); });
  b = T().Read("eu-west-1", {"d-1"});
  t.join();
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  ASSERT_TRUE(b.ok()) << b.error().ToString();
  EXPECT_EQ(a->size() + b->size(), 2u);
  EXPECT_EQ(client_->remaining(), 0u);  // one ListBuckets answered both
}

}  // namespace
}  // namespace infra::aws

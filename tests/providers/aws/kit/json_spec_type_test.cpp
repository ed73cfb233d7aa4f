// kit::JsonSpecType over a scripted client on each non-XML protocol: a
// synthetic awsJson type (a wait on a status, delete retried on
// ResourceInUse, [{key,value}] tags read inline), a REST-JSON type shaped
// like a Lambda function (routes with path members, PUT/GET/DELETE) and a
// REST-XML type shaped like an S3 bucket (XML body, a reply read from XML).
// The REST types are proved against the scripted fake only.
#include "providers/aws/kit/json_spec_type.h"

#include <gtest/gtest.h>

#include "fakes/golden_wire.h"
#include "fakes/scripted_aws_client.h"
#include "fakes/scripted_transport.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/sdk/aws_client.h"
#include "providers/aws/sdk/credentials.h"
#include "providers/aws/sdk/environment.h"
#include "providers/aws/sdk/transport.h"

namespace infra::aws::kit {
namespace {

using namespace schema;
using nlohmann::json;
using provider::AttrMode;
using provider::AttrType;
using provider::Phase;
using provider::PollStatus;
using test::MatchesGolden;
using test::ScriptedAwsClient;

Spec ClusterSpec() {  // ECS-like: awsJson 1.1, tags [{key,value}] inline in the item
  provider::ResourceSchema s;
  s.type = "fake_cluster";
  s.service = "ecs";
  s.attributes = {Required("name", kForceNew), Blocks("setting", AttrMode::kOptional, {Required("name"), Required("value")}),
                  Tags(), Computed("id"), Computed("arn"), Computed("status")};
  Service svc{"ecs", Protocol::kJson, {Tagging::Style::kTagResource, "", "TagResource", "UntagResource"}};
  svc.tags.json.shape = JsonTagging::Shape::kKeyValue;
  svc.tags.json.list_action = "";  // inline
  Spec spec{std::move(s), svc, {
      {"name", "clusterName"},
      {"setting[].name", "settings[].name"},
      {"setting[].value", "settings[].value"},
      {"arn", "", "clusterArn", Conv::kString, kRead},
      {"status", "", "status", Conv::kString, kRead},
  }, {"CreateCluster", "cluster.clusterArn", /*token=*/false}};
  spec.updates = {{{"setting"}, "UpdateClusterSettings", {}, {{"setting", "settings"}}}};
  spec.del = {"DeleteCluster", {"ClusterContainsServicesException"}};
  spec.read = {ReadPolicy::Kind::kIdList, "DescribeClusters", "clusters", "clusters", "clusterArn"};
  spec.wait = Wait{"status", {"ACTIVE"}, {"PROVISIONING"}, std::chrono::milliseconds(10)};
  spec.json.id_member = "cluster";
  return spec;
}

json Cluster(const std::string& status) {
  return {{"clusters", {{{"clusterArn", "arn:c"}, {"clusterName", "c"}, {"status", status},
                         {"settings", {{{"name", "containerInsights"}, {"value", "enabled"}}}},
                         {"tags", {{{"key", "infra:address"}, {"value", "fake_cluster.c"}}, {{"key", "t"}, {"value", "1"}}}}}}}};
}

TEST(JsonSpecTypeTest, AwsJsonCreateWaitsUpdatesRenamedBlocksAndRetriesDelete) {
  auto client = std::make_shared<ScriptedAwsClient>();
  JsonSpecType type(client, ClusterSpec());
  provider::OperationContext ctx{"s", "fake_cluster.c", "eu-west-1", "tok", nullptr};
  client->ReplyJson("CreateCluster", {{"cluster", {{"clusterArn", "arn:c"}}}});
  auto r = type.Create(ctx, {{"name", "c"}, {"setting", {{{"name", "containerInsights"}, {"value", "enabled"}}}},
                             {"tags", {{"t", "1"}}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->pending);
  EXPECT_EQ(r->attributes["id"], "arn:c");
  client->ReplyJson("DescribeClusters", Cluster("PROVISIONING"));
  auto p = type.Poll(ctx, r->attributes, Phase::kCreate);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->status, PollStatus::kPending);
  client->ReplyJson("DescribeClusters", Cluster("ACTIVE"));
  p = type.Poll(ctx, r->attributes, Phase::kCreate);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->status, PollStatus::kReady);
  EXPECT_EQ(p->attributes["tags"], json({{"t", "1"}}));
  EXPECT_EQ(p->attributes["setting"], json({{{"name", "containerInsights"}, {"value", "enabled"}}}));

  json desired = p->attributes;
  desired["setting"] = {{{"name", "containerInsights"}, {"value", "disabled"}}};
  client->ReplyJson("UpdateClusterSettings", json::object());
  client->ReplyJson("DescribeClusters", Cluster("ACTIVE"));
  ASSERT_TRUE(type.Update(ctx, p->attributes, desired).ok());

  client->Fail("DeleteCluster", "ClusterContainsServicesException", Error::Kind::kConflict);
  auto d = type.Delete(ctx, p->attributes);
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  EXPECT_TRUE(d->pending);  // dependents still going away
  client->ReplyJson("DeleteCluster", json::object());
  auto again = type.Poll(ctx, p->attributes, Phase::kDelete);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(again->status, PollStatus::kReady);
  EXPECT_TRUE(MatchesGolden(client->calls(), "fake_cluster", "lifecycle"));
}

Spec FunctionSpec() {  // Lambda-like: REST-JSON
  provider::ResourceSchema s;
  s.type = "fake_function";
  s.service = "lambda";
  s.taggable = false;
  s.attributes = {Required("function_name", kForceNew), Optional("timeout", kNone, AttrType::kNumber),
                  Block("environment", AttrMode::kOptional, {Optional("variables", kNone, AttrType::kMapString)}),
                  Computed("id"), Computed("arn")};
  Spec spec{std::move(s), Service{"lambda", Protocol::kRestJson}, {
      {"function_name", "FunctionName"},
      {"timeout", "Timeout", "", Conv::kNumber},
      {"environment.variables", "Environment.Variables", "", Conv::kMap},
      {"arn", "", "FunctionArn", Conv::kString, kRead},
  }, {"CreateFunction", "FunctionName"}};
  spec.updates = {{{"timeout", "environment"}, "UpdateFunctionConfiguration"}};
  spec.del = {"DeleteFunction", {}};
  spec.read = {ReadPolicy::Kind::kPerId, "GetFunctionConfiguration", "", ""};
  spec.json.id_member = "FunctionName";
  spec.json.routes = {
      {"CreateFunction", {"POST", "/2015-03-31/functions"}},
      {"GetFunctionConfiguration", {"GET", "/2015-03-31/functions/{FunctionName}/configuration"}},
      {"UpdateFunctionConfiguration", {"PUT", "/2015-03-31/functions/{FunctionName}/configuration"}},
      {"DeleteFunction", {"DELETE", "/2015-03-31/functions/{FunctionName}"}},
  };
  return spec;
}

TEST(JsonSpecTypeTest, RestJsonRoutesFillPathMembersAndSendTheRestAsBody) {
  auto client = std::make_shared<ScriptedAwsClient>();
  JsonSpecType type(client, FunctionSpec());
  provider::OperationContext ctx{"s", "fake_function.f", "eu-west-1", "tok", nullptr};
  std::string config = R"({"FunctionName":"f","FunctionArn":"arn:f","Timeout":3,"Environment":{"Variables":{"A":"1"}}})";
  client->ReplyRest("CreateFunction", config, 201);
  client->ReplyRest("GetFunctionConfiguration", config);
  auto r = type.Create(ctx, {{"function_name", "f"}, {"timeout", 3}, {"environment", {{"variables", {{"A", "1"}}}}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->attributes, json({{"id", "f"}, {"function_name", "f"}, {"timeout", 3}, {"arn", "arn:f"},
                                 {"environment", {{"variables", {{"A", "1"}}}}}}));
  json desired = r->attributes;
  desired["timeout"] = 10;
  client->ReplyRest("UpdateFunctionConfiguration", config);
  client->ReplyRest("GetFunctionConfiguration", config);
  ASSERT_TRUE(type.Update(ctx, r->attributes, desired).ok());
  client->ReplyRest("DeleteFunction", "", 204);
  ASSERT_TRUE(type.Delete(ctx, r->attributes).ok());
  client->Fail("GetFunctionConfiguration", "ResourceNotFoundException", Error::Kind::kNotFound);
  auto gone = type.Read("eu-west-1", {"f"});
  ASSERT_TRUE(gone.ok()) << gone.error().ToString();
  EXPECT_TRUE(gone->empty());
  EXPECT_TRUE(MatchesGolden(client->calls(), "fake_function", "lifecycle"));
}

Spec BucketSpec() {  // S3-like: REST-XML, the id in the path, an XML create body
  provider::ResourceSchema s;
  s.type = "fake_bucket";
  s.service = "s3";
  s.taggable = false;
  s.attributes = {Required("bucket", kForceNew), Optional("region_constraint", kForceNew), Computed("id"),
                  Computed("region")};
  Spec spec{std::move(s), Service{"s3", Protocol::kRestXml}, {
      {"bucket", "Bucket", "-"},
      {"region_constraint", "CreateBucketConfiguration.LocationConstraint", "LocationConstraint"},
      {"region", "", "header:x-amz-bucket-region", Conv::kString, kRead},
  }, {"CreateBucket", ""}};
  spec.del = {"DeleteBucket", {"BucketNotEmpty"}};
  spec.read = {ReadPolicy::Kind::kPerId, "GetBucketLocation", "", ""};
  spec.json.id_member = "Bucket";
  spec.json.hooks.on_read = [](const json&, const std::string&, provider::Attributes& a) { a["bucket"] = a["id"]; };
  spec.json.routes = {
      {"CreateBucket", {"PUT", "/{Bucket}", "CreateBucketConfiguration", "http://s3.amazonaws.com/doc/2006-03-01/"}},
      {"GetBucketLocation", {"GET", "/{Bucket}?location"}},
      {"DeleteBucket", {"DELETE", "/{Bucket}"}},
  };
  return spec;
}

TEST(JsonSpecTypeTest, RestXmlBodiesAndRepliesGoThroughXml) {
  auto client = std::make_shared<ScriptedAwsClient>();
  JsonSpecType type(client, BucketSpec());
  provider::OperationContext ctx{"s", "fake_bucket.b", "eu-west-1", "tok", nullptr};
  client->ReplyRest("CreateBucket", "", 200, {{"location", "/b"}});
  client->ReplyRest("GetBucketLocation",
                    "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">eu-west-1</LocationConstraint>",
                    200, {{"x-amz-bucket-region", "eu-west-1"}});
  auto r = type.Create(ctx, {{"bucket", "b"}, {"region_constraint", "eu-west-1"}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->attributes["id"], "b");
  EXPECT_EQ(r->attributes["bucket"], "b");
  EXPECT_EQ(r->attributes["region_constraint"], "eu-west-1");
  EXPECT_EQ(r->attributes["region"], "eu-west-1");
  client->Fail("DeleteBucket", "BucketNotEmpty", Error::Kind::kConflict);
  auto d = type.Delete(ctx, r->attributes);
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  EXPECT_TRUE(d->pending);
  EXPECT_TRUE(MatchesGolden(client->calls(), "fake_bucket", "lifecycle"));
}

// A real AwsClient over a scripted transport: what the SDK's retry does with
// a create whose reply was lost after it reached the server.
std::shared_ptr<AwsClient> ClientOver(std::shared_ptr<test::ScriptedTransport> transport) {
  ClientSeams seams;
  seams.transport = std::move(transport);
  seams.env = FixedEnvironment({{"AWS_ENDPOINT_URL", "http://127.0.0.1:4566"}});
  Credentials c;
  c.access_key_id = "AKIDEXAMPLE";
  c.secret_access_key = "secret";
  c.source = "static (test)";
  seams.credentials = NewStaticCredentialsProvider(c);
  seams.sleep = [](std::chrono::nanoseconds) {};
  seams.seed = 7;
  return NewAwsClient(ClientOptions{}, std::move(seams));
}

Spec TokenSpec(Adoption::Kind adopt) {  // Route 53-like: a token create that the emulator ignores
  Spec spec = ClusterSpec();
  spec.create.token = true;
  spec.wait.reset();
  spec.adopt = {adopt, "name"};
  return spec;
}

TEST(JsonSpecTypeTest, ATokenCreateOfAnAdoptableTypeIsNotResentAfterALostReply) {
  auto transport = std::make_shared<test::ScriptedTransport>();
  JsonSpecType type(ClientOver(transport), TokenSpec(Adoption::Kind::kByName));
  provider::OperationContext ctx{"s", "fake_cluster.c", "eu-west-1", "tok", nullptr};
  transport->Fail(kTransportReset);  // the create reached the server; its reply did not come back
  transport->Reply(200, Cluster("ACTIVE").dump());  // what a re-send would get: a twin on moto
  auto r = type.Create(ctx, {{"name", "c"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kTransportReset);  // the engine's lookup by name settles it
  EXPECT_EQ(transport->calls(), 1u);
  EXPECT_NE(transport->requests().at(0).body.find("\"clientToken\":\"tok\""), std::string::npos);
}

TEST(JsonSpecTypeTest, ATokenCreateThatCannotBeAdoptedIsResentOnTheToken) {
  auto transport = std::make_shared<test::ScriptedTransport>();
  JsonSpecType type(ClientOver(transport), TokenSpec(Adoption::Kind::kNone));
  provider::OperationContext ctx{"s", "fake_cluster.c", "eu-west-1", "tok", nullptr};
  transport->Fail(kTransportReset);
  transport->Reply(200, json{{"cluster", {{"clusterArn", "arn:c"}}}}.dump());
  transport->Reply(200, Cluster("ACTIVE").dump());  // the read-back
  auto r = type.Create(ctx, {{"name", "c"}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(transport->calls(), 3u);  // create, its re-send with the same token, the read
  EXPECT_EQ(transport->requests().at(1).body, transport->requests().at(0).body);
}

}  // namespace
}  // namespace infra::aws::kit

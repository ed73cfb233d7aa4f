// The AWS client against a real moto_server: one real operation per
// protocol in two regions (results checked with the AWS CLI / boto3), web
// identity through STS, signatures verified in moto's auth mode, and
// retries/idempotency through the loopback fault proxy.
#include "providers/aws/sdk/aws_client.h"

#include <gtest/gtest.h>

#include <fstream>
#include <pugixml.hpp>

#include "providers/aws/sdk/credentials.h"
#include "providers/aws/sdk/protocol_query.h"
#include "providers/aws/sdk/xml_reader.h"
#include "support/fault_proxy.h"
#include "support/moto_server.h"
#include "support/temp_dir.h"
#include "test_paths.h"

namespace infra::aws {
namespace {

using test::AwsCli;
using test::Fault;
using test::FaultProxy;
using test::MotoServer;

const char* const kRegions[] = {"eu-central-1", "eu-west-1"};

std::shared_ptr<AwsClient> ClientFor(const std::string& endpoint, ClientOptions options = {},
                                     std::string key = "test", std::string secret = "test") {
  ClientSeams seams;
  seams.env = FixedEnvironment({{"AWS_ENDPOINT_URL", endpoint}});
  seams.credentials = NewStaticCredentialsProvider(
      Credentials{std::move(key), std::move(secret), "", std::nullopt, "test keys"});
  return NewAwsClient(options, std::move(seams));
}

pugi::xml_document Xml(const std::string& body) {
  pugi::xml_document doc;
  EXPECT_TRUE(ParseXml(body, &doc, "test").ok()) << body;
  return doc;
}

class AwsClientIntegrationTest : public testing::Test {
 protected:
  void SetUp() override {
    moto_.ExportEnvironment();
    moto_.Reset();
    client_ = ClientFor(moto_.endpoint());
  }
  MotoServer& moto_ = MotoServer::Shared();
  std::shared_ptr<AwsClient> client_;
};

TEST_F(AwsClientIntegrationTest, Ec2CreateAndDescribeVpc) {
  for (std::string region : kRegions) {
    QueryParams p = {{"CidrBlock", "10.42.0.0/16"}};
    AddEc2TagSpecification(p, "vpc", {{"infra:address", "aws_vpc.main"}});
    auto made = client_->Query("ec2", region, "CreateVpc", p, CallOptions{.idempotent = false});
    ASSERT_TRUE(made.ok()) << made.error().ToString();
    std::string id = XmlText(Xml(made->body).document_element(), "vpc/vpcId");
    ASSERT_EQ(id.rfind("vpc-", 0), 0u) << made->body;

    auto cli = AwsCli(region, "ec2 describe-vpcs --vpc-ids " + id);
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    EXPECT_EQ(cli.json["Vpcs"][0]["CidrBlock"], "10.42.0.0/16");
    EXPECT_EQ(cli.json["Vpcs"][0]["Tags"][0]["Value"], "aws_vpc.main");

    QueryParams q;
    AddEc2Filters(q, {{"tag:infra:address", {"aws_vpc.main"}}});
    auto found = client_->Query("ec2", region, "DescribeVpcs", q);
    ASSERT_TRUE(found.ok()) << found.error().ToString();
    auto items = XmlItems(Xml(found->body).document_element(), "vpcSet");
    ASSERT_EQ(items.size(), 1u) << region << ": the other region's VPC must not show";
    EXPECT_EQ(XmlText(items[0], "vpcId"), id);

    QueryParams missing;
    AddEc2List(missing, "VpcId", {"vpc-0123456789abcdef0"});
    auto nf = client_->Query("ec2", region, "DescribeVpcs", missing);
    ASSERT_FALSE(nf.ok());
    EXPECT_EQ(nf.error().code, "InvalidVpcID.NotFound");
    EXPECT_EQ(nf.error().kind, Error::Kind::kNotFound);
    EXPECT_EQ(nf.error().http_status, 400);
  }
}

TEST_F(AwsClientIntegrationTest, RdsDescribeDBClusters) {
  for (std::string region : kRegions) {
    auto cli = AwsCli(region, "rds create-db-cluster --db-cluster-identifier db-" + region +
                                  " --engine aurora-mysql --master-username admin --master-user-password Secret123x");
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    QueryParams p;
    AddRdsFilters(p, {{"db-cluster-id", {"db-" + region}}});
    auto r = client_->Query("rds", region, "DescribeDBClusters", p);
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    auto clusters = XmlItems(Xml(r->body).document_element(), "DescribeDBClustersResult/DBClusters");
    ASSERT_EQ(clusters.size(), 1u) << r->body;
    EXPECT_EQ(XmlText(clusters[0], "DBClusterIdentifier"), "db-" + region);
    EXPECT_EQ(XmlText(clusters[0], "Engine"), "aurora-mysql");
    auto nf = client_->Query("rds", region, "DescribeDBClusters", {{"DBClusterIdentifier", "nope"}});
    ASSERT_FALSE(nf.ok());
    EXPECT_EQ(nf.error().code, "DBClusterNotFoundFault");
    EXPECT_EQ(nf.error().kind, Error::Kind::kNotFound);
    EXPECT_FALSE(nf.error().request_id.empty());
  }
}

TEST_F(AwsClientIntegrationTest, EcsCreateAndListClusters) {
  for (std::string region : kRegions) {
    auto made = client_->Json("ecs", region, "CreateCluster", {{"clusterName", "app-" + region}},
                              CallOptions{.idempotent = false});
    ASSERT_TRUE(made.ok()) << made.error().ToString();
    std::string arn = (*made)["cluster"]["clusterArn"];
    EXPECT_NE(arn.find(region), std::string::npos) << arn;
    auto cli = AwsCli(region, "ecs list-clusters");
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    ASSERT_EQ(cli.json["clusterArns"].size(), 1u) << cli.out;
    EXPECT_EQ(cli.json["clusterArns"][0], arn);
    auto listed = client_->Json("ecs", region, "ListClusters", nlohmann::json::object());
    ASSERT_TRUE(listed.ok()) << listed.error().ToString();
    EXPECT_EQ((*listed)["clusterArns"], nlohmann::json::array({arn}));
  }
}

TEST_F(AwsClientIntegrationTest, S3BucketVersioning) {
  for (std::string region : kRegions) {
    std::string bucket = "infra-it-" + region;
    RestRequest create;
    create.method = "PUT";
    create.path = "/" + bucket;
    create.body = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>" +
                  region + "</LocationConstraint></CreateBucketConfiguration>";
    auto made = client_->Rest("s3", region, "CreateBucket", create);
    ASSERT_TRUE(made.ok()) << made.error().ToString();

    RestRequest put;
    put.method = "PUT";
    put.path = "/" + bucket;
    put.query = {{"versioning", ""}};
    put.body = "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>Enabled</Status>"
               "</VersioningConfiguration>";
    auto v = client_->Rest("s3", region, "PutBucketVersioning", put);
    ASSERT_TRUE(v.ok()) << v.error().ToString();

    auto cli = AwsCli(region, "s3api get-bucket-versioning --bucket " + bucket);
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    EXPECT_EQ(cli.json["Status"], "Enabled");
    auto loc = AwsCli(region, "s3api get-bucket-location --bucket " + bucket);
    EXPECT_EQ(loc.json["LocationConstraint"], region);

    RestRequest get;
    get.path = "/" + bucket;
    get.query = {{"versioning", ""}};
    auto got = client_->Rest("s3", region, "GetBucketVersioning", get);
    ASSERT_TRUE(got.ok()) << got.error().ToString();
    EXPECT_EQ(XmlText(Xml(got->body).document_element(), "Status"), "Enabled");

    RestRequest head;
    head.method = "HEAD";
    head.path = "/no-such-bucket-" + region;
    auto missing = client_->Rest("s3", region, "HeadBucket", head);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().kind, Error::Kind::kNotFound);
    EXPECT_EQ(missing.error().http_status, 404);
  }
}

TEST_F(AwsClientIntegrationTest, Route53HostedZones) {
  RestRequest create;
  create.method = "POST";
  create.path = "/2013-04-01/hostedzone";
  create.body =
      "<CreateHostedZoneRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Name>infra-it.example."
      "</Name><CallerReference>infra-it-1</CallerReference></CreateHostedZoneRequest>";
  auto made = client_->Rest("route53", "eu-central-1", "CreateHostedZone", create, CallOptions{.idempotent = false});
  ASSERT_TRUE(made.ok()) << made.error().ToString();
  EXPECT_EQ(made->status, 201);
  std::string zone_id = XmlText(Xml(made->body).document_element(), "HostedZone/Id");
  ASSERT_FALSE(zone_id.empty()) << made->body;
  auto cli = AwsCli("eu-west-1", "route53 list-hosted-zones");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  ASSERT_EQ(cli.json["HostedZones"].size(), 1u);
  EXPECT_EQ(cli.json["HostedZones"][0]["Name"], "infra-it.example.");
  for (std::string region : kRegions) {  // global: the same zone from either region
    RestRequest list;
    list.path = "/2013-04-01/hostedzone";
    auto listed = client_->Rest("route53", region, "ListHostedZones", list);
    ASSERT_TRUE(listed.ok()) << listed.error().ToString();
    auto zones = XmlItems(Xml(listed->body).document_element(), "HostedZones");
    ASSERT_EQ(zones.size(), 1u);
    EXPECT_EQ(XmlText(zones[0], "Id"), zone_id);
  }
  RestRequest get;
  get.path = "/2013-04-01/hostedzone/ZNOSUCHZONE";
  auto nf = client_->Rest("route53", "eu-west-1", "GetHostedZone", get);
  ASSERT_FALSE(nf.ok());
  EXPECT_EQ(nf.error().code, "NoSuchHostedZone");
}

TEST_F(AwsClientIntegrationTest, DynamoDbConditionalPut) {
  for (std::string region : kRegions) {
    nlohmann::json table = {{"TableName", "locks"},
                            {"KeySchema", {{{"AttributeName", "id"}, {"KeyType", "HASH"}}}},
                            {"AttributeDefinitions", {{{"AttributeName", "id"}, {"AttributeType", "S"}}}},
                            {"BillingMode", "PAY_PER_REQUEST"}};
    auto made = client_->Json("dynamodb", region, "CreateTable", table, CallOptions{.idempotent = false});
    ASSERT_TRUE(made.ok()) << made.error().ToString();
    nlohmann::json put = {{"TableName", "locks"},
                          {"Item", {{"id", {{"S", "stack"}}}, {"owner", {{"S", region}}}}},
                          {"ConditionExpression", "attribute_not_exists(id)"}};
    auto first = client_->Json("dynamodb", region, "PutItem", put);
    ASSERT_TRUE(first.ok()) << first.error().ToString();
    put["Item"]["owner"]["S"] = "intruder";
    auto second = client_->Json("dynamodb", region, "PutItem", put);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().code, "ConditionalCheckFailedException");
    EXPECT_EQ(second.error().kind, Error::Kind::kConflict);
    EXPECT_EQ(second.error().http_status, 400);
    auto cli = AwsCli(region, "dynamodb get-item --table-name locks --key '{\"id\":{\"S\":\"stack\"}}'");
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    EXPECT_EQ(cli.json["Item"]["owner"]["S"], region);
  }
}

TEST_F(AwsClientIntegrationTest, StsGetCallerIdentity) {
  for (std::string region : kRegions) {
    auto r = client_->Query("sts", region, "GetCallerIdentity", {});
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    auto doc = Xml(r->body);
    auto cli = AwsCli(region, "sts get-caller-identity");
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    EXPECT_EQ(XmlText(doc.document_element(), "GetCallerIdentityResult/Account"), cli.json["Account"]);
    EXPECT_EQ(XmlText(doc.document_element(), "GetCallerIdentityResult/Arn"), cli.json["Arn"]);
  }
}

TEST_F(AwsClientIntegrationTest, WebIdentityThroughStsSeam) {
  test::TempDir tmp("infra-it-web-identity");
  std::string token_file = tmp.File("token");
  std::ofstream(token_file) << "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOngifQ.sig\n";
  for (std::string region : kRegions) {
    ClientSeams seams;
    seams.env = FixedEnvironment({{"AWS_ENDPOINT_URL", moto_.endpoint()},
                                  {"AWS_REGION", region},
                                  {"AWS_WEB_IDENTITY_TOKEN_FILE", token_file},
                                  {"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/gha-deploy"},
                                  {"AWS_ROLE_SESSION_NAME", "infra-it"}});
    auto client = NewAwsClient({}, std::move(seams));
    auto source = client->CredentialSource();
    ASSERT_TRUE(source.ok()) << source.error().ToString();
    EXPECT_NE(source->find("web-identity"), std::string::npos) << *source;
    auto r = client->Query("sts", region, "GetCallerIdentity", {});
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    std::string arn = XmlText(Xml(r->body).document_element(), "GetCallerIdentityResult/Arn");
    auto cli = AwsCli(region, "sts assume-role-with-web-identity --role-arn arn:aws:iam::123456789012:role/gha-deploy "
                              "--role-session-name infra-it --web-identity-token eyJhbGciOiJSUzI1NiJ9.e30.sig");
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    EXPECT_EQ(arn, cli.json["AssumedRoleUser"]["Arn"]);
    EXPECT_NE(arn.find("assumed-role/gha-deploy/infra-it"), std::string::npos) << arn;
  }
}

// Auth mode: moto checks every signature, so a SigV4 bug fails here.
TEST_F(AwsClientIntegrationTest, SignedRequestsVerifiedInAuthMode) {
  ASSERT_EQ(AwsCli("eu-west-1", "iam create-user --user-name infra-it").exit_code, 0);
  auto key = AwsCli("eu-west-1", "iam create-access-key --user-name infra-it");
  ASSERT_EQ(key.exit_code, 0) << key.err;
  ASSERT_EQ(AwsCli("eu-west-1", "iam put-user-policy --user-name infra-it --policy-name all --policy-document "
                                "'{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                                "\"Resource\":\"*\"}]}'")
                .exit_code,
            0);
  std::string id = key.json["AccessKey"]["AccessKeyId"], secret = key.json["AccessKey"]["SecretAccessKey"];
  auto set_auth = [&](const char* count) {
    return test::RunCommand("curl -sf -X POST -H 'Content-Type: text/plain' --data " + std::string(count) + " " +
                            moto_.endpoint() + "/moto-api/reset-auth")
        .exit_code;
  };
  ASSERT_EQ(set_auth("0"), 0);
  auto user = ClientFor(moto_.endpoint(), {}, id, secret);
  auto wrong = ClientFor(moto_.endpoint(), {}, id, "not-the-secret");
  auto vpcs = user->Query("ec2", "eu-west-1", "DescribeVpcs", {});
  auto bad = wrong->Query("ec2", "eu-west-1", "DescribeVpcs", {});
  auto table = user->Json("dynamodb", "eu-central-1", "CreateTable",
                          {{"TableName", "signed"},
                           {"KeySchema", {{{"AttributeName", "id"}, {"KeyType", "HASH"}}}},
                           {"AttributeDefinitions", {{{"AttributeName", "id"}, {"AttributeType", "S"}}}},
                           {"BillingMode", "PAY_PER_REQUEST"}});
  auto bad_json = wrong->Json("dynamodb", "eu-central-1", "ListTables", nlohmann::json::object());
  RestRequest bucket;
  bucket.method = "PUT";
  bucket.path = "/signed-bucket";
  bucket.body = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>"
                "eu-west-1</LocationConstraint></CreateBucketConfiguration>";
  auto made_bucket = user->Rest("s3", "eu-west-1", "CreateBucket", bucket);
  auto who = user->Query("sts", "eu-west-1", "GetCallerIdentity", {});
  ASSERT_EQ(set_auth("inf"), 0);  // before any assertion can return early

  ASSERT_TRUE(vpcs.ok()) << vpcs.error().ToString();
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, Error::Kind::kAuth) << bad.error().ToString();
  ASSERT_TRUE(table.ok()) << table.error().ToString();
  ASSERT_FALSE(bad_json.ok());
  EXPECT_EQ(bad_json.error().code, "SignatureDoesNotMatch") << bad_json.error().ToString();
  EXPECT_EQ(bad_json.error().kind, Error::Kind::kAuth);
  ASSERT_TRUE(made_bucket.ok()) << made_bucket.error().ToString();
  ASSERT_TRUE(who.ok()) << who.error().ToString();
  EXPECT_NE(who->body.find("user/infra-it"), std::string::npos) << who->body;
  // Independent check that the signed creates happened.
  auto tables = AwsCli("eu-central-1", "dynamodb list-tables");
  EXPECT_EQ(tables.json["TableNames"], nlohmann::json::array({"signed"}));
  EXPECT_EQ(AwsCli("eu-west-1", "s3api head-bucket --bucket signed-bucket").exit_code, 0);
}

TEST_F(AwsClientIntegrationTest, WhoamiCommand) {
  auto r = test::RunCommand(test::InfraBinary() + " --log-level debug whoami --region eu-west-1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Account:           123456789012"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ARN:               arn:aws:sts::123456789012:user/moto"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Credential source: environment"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("aws sts GetCallerIdentity eu-west-1 200 attempt=1"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("Signature="), std::string::npos);
  EXPECT_EQ(r.err.find("AWS4-HMAC-SHA256"), std::string::npos);
  auto json = test::RunCommand(test::InfraBinary() + " whoami --json --region eu-central-1");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto j = nlohmann::json::parse(json.out);
  auto cli = AwsCli("eu-central-1", "sts get-caller-identity");
  EXPECT_EQ(j["account"], cli.json["Account"]);
  EXPECT_EQ(j["arn"], cli.json["Arn"]);
  EXPECT_EQ(j["user_id"], cli.json["UserId"]);
}

TEST_F(AwsClientIntegrationTest, WhoamiWithoutCredentialsSaysWhatWasTried) {
  auto r = test::RunCommand("env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY " + test::InfraBinary() +
                            " whoami --region eu-west-1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("AWS_ACCESS_KEY_ID"), std::string::npos) << r.err;
}

// ---- Faults injected between the client and moto_server ----

class AwsClientFaultTest : public AwsClientIntegrationTest {
 protected:
  void SetUp() override {
    AwsClientIntegrationTest::SetUp();
    proxy_ = std::make_unique<FaultProxy>(moto_.port());
    ClientOptions options;
    options.backoff_base = std::chrono::milliseconds(5);
    options.backoff_max = std::chrono::milliseconds(50);
    options.total_timeout_ms = 30000;  // generous: a loaded CI machine slows moto down
    via_proxy_ = ClientFor(proxy_->endpoint(), options);
  }
  int VpcsWithCidr(const std::string& cidr) {
    auto cli = AwsCli("eu-west-1", "ec2 describe-vpcs --filters Name=cidr-block,Values=" + cidr);
    EXPECT_EQ(cli.exit_code, 0) << cli.err;
    return static_cast<int>(cli.json["Vpcs"].size());
  }
  std::unique_ptr<FaultProxy> proxy_;
  std::shared_ptr<AwsClient> via_proxy_;
};

TEST_F(AwsClientFaultTest, ThrottlingAnd5xxAreRetriedUntilSuccess) {
  proxy_->Script({Fault::Ec2Throttle(), Fault::Ec2Throttle(), Fault::Unavailable(), Fault::Reset()});
  auto r = via_proxy_->Query("ec2", "eu-west-1", "DescribeVpcs", {});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(proxy_->requests("Action=DescribeVpcs"), 5);
  EXPECT_EQ(proxy_->pending(), 0u);
  EXPECT_NE(r->body.find("172.31.0.0/16"), std::string::npos) << "the real reply came through";

  proxy_->Script({Fault::JsonThrottle(), Fault::JsonThrottle()});
  auto j = via_proxy_->Json("ecs", "eu-west-1", "ListClusters", nlohmann::json::object());
  ASSERT_TRUE(j.ok()) << j.error().ToString();
  EXPECT_EQ(proxy_->requests("ListClusters"), 3);
}

TEST_F(AwsClientFaultTest, SlowReplyTimesOutAndIsRetried) {
  ClientOptions options;
  options.total_timeout_ms = 4000;
  options.backoff_base = std::chrono::milliseconds(1);
  auto client = ClientFor(proxy_->endpoint(), options);
  proxy_->Script({Fault::Slow(std::chrono::milliseconds(9000))});
  auto r = client->Query("sts", "eu-west-1", "GetCallerIdentity", {});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(proxy_->requests("GetCallerIdentity"), 2);
}

TEST_F(AwsClientFaultTest, RetriesStopAtMaxAttempts) {
  ClientOptions options;
  options.max_attempts = 3;
  options.backoff_base = std::chrono::milliseconds(1);
  auto client = ClientFor(proxy_->endpoint(), options);
  proxy_->Script(std::vector<Fault>(6, Fault::Ec2Throttle()));
  auto r = client->Query("ec2", "eu-west-1", "DescribeVpcs", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "RequestLimitExceeded");
  EXPECT_EQ(r.error().kind, Error::Kind::kThrottled);
  EXPECT_EQ(proxy_->requests("Action=DescribeVpcs"), 3);
}

TEST_F(AwsClientFaultTest, NonRetryableErrorsSurfaceAtOnce) {
  proxy_->Script({Fault::Ec2Quota("Action=CreateVpc")});
  auto quota = via_proxy_->Query("ec2", "eu-west-1", "CreateVpc", {{"CidrBlock", "10.77.0.0/16"}},
                                 CallOptions{.idempotent = false});
  ASSERT_FALSE(quota.ok());
  EXPECT_EQ(quota.error().kind, Error::Kind::kQuota);
  EXPECT_NE(quota.error().message.find("VpcLimitExceeded"), std::string::npos);
  EXPECT_EQ(proxy_->requests("Action=CreateVpc"), 1);
  EXPECT_EQ(VpcsWithCidr("10.77.0.0/16"), 0);

  QueryParams missing;
  AddEc2List(missing, "VpcId", {"vpc-0123456789abcdef0"});
  auto nf = via_proxy_->Query("ec2", "eu-west-1", "DescribeVpcs", missing);
  ASSERT_FALSE(nf.ok());
  EXPECT_EQ(nf.error().code, "InvalidVpcID.NotFound");
  EXPECT_EQ(proxy_->requests("Action=DescribeVpcs"), 1);
}

TEST_F(AwsClientFaultTest, NonIdempotentSuccessCutShortIsNotRepeated) {
  proxy_->Script({Fault::CutShort(20, "Action=CreateVpc")});
  auto r = via_proxy_->Query("ec2", "eu-west-1", "CreateVpc", {{"CidrBlock", "10.88.0.0/16"}},
                             CallOptions{.idempotent = false});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Error::Kind::kTransport);
  EXPECT_NE(r.error().message.find("not idempotent"), std::string::npos) << r.error().message;
  EXPECT_EQ(proxy_->requests("Action=CreateVpc"), 1);
  EXPECT_EQ(VpcsWithCidr("10.88.0.0/16"), 1) << "moto created it exactly once";
}

TEST_F(AwsClientFaultTest, NonIdempotentCallRetriedAfterThrottleAndResetIsNot) {
  proxy_->Script({Fault::Ec2Throttle("Action=CreateVpc"), Fault::Unavailable("Action=CreateVpc")});
  auto ok = via_proxy_->Query("ec2", "eu-west-1", "CreateVpc", {{"CidrBlock", "10.89.0.0/16"}},
                              CallOptions{.idempotent = false});
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ(proxy_->requests("Action=CreateVpc"), 3);
  EXPECT_EQ(VpcsWithCidr("10.89.0.0/16"), 1);

  proxy_->Script({Fault::Reset("Action=CreateVpc")});
  auto reset = via_proxy_->Query("ec2", "eu-west-1", "CreateVpc", {{"CidrBlock", "10.90.0.0/16"}},
                                 CallOptions{.idempotent = false});
  ASSERT_FALSE(reset.ok());
  EXPECT_EQ(proxy_->requests("Action=CreateVpc"), 4);
}

TEST_F(AwsClientFaultTest, IdempotentReadCutShortIsRetried) {
  proxy_->Script({Fault::CutShort(10, "Action=DescribeVpcs")});
  auto r = via_proxy_->Query("ec2", "eu-west-1", "DescribeVpcs", {});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(proxy_->requests("Action=DescribeVpcs"), 2);
}

}  // namespace
}  // namespace infra::aws

// The IAM family over a scripted client (golden query-protocol wire
// parameters and recorded replies): a role's create parameters, its read
// with a URL-encoded document, updates, a policy document written as a map
// and sent as JSON, the inline policy's composite id, the attachment's
// read from the role's list, and the OIDC provider's client-id updates.
#include <gtest/gtest.h>

#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using test::ScriptedAwsClient;

const char* kTrust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                     "\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

std::string GetRole(const std::string& doc) {
  return "<GetRoleResponse><GetRoleResult><Role><Path>/</Path><RoleName>app</RoleName><RoleId>AROA1</RoleId>"
         "<Arn>arn:aws:iam::123456789012:role/app</Arn><CreateDateTime>x</CreateDateTime>"
         "<AssumeRolePolicyDocument>" + doc + "</AssumeRolePolicyDocument><MaxSessionDuration>3600</MaxSessionDuration>"
         "<Tags><member><Key>team</Key><Value>a</Value></member><member><Key>infra:address</Key>"
         "<Value>aws_iam_role.app</Value></member><member><Key>infra:stack</Key><Value>s</Value></member></Tags>"
         "</Role></GetRoleResult></GetRoleResponse>";
}

class IamTypesTest : public testing::Test {
 protected:
  provider::ResourceType& T(const char* type) { return *provider_->Find(type); }
  provider::OperationContext Ctx(const std::string& address) { return {"s", address, "eu-west-1", "tok", nullptr}; }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
};

TEST_F(IamTypesTest, SchemasAreGlobal) {
  for (const char* t : {"aws_iam_role", "aws_iam_policy", "aws_iam_role_policy", "aws_iam_role_policy_attachment",
                        "aws_iam_openid_connect_provider"}) {
    ASSERT_NE(provider_->Find(t), nullptr) << t;
    EXPECT_EQ(T(t).schema().scope, provider::Scope::kGlobal) << t;
    EXPECT_EQ(T(t).schema().service, "iam") << t;
    // A dependent's NotFound / "cannot be assumed" right after an IAM
    // create is retried for 2 minutes (IAM propagation, issue 11).
    EXPECT_EQ(T(t).schema().not_found_grace, std::chrono::seconds(120)) << t;
  }
}

TEST_F(IamTypesTest, RoleCreateSendsTheDocumentAsJsonAndReadsItDecoded) {
  client_->Reply("CreateRole", "<CreateRoleResponse><CreateRoleResult><Role><RoleName>app</RoleName></Role>"
                               "</CreateRoleResult></CreateRoleResponse>");
  std::string encoded = "%7B%22Version%22%3A%222012-10-17%22%7D";
  client_->Reply("GetRole", GetRole(encoded));
  nlohmann::json policy = nlohmann::json::parse(kTrust);
  auto r = T("aws_iam_role").Create(Ctx("aws_iam_role.app"), {{"name", "app"}, {"assume_role_policy", policy},
                                                               {"path", "/"}, {"tags", {{"team", "a"}}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].service, "iam");
  EXPECT_EQ(calls[0].region, "us-east-1");  // global: signed for us-east-1 whatever the stack's region
  EXPECT_FALSE(calls[0].idempotent);
  EXPECT_EQ(calls[0].Param("RoleName"), "app");
  EXPECT_EQ(nlohmann::json::parse(calls[0].Param("AssumeRolePolicyDocument")), policy);
  EXPECT_EQ(calls[0].Param("Tags.member.1.Key"), "infra:address");
  EXPECT_EQ(calls[0].Param("Tags.member.3.Key"), "team");
  EXPECT_EQ(calls[1].action, "GetRole");
  EXPECT_EQ(calls[1].Param("RoleName"), "app");
  const auto& a = r->attributes;
  EXPECT_EQ(a["id"], "app");
  EXPECT_EQ(a["arn"], "arn:aws:iam::123456789012:role/app");
  EXPECT_EQ(a["unique_id"], "AROA1");
  EXPECT_EQ(a["assume_role_policy"], "{\"Version\":\"2012-10-17\"}");
  EXPECT_EQ(a["max_session_duration"], 3600);
  EXPECT_EQ(a["tags"], nlohmann::json({{"team", "a"}}));
}

TEST_F(IamTypesTest, RoleUpdatesCallTheirOperationsAndAGoneRoleIsAbsent) {
  nlohmann::json prior = {{"id", "app"}, {"name", "app"}, {"assume_role_policy", kTrust}, {"description", "old"},
                          {"max_session_duration", 3600}, {"permissions_boundary", "arn:b"}, {"tags", {{"team", "a"}}}};
  nlohmann::json desired = prior;
  desired["description"] = "new";
  desired.erase("permissions_boundary");
  desired["tags"] = {{"team", "b"}};
  // The same document in another key order is no change.
  desired["assume_role_policy"] = nlohmann::json::parse(kTrust);
  client_->Reply("UpdateRole", "<UpdateRoleResponse/>");
  client_->Reply("DeleteRolePermissionsBoundary", "<DeleteRolePermissionsBoundaryResponse/>");
  client_->Reply("TagRole", "<TagRoleResponse/>");
  client_->Reply("GetRole", GetRole(kTrust));
  auto r = T("aws_iam_role").Update(Ctx("aws_iam_role.app"), prior, desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(calls[0].Param("Description"), "new");
  EXPECT_EQ(calls[0].Param("MaxSessionDuration"), "3600");
  EXPECT_EQ(calls[1].Param("RoleName"), "app");
  EXPECT_EQ(calls[2].Param("Tags.member.1.Value"), "b");

  client_->Fail("GetRole", "NoSuchEntity", Error::Kind::kNotFound);
  auto got = T("aws_iam_role").Read("eu-west-1", {"gone"});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_TRUE(got->empty());
}

TEST_F(IamTypesTest, InlinePolicyIdIsRoleAndNameAndAttachmentReadsTheRolesList) {
  client_->Reply("PutRolePolicy", "<PutRolePolicyResponse/>");
  client_->Reply("GetRolePolicy", "<GetRolePolicyResponse><GetRolePolicyResult><RoleName>app</RoleName>"
                                  "<PolicyName>logs</PolicyName><PolicyDocument>%7B%7D</PolicyDocument>"
                                  "</GetRolePolicyResult></GetRolePolicyResponse>");
  auto r = T("aws_iam_role_policy").Create(Ctx("aws_iam_role_policy.logs"),
                                           {{"role", "app"}, {"name", "logs"}, {"policy", "{}"}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->attributes["id"], "app:logs");
  EXPECT_EQ(r->attributes["policy"], "{}");
  EXPECT_EQ(client_->calls()[1].Param("PolicyName"), "logs");

  const std::string arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
  auto list = [&](const std::string& attached) {
    return "<ListAttachedRolePoliciesResponse><ListAttachedRolePoliciesResult><AttachedPolicies><member>"
           "<PolicyName>p</PolicyName><PolicyArn>" + attached + "</PolicyArn></member></AttachedPolicies>"
           "</ListAttachedRolePoliciesResult></ListAttachedRolePoliciesResponse>";
  };
  client_->Reply("ListAttachedRolePolicies", list(arn));
  client_->Reply("ListAttachedRolePolicies", list("arn:aws:iam::aws:policy/Other"));
  auto got = T("aws_iam_role_policy_attachment").Read("eu-west-1", {"app/" + arn, "web/" + arn});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ(got->at("app/" + arn), (nlohmann::json{{"id", "app/" + arn}, {"role", "app"}, {"policy_arn", arn}}));
  auto calls = client_->calls();
  EXPECT_EQ(calls.back().Param("RoleName"), "web");
  EXPECT_EQ(calls.back().Param("PolicyArn"), "");
}

TEST_F(IamTypesTest, OidcProviderAddsAndRemovesClientIdsAndRestoresTheScheme) {
  const std::string arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
  nlohmann::json prior = {{"id", arn}, {"url", "https://token.actions.githubusercontent.com"},
                          {"client_id_list", {"sts.amazonaws.com", "old"}}};
  nlohmann::json desired = prior;
  desired["client_id_list"] = {"new", "sts.amazonaws.com"};
  client_->Reply("AddClientIDToOpenIDConnectProvider", "<R/>");
  client_->Reply("RemoveClientIDFromOpenIDConnectProvider", "<R/>");
  client_->Reply("GetOpenIDConnectProvider",
                 "<GetOpenIDConnectProviderResponse><GetOpenIDConnectProviderResult>"
                 "<Url>token.actions.githubusercontent.com</Url><ClientIDList><member>new</member>"
                 "<member>sts.amazonaws.com</member></ClientIDList><ThumbprintList/></GetOpenIDConnectProviderResult>"
                 "</GetOpenIDConnectProviderResponse>");
  auto r = T("aws_iam_openid_connect_provider").Update(Ctx("aws_iam_openid_connect_provider.gh"), prior, desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].Param("ClientID"), "new");
  EXPECT_EQ(calls[1].Param("ClientID"), "old");
  EXPECT_EQ(r->attributes["url"], "https://token.actions.githubusercontent.com");
  EXPECT_EQ(r->attributes["arn"], arn);
}

// Crash recovery (issue 11): a policy's and an OIDC provider's id is an ARN
// AWS makes, so after a lost create reply (or a kill -9 after the create)
// the lookup finds them by name + path and by URL, and adopts only objects
// tagged with this stack and address; a role made from name_prefix is
// looked up by the name its create asked for.
std::string Tags(const std::string& address) {
  return "<Tags><member><Key>infra:address</Key><Value>" + address +
         "</Value></member><member><Key>infra:stack</Key><Value>s</Value></member></Tags>";
}

std::string GetPolicy(const std::string& arn, const std::string& address) {
  return "<GetPolicyResponse><GetPolicyResult><Policy><PolicyName>deploy</PolicyName><Path>/app/</Path><Arn>" + arn +
         "</Arn><PolicyId>P1</PolicyId><DefaultVersionId>v1</DefaultVersionId><AttachmentCount>0</AttachmentCount>" +
         Tags(address) + "</Policy></GetPolicyResult></GetPolicyResponse>";
}

TEST_F(IamTypesTest, PolicyLostCreateIsFoundByNameAndPathAndItsTags) {
  const std::string arn = "arn:aws:iam::123456789012:policy/app/deploy";
  client_->Reply("ListPolicies",
                 "<ListPoliciesResponse><ListPoliciesResult><IsTruncated>true</IsTruncated><Marker>m2</Marker>"
                 "<Policies><member><PolicyName>deploy</PolicyName><Path>/app/other/</Path>"
                 "<Arn>arn:aws:iam::123456789012:policy/app/other/deploy</Arn></member></Policies>"
                 "</ListPoliciesResult></ListPoliciesResponse>");
  client_->Reply("ListPolicies",
                 "<ListPoliciesResponse><ListPoliciesResult><IsTruncated>false</IsTruncated><Policies><member>"
                 "<PolicyName>deploy</PolicyName><Path>/app/</Path><Arn>" + arn + "</Arn></member></Policies>"
                 "</ListPoliciesResult></ListPoliciesResponse>");
  client_->Reply("GetPolicy", GetPolicy(arn, "aws_iam_policy.deploy"));
  client_->Reply("GetPolicy", GetPolicy(arn, "aws_iam_policy.deploy"));
  client_->Reply("GetPolicyVersion",
                 "<GetPolicyVersionResponse><GetPolicyVersionResult><PolicyVersion><Document>%7B%22Version%22%3A%22"
                 "2012-10-17%22%7D</Document></PolicyVersion></GetPolicyVersionResult></GetPolicyVersionResponse>");
  nlohmann::json desired = {{"name", "deploy"}, {"path", "/app/"}, {"policy", {{"Version", "2012-10-17"}}}};
  auto found = T("aws_iam_policy").FindByAddress(Ctx("aws_iam_policy.deploy"), desired);
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((**found)["id"], arn);
  EXPECT_EQ((**found)["policy"], "{\"Version\":\"2012-10-17\"}");
  auto calls = client_->calls();
  EXPECT_EQ(calls[0].Param("Scope"), "Local");
  EXPECT_EQ(calls[0].Param("PathPrefix"), "/app/");
  EXPECT_EQ(calls[1].Param("Marker"), "m2");
  EXPECT_EQ(calls[2].Param("PolicyArn"), arn);

  // The same name and path, made by another stack's address: not ours (the
  // create is repeated and fails with EntityAlreadyExists, as it should).
  client_->Reply("ListPolicies",
                 "<ListPoliciesResponse><ListPoliciesResult><IsTruncated>false</IsTruncated><Policies><member>"
                 "<PolicyName>deploy</PolicyName><Path>/app/</Path><Arn>" + arn + "</Arn></member></Policies>"
                 "</ListPoliciesResult></ListPoliciesResponse>");
  client_->Reply("GetPolicy", GetPolicy(arn, "aws_iam_policy.someone_else"));
  auto theirs = T("aws_iam_policy").FindByAddress(Ctx("aws_iam_policy.deploy"), desired);
  ASSERT_TRUE(theirs.ok()) << theirs.error().ToString();
  EXPECT_FALSE(theirs->has_value());
  EXPECT_EQ(client_->remaining(), 0u);
}

TEST_F(IamTypesTest, OidcProviderLostCreateIsFoundByUrlAndItsTags) {
  const std::string arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
  client_->Reply("ListOpenIDConnectProviders",
                 "<ListOpenIDConnectProvidersResponse><ListOpenIDConnectProvidersResult><OpenIDConnectProviderList>"
                 "<member><Arn>arn:aws:iam::123456789012:oidc-provider/example.com</Arn></member>"
                 "<member><Arn>" + arn + "</Arn></member></OpenIDConnectProviderList>"
                 "</ListOpenIDConnectProvidersResult></ListOpenIDConnectProvidersResponse>");
  std::string get = "<GetOpenIDConnectProviderResponse><GetOpenIDConnectProviderResult>"
                    "<Url>token.actions.githubusercontent.com</Url><ClientIDList><member>sts.amazonaws.com</member>"
                    "</ClientIDList><ThumbprintList/>" + Tags("aws_iam_openid_connect_provider.gh") +
                    "</GetOpenIDConnectProviderResult></GetOpenIDConnectProviderResponse>";
  client_->Reply("GetOpenIDConnectProvider", get);
  client_->Reply("GetOpenIDConnectProvider", get);
  nlohmann::json desired = {{"url", "https://token.actions.githubusercontent.com"},
                            {"client_id_list", {"sts.amazonaws.com"}}};
  auto found = T("aws_iam_openid_connect_provider").FindByAddress(Ctx("aws_iam_openid_connect_provider.gh"), desired);
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((**found)["id"], arn);
  EXPECT_EQ((**found)["url"], "https://token.actions.githubusercontent.com");
  EXPECT_EQ(client_->calls().at(1).Param("OpenIDConnectProviderArn"), arn);  // example.com was skipped

  // Excluded (the object state already holds): nothing adopted.
  client_->Reply("ListOpenIDConnectProviders",
                 "<ListOpenIDConnectProvidersResponse><ListOpenIDConnectProvidersResult><OpenIDConnectProviderList>"
                 "<member><Arn>" + arn + "</Arn></member></OpenIDConnectProviderList>"
                 "</ListOpenIDConnectProvidersResult></ListOpenIDConnectProvidersResponse>");
  auto ctx = Ctx("aws_iam_openid_connect_provider.gh");
  ctx.exclude_ids = {arn};
  auto none = T("aws_iam_openid_connect_provider").FindByAddress(ctx, desired);
  ASSERT_TRUE(none.ok()) << none.error().ToString();
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(client_->remaining(), 0u);
}

TEST_F(IamTypesTest, RoleFromNamePrefixIsLookedUpByTheNameItsCreateAskedFor) {
  client_->Reply("CreateRole", "<CreateRoleResponse><CreateRoleResult><Role><RoleName>x</RoleName></Role>"
                               "</CreateRoleResult></CreateRoleResponse>");
  client_->Reply("GetRole", GetRole("%7B%7D"));
  nlohmann::json desired = {{"name_prefix", "app-"}, {"assume_role_policy", nlohmann::json::parse(kTrust)}};
  ASSERT_TRUE(T("aws_iam_role").Create(Ctx("aws_iam_role.app"), desired).ok());
  const std::string asked = client_->calls().at(0).Param("RoleName");
  ASSERT_EQ(asked.rfind("app-", 0), 0u) << asked;
  client_->Reply("GetRole", GetRole("%7B%7D"));
  auto found = T("aws_iam_role").FindByAddress(Ctx("aws_iam_role.app"), desired);
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_TRUE(found->has_value());
  EXPECT_EQ(client_->calls().at(2).Param("RoleName"), asked);
}

}  // namespace
}  // namespace infra::aws

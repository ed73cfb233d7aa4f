// The GitHub Actions OIDC source (credentials_github_oidc.cpp) with a
// scripted transport for GitHub's token endpoint and a scripted StsCaller:
// what is asked of each, where it sits in the chain, and failures that say
// what to fix without showing the bearer token.
#include <gtest/gtest.h>

#include "fakes/scripted_transport.h"
#include "providers/aws/sdk/credentials.h"
#include "providers/aws/sdk/credentials_sources.h"

namespace infra::aws {
namespace {

constexpr char kSts[] = R"(<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>
<AccessKeyId>ASIAOIDC</AccessKeyId><SecretAccessKey>S</SecretAccessKey><SessionToken>T</SessionToken>
<Expiration>2026-01-02T04:04:05Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult>
</AssumeRoleWithWebIdentityResponse>)";

class GitHubOidcTest : public testing::Test {
 protected:
  ChainContext Ctx() {
    ChainContext ctx;
    ctx.env = FixedEnvironment(env_);
    ctx.http = http_;
    ctx.sts = [this](const std::string& region, const QueryParams& params, const Credentials* sign_with) {
      sts_calls_.push_back(params);
      signed_ = sign_with != nullptr;
      sts_region_ = region;
      return Result<std::string>(kSts);
    };
    return ctx;
  }
  std::string Param(const std::string& k) const {
    for (const auto& [pk, v] : sts_calls_.at(0))
      if (pk == k) return v;
    return "<absent>";
  }
  std::map<std::string, std::string> env_ = {
      {"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/deploy"},
      {"ACTIONS_ID_TOKEN_REQUEST_URL", "https://pipelines.example/token?api-version=2.0"},
      {"ACTIONS_ID_TOKEN_REQUEST_TOKEN", "BEARER-SECRET"},
      {"GITHUB_RUN_ID", "77"},
      {"AWS_REGION", "eu-west-1"}};
  std::shared_ptr<test::ScriptedTransport> http_ = std::make_shared<test::ScriptedTransport>();
  std::vector<QueryParams> sts_calls_;
  bool signed_ = true;
  std::string sts_region_;
};

TEST_F(GitHubOidcTest, AsksGitHubForAnStsTokenAndAssumesTheRole) {
  http_->Reply(200, R"({"count": 1, "value": "eyJ.github.jwt"})");
  auto creds = ResolveDefaultChain(Ctx());
  ASSERT_TRUE(creds.ok()) << creds.error().ToString();
  EXPECT_EQ(creds->access_key_id, "ASIAOIDC");
  EXPECT_EQ(creds->source, "github-oidc arn:aws:iam::123456789012:role/deploy");
  ASSERT_EQ(http_->calls(), 1u);
  auto req = http_->requests()[0];
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.url, "https://pipelines.example/token?api-version=2.0&audience=sts.amazonaws.com");
  EXPECT_EQ(test::ScriptedTransport::HeaderOf(req, "authorization"), "bearer BEARER-SECRET");
  ASSERT_EQ(sts_calls_.size(), 1u);
  EXPECT_FALSE(signed_) << "AssumeRoleWithWebIdentity is an unsigned call";
  EXPECT_EQ(sts_region_, "eu-west-1");
  EXPECT_EQ(Param("Action"), "AssumeRoleWithWebIdentity");
  EXPECT_EQ(Param("RoleArn"), "arn:aws:iam::123456789012:role/deploy");
  EXPECT_EQ(Param("WebIdentityToken"), "eyJ.github.jwt");
  EXPECT_EQ(Param("RoleSessionName"), "infra-github-77");
}

TEST_F(GitHubOidcTest, EnvironmentKeysAndTheTokenFileComeFirst) {
  env_["AWS_ACCESS_KEY_ID"] = "AKIAENV";
  env_["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  auto creds = ResolveDefaultChain(Ctx());
  ASSERT_TRUE(creds.ok());
  EXPECT_EQ(creds->source, "environment");
  EXPECT_EQ(http_->calls(), 0u);
}

TEST_F(GitHubOidcTest, NotConfiguredWithoutARoleOrAUrl) {
  std::string why;
  env_.erase("AWS_ROLE_ARN");
  EXPECT_FALSE(CredentialsFromGitHubOidc(Ctx(), &why).has_value());
  EXPECT_EQ(why, "AWS_ROLE_ARN not set");
  env_["AWS_ROLE_ARN"] = "arn:aws:iam::1:role/r";
  env_.erase("ACTIONS_ID_TOKEN_REQUEST_URL");
  EXPECT_FALSE(CredentialsFromGitHubOidc(Ctx(), &why).has_value());
  EXPECT_EQ(why, "ACTIONS_ID_TOKEN_REQUEST_URL not set");
  EXPECT_EQ(http_->calls(), 0u);
}

TEST_F(GitHubOidcTest, FailuresSayWhatToFixAndHideTheBearer) {
  env_.erase("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
  std::string why;
  auto missing = CredentialsFromGitHubOidc(Ctx(), &why);
  ASSERT_TRUE(missing.has_value());
  ASSERT_FALSE(missing->ok());
  EXPECT_NE(missing->error().message.find("ACTIONS_ID_TOKEN_REQUEST_TOKEN is not"), std::string::npos);

  env_["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = "BEARER-SECRET";
  http_->Reply(403, R"({"message": "bad BEARER-SECRET"})");
  auto denied = ResolveDefaultChain(Ctx());
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().kind, Error::Kind::kAuth);
  EXPECT_NE(denied.error().message.find("HTTP 403"), std::string::npos);
  EXPECT_NE(denied.error().message.find("id-token: write"), std::string::npos);
  EXPECT_EQ(denied.error().ToString().find("BEARER-SECRET"), std::string::npos);

  http_->Reply(200, R"({"count": 0})");
  auto empty = ResolveDefaultChain(Ctx());
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("no \"value\""), std::string::npos);
  EXPECT_TRUE(sts_calls_.empty());
}

}  // namespace
}  // namespace infra::aws

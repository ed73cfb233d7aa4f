// The default credential chain: order, environment, web identity and
// assume-role profiles with a scripted StsCaller, shared-file precedence,
// region, caching/refresh with a fake clock, and secrets never shown.
#include "providers/aws/sdk/credentials.h"

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "providers/aws/sdk/credentials_sources.h"

namespace infra::aws {
namespace {

namespace fs = std::filesystem;

constexpr char kStsReplyTemplate[] =
    R"(<{0}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <{0}Result>
    <Credentials>
      <AccessKeyId>ASIATEMP{1}</AccessKeyId>
      <SecretAccessKey>TEMPSECRET{1}</SecretAccessKey>
      <SessionToken>TEMPTOKEN{1}</SessionToken>
      <Expiration>2026-01-02T04:04:05.123Z</Expiration>
    </Credentials>
  </{0}Result>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</{0}Response>)";

TimePoint T0() { return *ParseIso8601("2026-01-02T03:04:05Z"); }

// Records every STS call and answers from a script.
struct ScriptedSts {
  struct Call {
    std::string region;
    QueryParams params;
    std::optional<Credentials> signed_with;
    std::string Param(const std::string& k) const {
      for (const auto& [pk, v] : params) {
        if (pk == k) return v;
      }
      return "<absent>";
    }
  };
  std::vector<Call> calls;
  std::optional<Error> fail;

  StsCaller Caller() {
    return [this](const std::string& region, const QueryParams& params,
                  const Credentials* sign_with) -> Result<std::string> {
      calls.push_back({region, params, sign_with ? std::optional(*sign_with) : std::nullopt});
      if (fail) return *fail;
      std::string action = params.at(0).second;
      return fmt::format(kStsReplyTemplate, action, calls.size());
    };
  }
};

class CredentialsChainTest : public testing::Test {
 protected:
  void SetUp() override {
    home_ = fs::temp_directory_path() /
            ("infra-creds-" + std::to_string(::getpid()) + "-" +
             testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(home_);
    fs::create_directories(home_ / ".aws");
    env_["HOME"] = home_.string();
  }
  void TearDown() override { fs::remove_all(home_); }

  void Write(const std::string& rel, const std::string& text) {
    std::ofstream(home_ / rel) << text;
  }
  ChainContext Ctx() {
    ChainContext ctx;
    ctx.env = FixedEnvironment(env_);
    ctx.sts = sts_.Caller();
    ctx.clock = [] { return T0(); };
    return ctx;
  }

  fs::path home_;
  std::map<std::string, std::string> env_;
  ScriptedSts sts_;
};

TEST_F(CredentialsChainTest, NothingConfiguredSaysWhatWasTried) {
  auto r = ResolveDefaultChain(Ctx());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Error::Kind::kAuth);
  EXPECT_EQ(r.error().code, "NoCredentials");
  EXPECT_EQ(r.error().message,
            "no AWS credentials: tried environment (AWS_ACCESS_KEY_ID not set), web identity "
            "(AWS_WEB_IDENTITY_TOKEN_FILE not set), GitHub OIDC (AWS_ROLE_ARN not set), profile \"default\" (no ~/.aws/credentials, no "
            "~/.aws/config)");
  Write(".aws/credentials", "[other]\naws_access_key_id=A\naws_secret_access_key=B\n");
  env_["AWS_PROFILE"] = "prod";
  auto r2 = ResolveDefaultChain(Ctx());
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.error().message.find(
                "profile \"prod\" (not in ~/.aws/credentials, no ~/.aws/config)"),
            std::string::npos)
      << r2.error().message;
}

TEST_F(CredentialsChainTest, EnvironmentWinsOverEverything) {
  Write(".aws/credentials", "[default]\naws_access_key_id=FILEKEY\naws_secret_access_key=FILESECRET\n");
  Write("token", "jwt");
  env_["AWS_WEB_IDENTITY_TOKEN_FILE"] = (home_ / "token").string();
  env_["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/ci";
  env_["AWS_ACCESS_KEY_ID"] = "AKIAENV";
  env_["AWS_SECRET_ACCESS_KEY"] = "ENVSECRET";
  env_["AWS_SESSION_TOKEN"] = "ENVTOKEN";
  auto r = ResolveDefaultChain(Ctx());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->access_key_id, "AKIAENV");
  EXPECT_EQ(r->secret_access_key, "ENVSECRET");
  EXPECT_EQ(r->session_token, "ENVTOKEN");
  EXPECT_EQ(r->source, "environment");
  EXPECT_FALSE(r->expiration);
  EXPECT_TRUE(sts_.calls.empty());
}

TEST_F(CredentialsChainTest, HalfSetEnvironmentStopsTheChain) {
  Write(".aws/credentials", "[default]\naws_access_key_id=FILEKEY\naws_secret_access_key=FILESECRET\n");
  env_["AWS_ACCESS_KEY_ID"] = "AKIAENV";
  auto r = ResolveDefaultChain(Ctx());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
}

TEST_F(CredentialsChainTest, WebIdentityCallsStsUnsignedAndBeatsProfiles) {
  Write(".aws/credentials", "[default]\naws_access_key_id=FILEKEY\naws_secret_access_key=FILESECRET\n");
  Write("token", "eyJ.jwt.sig\n");
  env_["AWS_WEB_IDENTITY_TOKEN_FILE"] = (home_ / "token").string();
  env_["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/ci";
  env_["AWS_ROLE_SESSION_NAME"] = "gha-run-7";
  env_["AWS_REGION"] = "eu-central-1";
  auto r = ResolveDefaultChain(Ctx());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->access_key_id, "ASIATEMP1");
  EXPECT_EQ(r->secret_access_key, "TEMPSECRET1");
  EXPECT_EQ(r->session_token, "TEMPTOKEN1");
  EXPECT_EQ(r->source, "web-identity");
  ASSERT_TRUE(r->expiration);
  EXPECT_EQ(*r->expiration, T0() + std::chrono::hours(1));
  ASSERT_EQ(sts_.calls.size(), 1u);
  const auto& call = sts_.calls[0];
  EXPECT_EQ(call.region, "eu-central-1");
  EXPECT_FALSE(call.signed_with);  // unsigned
  EXPECT_EQ(call.Param("Action"), "AssumeRoleWithWebIdentity");
  EXPECT_EQ(call.Param("Version"), "2011-06-15");
  EXPECT_EQ(call.Param("RoleArn"), "arn:aws:iam::123456789012:role/ci");
  EXPECT_EQ(call.Param("RoleSessionName"), "gha-run-7");
  EXPECT_EQ(call.Param("WebIdentityToken"), "eyJ.jwt.sig");
}

TEST_F(CredentialsChainTest, WebIdentityDefaultsAndFailures) {
  env_["AWS_WEB_IDENTITY_TOKEN_FILE"] = (home_ / "missing-token").string();
  auto no_role = ResolveDefaultChain(Ctx());
  ASSERT_FALSE(no_role.ok());
  EXPECT_EQ(no_role.error().message,
            "web identity: AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not");

  env_["AWS_ROLE_ARN"] = "arn:aws:iam::1:role/r";
  auto unreadable = ResolveDefaultChain(Ctx());
  ASSERT_FALSE(unreadable.ok());
  EXPECT_NE(unreadable.error().message.find("cannot read the token file"), std::string::npos);
  EXPECT_TRUE(sts_.calls.empty());

  Write("token", "SECRETJWT");
  env_["AWS_WEB_IDENTITY_TOKEN_FILE"] = (home_ / "token").string();
  sts_.fail = MakeError(Error::Kind::kAuth, "InvalidIdentityToken", "the token is not valid");
  auto denied = ResolveDefaultChain(Ctx());
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().kind, Error::Kind::kAuth);
  EXPECT_NE(denied.error().message.find("arn:aws:iam::1:role/r"), std::string::npos);
  EXPECT_NE(denied.error().message.find("InvalidIdentityToken"), std::string::npos);
  EXPECT_EQ(denied.error().ToString().find("SECRETJWT"), std::string::npos);
  ASSERT_EQ(sts_.calls.size(), 1u);
  EXPECT_EQ(sts_.calls[0].region, "us-east-1");  // no region configured
  EXPECT_EQ(sts_.calls[0].Param("RoleSessionName").rfind("infra-", 0), 0u);
}

TEST_F(CredentialsChainTest, ProfileFromCredentialsAndConfigFiles) {
  Write(".aws/credentials",
        "[default]\naws_access_key_id = DEFKEY\naws_secret_access_key = DEFSECRET\n"
        "[dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = DEVSECRET\n"
        "aws_session_token = DEVTOKEN\n");
  Write(".aws/config",
        "[default]\nregion = eu-west-1\n"
        "[profile dev]\naws_access_key_id = CONFIGKEY\naws_secret_access_key = CONFIGSECRET\n"
        "region = eu-central-1\n"
        "[profile cfgonly]\naws_access_key_id = CFGKEY\naws_secret_access_key = CFGSECRET\n"
        "[cfgonly]\naws_access_key_id = IGNORED\naws_secret_access_key = IGNORED\n");
  auto def = ResolveDefaultChain(Ctx());
  ASSERT_TRUE(def.ok()) << def.error().ToString();
  EXPECT_EQ(def->access_key_id, "DEFKEY");
  EXPECT_EQ(def->source, "profile default (shared credentials file)");
  EXPECT_EQ(ResolveRegion(Ctx()), "eu-west-1");

  env_["AWS_PROFILE"] = "dev";  // credentials file beats config file
  auto dev = ResolveDefaultChain(Ctx());
  ASSERT_TRUE(dev.ok());
  EXPECT_EQ(dev->access_key_id, "DEVKEY");
  EXPECT_EQ(dev->session_token, "DEVTOKEN");
  EXPECT_EQ(ResolveRegion(Ctx()), "eu-central-1");

  env_["AWS_PROFILE"] = "cfgonly";  // config needs [profile x]; a bare [x] is not a profile
  auto cfg = ResolveDefaultChain(Ctx());
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->access_key_id, "CFGKEY");
  EXPECT_EQ(cfg->source, "profile cfgonly (config file)");

  ChainContext explicit_profile = Ctx();
  explicit_profile.profile = "default";  // --profile beats AWS_PROFILE
  EXPECT_EQ(ResolveDefaultChain(explicit_profile)->access_key_id, "DEFKEY");
}

TEST_F(CredentialsChainTest, FileLocationsFromEnvironment) {
  Write("creds.ini", "[default]\naws_access_key_id = ALTKEY\naws_secret_access_key = ALTSECRET\n");
  Write("conf.ini", "[default]\nregion = ap-south-1\n");
  env_["AWS_SHARED_CREDENTIALS_FILE"] = "~/creds.ini";
  env_["AWS_CONFIG_FILE"] = (home_ / "conf.ini").string();
  auto r = ResolveDefaultChain(Ctx());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->access_key_id, "ALTKEY");
  EXPECT_EQ(ResolveRegion(Ctx()), "ap-south-1");
  env_["AWS_DEFAULT_REGION"] = "us-west-2";
  EXPECT_EQ(ResolveRegion(Ctx()), "us-west-2");
  env_["AWS_REGION"] = "us-east-2";
  EXPECT_EQ(ResolveRegion(Ctx()), "us-east-2");
}

TEST_F(CredentialsChainTest, RewrittenFilesAreReadAgain) {
  Write(".aws/credentials", "[default]\naws_access_key_id = KEY1\naws_secret_access_key = S\n");
  EXPECT_EQ(ResolveDefaultChain(Ctx())->access_key_id, "KEY1");
  auto before = fs::last_write_time(home_ / ".aws/credentials");
  Write(".aws/credentials", "[default]\naws_access_key_id = KEY2\naws_secret_access_key = S\n");
  fs::last_write_time(home_ / ".aws/credentials", before + std::chrono::seconds(1));  // same size
  EXPECT_EQ(ResolveDefaultChain(Ctx())->access_key_id, "KEY2");
  fs::remove(home_ / ".aws/credentials");
  EXPECT_FALSE(ResolveDefaultChain(Ctx()).ok());
}

TEST_F(CredentialsChainTest, BrokenProfilesAreClearAndSecretFree) {
  Write(".aws/credentials", "[default]\naws_secret_access_key = ONLYSECRET\n");
  auto half = ResolveDefaultChain(Ctx());
  ASSERT_FALSE(half.ok());
  EXPECT_EQ(half.error().message,
            "profile \"default\": has aws_secret_access_key but no aws_access_key_id");
  EXPECT_EQ(half.error().ToString().find("ONLYSECRET"), std::string::npos);

  Write(".aws/credentials", "[default]\nregion = x\n");
  Write(".aws/config", "[profile sso]\nsso_session = corp\n");
  auto none = ResolveDefaultChain(Ctx());
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("has neither"), std::string::npos);
  env_["AWS_PROFILE"] = "sso";
  auto sso = ResolveDefaultChain(Ctx());
  ASSERT_FALSE(sso.ok());
  EXPECT_NE(sso.error().message.find("uses sso_session"), std::string::npos);
}

TEST_F(CredentialsChainTest, AssumeRoleProfileSignsWithSourceProfile) {
  Write(".aws/credentials", "[base]\naws_access_key_id = BASEKEY\naws_secret_access_key = BASESECRET\n");
  Write(".aws/config",
        "[profile deploy]\nrole_arn = arn:aws:iam::222:role/deploy\nsource_profile = base\n"
        "external_id = ext-1\nduration_seconds = 1800\nrole_session_name = me\n"
        "region = eu-west-3\n");
  env_["AWS_PROFILE"] = "deploy";
  auto r = ResolveDefaultChain(Ctx());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->access_key_id, "ASIATEMP1");
  EXPECT_EQ(r->source, "assume-role profile deploy");
  ASSERT_TRUE(r->expiration);
  ASSERT_EQ(sts_.calls.size(), 1u);
  const auto& call = sts_.calls[0];
  ASSERT_TRUE(call.signed_with);
  EXPECT_EQ(call.signed_with->access_key_id, "BASEKEY");
  EXPECT_EQ(call.signed_with->secret_access_key, "BASESECRET");
  EXPECT_EQ(call.region, "eu-west-3");
  EXPECT_EQ(call.Param("Action"), "AssumeRole");
  EXPECT_EQ(call.Param("RoleArn"), "arn:aws:iam::222:role/deploy");
  EXPECT_EQ(call.Param("RoleSessionName"), "me");
  EXPECT_EQ(call.Param("ExternalId"), "ext-1");
  EXPECT_EQ(call.Param("DurationSeconds"), "1800");
}

TEST_F(CredentialsChainTest, ChainedRolesCyclesAndEnvironmentSource) {
  Write(".aws/credentials", "[base]\naws_access_key_id = BASEKEY\naws_secret_access_key = BASESECRET\n");
  Write(".aws/config",
        "[profile hop1]\nrole_arn = arn:aws:iam::1:role/hop1\nsource_profile = base\n"
        "[profile hop2]\nrole_arn = arn:aws:iam::2:role/hop2\nsource_profile = hop1\n"
        "[profile loop_a]\nrole_arn = arn:aws:iam::3:role/a\nsource_profile = loop_b\n"
        "[profile loop_b]\nrole_arn = arn:aws:iam::3:role/b\nsource_profile = loop_a\n"
        "[profile fromenv]\nrole_arn = arn:aws:iam::4:role/e\ncredential_source = Environment\n");
  env_["AWS_PROFILE"] = "hop2";
  auto r = ResolveDefaultChain(Ctx());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(sts_.calls.size(), 2u);
  EXPECT_EQ(sts_.calls[0].Param("RoleArn"), "arn:aws:iam::1:role/hop1");
  EXPECT_EQ(sts_.calls[0].signed_with->access_key_id, "BASEKEY");
  EXPECT_EQ(sts_.calls[1].Param("RoleArn"), "arn:aws:iam::2:role/hop2");
  EXPECT_EQ(sts_.calls[1].signed_with->access_key_id, "ASIATEMP1");  // hop1's temporary keys
  EXPECT_EQ(r->access_key_id, "ASIATEMP2");

  env_["AWS_PROFILE"] = "loop_a";
  auto loop = ResolveDefaultChain(Ctx());
  ASSERT_FALSE(loop.ok());
  EXPECT_NE(loop.error().message.find("forms a cycle"), std::string::npos);

  env_["AWS_PROFILE"] = "fromenv";  // credential_source = Environment, env keys absent
  auto no_env = ResolveDefaultChain(Ctx());
  ASSERT_FALSE(no_env.ok());
  EXPECT_NE(no_env.error().message.find("credential_source = Environment"), std::string::npos);
}

TEST_F(CredentialsChainTest, AssumeRoleFailureNamesRoleAndSourceOnly) {
  Write(".aws/credentials", "[base]\naws_access_key_id = BASEKEY\naws_secret_access_key = BASESECRET\n");
  Write(".aws/config", "[profile x]\nrole_arn = arn:aws:iam::5:role/x\nsource_profile = base\n");
  env_["AWS_PROFILE"] = "x";
  sts_.fail = MakeError(Error::Kind::kAuth, "AccessDenied", "not authorized to assume");
  auto r = ResolveDefaultChain(Ctx());
  ASSERT_FALSE(r.ok());
  std::string msg = r.error().ToString();
  EXPECT_NE(msg.find("arn:aws:iam::5:role/x"), std::string::npos);
  EXPECT_NE(msg.find("profile base (shared credentials file)"), std::string::npos);
  EXPECT_NE(msg.find("AccessDenied"), std::string::npos);
  EXPECT_EQ(msg.find("BASESECRET"), std::string::npos);
}

TEST(StsReply, ParsesAndRejectsWithoutQuotingTheBody) {
  auto ok = ParseStsCredentials(fmt::format(kStsReplyTemplate, "AssumeRole", 9), "AssumeRole", "s");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->access_key_id, "ASIATEMP9");
  EXPECT_EQ(*ok->expiration, T0() + std::chrono::hours(1));
  auto bad = ParseStsCredentials("<x><Credentials><SecretAccessKey>LEAK</SecretAccessKey></Credentials></x>",
                                 "AssumeRole", "s");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().ToString().find("LEAK"), std::string::npos);
  EXPECT_FALSE(ParseStsCredentials("not xml <", "AssumeRole", "s").ok());
  EXPECT_FALSE(ParseIso8601("2026-13-01T00:00:00Z"));
  EXPECT_FALSE(ParseIso8601("yesterday"));
  EXPECT_EQ(ParseIso8601("2026-01-02T03:04:05+00:00"), T0());
  // Past what system_clock holds (2262): refused, not overflowed (UBSan found it).
  EXPECT_FALSE(ParseIso8601("2827-01-02T03:04:05Z"));
  EXPECT_FALSE(ParseIso8601("0999-01-02T03:04:05Z"));
  EXPECT_TRUE(ParseIso8601("2199-12-31T23:59:59Z"));
}

// Parser robustness: every prefix of a real reply and random bytes give a
// value or an error, never a crash, and never a half-filled success.
TEST(StsReplyFuzz, EveryPrefixAndRandomBytes) {
  std::string reply = fmt::format(kStsReplyTemplate, "AssumeRoleWithWebIdentity", 1);
  for (size_t n = 0; n <= reply.size(); ++n) {
    auto r = ParseStsCredentials(std::string_view(reply).substr(0, n), "AssumeRoleWithWebIdentity", "s");
    if (r.ok()) {
      EXPECT_FALSE(r->access_key_id.empty());
      EXPECT_FALSE(r->secret_access_key.empty());
      EXPECT_FALSE(r->session_token.empty());
      EXPECT_TRUE(r->expiration);
    }
  }
  EXPECT_TRUE(ParseStsCredentials(reply, "AssumeRoleWithWebIdentity", "s").ok());
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::string s(rng() % 64, '\0');
    for (char& c : s) c = static_cast<char>(rng() % 256);
    if (round % 2 == 0) s = "2026-01-02T03:04:05" + s;
    (void)ParseIso8601(s);
    (void)ParseStsCredentials("<Credentials>" + s, "AssumeRole", "s");
  }
}

TEST(CredentialsToString, NeverRevealsSecretOrToken) {
  Credentials c{"AKIAEXAMPLE", "SUPERSECRET", "SESSIONTOKEN", T0(), "web-identity"};
  EXPECT_EQ(c.ToString(), "AKIAEXAMPLE (web-identity; expires 2026-01-02T03:04:05Z)");
  Credentials s{"AKIA2", "SUPERSECRET", "", std::nullopt, "environment"};
  EXPECT_EQ(s.ToString(), "AKIA2 (environment)");
}

// ---------------------------------------------------------------------------
// Caching and refresh.

struct FakeClock {
  std::atomic<int64_t> secs{0};
  Clock AsClock() {
    return [this] { return T0() + std::chrono::seconds(secs.load()); };
  }
};

TEST(CredentialsProvider, RefreshesFiveMinutesBeforeExpiry) {
  FakeClock clock;
  int calls = 0;
  CredentialsProvider p(
      [&]() -> Result<Credentials> {
        ++calls;
        Credentials c{"K" + std::to_string(calls), "S", "T", std::nullopt, "test"};
        c.expiration = T0() + std::chrono::seconds(clock.secs.load()) + std::chrono::hours(1);
        return c;
      },
      clock.AsClock());
  EXPECT_EQ(p.Get()->access_key_id, "K1");
  clock.secs = 3600 - 301;  // 5 min + 1 s before expiry: still cached
  EXPECT_EQ(p.Get()->access_key_id, "K1");
  clock.secs = 3600 - 299;  // inside the 5-minute window: refreshed
  EXPECT_EQ(p.Get()->access_key_id, "K2");
  EXPECT_EQ(p.Get()->access_key_id, "K2");
  EXPECT_EQ(calls, 2);
  p.Invalidate();
  EXPECT_EQ(p.Get()->access_key_id, "K3");
}

TEST(CredentialsProvider, LongTermKeysAreCachedAndErrorsAreNot) {
  FakeClock clock;
  int calls = 0;
  bool fail = true;
  CredentialsProvider p(
      [&]() -> Result<Credentials> {
        ++calls;
        if (fail) return MakeError(Error::Kind::kAuth, "NoCredentials", "none");
        return Credentials{"K", "S", "", std::nullopt, "test"};
      },
      clock.AsClock());
  EXPECT_FALSE(p.Get().ok());
  fail = false;
  EXPECT_TRUE(p.Get().ok());
  clock.secs = 365 * 24 * 3600;
  EXPECT_TRUE(p.Get().ok());
  EXPECT_EQ(calls, 2);
}

TEST(CredentialsProvider, FailedRefreshServesUnexpiredCredentials) {
  FakeClock clock;
  int calls = 0;
  CredentialsProvider p(
      [&]() -> Result<Credentials> {
        if (++calls > 1) return MakeError(Error::Kind::kTransport, "Timeout", "sts unreachable");
        return Credentials{"K", "S", "T", T0() + std::chrono::hours(1), "test"};
      },
      clock.AsClock());
  ASSERT_TRUE(p.Get().ok());
  clock.secs = 3600 - 60;  // refresh due, STS down, still valid for a minute
  auto r = p.Get();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->access_key_id, "K");
  clock.secs = 3600 + 1;  // now really expired
  EXPECT_FALSE(p.Get().ok());
}

TEST(CredentialsProvider, ConcurrentCallersShareOneResolve) {
  std::atomic<int> calls{0};
  CredentialsProvider p([&]() -> Result<Credentials> {
    ++calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return Credentials{"K", "S", "", std::nullopt, "test"};
  });
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (p.Get().ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(calls.load(), 1);
}

TEST(CredentialsProvider, DefaultProviderCachesTheChain) {
  ScriptedSts sts;
  FakeClock clock;
  ChainContext ctx;
  ctx.env = FixedEnvironment({{"AWS_ACCESS_KEY_ID", "AKIA"}, {"AWS_SECRET_ACCESS_KEY", "S"}});
  ctx.sts = sts.Caller();
  ctx.clock = clock.AsClock();
  auto p = NewDefaultCredentialsProvider(ctx);
  EXPECT_EQ(p->Get()->source, "environment");
  auto fixed = NewStaticCredentialsProvider({"A", "B", "", std::nullopt, "static"});
  EXPECT_EQ(fixed->Get()->access_key_id, "A");
}

}  // namespace
}  // namespace infra::aws

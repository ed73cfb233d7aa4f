// aws_lambda_function over a scripted client: the create body (code as
// base64 of the zip, environment, tags with infra:*), reserved concurrency
// put after it, the wait for State Active, a role not yet assumable
// reported as NotFound (the engine's grace retries it), code updated by
// source_code_hash only, concurrency 0 <-> unset, the batched read by
// ListFunctions (50 a page, pages followed, then each function's tags and
// reserved concurrency, so drift in them is seen), adoption by name, and the
// environment's values marked sensitive.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <mutex>

#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"
#include "support/temp_dir.h"

namespace infra::aws {
namespace {

using nlohmann::json;
using test::ScriptedAwsClient;

json Config(const std::string& name, const std::string& state = "Active", const std::string& sha = "c2hh") {
  return {{"FunctionName", name},
          {"FunctionArn", "arn:aws:lambda:eu-west-1:123456789012:function:" + name},
          {"Runtime", "python3.12"}, {"Role", "arn:aws:iam::123456789012:role/r"}, {"Handler", "h.main"},
          {"MemorySize", 128}, {"Timeout", 3}, {"CodeSha256", sha}, {"Version", "$LATEST"},
          {"LastModified", "2026-12-01T18:00:00.000+0000"}, {"PackageType", "Zip"},
          {"Architectures", {"x86_64"}}, {"State", state}, {"LastUpdateStatus", "Successful"},
          {"Environment", {{"Variables", {{"MODE", "primary"}}}}}};
}

std::string GetFunction(const std::string& name, const std::string& state = "Active", int concurrency = -1,
                        const std::string& address = "aws_lambda_function.f") {
  json r = {{"Configuration", Config(name, state)},
            {"Code", {{"Location", "https://x"}}},
            {"Tags", {{"team", "a"}, {"infra:address", address}, {"infra:stack", "s"}}}};
  if (concurrency >= 0) r["Concurrency"] = {{"ReservedConcurrentExecutions", concurrency}};
  return r.dump();
}

// The scripted client, plus CreateFunction failures with AWS's message, and
// per-function answers to ListTags / GetFunctionConcurrency (a listing reads
// them from several threads, so in no fixed order).
class LambdaClient : public ScriptedAwsClient {
 public:
  void FailCreate(std::string message) { create_failures_.push_back(std::move(message)); }
  /// ListTags of function NAME answers tags[NAME], GetFunctionConcurrency concurrency[NAME] ({} when absent).
  void AnswerPerFunction(std::map<std::string, json> tags, std::map<std::string, json> concurrency) {
    tags_ = std::move(tags), concurrency_ = std::move(concurrency);
  }
  size_t PerFunctionCalls() const {
    std::lock_guard lock(mu_);
    return per_function_calls_;
  }
  Result<RestResponse> Rest(std::string_view service, const std::string& region, const std::string& operation,
                            const RestRequest& request, const CallOptions& options) override {
    if ((operation == "ListTags" || operation == "GetFunctionConcurrency") && !tags_.empty())
      return PerFunction(operation, request.path);
    if (operation != "CreateFunction" || create_failures_.empty())
      return ScriptedAwsClient::Rest(service, region, operation, request, options);
    Error e = MakeError(Error::Kind::kInvalid, "InvalidParameterValueException", create_failures_.front());
    create_failures_.erase(create_failures_.begin());
    return e;
  }

 private:
  Result<RestResponse> PerFunction(const std::string& operation, const std::string& path) {
    std::lock_guard lock(mu_);
    ++per_function_calls_;
    for (const auto& [name, tags] : tags_) {
      bool tagged = operation == "ListTags" && (path.ends_with(":" + name) || path.ends_with("%3A" + name));
      bool limited = operation == "GetFunctionConcurrency" && path.ends_with("/" + name + "/concurrency");
      if (!tagged && !limited) continue;
      RestResponse r;
      r.status = 200;
      r.body = tagged ? json({{"Tags", tags}}).dump() : concurrency_.count(name) ? concurrency_[name].dump() : "{}";
      return r;
    }
    return MakeError(Error::Kind::kNotFound, "ResourceNotFoundException", operation + " " + path);
  }
  std::vector<std::string> create_failures_;
  std::map<std::string, json> tags_, concurrency_;
  mutable std::mutex mu_;
  size_t per_function_calls_ = 0;
};

class FunctionTest : public testing::Test {
 protected:
  void SetUp() override { std::ofstream(zip_) << "zip-bytes"; }
  provider::ResourceType& T() { return *provider_->Find("aws_lambda_function"); }
  provider::OperationContext Ctx() { return {"s", "aws_lambda_function.f", "eu-west-1", "tok", nullptr}; }
  json Desired() {
    return {{"function_name", "f"}, {"role", "arn:aws:iam::123456789012:role/r"}, {"runtime", "python3.12"},
            {"handler", "h.main"}, {"filename", zip_}, {"source_code_hash", "c2hh"}, {"memory_size", 128},
            {"timeout", 3}, {"package_type", "Zip"}, {"environment", {{"variables", {{"MODE", "primary"}}}}},
            {"tags", {{"team", "a"}}}};
  }
  test::TempDir dir_{"infra-lambda"};
  std::string zip_ = dir_.path() + "/f.zip";
  std::shared_ptr<LambdaClient> client_ = std::make_shared<LambdaClient>();
  std::unique_ptr<AwsProvider> provider_ = NewAwsProviderWithClient(client_);
};

TEST_F(FunctionTest, EnvironmentValuesAreSensitiveAndOneCodeSourceIsRequired) {
  const auto* env = T().schema().Find("environment");
  ASSERT_NE(env, nullptr);
  ASSERT_EQ(env->block.size(), 1u);
  EXPECT_TRUE(env->block[0].sensitive);
  ASSERT_EQ(T().schema().checks.size(), 1u);
  EXPECT_EQ(T().schema().checks[0].kind, provider::SchemaCheck::Kind::kExactlyOneOf);
}

TEST_F(FunctionTest, CreateSendsTheZipAndTagsPutsConcurrencyAndWaitsForActive) {
  client_->ReplyRest("CreateFunction", Config("f", "Pending").dump(), 201);
  client_->ReplyRest("PutFunctionConcurrency", R"({"ReservedConcurrentExecutions":0})");
  client_->ReplyRest("GetFunction", GetFunction("f", "Pending", 0));
  json desired = Desired();
  desired["reserved_concurrent_executions"] = 0;
  auto r = T().Create(Ctx(), desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->pending);
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].rest.method, "POST");
  EXPECT_EQ(calls[0].rest.path, "/2015-03-31/functions");
  json body = json::parse(calls[0].rest.body);
  EXPECT_EQ(body["Code"], json({{"ZipFile", "emlwLWJ5dGVz"}}));  // base64("zip-bytes")
  EXPECT_EQ(body["Environment"], json({{"Variables", {{"MODE", "primary"}}}}));
  EXPECT_EQ(body["Tags"], json({{"infra:address", "aws_lambda_function.f"}, {"infra:stack", "s"}, {"team", "a"}}));
  EXPECT_FALSE(body.contains("ReservedConcurrentExecutions"));
  EXPECT_FALSE(body.contains("filename"));
  EXPECT_EQ(calls[1].rest.path, "/2017-10-31/functions/f/concurrency");
  EXPECT_EQ(json::parse(calls[1].rest.body), json({{"ReservedConcurrentExecutions", 0}}));

  client_->ReplyRest("GetFunction", GetFunction("f", "Pending", 0));
  auto p = T().Poll(Ctx(), r->attributes, provider::Phase::kCreate);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->status, provider::PollStatus::kPending);
  EXPECT_NE(p->detail.find("Pending"), std::string::npos) << p->detail;
  client_->ReplyRest("GetFunction", GetFunction("f", "Active", 0));
  client_->ReplyRest("GetFunction", GetFunction("f", "Active", 0));
  p = T().Poll(Ctx(), r->attributes, provider::Phase::kCreate);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->status, provider::PollStatus::kReady);
  const json& a = p->attributes;
  EXPECT_EQ(a["arn"], "arn:aws:lambda:eu-west-1:123456789012:function:f");
  EXPECT_EQ(a["invoke_arn"], "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
                             "arn:aws:lambda:eu-west-1:123456789012:function:f/invocations");
  EXPECT_EQ(a["source_code_hash"], "c2hh");
  EXPECT_EQ(a["reserved_concurrent_executions"], 0);
  EXPECT_EQ(a["tags"], json({{"team", "a"}}));
  EXPECT_EQ(a["version"], "$LATEST");
}

TEST_F(FunctionTest, ARoleLambdaCannotAssumeYetIsNotFoundSoTheEngineRetriesItInTheGrace) {
  client_->FailCreate("The role defined for the function cannot be assumed by Lambda.");
  auto r = T().Create(Ctx(), Desired());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Error::Kind::kNotFound);
  EXPECT_NE(r.error().message.find("cannot be assumed by Lambda yet"), std::string::npos) << r.error().message;
  // Another invalid parameter is the user's error, reported as it is.
  client_->FailCreate("Value python2 at 'runtime' failed to satisfy constraint");
  r = T().Create(Ctx(), Desired());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Error::Kind::kInvalid);
}

TEST_F(FunctionTest, AnUnreadableZipIsAnErrorNamingTheFile) {
  json desired = Desired();
  desired["filename"] = dir_.path() + "/missing.zip";
  auto r = T().Create(Ctx(), desired);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("missing.zip"), std::string::npos) << r.error().message;
  EXPECT_TRUE(client_->calls().empty());
}

TEST_F(FunctionTest, ACodeChangeIsSeenByTheHashAndUpdatesTheCodeOnly) {
  json prior = Desired();
  prior["id"] = "f";
  prior["arn"] = "arn:aws:lambda:eu-west-1:123456789012:function:f";
  json desired = prior;
  desired["source_code_hash"] = "bmV3";
  client_->ReplyRest("UpdateFunctionCode", Config("f").dump());
  client_->ReplyRest("GetFunction", GetFunction("f", "Active", 2));
  auto r = T().Update(Ctx(), prior, desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->pending);  // Poll waits for LastUpdateStatus Successful
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].rest.method, "PUT");
  EXPECT_EQ(calls[0].rest.path, "/2015-03-31/functions/f/code");
  EXPECT_EQ(json::parse(calls[0].rest.body)["ZipFile"], "emlwLWJ5dGVz");
  // The same hash: no code call, whatever the file holds now.
  std::ofstream(zip_) << "other bytes";
  desired = prior;
  desired["timeout"] = 30;
  client_->ReplyRest("UpdateFunctionConfiguration", Config("f").dump());
  client_->ReplyRest("GetFunction", GetFunction("f", "Active", 2));
  ASSERT_TRUE(T().Update(Ctx(), prior, desired).ok());
  calls = client_->calls();
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(calls[2].action, "UpdateFunctionConfiguration");
  EXPECT_EQ(json::parse(calls[2].rest.body)["Timeout"], 30);
}

TEST_F(FunctionTest, ConcurrencyZeroAndUnsetAreInPlaceUpdates) {
  json prior = Desired();
  prior["id"] = "f";
  prior["reserved_concurrent_executions"] = 0;
  json desired = prior;
  desired["reserved_concurrent_executions"] = nullptr;  // enabled again (the DR failover)
  client_->ReplyRest("DeleteFunctionConcurrency", "", 204);
  client_->ReplyRest("GetFunction", GetFunction("f"));
  client_->ReplyRest("GetFunctionConcurrency", "{}");  // GetFunction names none: asked
  auto r = T().Update(Ctx(), prior, desired);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->attributes["reserved_concurrent_executions"].is_null());
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[2].rest.path, "/2019-09-30/functions/f/concurrency");
  EXPECT_EQ(calls[0].rest.method, "DELETE");
  EXPECT_EQ(calls[0].rest.path, "/2017-10-31/functions/f/concurrency");
  client_->ReplyRest("PutFunctionConcurrency", R"({"ReservedConcurrentExecutions":0})");
  client_->ReplyRest("GetFunction", GetFunction("f", "Active", 0));
  r = T().Update(Ctx(), desired, prior);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->attributes["reserved_concurrent_executions"], 0);
}

TEST_F(FunctionTest, ManyFunctionsAreReadByListFunctionsFiftyAPageWithTheirTagsAndConcurrency) {
  std::vector<std::string> ids;
  json page1 = json::array(), page2 = json::array();
  std::map<std::string, json> tags, concurrency;
  for (int i = 0; i < 9; ++i) {
    ids.push_back("f" + std::to_string(i));
    (i < 5 ? page1 : page2).push_back(Config(ids.back()));
    tags[ids.back()] = {{"team", "t" + std::to_string(i)}, {"infra:address", "aws_lambda_function.f"}};
  }
  concurrency["f0"] = {{"ReservedConcurrentExecutions", 0}};  // disabled (the pilot light)
  concurrency["f4"] = {{"ReservedConcurrentExecutions", 5}};
  page2.push_back(Config("not-ours"));
  client_->ReplyRest("ListFunctions", json({{"Functions", page1}, {"NextMarker", "m1"}}).dump());
  client_->ReplyRest("ListFunctions", json({{"Functions", page2}}).dump());
  client_->AnswerPerFunction(tags, concurrency);
  auto r = T().Read("eu-west-1", ids);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->size(), 9u);
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 2u);  // the pages; then one ListTags and one GetFunctionConcurrency per function
  EXPECT_EQ(calls[0].rest.path, "/2015-03-31/functions");
  EXPECT_EQ(calls[0].rest.query, (QueryParams{{"MaxItems", "50"}}));
  EXPECT_EQ(calls[1].rest.query, (QueryParams{{"Marker", "m1"}, {"MaxItems", "50"}}));
  EXPECT_EQ(client_->PerFunctionCalls(), 18u);
  const json& a = r->at("f3");
  EXPECT_EQ(a["runtime"], "python3.12");
  EXPECT_EQ(a["environment"], json({{"variables", {{"MODE", "primary"}}}}));
  EXPECT_EQ(a["tags"], json({{"team", "t3"}}));  // drift in tags is seen (infra:* left out)
  EXPECT_TRUE(a["reserved_concurrent_executions"].is_null());
  EXPECT_EQ(r->at("f0")["reserved_concurrent_executions"], 0);
  EXPECT_EQ(r->at("f4")["reserved_concurrent_executions"], 5);
  EXPECT_EQ(r->at("f8")["tags"], json({{"team", "t8"}}));
}

TEST_F(FunctionTest, AFewFunctionsAreReadOneGetFunctionEachWithGoneOnesLeftOut) {
  client_->ReplyRest("GetFunction", GetFunction("a"));
  client_->Fail("GetFunction", "ResourceNotFoundException", Error::Kind::kNotFound);
  client_->ReplyRest("GetFunctionConcurrency", R"({"ReservedConcurrentExecutions":0})");  // moto leaves 0 out
  auto r = T().Read("eu-west-1", {"a", "b"});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->at("a")["reserved_concurrent_executions"], 0);
  EXPECT_TRUE(r->at("a")["dead_letter_config"].is_null());
}

TEST_F(FunctionTest, ALostCreateIsAdoptedByNameWhenItCarriesThisAddress) {
  client_->ReplyRest("GetFunction", GetFunction("f"));
  auto found = T().FindByAddress(Ctx(), Desired());
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((**found)["id"], "f");
  client_->ReplyRest("GetFunction", GetFunction("f", "Active", -1, "aws_lambda_function.other"));
  found = T().FindByAddress(Ctx(), Desired());
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
}

}  // namespace
}  // namespace infra::aws

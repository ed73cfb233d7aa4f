// Golden wire fixtures for the EC2 family's unit tests: the calls a
// scripted client recorded, rendered one parameter a line (sorted by name,
// as they are signed), compared with tests/data/aws/ec2_wire/<name>.txt.
// INFRA_UPDATE_GOLDEN=1 rewrites the fixture instead (review the diff).
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"
#include "test_paths.h"

namespace infra::test {

/// Every call as "<action> <region>[ (not idempotent)]" and its parameters.
inline std::string RenderWire(const std::vector<ScriptedAwsClient::Call>& calls) {
  std::string out;
  for (const auto& c : calls) {
    out += c.action + " " + c.region + (c.idempotent ? "" : " (not idempotent)") + "\n";
    auto params = c.params;
    std::stable_sort(params.begin(), params.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [k, v] : params) out += "  " + k + "=" + v + "\n";
  }
  return out;
}

/// Expects `calls` to be the fixture `name`.
inline void ExpectWire(const std::string& name, const std::vector<ScriptedAwsClient::Call>& calls) {
  const std::string path = DataDir() + "/aws/ec2_wire/" + name + ".txt";
  const std::string got = RenderWire(calls);
  if (const char* update = std::getenv("INFRA_UPDATE_GOLDEN"); update && std::string(update) == "1") {
    std::ofstream(path) << got;
    return;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << "no fixture " << path << " (INFRA_UPDATE_GOLDEN=1 writes it)";
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(got, want.str()) << "wire of " << name << " differs from " << path;
}

/// A test of one EC2 type over the scripted client.
class Ec2WireTest : public testing::Test {
 protected:
  provider::ResourceType& T(const char* type) { return *provider_->Find(type); }
  provider::OperationContext Ctx(const std::string& address) { return {"s", address, "eu-west-1", "tok", nullptr}; }
  /// An EC2 reply <Action>Response with `inner` XML.
  static std::string Xml(const std::string& action, const std::string& inner = "") {
    return "<" + action + "Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId>" +
           inner + "</" + action + "Response>";
  }
  /// A <tagSet> with user tags and this test's infra:* tags for `address`.
  static std::string TagSet(const std::string& address, const std::string& user = "<item><key>Name</key><value>n</value></item>") {
    return "<tagSet>" + user + "<item><key>infra:address</key><value>" + address +
           "</value></item><item><key>infra:stack</key><value>s</value></item></tagSet>";
  }
  void Ok(const std::string& action) { client_->Reply(action, Xml(action, "<return>true</return>")); }

  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  std::unique_ptr<aws::AwsProvider> provider_ = aws::NewAwsProviderWithClient(client_);
};

}  // namespace infra::test

// Shared fixture of the network-family integration tests: a real
// moto_server (reset per test), the AWS provider over the real client, and
// create/delete helpers that drive pending resources through Poll.
#pragma once
#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "providers/aws/sdk/aws_client.h"
#include "providers/aws/aws_provider.h"
#include "providers/provider.h"
#include "support/moto_server.h"

namespace infra::test {

inline constexpr const char* kPrimary = "eu-central-1";
inline constexpr const char* kDr = "eu-west-1";

class NetworkTest : public testing::Test {
 protected:
  using Attributes = provider::Attributes;

  void SetUp() override {
    moto_.ExportEnvironment();
    moto_.Reset();
    provider_ = aws::NewAwsProviderWithClient(aws::NewAwsClient({}));
  }

  provider::ResourceType& T(const std::string& type) {
    provider::ResourceType* t = provider_->Find(type);
    EXPECT_NE(t, nullptr) << type;
    return *t;
  }

  static provider::OperationContext Ctx(const std::string& address, const std::string& region = kPrimary) {
    provider::OperationContext c;
    c.stack = "nettest";
    c.address = address;
    c.region = region;
    c.token = "tok-" + address;
    return c;
  }

  // Polls a pending result to completion (moto is ready at once, so a few
  // rounds suffice; no sleeping needed).
  Attributes Settle(provider::ResourceType& t, const provider::OperationContext& ctx, provider::ApplyResult r,
                    provider::Phase phase) {
    Attributes a = r.attributes;
    for (int i = 0; r.pending && i < 20; ++i) {
      auto p = t.Poll(ctx, a, phase);
      EXPECT_TRUE(p.ok()) << p.error().ToString();
      if (!p.ok()) return a;
      EXPECT_NE(p->status, provider::PollStatus::kFailed) << p->detail;
      a = p->attributes;
      if (p->status == provider::PollStatus::kReady) return a;
    }
    EXPECT_FALSE(r.pending && phase != provider::Phase::kDelete) << "still pending";
    return a;
  }

  Attributes Create(const std::string& type, const std::string& address, const Attributes& desired,
                    const std::string& region = kPrimary) {
    auto ctx = Ctx(address, region);
    auto r = T(type).Create(ctx, desired);
    EXPECT_TRUE(r.ok()) << type << ": " << r.error().ToString();
    if (!r.ok()) return nullptr;
    return Settle(T(type), ctx, *r, provider::Phase::kCreate);
  }

  Attributes Update(const std::string& type, const std::string& address, const Attributes& prior,
                    const Attributes& desired, const std::string& region = kPrimary) {
    auto ctx = Ctx(address, region);
    auto r = T(type).Update(ctx, prior, desired);
    EXPECT_TRUE(r.ok()) << type << ": " << r.error().ToString();
    if (!r.ok()) return nullptr;
    return Settle(T(type), ctx, *r, provider::Phase::kUpdate);
  }

  void Delete(const std::string& type, const std::string& address, const Attributes& prior,
              const std::string& region = kPrimary) {
    auto ctx = Ctx(address, region);
    auto r = T(type).Delete(ctx, prior);
    ASSERT_TRUE(r.ok()) << type << ": " << r.error().ToString();
    Settle(T(type), ctx, *r, provider::Phase::kDelete);
  }

  // The resource as our Read sees it (null when absent).
  Attributes ReadBack(const std::string& type, const std::string& id, const std::string& region = kPrimary) {
    auto got = T(type).Read(region, {id});
    EXPECT_TRUE(got.ok()) << got.error().ToString();
    if (!got.ok() || !got->count(id)) return nullptr;
    return got->at(id);
  }

  // `aws ec2 <args>` in `region`; fails the test when the CLI fails.
  nlohmann::json Cli(const std::string& args, const std::string& region = kPrimary) {
    auto r = AwsCli(region, "ec2 " + args);
    EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.err;
    return r.json;
  }

  static std::string TagOf(const nlohmann::json& tags, const std::string& key) {
    if (!tags.is_array()) return {};
    for (const auto& t : tags)
      if (t.value("Key", "") == key) return t.value("Value", "");
    return {};
  }

  // A VPC for tests that need one.
  std::string MakeVpc(const std::string& cidr = "10.0.0.0/16", const std::string& region = kPrimary) {
    Attributes v = Create("aws_vpc", "aws_vpc.fixture", {{"cidr_block", cidr}}, region);
    return v.is_object() ? v.value("id", "") : "";
  }

  MotoServer& moto_ = MotoServer::Shared();
  std::unique_ptr<aws::AwsProvider> provider_;
};

}  // namespace infra::test

// Terraform habits on the command line, run through the real binary: exit
// codes (parse errors are 1), one-dash and `=` spellings of every long
// option, global flags anywhere, -input=false, -lock/-lock-timeout, the
// unknown-command suggestion, `infra version` / `--version`, plurals.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "infra_binary.h"
#include "state/lock.h"
#include "state/store.h"

namespace infra::cli {
namespace {

using test_support::Has;
using test_support::Infra;

const std::string kBasic = test::DataDir() + "/stacks/basic";

TEST(CommandLineTest, ParseErrorsExitOne) {
  for (const char* args : {"validate --no-such-flag", "plan --refresh maybe", "state", "output a b c",
                           "--log-level loud validate", "apply --parallelism 0"}) {
    auto r = Infra(std::string(args) + " -C " + kBasic);
    EXPECT_EQ(r.exit_code, 1) << args << "\n" << r.out;
  }
  EXPECT_EQ(Infra("--help").exit_code, 0);
  EXPECT_EQ(Infra("validate --help").exit_code, 0);
}

TEST(CommandLineTest, VarAndVarFileWinInTheOrderGiven) {
  // As Terraform: -var and -var-file are applied in command-line order, so
  // the later one wins whichever kind it is.
  test::TempDir tmp("infra-cli-var-order");
  std::string ok = tmp.File("ok.yaml");
  std::ofstream(ok) << "replicas: 3\n";
  auto file_last = Infra("validate " + kBasic + " -var replicas=42 -var-file " + ok);
  EXPECT_EQ(file_last.exit_code, 0) << file_last.out;
  auto var_last = Infra("validate " + kBasic + " -var-file " + ok + " -var replicas=42");
  EXPECT_EQ(var_last.exit_code, 1) << var_last.out;
  EXPECT_TRUE(Has(var_last.out, "replicas must be between 0 and 9")) << var_last.out;
  auto mixed = Infra("validate " + kBasic + " -var replicas=42 -var-file=" + ok + " --var=replicas=43");
  EXPECT_EQ(mixed.exit_code, 1) << mixed.out;
}

TEST(CommandLineTest, ParallelismMustBePositive) {
  for (const char* cmd : {"apply", "destroy"}) {
    auto r = Infra(std::string(cmd) + " --parallelism 0 -C " + kBasic);
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_TRUE(Has(r.out, "parallelism")) << r.out;
    EXPECT_EQ(Infra(std::string(cmd) + " -parallelism=-3 -C " + kBasic).exit_code, 1);
  }
}

TEST(CommandLineTest, UnknownCommandSuggestsTheNearestAndExitsOne) {
  auto r = Infra("valdate " + kBasic);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.out, "unknown command 'valdate'; did you mean 'validate'?")) << r.out;
  auto far = Infra("-C " + kBasic + " frobnicate");
  EXPECT_EQ(far.exit_code, 1);
  EXPECT_TRUE(Has(far.out, "unknown command 'frobnicate'")) << far.out;
  EXPECT_FALSE(Has(far.out, "did you mean")) << far.out;
}

TEST(CommandLineTest, LongOptionsWithOneDashAndEquals) {
  test::TempDir tmp("infra-cli-habits");
  std::string vf = tmp.File("prod.yaml");
  std::ofstream(vf) << "replicas: 42\n";
  auto eq = Infra("validate " + kBasic + " -var-file=" + vf);
  EXPECT_EQ(eq.exit_code, 1) << eq.out;
  EXPECT_TRUE(Has(eq.out, "replicas must be between 0 and 9")) << eq.out;
  EXPECT_EQ(Infra("validate " + kBasic + " --var-file=" + vf).exit_code, 1);
  EXPECT_EQ(Infra("validate " + kBasic + " -var=replicas=3").exit_code, 0);
  auto json = Infra("validate -json " + kBasic, false);
  EXPECT_EQ(json.exit_code, 0) << json.out;
  EXPECT_TRUE(nlohmann::json::parse(json.out, nullptr, false).is_object()) << json.out;
  EXPECT_EQ(Infra("-directory=" + kBasic + " validate").exit_code, 0);
}

TEST(CommandLineTest, GlobalFlagsAnywhereOnTheLine) {
  for (const char* flags : {"-no-color", "--no-color", "-input=false", "--input=false", "-log-level=error"}) {
    EXPECT_EQ(Infra(std::string(flags) + " validate " + kBasic).exit_code, 0) << flags;
    auto after = Infra("validate " + kBasic + " " + flags);
    EXPECT_EQ(after.exit_code, 0) << flags << "\n" << after.out;
  }
  EXPECT_EQ(Infra("validate " + kBasic + " -input=maybe").exit_code, 1);
}

TEST(CommandLineTest, VersionCommandAndFlag) {
  auto v = Infra("version", false);
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out.rfind("infra v", 0), 0u) << v.out;
  EXPECT_TRUE(Has(v.out, "\non ")) << v.out;
  for (const char* flag : {"--version", "-version"}) {
    auto f = Infra(flag, false);
    EXPECT_EQ(f.exit_code, 0) << flag;
    EXPECT_EQ(f.out, v.out) << flag;
  }
  auto j = Infra("version -json", false);
  ASSERT_EQ(j.exit_code, 0);
  auto doc = nlohmann::json::parse(j.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << j.out;
  EXPECT_TRUE(Has(v.out, doc["infra_version"].get<std::string>()));
}

TEST(CommandLineTest, PluralsInCounts) {
  test::TempDir tmp("infra-cli-plural");
  std::ofstream(tmp.File("stack.yaml")) << "stack: one\nregions: {primary: eu-west-1}\n"
                                           "resources:\n  vpc: {type: aws_vpc, cidr_block: 10.0.0.0/16}\n";
  auto ok = Infra("validate " + tmp.path());
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_TRUE(Has(ok.out, "1 resource in 1 region.")) << ok.out;
  std::ofstream(tmp.File("stack.yaml")) << "stack: one\nregions: {primary: eu-west-1}\n"
                                           "resources:\n  vpc: {type: aws_vpc, cidr_block: \"${var.nope}\"}\n";
  auto bad = Infra("validate " + tmp.path());
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(Has(bad.out, "(1 error)")) << bad.out;
  auto plan = Infra("plan -C " + tmp.path());
  EXPECT_EQ(plan.exit_code, 1);
  EXPECT_TRUE(Has(plan.out, "(1 error)")) << plan.out;
}

// A one-VPC stack in a temp dir; plans make no AWS call (empty state) and
// any that slipped through would hit a closed loopback port.
class PlanFlagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("INFRA_STATE_KEY", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 1);
    ::setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9", 1);
    std::ofstream(tmp_.File("stack.yaml")) << "stack: one\nregions: {primary: eu-west-1}\n"
                                              "resources:\n  vpc: {type: aws_vpc, cidr_block: 10.0.0.0/16}\n";
  }
  void TearDown() override {
    ::unsetenv("INFRA_STATE_KEY");
    ::unsetenv("AWS_ENDPOINT_URL");
  }
  test_support::CliRun Run(const std::string& args) { return Infra(args + " -no-color -C " + tmp_.path()); }
  test::TempDir tmp_{"infra-cli-plan-flags"};
};

TEST_F(PlanFlagsTest, TargetingWarnsAndAddressesThatMatchNothingAreErrors) {
  auto plain = Run("plan");
  ASSERT_EQ(plain.exit_code, 0) << plain.out;
  EXPECT_FALSE(Has(plain.out, "targeting")) << plain.out;
  auto targeted = Run("plan -target=aws_vpc.vpc");
  ASSERT_EQ(targeted.exit_code, 0) << targeted.out;
  EXPECT_TRUE(Has(targeted.out, "Warning: resource targeting is in effect")) << targeted.out;
  auto apply = Run("apply --target aws_vpc.vpcc --auto-approve");
  EXPECT_EQ(apply.exit_code, 1);
  EXPECT_TRUE(Has(apply.out, "--target aws_vpc.vpcc matches no resource")) << apply.out;
  auto replace = Run("plan -replace=aws_vpc.other");
  EXPECT_EQ(replace.exit_code, 1);
  EXPECT_TRUE(Has(replace.out, "--replace aws_vpc.other names no resource")) << replace.out;
}

TEST_F(PlanFlagsTest, LockFalseRunsBesideAHolderAndLockTimeoutTakesEquals) {
  ASSERT_EQ(Run("plan").exit_code, 0);  // creates the state
  auto store = state::StateStore::Open(tmp_.File(".infra/one.db"), {.stack = "one"});
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto held = state::StateLock::Acquire(**store, {.command = "test"});
  ASSERT_TRUE(held.ok()) << held.error().ToString();
  auto locked = Run("plan -lock-timeout=0s");
  EXPECT_EQ(locked.exit_code, 1) << locked.out;
  auto unlocked = Run("plan -lock=false");
  EXPECT_EQ(unlocked.exit_code, 0) << unlocked.out;
  EXPECT_TRUE(Has(unlocked.out, "aws_vpc.vpc will be created")) << unlocked.out;
  EXPECT_EQ(Run("plan -lock=maybe").exit_code, 1);
  EXPECT_EQ(Run("plan -lock-timeout=soon").exit_code, 1);
}

TEST_F(PlanFlagsTest, ApplyOfADirectoryOrDeviceIsAClearError) {
  auto dir = Run("apply " + tmp_.path());
  EXPECT_EQ(dir.exit_code, 1);
  EXPECT_TRUE(Has(dir.out, "is a directory")) << dir.out;
  auto zero = Run("apply /dev/zero");
  EXPECT_EQ(zero.exit_code, 1);
  EXPECT_TRUE(Has(zero.out, "larger than 16 MiB")) << zero.out;
  auto vars = Run("plan -var-file=" + tmp_.path());
  EXPECT_EQ(vars.exit_code, 1);
  EXPECT_TRUE(Has(vars.out, "is a directory")) << vars.out;
}

}  // namespace
}  // namespace infra::cli

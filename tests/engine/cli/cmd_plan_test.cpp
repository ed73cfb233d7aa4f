// `infra plan` / `apply` / `state history` in-process on a stack with
// outputs and no resources (so no AWS call is made): output changes in the
// human plan, in --json and in saved plans, --detailed-exitcode 2 for an
// outputs-only change, apply writing outputs with no resource changed, the
// secret never printed, and the plan digest recorded in history (equal to
// the SHA-256 of the saved plan file, and to the digest of the same plan
// made by apply itself).
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/cli/cli.h"
#include "support/temp_dir.h"

namespace infra::cli {
namespace {

constexpr char kKey[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr char kSecret[] = "Sup3r-secret-output-value";

struct Ran {
  int code;
  std::string out, err;
};

// SHA-256 of a file's bytes, hex: what `sha256sum FILE` prints.
std::string Sha256OfFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  std::string bytes = ss.str();
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  std::string hex;
  static const char* kHex = "0123456789abcdef";
  for (unsigned int i = 0; i < len; ++i) hex += {kHex[md[i] >> 4], kHex[md[i] & 15]};
  return hex;
}

class CmdPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("INFRA_STATE_KEY", kKey, 1);
    WriteStack(true);
  }
  void TearDown() override { ::unsetenv("INFRA_STATE_KEY"); }

  void WriteStack(bool with_greeting) {
    std::ofstream f(dir_.File("stack.yaml"));
    f << "stack: web\nregions: {primary: eu-west-1}\n"
         "variables:\n"
         "  greeting: {type: string, default: hello}\n"
         "  secret: {type: string, sensitive: true}\n"
         "resources: {}\n"
         "outputs:\n"
         "  password: {value: \"${var.secret}\", sensitive: true}\n";
    if (with_greeting) f << "  greeting: ${var.greeting}\n";
  }

  // Runs infra with -var secret=... (as every command of a stack needs it);
  // every run's output is checked for the secret.
  Ran Infra(std::vector<std::string> args) {
    args.insert(args.begin(), {"infra", "-C", dir_.path()});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    std::stringstream out, err;
    auto* old_out = std::cout.rdbuf(out.rdbuf());
    auto* old_err = std::cerr.rdbuf(err.rdbuf());
    int code = cli::Run(static_cast<int>(argv.size()), argv.data());
    std::cout.rdbuf(old_out);
    std::cerr.rdbuf(old_err);
    Ran r{code, out.str(), err.str()};
    EXPECT_EQ(r.out.find(kSecret), std::string::npos) << r.out;
    EXPECT_EQ(r.err.find(kSecret), std::string::npos) << r.err;
    return r;
  }
  // Built by append: GCC 12 reports a false -Warray-bounds for the
  // concatenation of two literals (bug 105651).
  std::string SecretVar() const {
    std::string s = "secret=";
    s.append(kSecret);
    return s;
  }

  nlohmann::json History() {
    auto h = Infra({"state", "history", "--json"});
    EXPECT_EQ(h.code, 0) << h.err;
    return nlohmann::json::parse(h.out);
  }

  test::TempDir dir_{"infra-cmd-plan"};
};

TEST_F(CmdPlanTest, OutputsOnlyChangesArePlannedAppliedAndNeverShowTheSecret) {
  auto plan = Infra({"plan", "-var", SecretVar(), "-detailed-exitcode"});  // Terraform's spelling
  EXPECT_EQ(plan.code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("Changes to Outputs:\n  + greeting = \"hello\"\n  + password = (sensitive value)\n"),
            std::string::npos)
      << plan.out;

  auto json = Infra({"plan", "-var", SecretVar(), "-json"});
  ASSERT_EQ(json.code, 0) << json.err;
  auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["output_changes"]["greeting"]["actions"], nlohmann::json::array({"create"}));
  EXPECT_EQ(doc["output_changes"]["greeting"]["after"], "hello");
  EXPECT_EQ(doc["output_changes"]["password"]["after_sensitive"], true);
  EXPECT_EQ(doc["has_changes"], true);

  auto apply = Infra({"apply", "-var", SecretVar(), "-auto-approve"});
  ASSERT_EQ(apply.code, 0) << apply.out << apply.err;
  EXPECT_NE(apply.out.find("Apply complete!"), std::string::npos) << apply.out;
  auto out = Infra({"output", "--json"});
  ASSERT_EQ(out.code, 0) << out.err;
  auto outputs = nlohmann::json::parse(out.out);
  EXPECT_EQ(outputs["greeting"]["value"], "hello");
  EXPECT_EQ(outputs["password"]["sensitive"], true);
  EXPECT_EQ(Infra({"plan", "-var", SecretVar(), "--detailed-exitcode"}).code, 0);

  // Changed value, then a removed output: each alone is a change.
  auto changed = Infra({"plan", "-var", SecretVar(), "-var", "greeting=bye", "--detailed-exitcode"});
  EXPECT_EQ(changed.code, 2) << changed.out << changed.err;
  EXPECT_NE(changed.out.find("  ~ greeting = \"hello\" -> \"bye\"\n"), std::string::npos) << changed.out;
  EXPECT_EQ(changed.out.find("password"), std::string::npos) << changed.out;  // unchanged: not listed
  EXPECT_NE(changed.out.find("without changing any real infrastructure"), std::string::npos) << changed.out;
  ASSERT_EQ(Infra({"apply", "-var", SecretVar(), "-var", "greeting=bye", "-auto-approve"}).code, 0);
  auto one = Infra({"output", "greeting"});
  EXPECT_NE(one.out.find("bye"), std::string::npos) << one.out;

  WriteStack(false);
  auto removed = Infra({"plan", "-var", SecretVar(), "--detailed-exitcode"});
  EXPECT_EQ(removed.code, 2) << removed.out << removed.err;
  EXPECT_NE(removed.out.find("  - greeting = \"bye\" -> null\n"), std::string::npos) << removed.out;
  ASSERT_EQ(Infra({"apply", "-var", SecretVar(), "-auto-approve"}).code, 0);
  EXPECT_EQ(Infra({"output", "greeting"}).code, 1);

  // A changed secret is listed, still without its value.
  auto secret = Infra({"plan", "-var", "secret=another-one", "--detailed-exitcode"});
  EXPECT_EQ(secret.code, 2);
  EXPECT_NE(secret.out.find("  ~ password = (sensitive value)\n"), std::string::npos) << secret.out;
  EXPECT_EQ(secret.out.find("another-one"), std::string::npos) << secret.out;
}

TEST_F(CmdPlanTest, PlanJsonCarriesTheChecks) {
  std::ofstream(dir_.File("stack.yaml"), std::ios::app)
      << "checks:\n  polite:\n    assert: {condition: \"${var.greeting == \\\"hi\\\"}\", "
         "error_message: \"greeting is ${var.greeting}\"}\n";
  auto r = Infra({"plan", "--json", "-var", SecretVar()});
  ASSERT_EQ(r.code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["checks"].size(), 1u) << r.out;
  EXPECT_EQ(doc["checks"][0]["address"]["to_display"], "check.polite");
  EXPECT_EQ(doc["checks"][0]["status"], "fail");
  EXPECT_EQ(doc["checks"][0]["problems"][0]["message"], "greeting is hello");
}

TEST_F(CmdPlanTest, ANestedSensitiveAttributeIsNeverShown) {
  // aws_lambda_function's environment.variables is sensitive in its schema
  // (the block around it is not): a create plan makes no AWS call.
  std::ofstream(dir_.File("stack.yaml")) << "stack: web\nregions: {primary: eu-west-1}\nresources:\n"
                                            "  fn:\n    type: aws_lambda_function\n    function_name: fn\n"
                                            "    role: arn:aws:iam::123456789012:role/r\n    runtime: python3.12\n"
                                            "    handler: h.main\n    filename: fn.zip\n"
                                            "    environment: {variables: {DB_PASSWORD: Nested-Secret-42}}\n";
  for (std::vector<std::string> args : {std::vector<std::string>{"plan"}, {"plan", "--json"},
                                        {"plan", "-out", dir_.File("fn.plan")}}) {
    auto r = Infra(args);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out.find("Nested-Secret-42"), std::string::npos) << r.out;
    EXPECT_EQ(r.err.find("Nested-Secret-42"), std::string::npos) << r.err;
    if (args.size() == 1) {
      EXPECT_NE(r.out.find("(sensitive value)"), std::string::npos) << r.out;
    }
  }
  std::ifstream saved(dir_.File("fn.plan"));
  std::stringstream text;
  text << saved.rdbuf();
  EXPECT_EQ(text.str().find("Nested-Secret-42"), std::string::npos);
}

TEST_F(CmdPlanTest, ARenamedStackIsNotPlannedAsNewWithoutSayingSo) {
  ASSERT_EQ(Infra({"apply", "-var", SecretVar(), "-auto-approve"}).code, 0);
  ASSERT_TRUE(std::filesystem::exists(dir_.File(".infra/web.db")));
  std::string text;
  {
    std::ifstream in(dir_.File("stack.yaml"));
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  std::ofstream(dir_.File("stack.yaml")) << "stack: shop" << text.substr(text.find('\n'));
  auto plan = Infra({"plan", "-var", SecretVar()});
  EXPECT_EQ(plan.code, 0) << plan.err;  // a plan writes nothing: it warns
  EXPECT_NE(plan.err.find("holds the state of stack 'web' but this stack is named 'shop'"), std::string::npos)
      << plan.err;
  auto apply = Infra({"apply", "-var", SecretVar(), "-auto-approve"});
  EXPECT_EQ(apply.code, 1);
  EXPECT_NE(apply.err.find("StackRenamed"), std::string::npos) << apply.err;
  EXPECT_NE(apply.err.find("mv " + dir_.File(".infra") + "/web.db"), std::string::npos) << apply.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.File(".infra/shop.db")));
  EXPECT_EQ(Infra({"apply", "-var", SecretVar(), "-auto-approve", "--new-stack"}).code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir_.File(".infra/shop.db")));
}

TEST_F(CmdPlanTest, HistoryRecordsTheDigestOfTheAppliedPlan) {
  // A plan made by apply itself: the digest of its plan JSON, the same
  // document `plan --json` prints for the same stack and state (made by
  // the saved plan: a plan shown without state creates none).
  std::string first = dir_.File("first.plan");
  auto saved = Infra({"plan", "-var", SecretVar(), "-out", first});
  ASSERT_EQ(saved.code, 0) << saved.err;
  auto printed = Infra({"plan", "-var", SecretVar(), "-json"});
  ASSERT_EQ(printed.code, 0) << printed.err;
  std::string expected;
  {
    nlohmann::json doc = nlohmann::json::parse(printed.out);
    std::string text = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(text.data(), text.size(), md, &len, EVP_sha256(), nullptr);
    static const char* kHex = "0123456789abcdef";
    for (unsigned int i = 0; i < len; ++i) expected += {kHex[md[i] >> 4], kHex[md[i] & 15]};
  }
  std::string first_sha = Sha256OfFile(first);
  EXPECT_NE(saved.out.find("sha256:" + first_sha), std::string::npos) << saved.out;
  std::ifstream plan_file(first);
  std::stringstream text;
  text << plan_file.rdbuf();
  EXPECT_EQ(text.str().find(kSecret), std::string::npos);
  ASSERT_EQ(Infra({"apply", "-var", SecretVar(), "-auto-approve"}).code, 0);
  auto rows = History();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["plan_digest"], "sha256:" + expected);

  // A saved plan applied as a file: its digest is the file's SHA-256.
  std::string second = dir_.File("second.plan");
  ASSERT_EQ(Infra({"plan", "-var", SecretVar(), "-var", "greeting=bye", "-out", second}).code, 0);
  std::string second_sha = Sha256OfFile(second);
  ASSERT_NE(second_sha, first_sha);
  auto apply = Infra({"apply", second});  // the plan carries its variables, the secret sealed
  ASSERT_EQ(apply.code, 0) << apply.out << apply.err;
  EXPECT_NE(apply.out.find("~ greeting = \"hello\" -> \"bye\""), std::string::npos) << apply.out;
  EXPECT_NE(Infra({"output", "greeting"}).out.find("bye"), std::string::npos);
  rows = History();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["plan_digest"], "sha256:" + second_sha);
  EXPECT_EQ(rows[0]["result"], "succeeded");

  auto table = Infra({"state", "history"});
  EXPECT_NE(table.out.find("PLAN"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find(" " + second_sha.substr(0, 12) + " "), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find(second_sha.substr(0, 13)), std::string::npos) << "shortened to 12: " << table.out;
}

// Issue 10 item 11: a missing state file is "no state" for plan and for the
// reading commands: a mistyped --state creates no folder, database or key.
TEST_F(CmdPlanTest, PlanAndReadingCommandsOnAMissingStateCreateNothing) {
  std::string missing = dir_.File("new/dir/x.db");
  auto plan = Infra({"plan", "-var", SecretVar(), "--state", missing, "-detailed-exitcode"});
  EXPECT_EQ(plan.code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("+ greeting = \"hello\""), std::string::npos) << plan.out;
  auto plain = Infra({"plan", "-var", SecretVar()});  // the default path, .infra/web.db
  EXPECT_EQ(plain.code, 0) << plain.err;
  EXPECT_EQ(Infra({"validate", "-var", SecretVar()}).code, 0);
  Infra({"show", "--state", missing});
  Infra({"show"});
  Infra({"output", "--state", missing});
  Infra({"output"});
  Infra({"state", "list", "--state", missing});
  Infra({"state", "list"});
  EXPECT_FALSE(std::filesystem::exists(dir_.File("new"))) << "plan/show/output/state list created the folder";
  EXPECT_FALSE(std::filesystem::exists(dir_.File(".infra"))) << "a command created .infra/";
  // A saved plan is bound to a state (its lineage and key): --out creates it.
  auto saved = Infra({"plan", "-var", SecretVar(), "--out", "p.plan"});
  ASSERT_EQ(saved.code, 0) << saved.err;
  EXPECT_TRUE(std::filesystem::exists(dir_.File(".infra/web.db")));
  auto applied = Infra({"apply", "p.plan"});
  EXPECT_EQ(applied.code, 0) << applied.out << applied.err;
}

// `-input=false` means "never prompt": apply and destroy without
// -auto-approve refuse, saying why, and change nothing.
TEST_F(CmdPlanTest, InputFalseRefusesToAskForApproval) {
  auto apply = Infra({"apply", "-var", SecretVar(), "-input=false"});
  EXPECT_EQ(apply.code, 1) << apply.out << apply.err;
  EXPECT_NE(apply.err.find("-input=false forbids asking"), std::string::npos) << apply.err;
  EXPECT_EQ(Infra({"output", "greeting"}).code, 1) << "nothing was applied";
  auto approved = Infra({"apply", "-var", SecretVar(), "-input=false", "-auto-approve"});
  EXPECT_EQ(approved.code, 0) << approved.out << approved.err;
  auto destroy = Infra({"destroy", "-var", SecretVar(), "-input", "false"});
  EXPECT_EQ(destroy.code, 1) << destroy.out << destroy.err;
  EXPECT_NE(destroy.err.find("refusing to destroy"), std::string::npos) << destroy.err;
}

}  // namespace
}  // namespace infra::cli

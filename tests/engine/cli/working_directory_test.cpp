// infra runs inside the stack directory (-C DIR as `terraform -chdir=DIR`),
// and path.module / path.root are relative to it: an archive_file built
// from them lands in the stack directory whatever the caller's working
// directory, and the same stack applied in one checkout plans no change in
// another (a CI runner's /home/runner/... against a laptop's path). The
// caller's working directory is restored when the command returns.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "engine/cli/cli.h"
#include "support/temp_dir.h"

namespace infra::cli {
namespace {
namespace fs = std::filesystem;

constexpr char kKey[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

struct Ran {
  int code;
  std::string out, err;
};

Ran Infra(std::vector<std::string> args) {
  args.insert(args.begin(), "infra");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  std::stringstream out, err;
  auto* old_out = std::cout.rdbuf(out.rdbuf());
  auto* old_err = std::cerr.rdbuf(err.rdbuf());
  int code = cli::Run(static_cast<int>(argv.size()), argv.data());
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  return Ran{code, out.str(), err.str()};
}

class WorkingDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("INFRA_STATE_KEY", kKey, 1);
    fs::create_directories(tmp_.File("a/mods/src"));
    fs::create_directories(tmp_.File("elsewhere"));
    std::ofstream(tmp_.File("a/stack.yaml")) << "stack: paths\nregions: {primary: eu-west-1}\n"
                                                "modules:\n  fn: {source: mods/fn.yaml}\n"
                                                "outputs:\n  root: ${path.root}\n  zip: ${module.fn.zip}\n"
                                                "  hash: ${module.fn.hash}\n";
    std::ofstream(tmp_.File("a/mods/fn.yaml")) << "data:\n  zip:\n    type: archive_file\n"
                                                  "    source_dir: ${path.module}/src\n"
                                                  "    output_path: ${path.module}/build/fn.zip\n"
                                                  "outputs:\n  zip: ${data.zip.output_path}\n"
                                                  "  hash: ${data.zip.output_base64sha256}\n";
    std::ofstream(tmp_.File("a/mods/src/index.py")) << "def handler(e, c):\n    return 1\n";
    before_ = fs::current_path();
    fs::current_path(tmp_.File("elsewhere"));
  }
  void TearDown() override {
    fs::current_path(before_);
    ::unsetenv("INFRA_STATE_KEY");
  }

  test::TempDir tmp_{"infra-cwd"};
  fs::path before_;
};

TEST_F(WorkingDirectoryTest, PathsAreRelativeToTheStackAndTheSameInAnotherCheckout) {
  Ran applied = Infra({"-C", "../a", "apply", "--auto-approve"});
  ASSERT_EQ(applied.code, 0) << applied.out << applied.err;
  EXPECT_EQ(fs::current_path(), fs::canonical(tmp_.File("elsewhere")));  // restored
  EXPECT_TRUE(fs::is_regular_file(tmp_.File("a/mods/build/fn.zip")));   // in the stack, not the caller's cwd
  EXPECT_FALSE(fs::exists(tmp_.File("elsewhere/mods")));
  Ran zip = Infra({"-C", "../a", "output", "-raw", "zip"});
  ASSERT_EQ(zip.code, 0) << zip.err;
  EXPECT_EQ(zip.out, "mods/build/fn.zip");
  Ran root = Infra({"-C", "../a", "output", "-raw", "root"});
  EXPECT_EQ(root.out, ".");

  // Another checkout of the same stack and state: nothing to change.
  fs::copy(tmp_.File("a"), tmp_.File("b"), fs::copy_options::recursive);
  fs::remove_all(tmp_.File("b/mods/build"));
  Ran plan = Infra({"-C", tmp_.File("b"), "plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.code, 0) << plan.out << plan.err;
  EXPECT_TRUE(fs::is_regular_file(tmp_.File("b/mods/build/fn.zip")));
}

TEST_F(WorkingDirectoryTest, AMissingDirectoryIsReportedAndTheCallerStaysWhereItWas) {
  Ran r = Infra({"-C", tmp_.File("nope"), "plan"});
  EXPECT_NE(r.code, 0);
  EXPECT_NE((r.out + r.err).find("nope"), std::string::npos) << r.out << r.err;
  EXPECT_EQ(fs::current_path(), fs::canonical(tmp_.File("elsewhere")));
}

}  // namespace
}  // namespace infra::cli

// Crash hook: which checkpoints INFRA_TEST_CRASH_AT names, and that a named
// one really kills the process with SIGKILL (a death test in a child).
#include "engine/cli/crash_hook.h"

#include <gtest/gtest.h>

#include <csignal>

namespace infra::cli {
namespace {

TEST(CrashHookTest, SpecNamesAPointOrAPointAndAddress) {
  EXPECT_TRUE(CrashSpecMatches("cbd-created", "cbd-created", "aws_vpc.a"));
  EXPECT_FALSE(CrashSpecMatches("cbd-created", "cbd-between-halves", "aws_vpc.a"));
  EXPECT_TRUE(CrashSpecMatches("cbd-created:aws_vpc.a", "cbd-created", "aws_vpc.a"));
  EXPECT_FALSE(CrashSpecMatches("cbd-created:aws_vpc.b", "cbd-created", "aws_vpc.a"));
  EXPECT_FALSE(CrashSpecMatches("", "cbd-created", "aws_vpc.a"));
}

TEST(CrashHookTest, UnsetIsInertAndOtherPointsPass) {
  EXPECT_FALSE(static_cast<bool>(CrashHook("")));
  auto hook = CrashHook("cbd-between-halves");
  ASSERT_TRUE(static_cast<bool>(hook));
  hook("cbd-created", "aws_vpc.a");  // returns: not the named point
  SUCCEED();
}

TEST(CrashHookDeathTest, NamedPointKillsTheProcessWithSigkill) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto hook = CrashHook("cbd-between-halves");
  EXPECT_EXIT(hook("cbd-between-halves", "aws_vpc.a"), ::testing::KilledBySignal(SIGKILL), "killing this process");
}

}  // namespace
}  // namespace infra::cli

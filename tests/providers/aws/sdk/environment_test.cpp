// The environment seam: the real process environment and a fixed one.
#include "providers/aws/sdk/environment.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace infra::aws {
namespace {

TEST(Environment, ProcessReadsGetenvAndDistinguishesEmptyFromUnset) {
  ::setenv("INFRA_ENV_TEST_VAR", "", 1);
  ::unsetenv("INFRA_ENV_TEST_UNSET");
  EnvLookup env = ProcessEnvironment();
  EXPECT_EQ(env("INFRA_ENV_TEST_VAR"), std::optional<std::string>(""));
  EXPECT_EQ(env("INFRA_ENV_TEST_UNSET"), std::nullopt);
  ::setenv("INFRA_ENV_TEST_VAR", "v", 1);
  EXPECT_EQ(env("INFRA_ENV_TEST_VAR"), std::optional<std::string>("v"));
  ::unsetenv("INFRA_ENV_TEST_VAR");
}

TEST(Environment, FixedSeesOnlyItsVariables) {
  EnvLookup env = FixedEnvironment({{"A", "1"}});
  EXPECT_EQ(env("A"), std::optional<std::string>("1"));
  EXPECT_EQ(env("PATH"), std::nullopt);
}

}  // namespace
}  // namespace infra::aws

// Durations of the `timeouts:` meta-argument: what parses, what does not,
// and that formatting reads back.
#include "engine/lang/duration.h"

#include <gtest/gtest.h>

namespace infra::engine {
namespace {
using std::chrono::seconds;

TEST(DurationTest, ParsesTerraformSpellings) {
  EXPECT_EQ(ParseDuration("30s"), seconds(30));
  EXPECT_EQ(ParseDuration("10m"), seconds(600));
  EXPECT_EQ(ParseDuration("1h"), seconds(3600));
  EXPECT_EQ(ParseDuration("1h30m"), seconds(5400));
  EXPECT_EQ(ParseDuration("2m5s"), seconds(125));
}

TEST(DurationTest, RefusesWhatIsNotADuration) {
  for (const char* bad : {"", "30", "m", "10x", "-5m", "1.5h", "5 m", "0s", "169h", "99999999999999999999s", "1h "})
    EXPECT_EQ(ParseDuration(bad), std::nullopt) << bad;
}

TEST(DurationTest, FormatReadsBack) {
  EXPECT_EQ(FormatDuration(seconds(1800)), "30m");
  EXPECT_EQ(FormatDuration(seconds(90)), "1m30s");
  EXPECT_EQ(FormatDuration(seconds(3600)), "1h");
  EXPECT_EQ(FormatDuration(seconds(3725)), "1h2m5s");
  for (long long s : {1LL, 59LL, 61LL, 3599LL, 86400LL})
    EXPECT_EQ(ParseDuration(FormatDuration(seconds(s))), seconds(s));
}

}  // namespace
}  // namespace infra::engine

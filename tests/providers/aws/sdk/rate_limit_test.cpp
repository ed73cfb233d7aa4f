// The adaptive token buckets (botocore's adaptive mode with one decrease per
// throttling event), driven by an injected fake clock.
#include "providers/aws/sdk/rate_limit.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace infra::aws {
namespace {

using std::chrono::milliseconds;

struct FakeClock {
  std::chrono::steady_clock::time_point t{std::chrono::seconds(1000)};
  RateLimiter::SteadyClock fn() {
    return [this] { return t; };
  }
};

// Sends `n` calls spread evenly over `over`, each answered at once with
// success: what a caller that is not limited does.
void SendEvenly(RateLimiter& l, FakeClock& clock, int n, milliseconds over, const char* region = "eu-west-1",
                const char* op = "CreateSubnet") {
  for (int i = 0; i < n; ++i) {
    clock.t += over / n;
    (void)l.Reserve("ec2", region, op);
    l.OnSuccess("ec2", region, op);
  }
}

TEST(RateLimitTest, OffUntilTheFirstThrottleThenStartsBelowTheMeasuredRate) {
  FakeClock clock;
  RateLimiter limiter({}, clock.fn());
  for (int i = 0; i < 500; ++i) EXPECT_EQ(limiter.Reserve("ec2", "eu-west-1", "CreateSubnet").count(), 0) << i;
  EXPECT_EQ(limiter.Rate("ec2", "eu-west-1", "CreateSubnet"), 0) << "no throttle seen: not limiting";
  SendEvenly(limiter, clock, 200, milliseconds(2000));  // 100 calls/s measured
  limiter.OnThrottle("ec2", "eu-west-1", "CreateSubnet", clock.t - milliseconds(50));
  double rate = limiter.Rate("ec2", "eu-west-1", "CreateSubnet");
  EXPECT_NEAR(rate, 0.7 * 100, 10) << "starts at beta times the measured send rate";
  EXPECT_GE(rate, PublishedLimitOf("ec2", "CreateSubnet").refill) << "never below the published refill";
  EXPECT_GT(limiter.Reserve("ec2", "eu-west-1", "CreateSubnet").count(), 0) << "the bucket is empty after a throttle";
}

TEST(RateLimitTest, AThrottleInTheFirstMeasureWindowUsesTheBurstsRate) {
  FakeClock clock;
  RateLimiter limiter({}, clock.fn());
  for (int i = 0; i < 64; ++i) (void)limiter.Reserve("ec2", "eu-west-1", "DescribeVpcs");  // a burst of 64 at once
  clock.t += milliseconds(100);
  limiter.OnThrottle("ec2", "eu-west-1", "DescribeVpcs", clock.t - milliseconds(100));
  EXPECT_GT(limiter.Rate("ec2", "eu-west-1", "DescribeVpcs"), PublishedLimitOf("ec2", "DescribeVpcs").refill)
      << "not the 0.5/s floor botocore falls to when nothing was measured yet";
}

TEST(RateLimitTest, ABurstOfThrottlesIsOneDecrease) {
  FakeClock clock;
  RateLimiter limiter(RateLimitOptions{.initial_rate = 40}, clock.fn());
  SendEvenly(limiter, clock, 80, milliseconds(2000));  // 40 calls/s measured
  auto sent = clock.t;  // 13 requests on the wire at once, all throttled
  clock.t += milliseconds(100);
  limiter.OnThrottle("ec2", "eu-west-1", "CreateSubnet", sent);
  double after_first = limiter.Rate("ec2", "eu-west-1", "CreateSubnet");
  for (int i = 0; i < 12; ++i) {
    clock.t += milliseconds(30);
    limiter.OnThrottle("ec2", "eu-west-1", "CreateSubnet", sent);
  }
  EXPECT_EQ(limiter.Decreases("ec2", "eu-west-1", "CreateSubnet"), 1);
  EXPECT_DOUBLE_EQ(limiter.Rate("ec2", "eu-west-1", "CreateSubnet"), after_first);
  EXPECT_NEAR(after_first, 0.7 * 40, 4) << "one CUBIC decrease (beta 0.7) from the measured rate";
  // A throttle of a request sent after that decrease is a new event.
  auto later = clock.t;
  clock.t += milliseconds(100);
  limiter.OnThrottle("ec2", "eu-west-1", "CreateSubnet", later);
  EXPECT_EQ(limiter.Decreases("ec2", "eu-west-1", "CreateSubnet"), 2);
  EXPECT_LT(limiter.Rate("ec2", "eu-west-1", "CreateSubnet"), after_first);
}

TEST(RateLimitTest, RecoversAfterThrottlingStops) {
  FakeClock clock;
  RateLimiter limiter(RateLimitOptions{.initial_rate = 40}, clock.fn());
  SendEvenly(limiter, clock, 80, milliseconds(2000));
  limiter.OnThrottle("ec2", "eu-west-1", "CreateSubnet", clock.t);
  double low = limiter.Rate("ec2", "eu-west-1", "CreateSubnet");
  // Successes only from now on, at whatever rate the bucket lets through.
  double previous = low;
  for (int second = 0; second < 12; ++second) {
    double r = limiter.Rate("ec2", "eu-west-1", "CreateSubnet");
    SendEvenly(limiter, clock, static_cast<int>(r) + 1, milliseconds(1000));
    double now = limiter.Rate("ec2", "eu-west-1", "CreateSubnet");
    EXPECT_GE(now, previous - 1e-9) << "never decreases without a throttle (second " << second << ")";
    previous = now;
  }
  EXPECT_GT(previous, 40) << "back above the rate at which it was throttled (CUBIC probes past w_max)";
  EXPECT_EQ(limiter.Decreases("ec2", "eu-west-1", "CreateSubnet"), 1);
}

TEST(RateLimitTest, OneRegionsThrottlingLeavesAnotherRegionUntouched) {
  FakeClock clock;
  RateLimiter limiter({}, clock.fn());
  int before = limiter.Concurrency("ec2", "eu-west-1");
  SendEvenly(limiter, clock, 100, milliseconds(1000), "eu-central-1", "DescribeVpcs");
  for (int i = 0; i < 5; ++i) {
    limiter.OnThrottle("ec2", "eu-central-1", "DescribeVpcs", clock.t);
    clock.t += milliseconds(200);
  }
  EXPECT_GT(limiter.Rate("ec2", "eu-central-1", "DescribeVpcs"), 0);
  EXPECT_EQ(limiter.Concurrency("ec2", "eu-west-1"), before) << "calls in flight elsewhere unchanged";
  EXPECT_EQ(limiter.Concurrency("ec2", "eu-central-1"), before) << "throttling slows sends, not slots";
  EXPECT_EQ(limiter.Rate("ec2", "eu-west-1", "CreateSubnet"), 0) << "other region still unlimited";
  EXPECT_EQ(limiter.Rate("ec2", "eu-central-1", "CreateSubnet"), 0) << "other API still unlimited";
  EXPECT_EQ(limiter.Reserve("ec2", "eu-west-1", "DescribeVpcs").count(), 0);
}

TEST(RateLimitTest, BurstThenSpacedByRate) {
  FakeClock clock;
  RateLimiter limiter(RateLimitOptions{.initial_rate = 10}, clock.fn());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(limiter.Reserve("ec2", "eu-west-1", "DescribeVpcs").count(), 0) << i;
  // The 11th and 12th callers queue one and two refill intervals (100 ms) out.
  EXPECT_NEAR(limiter.Reserve("ec2", "eu-west-1", "DescribeVpcs").count() / 1e6, 100, 1);
  EXPECT_NEAR(limiter.Reserve("ec2", "eu-west-1", "DescribeVpcs").count() / 1e6, 200, 1);
  // A different operation or region has its own bucket.
  EXPECT_EQ(limiter.Reserve("ec2", "eu-west-1", "CreateVpc").count(), 0);
  EXPECT_EQ(limiter.Reserve("ec2", "eu-central-1", "DescribeVpcs").count(), 0);
  clock.t += std::chrono::seconds(2);
  EXPECT_EQ(limiter.Reserve("ec2", "eu-west-1", "DescribeVpcs").count(), 0);
}

TEST(RateLimitTest, NeverBelowTheFloor) {
  FakeClock clock;
  RateLimiter limiter(RateLimitOptions{.initial_rate = 4}, clock.fn());
  for (int i = 0; i < 40; ++i) {
    (void)limiter.Reserve("sts", "r", "GetCallerIdentity");
    limiter.OnThrottle("sts", "r", "GetCallerIdentity", clock.t);
    clock.t += milliseconds(600);
  }
  EXPECT_DOUBLE_EQ(limiter.Rate("sts", "r", "GetCallerIdentity"), 0.5);
}

TEST(RateLimitTest, DisabledNeverWaits) {
  RateLimiter limiter(RateLimitOptions{.enabled = false, .initial_rate = 1});
  for (int i = 0; i < 100; ++i) EXPECT_EQ(limiter.Reserve("ec2", "r", "X").count(), 0);
}

TEST(RateLimitTest, ThreadSafeReservationsAreAllAccounted) {
  FakeClock clock;
  RateLimiter limiter(RateLimitOptions{.initial_rate = 100}, clock.fn());
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) (void)limiter.Reserve("s3", "r", "PutObject");
    });
  for (auto& t : threads) t.join();
  // 400 reservations against a burst of 100 at 100/s: the next waits ~3 s.
  EXPECT_NEAR(limiter.Reserve("s3", "r", "PutObject").count() / 1e9, 3.01, 0.02);
}

}  // namespace
}  // namespace infra::aws

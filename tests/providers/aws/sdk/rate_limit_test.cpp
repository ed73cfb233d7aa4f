// The AIMD token buckets, driven by an injected clock.
#include "providers/aws/sdk/rate_limit.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace infra::aws {
namespace {

struct FakeClock {
  std::chrono::steady_clock::time_point t{};
  RateLimiter::SteadyClock fn() {
    return [this] { return t; };
  }
};

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
  // After a second the bucket has refilled.
  clock.t += std::chrono::seconds(2);
  EXPECT_EQ(limiter.Reserve("ec2", "eu-west-1", "DescribeVpcs").count(), 0);
}

TEST(RateLimitTest, AdditiveIncreaseMultiplicativeDecrease) {
  FakeClock clock;
  RateLimiter limiter(RateLimitOptions{.initial_rate = 10, .increase_per_success = 1, .max_factor = 2}, clock.fn());
  for (int i = 0; i < 5; ++i) limiter.OnSuccess("ecs", "r", "ListClusters");
  EXPECT_DOUBLE_EQ(limiter.Rate("ecs", "r", "ListClusters"), 15);
  for (int i = 0; i < 50; ++i) limiter.OnSuccess("ecs", "r", "ListClusters");
  EXPECT_DOUBLE_EQ(limiter.Rate("ecs", "r", "ListClusters"), 20) << "capped at max_factor * initial";
  limiter.OnThrottle("ecs", "r", "ListClusters");
  EXPECT_DOUBLE_EQ(limiter.Rate("ecs", "r", "ListClusters"), 10);
  for (int i = 0; i < 20; ++i) limiter.OnThrottle("ecs", "r", "ListClusters");
  EXPECT_DOUBLE_EQ(limiter.Rate("ecs", "r", "ListClusters"), 0.5) << "floored at min_rate";
}

TEST(RateLimitTest, ThrottleEmptiesBucketSoNextCallerWaits) {
  FakeClock clock;
  RateLimiter limiter(RateLimitOptions{.initial_rate = 4}, clock.fn());
  limiter.OnThrottle("sts", "r", "GetCallerIdentity");  // rate 2/s, tokens 0
  EXPECT_NEAR(limiter.Reserve("sts", "r", "GetCallerIdentity").count() / 1e6, 500, 1);
}

TEST(RateLimitTest, ConcurrencyFollowsSlowestBucketOfService) {
  FakeClock clock;
  RateLimiter limiter(RateLimitOptions{}, clock.fn());
  EXPECT_EQ(limiter.Concurrency("ec2"), static_cast<int>(DefaultServiceRate("ec2")));
  (void)limiter.Reserve("ec2", "r", "CreateVpc");
  limiter.OnThrottle("ec2", "r", "CreateVpc");
  EXPECT_EQ(limiter.Concurrency("ec2"), static_cast<int>(DefaultServiceRate("ec2") / 2));
  EXPECT_EQ(limiter.Concurrency("ecs"), static_cast<int>(DefaultServiceRate("ecs"))) << "other services unaffected";
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

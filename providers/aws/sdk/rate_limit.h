// Client-side adaptive rate limiter: one token bucket per service + region +
// operation. Additive increase on success, multiplicative decrease on
// throttling (AIMD), so many parallel resource operations stay under AWS's
// limits instead of backing off. Thread-safe; the clock is injectable.
#pragma once
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace infra::aws {

struct RateLimitOptions {
  bool enabled = true;
  /// Initial refill rate (calls/s) per bucket; 0 = the per-service default.
  double initial_rate = 0;
  /// Rate added per successful call (calls/s), up to max_factor * initial.
  double increase_per_success = 0.5;
  double max_factor = 10;
  /// Rate is multiplied by this on a throttling reply.
  double decrease_factor = 0.5;
  double min_rate = 0.5;
};

/// Default starting rate (calls/s per operation and region) for a service.
double DefaultServiceRate(std::string_view service);

class RateLimiter {
 public:
  using SteadyClock = std::function<std::chrono::steady_clock::time_point()>;

  explicit RateLimiter(RateLimitOptions options = {}, SteadyClock clock = {});

  /// Takes a token for the bucket and returns how long the caller must wait
  /// before sending (zero when a token was available). Tokens may go
  /// negative, which queues concurrent callers one refill interval apart.
  std::chrono::nanoseconds Reserve(std::string_view service, std::string_view region,
                                   std::string_view operation);
  /// A call succeeded: additive increase.
  void OnSuccess(std::string_view service, std::string_view region, std::string_view operation);
  /// A call was throttled: multiplicative decrease (and the bucket is emptied).
  void OnThrottle(std::string_view service, std::string_view region, std::string_view operation);

  /// Current refill rate of one bucket (calls/s).
  double Rate(std::string_view service, std::string_view region, std::string_view operation) const;

  /// Suggested number of concurrent operations on `service`: the lowest
  /// current rate among its buckets (or its default), clamped to [1, 64].
  int Concurrency(std::string_view service) const;

 private:
  struct Bucket {
    double rate = 0;
    double max_rate = 0;
    double tokens = 0;
    double burst = 0;
    std::chrono::steady_clock::time_point last;
  };
  Bucket& Get(std::string_view service, std::string_view region, std::string_view operation);
  void Refill(Bucket& b);
  static std::string Key(std::string_view service, std::string_view region, std::string_view operation);

  RateLimitOptions options_;
  SteadyClock clock_;
  mutable std::mutex mu_;
  std::map<std::string, Bucket, std::less<>> buckets_;
};

}  // namespace infra::aws

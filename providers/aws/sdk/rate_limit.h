// Client-side adaptive rate limiter, after botocore's adaptive retry mode
// (botocore/retries/adaptive.py, bucket.py, throttling.py): one token bucket
// per service + region + API, off until that API is throttled, then a CUBIC
// rate around the measured send rate, with ONE decrease per throttling event
// (a throttle of a request sent before the last decrease is not news).
// Calls in flight are a separate, fixed bound per service + region.
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
  /// > 0: every bucket starts switched on at this refill rate (calls/s)
  /// instead of waiting for its first throttle (tests, --initial-rate).
  double initial_rate = 0;
  /// CUBIC: rate(t) = scale * (t - k)^3 + w_max after a decrease to beta * w_max.
  double beta = 0.7;
  double scale = 0.4;
  double min_rate = 0.5;
  /// The rate never exceeds this multiple of the measured send rate.
  double max_measured_factor = 2.0;
  /// Measured send rate: exponentially smoothed counts over this window.
  std::chrono::milliseconds measure_window{500};
  double smoothing = 0.8;
};

/// AWS's published request bucket of one API: `burst` tokens, refilled at
/// `refill` per second (per account and region). Sources in rate_limit.cpp.
struct PublishedLimit {
  double burst = 0;
  double refill = 0;
};

/// The published (or well-known) limit of `operation` on `service`.
PublishedLimit PublishedLimitOf(std::string_view service, std::string_view operation);

/// Calls on the wire allowed per (service, region), independent of the rate
/// (the client holds a call that has its token until one is free).
int DefaultConcurrency(std::string_view service);
/// Calls the executor may hand the client per (service, region): the wire's
/// slots and a quarter more, so calls waiting for a token of a throttled
/// API do not leave the wire idle for the other APIs of the region.
int DispatchConcurrency(std::string_view service);

class RateLimiter {
 public:
  using SteadyClock = std::function<std::chrono::steady_clock::time_point()>;
  using TimePoint = std::chrono::steady_clock::time_point;

  explicit RateLimiter(RateLimitOptions options = {}, SteadyClock clock = {});

  /// The limiter's clock (the send time to pass to OnThrottle).
  TimePoint Now() const { return clock_(); }

  /// Counts a send for the bucket's measured rate and, when the bucket is
  /// on, takes a token: returns how long the caller must wait before
  /// sending (zero when one was there). Tokens may go negative, which
  /// queues concurrent callers one refill interval apart; nothing waits
  /// while holding the limiter's lock.
  std::chrono::nanoseconds Reserve(std::string_view service, std::string_view region,
                                   std::string_view operation);
  /// A call succeeded: CUBIC increase (when the bucket is on).
  void OnSuccess(std::string_view service, std::string_view region, std::string_view operation);
  /// A call sent at `sent` was throttled. The first throttle of an event
  /// switches the bucket on or decreases its rate (beta * min(measured,
  /// current)); later throttles of requests sent before that decrease
  /// change nothing: they are the same event.
  void OnThrottle(std::string_view service, std::string_view region, std::string_view operation,
                  TimePoint sent);
  /// Same, with the request sent now.
  void OnThrottle(std::string_view service, std::string_view region, std::string_view operation) {
    OnThrottle(service, region, operation, Now());
  }

  /// Current refill rate of one bucket (calls/s); 0 while the bucket is off.
  double Rate(std::string_view service, std::string_view region, std::string_view operation) const;
  /// Decreases applied to one bucket so far.
  int Decreases(std::string_view service, std::string_view region, std::string_view operation) const;

  /// Calls the executor may run at once on `service` in one region:
  /// DispatchConcurrency, whatever the buckets' rates (throttling slows
  /// sends through tokens, never the number of slots, so one region's or
  /// one API's throttling leaves every other (service, region) untouched).
  int Concurrency(std::string_view service, std::string_view region = {}) const;

 private:
  struct Bucket {
    bool on = false;
    double fill = 0;       // refill rate, calls/s
    double capacity = 1;   // tokens
    double tokens = 0;
    TimePoint last_refill{};
    // CUBIC
    double w_max = 0, k = 0;
    TimePoint last_fail{};
    // the last decrease: throttles of requests sent before it are the same event
    TimePoint decreased_at{};
    int decreases = 0;
    // measured send rate
    double measured = 0;
    long count = 0;
    long window = -1;  // index of the current measure window
    PublishedLimit published;
  };
  Bucket& Get(std::string_view service, std::string_view region, std::string_view operation);
  void Refill(Bucket& b, TimePoint now) const;
  void SetFill(Bucket& b, double rate, TimePoint now) const;
  void Measure(Bucket& b, TimePoint now) const;
  static std::string Key(std::string_view service, std::string_view region, std::string_view operation);

  RateLimitOptions options_;
  SteadyClock clock_;
  mutable std::mutex mu_;
  std::map<std::string, Bucket, std::less<>> buckets_;
};

}  // namespace infra::aws

// Retry policy of the AWS client: which failures are retried (throttling,
// HTTP 500/502/503/504, transient network faults), which surface at once
// (quota, auth, validation, emulator limitations), the rule for
// non-idempotent calls, and exponential backoff with full jitter.
#pragma once
#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>

#include "common/result.h"

namespace infra::aws {

struct RetryOptions {
  /// Total attempts including the first (1 = never retry).
  int max_attempts = 10;
  /// Backoff before retry n (1-based) is uniform in [0, min(max_delay, base_delay * 2^(n-1))].
  std::chrono::milliseconds base_delay{200};
  std::chrono::milliseconds max_delay{20000};
};

/// Why an error is or is not retried, for logs and tests.
enum class RetryClass {
  kThrottled,      // throttling code: retried, slows the rate limiter
  kServerError,    // HTTP 500/502/503/504 or a transient code: retried
  kNotSent,        // the request never reached the service: retried
  kMaybeProcessed, // reset/timeout/cut short after sending: retried only if idempotent
  kFatal,          // everything else: surfaces at once
};

/// Classifies one failed attempt.
RetryClass ClassifyForRetry(const Error& error);

/// True when `error` may be retried for a call that is (or is not) idempotent.
bool IsRetryable(const Error& error, bool idempotent);

/// Decides retries and backoff delays. Thread-safe (the jitter source is
/// locked); one instance is shared by all calls of a client.
class RetryPolicy {
 public:
  explicit RetryPolicy(RetryOptions options, uint64_t seed = std::random_device{}());

  /// Whether to try again after failed attempt number `attempt` (1-based).
  bool ShouldRetry(const Error& error, bool idempotent, int attempt) const;

  /// The full-jitter delay before retry number `attempt` (1-based).
  std::chrono::milliseconds Backoff(int attempt) const;

  /// The upper bound of Backoff(attempt).
  std::chrono::milliseconds BackoffCap(int attempt) const;

  const RetryOptions& options() const { return options_; }

 private:
  RetryOptions options_;
  mutable std::mutex mu_;
  mutable std::mt19937_64 rng_;
};

}  // namespace infra::aws

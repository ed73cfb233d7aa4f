// Retry classification follows the issue text exactly: throttling codes,
// HTTP 500/502/503/504 and network faults are retried; quota, auth and
// client errors are not; a call that is not idempotent is retried only when
// the service surely did not act on it (never sent, or answered with
// throttling/5xx).
#include "providers/aws/sdk/retry.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "providers/aws/sdk/aws_error.h"
#include "providers/aws/sdk/transport.h"

namespace infra::aws {
namespace {

constexpr std::array<std::string_view, 6> kTransientCodes = {
    "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
    "ServiceUnavailable", "IDPCommunicationError"};

bool IsRetryableStatus(int status) {
  return status == 500 || status == 502 || status == 503 || status == 504;
}

}  // namespace

RetryClass ClassifyForRetry(const Error& error) {
  if (error.kind == Error::Kind::kTransport) {
    if (error.code == kTransportNotSent) return RetryClass::kNotSent;
    if (error.code == kTransportTls) return RetryClass::kFatal;
    return RetryClass::kMaybeProcessed;
  }
  if (error.code == kEmulatorLimitation) return RetryClass::kFatal;
  if (IsQuotaCode(error.code)) return RetryClass::kFatal;
  if (IsThrottlingCode(error.code)) return RetryClass::kThrottled;
  if (IsRetryableStatus(error.http_status)) return RetryClass::kServerError;
  if (std::find(kTransientCodes.begin(), kTransientCodes.end(), error.code) != kTransientCodes.end())
    return RetryClass::kServerError;
  return RetryClass::kFatal;
}

bool IsRetryable(const Error& error, bool idempotent) {
  switch (ClassifyForRetry(error)) {
    case RetryClass::kThrottled:
    case RetryClass::kServerError:
    case RetryClass::kNotSent:
      return true;
    case RetryClass::kMaybeProcessed:
      return idempotent;
    case RetryClass::kFatal:
      return false;
  }
  return false;
}

RetryPolicy::RetryPolicy(RetryOptions options, uint64_t seed) : options_(options), rng_(seed) {}

bool RetryPolicy::ShouldRetry(const Error& error, bool idempotent, int attempt) const {
  return attempt < options_.max_attempts && IsRetryable(error, idempotent);
}

std::chrono::milliseconds RetryPolicy::BackoffCap(int attempt) const {
  int shift = std::clamp(attempt - 1, 0, 30);
  long long cap = static_cast<long long>(options_.base_delay.count()) << shift;
  return std::chrono::milliseconds(std::min<long long>(cap, options_.max_delay.count()));
}

std::chrono::milliseconds RetryPolicy::Backoff(int attempt) const {
  long long cap = BackoffCap(attempt).count();
  std::uniform_int_distribution<long long> dist(0, std::max(0LL, cap));
  std::lock_guard<std::mutex> lock(mu_);
  return std::chrono::milliseconds(dist(rng_));
}

}  // namespace infra::aws

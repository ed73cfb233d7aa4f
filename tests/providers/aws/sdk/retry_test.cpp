// Retry classification exactly as issue 3 lists it, and backoff bounds.
#include "providers/aws/sdk/retry.h"

#include <gtest/gtest.h>

#include "providers/aws/sdk/aws_error.h"
#include "providers/aws/sdk/transport.h"

namespace infra::aws {
namespace {

Error Aws(std::string code, int status) {
  Error e = MakeError(ClassifyAwsError(code, status), code, "m");
  e.http_status = status;
  return e;
}
Error Net(const char* code) { return MakeError(Error::Kind::kTransport, code, "m"); }

TEST(RetryTest, ThrottlingCodesAreRetriedEvenForNonIdempotentCalls) {
  for (const char* code : {"Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException",
                           "SlowDown", "ProvisionedThroughputExceededException", "RequestThrottled",
                           "PriorRequestNotComplete"}) {
    EXPECT_EQ(ClassifyForRetry(Aws(code, 400)), RetryClass::kThrottled) << code;
    EXPECT_TRUE(IsRetryable(Aws(code, 400), false)) << code;
  }
}

TEST(RetryTest, ServerErrors) {
  for (int status : {500, 502, 503, 504}) EXPECT_TRUE(IsRetryable(Aws("X", status), false)) << status;
  EXPECT_FALSE(IsRetryable(Aws("X", 501), true));
  EXPECT_FALSE(IsRetryable(Aws("X", 400), true));
}

TEST(RetryTest, QuotaAuthValidationAndEmulatorLimitsAreFatal) {
  for (const char* code : {"LimitExceededException", "VpcLimitExceeded", "AddressLimitExceeded"})
    EXPECT_EQ(ClassifyForRetry(Aws(code, 400)), RetryClass::kFatal) << code;
  EXPECT_FALSE(IsRetryable(Aws("SignatureDoesNotMatch", 403), true));
  EXPECT_FALSE(IsRetryable(Aws("ValidationException", 400), true));
  EXPECT_FALSE(IsRetryable(Aws(kEmulatorLimitation, 500), true));
}

TEST(RetryTest, NetworkFaultsDependOnIdempotency) {
  EXPECT_TRUE(IsRetryable(Net(kTransportNotSent), false));
  for (const char* code : {kTransportReset, kTransportTimeout, kTransportCutShort}) {
    EXPECT_TRUE(IsRetryable(Net(code), true)) << code;
    EXPECT_FALSE(IsRetryable(Net(code), false)) << code;
  }
  EXPECT_FALSE(IsRetryable(Net(kTransportTls), true));
}

TEST(RetryTest, MaxAttemptsBound) {
  RetryPolicy policy(RetryOptions{3, std::chrono::milliseconds(10), std::chrono::milliseconds(100)}, 1);
  Error e = Aws("Throttling", 400);
  EXPECT_TRUE(policy.ShouldRetry(e, true, 1));
  EXPECT_TRUE(policy.ShouldRetry(e, true, 2));
  EXPECT_FALSE(policy.ShouldRetry(e, true, 3));
}

TEST(RetryTest, FullJitterStaysWithinExponentialCap) {
  RetryPolicy policy(RetryOptions{10, std::chrono::milliseconds(100), std::chrono::milliseconds(5000)}, 42);
  EXPECT_EQ(policy.BackoffCap(1).count(), 100);
  EXPECT_EQ(policy.BackoffCap(2).count(), 200);
  EXPECT_EQ(policy.BackoffCap(4).count(), 800);
  EXPECT_EQ(policy.BackoffCap(7).count(), 5000);
  EXPECT_EQ(policy.BackoffCap(60).count(), 5000);
  for (int attempt = 1; attempt <= 9; ++attempt) {
    long long lo = 1 << 30, hi = 0;
    for (int i = 0; i < 200; ++i) {
      long long d = policy.Backoff(attempt).count();
      lo = std::min(lo, d);
      hi = std::max(hi, d);
    }
    EXPECT_GE(lo, 0);
    EXPECT_LE(hi, policy.BackoffCap(attempt).count());
    EXPECT_GT(hi, policy.BackoffCap(attempt).count() / 2) << "jitter should spread over the range";
  }
}

}  // namespace
}  // namespace infra::aws

// AIMD token buckets. Starting rates are conservative per-service figures
// (AWS's published per-account refill rates are per action category and
// region); the buckets grow with success, so a quiet account speeds up and a
// throttling one slows down within a few calls.
#include "providers/aws/sdk/rate_limit.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace infra::aws {
namespace {

struct ServiceRate {
  std::string_view service;
  double rate;
};
constexpr ServiceRate kServiceRates[] = {
    {"ec2", 20},  {"elasticloadbalancing", 10}, {"rds", 10}, {"iam", 10},          {"sts", 20},
    {"ecs", 20},  {"logs", 10},                 {"ecr", 10}, {"secretsmanager", 20}, {"kms", 20},
    {"dynamodb", 50}, {"application-autoscaling", 10}, {"s3", 50}, {"route53", 5}, {"lambda", 15}, {"events", 10},
};
constexpr double kFallbackRate = 10;

}  // namespace

double DefaultServiceRate(std::string_view service) {
  for (const auto& s : kServiceRates)
    if (s.service == service) return s.rate;
  return kFallbackRate;
}

RateLimiter::RateLimiter(RateLimitOptions options, SteadyClock clock)
    : options_(options), clock_(std::move(clock)) {
  if (!clock_) clock_ = [] { return std::chrono::steady_clock::now(); };
}

std::string RateLimiter::Key(std::string_view service, std::string_view region, std::string_view operation) {
  std::string k;
  k.reserve(service.size() + region.size() + operation.size() + 2);
  k.append(service).append("/").append(region).append("/").append(operation);
  return k;
}

RateLimiter::Bucket& RateLimiter::Get(std::string_view service, std::string_view region,
                                      std::string_view operation) {
  std::string key = Key(service, region, operation);
  auto it = buckets_.find(key);
  if (it != buckets_.end()) return it->second;
  Bucket b;
  b.rate = options_.initial_rate > 0 ? options_.initial_rate : DefaultServiceRate(service);
  b.max_rate = b.rate * options_.max_factor;
  b.burst = std::max(1.0, b.rate);  // one second's worth
  b.tokens = b.burst;
  b.last = clock_();
  return buckets_.emplace(std::move(key), b).first->second;
}

void RateLimiter::Refill(Bucket& b) {
  auto now = clock_();
  double elapsed = std::chrono::duration<double>(now - b.last).count();
  if (elapsed > 0) {
    b.tokens = std::min(b.burst, b.tokens + elapsed * b.rate);
    b.last = now;
  }
}

std::chrono::nanoseconds RateLimiter::Reserve(std::string_view service, std::string_view region,
                                              std::string_view operation) {
  if (!options_.enabled) return std::chrono::nanoseconds(0);
  std::lock_guard<std::mutex> lock(mu_);
  Bucket& b = Get(service, region, operation);
  Refill(b);
  b.tokens -= 1;
  if (b.tokens >= 0) return std::chrono::nanoseconds(0);
  return std::chrono::nanoseconds(static_cast<long long>(-b.tokens / b.rate * 1e9));
}

void RateLimiter::OnSuccess(std::string_view service, std::string_view region, std::string_view operation) {
  if (!options_.enabled) return;
  std::lock_guard<std::mutex> lock(mu_);
  Bucket& b = Get(service, region, operation);
  Refill(b);
  b.rate = std::min(b.max_rate, b.rate + options_.increase_per_success);
  b.burst = std::max(1.0, b.rate);
}

void RateLimiter::OnThrottle(std::string_view service, std::string_view region, std::string_view operation) {
  if (!options_.enabled) return;
  std::lock_guard<std::mutex> lock(mu_);
  Bucket& b = Get(service, region, operation);
  Refill(b);
  b.rate = std::max(options_.min_rate, b.rate * options_.decrease_factor);
  b.burst = std::max(1.0, b.rate);
  b.tokens = std::min(b.tokens, 0.0);
}

double RateLimiter::Rate(std::string_view service, std::string_view region, std::string_view operation) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(Key(service, region, operation));
  if (it != buckets_.end()) return it->second.rate;
  return options_.initial_rate > 0 ? options_.initial_rate : DefaultServiceRate(service);
}

int RateLimiter::Concurrency(std::string_view service) const {
  std::lock_guard<std::mutex> lock(mu_);
  double lowest = std::numeric_limits<double>::max();
  std::string prefix = std::string(service) + "/";
  for (auto it = buckets_.lower_bound(prefix); it != buckets_.end() && it->first.rfind(prefix, 0) == 0; ++it)
    lowest = std::min(lowest, it->second.rate);
  if (lowest == std::numeric_limits<double>::max())
    lowest = options_.initial_rate > 0 ? options_.initial_rate : DefaultServiceRate(service);
  return std::clamp(static_cast<int>(lowest), 1, 64);
}

}  // namespace infra::aws

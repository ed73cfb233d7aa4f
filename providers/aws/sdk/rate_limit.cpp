// Adaptive token buckets after botocore's adaptive mode (see rate_limit.h),
// plus the published request limits they start from once an API throttles,
// and the per-(service, region) bound on calls in flight. Sources of the
// figures are next to them; a figure marked "not re-checked" is from the
// same page as its neighbours but was not re-read in the session that wrote it.
#include "providers/aws/sdk/rate_limit.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace infra::aws {
namespace {

struct ServiceLimits {
  std::string_view service;
  PublishedLimit reads;   // Describe*/Get*/List*
  PublishedLimit writes;  // everything else
  int concurrency;        // calls in flight per region
};

// EC2: https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
//   "Request token bucket sizes and refill rates", per API, per account and
//   region: non-mutating actions bucket 100, refill 20/s (the page's
//   DescribeHosts example); mutating actions bucket 50, refill 5/s (not re-checked).
// ELB: https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-limits.html
//   (well-known figure, not re-checked): ~10/s per account and region, burst 40.
// RDS: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html
//   (not re-checked): figures used reads 40 burst / 10 per s, writes 20 / 5 per s.
// IAM: global, documented only as "request rate quotas"; botocore users see
//   ~20/s on reads and ~10/s on writes in practice (well-known, not documented).
// Route 53: https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html
//   "five requests per second per AWS account" for the Route 53 API.
// ECS: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html
//   (not re-checked): describe/list bucket 100, refill 20/s; writes 40 / 10/s (cluster-level).
// CloudWatch Logs: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html
//   Describe* 10 TPS per account and region, writes 5 TPS (not re-checked).
// The rest (lambda, events, kms, secretsmanager, ...) use the conservative default row.
constexpr ServiceLimits kLimits[] = {
    {"ec2", {100, 20}, {50, 5}, 100},
    {"elasticloadbalancing", {40, 10}, {40, 10}, 32},
    {"rds", {40, 10}, {20, 5}, 32},
    {"iam", {40, 20}, {20, 10}, 32},
    {"route53", {5, 5}, {5, 5}, 8},
    {"ecs", {100, 20}, {40, 10}, 32},
    {"logs", {10, 10}, {5, 5}, 32},
    {"sts", {100, 20}, {100, 20}, 32},
    {"s3", {500, 500}, {350, 350}, 64},  // S3: 5,500 GET / 3,500 PUT per prefix and second
    {"dynamodb", {100, 50}, {50, 10}, 32},
};
constexpr ServiceLimits kDefault = {"", {40, 10}, {20, 5}, 32};

const ServiceLimits& LimitsOf(std::string_view service) {
  for (const auto& s : kLimits)
    if (s.service == service) return s;
  return kDefault;
}

bool IsRead(std::string_view op) {
  return op.starts_with("Describe") || op.starts_with("Get") || op.starts_with("List") || op.starts_with("Head");
}

double Seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

PublishedLimit PublishedLimitOf(std::string_view service, std::string_view operation) {
  const auto& l = LimitsOf(service);
  return IsRead(operation) ? l.reads : l.writes;
}

int DefaultConcurrency(std::string_view service) { return LimitsOf(service).concurrency; }

int DispatchConcurrency(std::string_view service) { return DefaultConcurrency(service) * 5 / 4; }

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
  TimePoint now = clock_();
  b.published = PublishedLimitOf(service, operation);
  b.last_refill = now;
  if (options_.initial_rate > 0) {  // switched on from the start, at the given rate
    b.on = true;
    b.published = {options_.initial_rate, options_.initial_rate};
    b.w_max = options_.initial_rate;
    b.k = std::cbrt(b.w_max * (1 - options_.beta) / options_.scale);
    b.last_fail = now - std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(b.k));
    SetFill(b, options_.initial_rate, now);
    b.tokens = b.capacity;
  }
  return buckets_.emplace(std::move(key), b).first->second;
}

void RateLimiter::Refill(Bucket& b, TimePoint now) const {
  double elapsed = Seconds(now - b.last_refill);
  if (elapsed > 0) {
    b.tokens = std::min(b.capacity, b.tokens + elapsed * b.fill);
    b.last_refill = now;
  }
}

// botocore's TokenBucket.max_rate setter: capacity is one second's worth
// (at least 1), here also never above the API's published burst.
void RateLimiter::SetFill(Bucket& b, double rate, TimePoint now) const {
  Refill(b, now);
  b.fill = std::max(rate, options_.min_rate);
  double burst = b.published.burst > 0 ? b.published.burst : b.fill;
  b.capacity = std::max(1.0, std::min(b.fill, burst));
  b.tokens = std::min(b.tokens, b.capacity);
}

// botocore's RateClocker: sends counted per window, smoothed.
void RateLimiter::Measure(Bucket& b, TimePoint now) const {
  double window = std::chrono::duration<double>(options_.measure_window).count();
  long idx = static_cast<long>(std::floor(Seconds(now.time_since_epoch()) / window));
  if (b.window < 0) b.window = idx;
  ++b.count;
  if (idx > b.window) {
    double current = static_cast<double>(b.count) / (static_cast<double>(idx - b.window) * window);
    b.measured = current * options_.smoothing + b.measured * (1 - options_.smoothing);
    b.count = 0;
    b.window = idx;
  }
}

std::chrono::nanoseconds RateLimiter::Reserve(std::string_view service, std::string_view region,
                                              std::string_view operation) {
  if (!options_.enabled) return std::chrono::nanoseconds(0);
  std::lock_guard<std::mutex> lock(mu_);
  Bucket& b = Get(service, region, operation);
  TimePoint now = clock_();
  Measure(b, now);
  if (!b.on) return std::chrono::nanoseconds(0);
  Refill(b, now);
  b.tokens -= 1;
  if (b.tokens >= 0) return std::chrono::nanoseconds(0);
  return std::chrono::nanoseconds(static_cast<long long>(-b.tokens / b.fill * 1e9));
}

void RateLimiter::OnSuccess(std::string_view service, std::string_view region, std::string_view operation) {
  if (!options_.enabled) return;
  std::lock_guard<std::mutex> lock(mu_);
  Bucket& b = Get(service, region, operation);
  if (!b.on) return;
  TimePoint now = clock_();
  double dt = Seconds(now - b.last_fail) - b.k;
  double rate = options_.scale * dt * dt * dt + b.w_max;
  if (b.measured > 0) rate = std::min(rate, options_.max_measured_factor * b.measured);
  // Never below where the cubic's trough put it: a slow sender keeps its
  // rate rather than being pulled down by its own low measured rate.
  SetFill(b, std::max(rate, std::min(b.fill, options_.beta * b.w_max)), now);
}

void RateLimiter::OnThrottle(std::string_view service, std::string_view region, std::string_view operation,
                             TimePoint sent) {
  if (!options_.enabled) return;
  std::lock_guard<std::mutex> lock(mu_);
  Bucket& b = Get(service, region, operation);
  TimePoint now = clock_();
  if (b.on && b.decreases > 0 && sent < b.decreased_at) return;  // the same event: already decreased for it
  double measured = b.measured > 0 ? b.measured : 0;
  double fill;
  if (!b.on) {
    // First throttle: the service's bucket is empty. Start below what we
    // were sending (botocore: beta * measured), but never below the
    // published refill, which AWS grants an account alone on its bucket.
    // A burst that throttles before the first measure window closed is
    // measured over the part of the window it had.
    double window = std::chrono::duration<double>(options_.measure_window).count();
    double in_window = Seconds(now.time_since_epoch()) - static_cast<double>(b.window) * window;
    double at = std::max(measured, static_cast<double>(b.count) / std::max(in_window, window / 10));
    // A burst of the client's own concurrency can measure far above any
    // bucket; the search starts from twice the published burst at most.
    if (b.published.burst > 0) at = std::min(at, 2 * b.published.burst);
    b.w_max = std::max(at, b.published.refill);
    fill = std::max(options_.beta * at, b.published.refill);
    b.k = std::cbrt(std::max(0.0, b.w_max - fill) / options_.scale);
    b.on = true;
    b.tokens = 0;
    b.last_refill = now;
  } else {
    double at = measured > 0 ? std::min(measured, b.fill) : b.fill;
    b.w_max = at;
    fill = options_.beta * at;
    b.k = std::cbrt(b.w_max * (1 - options_.beta) / options_.scale);
  }
  b.last_fail = now;
  b.decreased_at = now;
  ++b.decreases;
  SetFill(b, fill, now);
  b.tokens = std::min(b.tokens, 0.0);
}

double RateLimiter::Rate(std::string_view service, std::string_view region, std::string_view operation) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(Key(service, region, operation));
  if (it != buckets_.end() && it->second.on) return it->second.fill;
  return options_.initial_rate > 0 ? options_.initial_rate : 0;
}

int RateLimiter::Decreases(std::string_view service, std::string_view region, std::string_view operation) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(Key(service, region, operation));
  return it == buckets_.end() ? 0 : it->second.decreases;
}

int RateLimiter::Concurrency(std::string_view service, std::string_view region) const {
  (void)region;  // the same bound in every region; each region has its own slots
  return DispatchConcurrency(service);
}

}  // namespace infra::aws

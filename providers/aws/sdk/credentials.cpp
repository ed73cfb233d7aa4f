// Credentials formatting, the caching provider and the default chain that
// tries each source in the order and reports what it tried.
#include "providers/aws/sdk/credentials.h"

#include <ctime>

#include <fmt/format.h>

#include "common/log.h"
#include "providers/aws/sdk/credentials_sources.h"

namespace infra::aws {
namespace {

std::string FormatTime(TimePoint t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Clock SystemClock() {
  return [] { return std::chrono::system_clock::now(); };
}

}  // namespace

std::string Credentials::ToString() const {
  std::string out = access_key_id.empty() ? "(no access key)" : access_key_id;
  out += " (" + (source.empty() ? std::string("unknown source") : source);
  if (expiration) out += "; expires " + FormatTime(*expiration);
  return out + ")";
}

CredentialsProvider::CredentialsProvider(Resolver resolver, Clock clock,
                                         std::chrono::seconds refresh_before)
    : resolver_(std::move(resolver)),
      clock_(clock ? std::move(clock) : SystemClock()),
      refresh_before_(refresh_before) {}

Result<Credentials> CredentialsProvider::Get() {
  // One lock for check-and-refresh: concurrent callers wait for a single
  // refresh instead of stampeding STS.
  std::lock_guard<std::mutex> lock(mu_);
  TimePoint now = clock_();
  if (cached_ && (!cached_->expiration || now < *cached_->expiration - refresh_before_)) {
    return *cached_;
  }
  Result<Credentials> fresh = resolver_();
  if (fresh.ok()) {
    cached_ = fresh.value();
    if (cached_->expiration) {
      log::Debug("aws credentials: refreshed from {}, valid until {}", cached_->source,
                 FormatTime(*cached_->expiration));
    }
    return fresh;
  }
  // A failed refresh keeps serving credentials that have not expired yet.
  if (cached_ && cached_->expiration && now < *cached_->expiration) {
    log::Warn("aws credentials: refresh failed ({}); using the current ones until {}",
              fresh.error().message, FormatTime(*cached_->expiration));
    return *cached_;
  }
  cached_.reset();
  return fresh;
}

void CredentialsProvider::Invalidate() {
  std::lock_guard<std::mutex> lock(mu_);
  cached_.reset();
}

Result<Credentials> ResolveDefaultChain(const ChainContext& ctx) {
  using Source = SourceOutcome (*)(const ChainContext&, std::string*);
  struct Step {
    const char* label;
    Source source;
  };
  const Step steps[] = {{"environment", &CredentialsFromEnvironment},
                        {"web identity", &CredentialsFromWebIdentity},
                        {"GitHub OIDC", &CredentialsFromGitHubOidc},
                        {"profile", &CredentialsFromProfile}};
  std::string tried;
  for (const Step& step : steps) {
    std::string why_not;
    SourceOutcome outcome = step.source(ctx, &why_not);
    if (outcome) return std::move(*outcome);
    if (!tried.empty()) tried += ", ";
    tried += step.label == std::string_view("profile")
                 ? fmt::format("profile \"{}\" ({})", ActiveProfileName(ctx), why_not)
                 : fmt::format("{} ({})", step.label, why_not);
  }
  return MakeError(Error::Kind::kAuth, "NoCredentials", "no AWS credentials: tried " + tried);
}

std::shared_ptr<CredentialsProvider> NewDefaultCredentialsProvider(ChainContext ctx) {
  Clock clock = ctx.clock;
  return std::make_shared<CredentialsProvider>(
      [ctx = std::move(ctx)] { return ResolveDefaultChain(ctx); }, std::move(clock));
}

std::shared_ptr<CredentialsProvider> NewStaticCredentialsProvider(Credentials creds) {
  return std::make_shared<CredentialsProvider>(
      [creds = std::move(creds)]() -> Result<Credentials> { return creds; });
}

std::optional<std::string> ResolveRegion(const ChainContext& ctx) {
  for (const char* var : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (auto v = ctx.env(var); v && !v->empty()) return *v;
  }
  SharedFiles files = LoadSharedFiles(ctx.env);
  if (auto profile = files.Profile(ActiveProfileName(ctx))) {
    auto it = profile->find("region");
    if (it != profile->end() && !it->second.empty()) return it->second;
  }
  return std::nullopt;
}

std::string StsRegion(const ChainContext& ctx) {
  return ResolveRegion(ctx).value_or("us-east-1");
}

}  // namespace infra::aws

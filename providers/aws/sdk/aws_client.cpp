// The AwsClient implementation: for each call, resolve the endpoint, frame
// the request for the service's protocol, then loop over attempts (rate
// limiter wait, credentials, SigV4 signature, transport, error parsing,
// retry decision, backoff). Also wires the credential chain's STS seam to
// this client and writes the debug call log (never a secret or signature).
#include <fmt/format.h>

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "common/log.h"
#include "providers/aws/sdk/aws_client.h"
#include "providers/aws/sdk/aws_error.h"
#include "providers/aws/sdk/credentials.h"
#include "providers/aws/sdk/presigned_query.h"
#include "providers/aws/sdk/endpoints.h"
#include "providers/aws/sdk/protocol_json.h"
#include "providers/aws/sdk/protocol_query.h"
#include "providers/aws/sdk/protocol_rest.h"
#include "providers/aws/sdk/rate_limit.h"
#include "providers/aws/sdk/retry.h"
#include "providers/aws/sdk/sigv4.h"
#include "providers/aws/sdk/transport.h"

namespace infra::aws {
namespace {

using Steady = std::chrono::steady_clock;

/// How an attempt is signed: with the provider's credentials, with given
/// ones (the credential chain's own STS calls), or not at all.
struct Signing {
  enum class Mode { kProvider, kExplicit, kNone } mode = Mode::kProvider;
  const Credentials* creds = nullptr;
};

/// One logical call, retried as a whole.
struct Call {
  const ServiceInfo* info = nullptr;
  std::string region;
  std::string operation;
  CallOptions options;
  Signing signing;
};

std::string EncodedQuery(const QueryParams& query) {
  std::string out;
  for (const auto& [k, v] : query) {
    if (!out.empty()) out += '&';
    out += FormEncode(k) + "=" + FormEncode(v);
  }
  return out;
}

// Fills the AWS-context fields of a locally made error (transport, signing).
Error WithContext(Error e, const Call& call) {
  if (e.service.empty()) e.service = call.info->name;
  if (e.operation.empty()) e.operation = call.operation;
  return e;
}

std::string ActionOf(const QueryParams& params) {
  for (const auto& [k, v] : params)
    if (k == "Action") return v;
  return "Unknown";
}

class Client final : public AwsClient {
 public:
  Client(const ClientOptions& options, ClientSeams seams)
      : options_(options),
        retry_(RetryOptions{options.max_attempts, options.backoff_base, options.backoff_max},
               seams.seed != 0 ? seams.seed : std::random_device{}()),
        limiter_(RateLimitOptions{.enabled = options.rate_limit, .initial_rate = options.initial_rate}) {
    transport_ = seams.transport ? seams.transport
                                 : NewCurlTransport({.connect_timeout_ms = options.connect_timeout_ms,
                                                    .total_timeout_ms = options.total_timeout_ms,
                                                    .stop = options.stop});
    env_ = seams.env ? seams.env : ProcessEnvironment();
    now_ = seams.now ? seams.now : [] { return std::chrono::system_clock::now(); };
    sleep_ = seams.sleep ? seams.sleep : [stop = options.stop](std::chrono::nanoseconds d) {
      // In slices, so that an interrupt ends a long backoff promptly.
      auto end = Steady::now() + d;
      for (auto left = d; left.count() > 0 && !(stop && stop->load()); left = end - Steady::now())
        std::this_thread::sleep_for(std::min<std::chrono::nanoseconds>(left, std::chrono::milliseconds(50)));
    };
    credentials_ = seams.credentials;
    if (!credentials_) {
      ChainContext ctx;
      ctx.env = env_;
      ctx.profile = options.profile;
      ctx.http = transport_;  // the GitHub OIDC token request
      ctx.sts = [this](const std::string& region, const QueryParams& params, const Credentials* sign_with) {
        return StsCall(region, params, sign_with);
      };
      credentials_ = NewDefaultCredentialsProvider(std::move(ctx));
    }
  }

  Result<XmlResponse> Query(std::string_view service, const std::string& region, const std::string& action,
                            const QueryParams& params, const CallOptions& options) override {
    auto call = MakeCall(service, region, action, options);
    if (!call.ok()) return call.error();
    std::string body = EncodeQueryBody(action, call->info->api_version, params);
    auto resp = Execute(*call, [&](Endpoint&) { return FormRequest(body); });
    if (!resp.ok()) return resp.error();
    return XmlResponse{resp->status, std::move(resp->body), RequestIdOf(*resp)};
  }

  Result<nlohmann::json> Json(std::string_view service, const std::string& region, const std::string& operation,
                              const nlohmann::json& body, const CallOptions& options) override {
    auto call = MakeCall(service, region, operation, options);
    if (!call.ok()) return call.error();
    auto resp = Execute(*call, [&](Endpoint&) { return BuildJsonRequest(*call->info, operation, body); });
    if (!resp.ok()) return resp.error();
    return ParseJsonReply(resp->body, call->info->name + " " + operation);
  }

  Result<RestResponse> Rest(std::string_view service, const std::string& region, const std::string& operation,
                            const RestRequest& request, const CallOptions& options) override {
    auto call = MakeCall(service, region, operation, options);
    if (!call.ok()) return call.error();
    bool is_s3 = call->info->signing_name == "s3";
    auto resp = Execute(*call, [&](Endpoint& ep) { return BuildRestRequest(request, ep, is_s3); });
    if (!resp.ok()) return resp.error();
    std::string id = RequestIdOf(*resp);
    return RestResponse{resp->status, std::move(resp->headers), std::move(resp->body), std::move(id)};
  }

  int Concurrency(std::string_view service) const override { return limiter_.Concurrency(service); }

  Result<std::string> CredentialSource() override {
    auto creds = credentials_->Get();
    if (!creds.ok()) return creds.error();
    return creds->source;
  }

  Result<std::string> PresignQuery(std::string_view service, const std::string& region, const std::string& action,
                                   const QueryParams& params, std::chrono::seconds expires) override {
    auto call = MakeCall(service, region, action, {});
    if (!call.ok()) return call.error();
    auto ep = EndpointFor(*call);
    if (!ep.ok()) return ep.error();
    auto creds = credentials_->Get();
    if (!creds.ok()) return WithContext(creds.error(), *call);
    auto url = PresignedQueryUrl(*ep, action, call->info->api_version, params, *creds, now_(), expires);
    if (!url.ok()) return WithContext(url.error(), *call);
    if (auto sig = url->rfind("X-Amz-Signature="); sig != std::string::npos) log::AddSecret(url->substr(sig + 16));
    return url;
  }

 private:
  Result<Call> MakeCall(std::string_view service, const std::string& region, const std::string& operation,
                        const CallOptions& options) const {
    const ServiceInfo* info = FindService(service);
    if (info == nullptr) {
      return MakeError(Error::Kind::kInternal, "UnknownService",
                       fmt::format("no AWS service named '{}' is known to the client [this is a bug]", service));
    }
    return Call{info, region, operation, options, {}};
  }

  static SigningRequest FormRequest(const std::string& body) {
    SigningRequest r;
    r.method = "POST";
    r.path = "/";
    r.headers.emplace_back("content-type", "application/x-www-form-urlencoded; charset=utf-8");
    r.body = body;
    return r;
  }

  // The credential chain's STS seam: `params` already hold Action/Version.
  Result<std::string> StsCall(const std::string& region, const QueryParams& params, const Credentials* sign_with) {
    Call call{FindService("sts"), region, ActionOf(params), CallOptions{}, {}};
    if (call.info == nullptr) return MakeError(Error::Kind::kInternal, "UnknownService", "sts is not known");
    call.signing = sign_with != nullptr ? Signing{Signing::Mode::kExplicit, sign_with}
                                        : Signing{Signing::Mode::kNone, nullptr};
    std::string body = EncodedQuery(params);
    auto resp = Execute(call, [&](Endpoint&) { return FormRequest(body); });
    if (!resp.ok()) return resp.error();
    return std::move(resp->body);
  }

  // Signs `req` for this attempt (fresh date each time); returns the
  // transport request.
  Result<HttpRequest> Prepare(const Call& call, const Endpoint& ep, SigningRequest req) {
    req.path = ep.base_path + req.path;
    req.headers.emplace_back("host", ep.HostHeader());
    if (call.signing.mode != Signing::Mode::kNone) {
      const Credentials* creds = call.signing.creds;
      Result<Credentials> fetched = Credentials{};
      if (call.signing.mode == Signing::Mode::kProvider) {
        fetched = credentials_->Get();
        if (!fetched.ok()) return WithContext(fetched.error(), call);
        creds = &fetched.value();
      }
      SigV4Signer signer(ep.signing_region, ep.signing_name, SigningOptions::ForService(ep.signing_name));
      auto signed_req = signer.SignHeaders(req, *creds, now_());
      if (!signed_req.ok()) return WithContext(signed_req.error(), call);
    }
    HttpRequest http;
    http.method = req.method;
    http.url = ep.scheme + "://" + ep.HostHeader() + req.path;
    if (!req.query.empty()) http.url += "?" + EncodedQuery(req.query);
    http.headers = std::move(req.headers);
    http.headers.emplace_back("user-agent", "infra/0.1");
    http.body = std::move(req.body);
    http.idempotent = call.options.idempotent;
    return http;
  }

  // Endpoints are resolved once per (service, region): resolution may read
  // the shared config file, and the environment is fixed for the client.
  Result<Endpoint> EndpointFor(const Call& call) {
    std::string key = call.info->name + "/" + call.region;
    {
      std::lock_guard<std::mutex> lock(endpoints_mu_);
      if (auto it = endpoints_.find(key); it != endpoints_.end()) return it->second;
    }
    auto endpoint = ResolveEndpoint(call.info->name, call.region, env_);
    if (!endpoint.ok()) return WithContext(endpoint.error(), call);
    std::lock_guard<std::mutex> lock(endpoints_mu_);
    endpoints_.emplace(key, *endpoint);
    return endpoint;
  }

  // Calls on the wire per (service, region): DefaultConcurrency. Taken
  // after the rate limiter's token, so a call waiting for a token of one
  // API never keeps another API of the region off the wire.
  struct Wire {
    std::mutex mu;
    std::condition_variable cv;
    int free = 0;
  };
  class WireSlot {
   public:
    explicit WireSlot(Wire& w) : w_(&w) {
      std::unique_lock<std::mutex> lock(w.mu);
      w.cv.wait(lock, [&] { return w.free > 0; });
      --w.free;
    }
    ~WireSlot() { Release(); }
    void Release() {
      if (!w_) return;
      {
        std::lock_guard<std::mutex> lock(w_->mu);
        ++w_->free;
      }
      w_->cv.notify_one();
      w_ = nullptr;
    }
   private:
    Wire* w_;
  };
  Wire& WireFor(const Call& call) {
    std::string key = call.info->name + "/" + call.region;
    std::lock_guard<std::mutex> lock(wires_mu_);
    auto& w = wires_[key];
    if (!w) {
      w = std::make_unique<Wire>();
      w->free = DefaultConcurrency(call.info->name);
    }
    return *w;
  }

  template <class Build>
  Result<HttpResponse> Execute(const Call& call, Build build) {
    auto endpoint = EndpointFor(call);
    if (!endpoint.ok()) return endpoint.error();
    Endpoint ep = *endpoint;
    SigningRequest base = build(ep);
    bool refreshed_credentials = false;
    for (int attempt = 1;; ++attempt) {
      // The throttling event a reply belongs to is decided by when its
      // token was taken: callers queued at the old rate before a decrease
      // are part of the event that caused it, even if they send after it.
      auto reserved = limiter_.Now();
      auto wait = limiter_.Reserve(call.info->name, call.region, call.operation);
      if (wait.count() > 0) sleep_(wait);
      auto http = Prepare(call, ep, base);
      if (!http.ok()) return http.error();
      WireSlot slot(WireFor(call));  // a call that has its token waits here for the wire, not the reverse
      auto start = Steady::now();
      auto resp = transport_->Send(*http);
      slot.Release();
      double ms = std::chrono::duration<double, std::milli>(Steady::now() - start).count();
      if (resp.ok() && resp->status >= 200 && resp->status < 300) {
        LogAttempt(call, std::to_string(resp->status), attempt, ms);
        limiter_.OnSuccess(call.info->name, call.region, call.operation);
        return resp;
      }
      Error err = resp.ok() ? ParseAwsError(call.info->name, call.operation, *resp) : WithContext(resp.error(), call);
      LogAttempt(call, (resp.ok() ? std::to_string(resp->status) + " " : std::string("- ")) + err.code, attempt, ms);
      if (err.kind == Error::Kind::kThrottled) limiter_.OnThrottle(call.info->name, call.region, call.operation, reserved);
      if (IsExpiredToken(err) && !refreshed_credentials && call.signing.mode == Signing::Mode::kProvider) {
        refreshed_credentials = true;  // temporary credentials ran out: resolve again once
        credentials_->Invalidate();
        continue;
      }
      if (!retry_.ShouldRetry(err, call.options.idempotent, attempt)) return Finish(std::move(err), call, attempt);
      // A throttled call is paced by the limiter's bucket (now on): its
      // backoff stays short (at most 800 ms) so the throttled API does not go
      // quiet for seconds while its bucket has tokens.
      bool throttled = ClassifyForRetry(err) == RetryClass::kThrottled;
      if (!Stopped()) sleep_(retry_.Backoff(throttled ? std::min(attempt, 3) : attempt));
      if (Stopped()) {
        err.message += fmt::format(" (attempt {}; not retried: interrupted)", attempt);
        return err;
      }
    }
  }

  bool Stopped() const { return options_.stop && options_.stop->load(); }

  static bool IsExpiredToken(const Error& e) {
    return e.code == "ExpiredToken" || e.code == "ExpiredTokenException" || e.code == "RequestExpired";
  }

  Error Finish(Error err, const Call& call, int attempts) const {
    if (ClassifyForRetry(err) == RetryClass::kMaybeProcessed && !call.options.idempotent) {
      err.message += "; the service may have processed the request, so it was not repeated "
                     "(the call is not idempotent)";
    } else if (attempts > 1) {
      err.message += fmt::format(" (gave up after {} attempts)", attempts);
    }
    return err;
  }

  void LogAttempt(const Call& call, const std::string& status, int attempt, double ms) const {
    log::Debug("aws {} {} {} {} attempt={} {:.1f}ms", call.info->name, call.operation, call.region, status,
               attempt, ms);
  }

  ClientOptions options_;
  RetryPolicy retry_;
  RateLimiter limiter_;
  std::shared_ptr<HttpTransport> transport_;
  std::shared_ptr<CredentialsProvider> credentials_;
  EnvLookup env_;
  std::function<std::chrono::system_clock::time_point()> now_;
  std::function<void(std::chrono::nanoseconds)> sleep_;
  std::mutex endpoints_mu_;
  std::map<std::string, Endpoint> endpoints_;
  std::mutex wires_mu_;
  std::map<std::string, std::unique_ptr<Wire>> wires_;
};

}  // namespace

std::shared_ptr<AwsClient> NewAwsClient(const ClientOptions& options) { return NewAwsClient(options, {}); }

std::shared_ptr<AwsClient> NewAwsClient(const ClientOptions& options, ClientSeams seams) {
  return std::make_shared<Client>(options, std::move(seams));
}

}  // namespace infra::aws

// The libcurl HttpTransport. Easy handles are pooled (one per concurrent
// caller, reused across calls) and share one connection cache, DNS cache and
// TLS session cache through a CURLSH, so keep-alive connections are reused
// across threads. Proxies come from the environment (libcurl's handling of
// HTTPS_PROXY / NO_PROXY), TLS peer and host verification stay on. libcurl
// silently re-sends a request whose reused connection died before a reply
// byte; a non-idempotent request refuses that re-send (a pre-request hook).
// Each transfer runs on its own multi handle, woken every 100 ms, so an
// interrupt abandons a stalled call after a short grace.
#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <regex>
#include <vector>

#include "common/log.h"
#include "providers/aws/sdk/transport.h"

namespace infra::aws {
namespace {

std::once_flag g_curl_init;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

// Collects headers of the final response; a new status line (after a 100
// Continue or a proxy CONNECT reply) starts over.
size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    headers->clear();
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    (*headers)[Lower(std::string(line.substr(0, colon)))] = Trim(line.substr(colon + 1));
  }
  return size * n;
}

// Maps a libcurl failure to a transport error code; `sent` says whether any
// request byte left this process.
const char* FaultCode(CURLcode rc, bool sent) {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return kTransportNotSent;
    case CURLE_OPERATION_TIMEDOUT:
      return sent ? kTransportTimeout : kTransportNotSent;
    case CURLE_PARTIAL_FILE:
      return kTransportCutShort;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
      return kTransportTls;
    default:
      return sent ? kTransportReset : kTransportNotSent;
  }
}

// Counts the sends of one perform. libcurl calls the pre-request hook before
// each send, including its own re-send on a fresh connection after a reused
// one died; for a request that must go out at most once the second call
// aborts the transfer.
struct SendGuard {
  bool once = false;
  int sends = 0;
};

int OnPreRequest(void* user, char*, char*, int, int) {
  auto* guard = static_cast<SendGuard*>(user);
  ++guard->sends;
  return guard->once && guard->sends > 1 ? CURL_PREREQFUNC_ABORT : CURL_PREREQFUNC_OK;
}

// The request body for the debug log: at most 4 KB, with the values of
// credential-like parameters (…Token, …Secret…, …Password, ExternalId, and
// UserData, whose base64 hides a secret from redaction) masked; secrets
// of the stack are redacted by the logger itself (log::AddSecret).
std::string TraceBody(const std::string& body) {
  static const std::string kName = "[A-Za-z0-9._]*(?:Token|Secret|Password|ExternalId|UserData)[A-Za-z0-9._]*";
  static const std::regex kForm("((?:^|&)" + kName + "=)[^&]*");
  static const std::regex kJson("(\"" + kName + "\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");
  std::string cut = log::Redact(body);  // before the cut, so no secret is cut in half
  if (cut.size() > 4096) cut = cut.substr(0, 4096) + "...";
  cut = std::regex_replace(cut, kForm, "$1(masked)");
  return std::regex_replace(cut, kJson, "$1\"(masked)\"");
}

class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(const CurlTransportOptions& options) : options_(options) {
    std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    share_ = curl_share_init();
    curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &CurlTransport::Lock);
    curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &CurlTransport::Unlock);
    curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  }

  ~CurlTransport() override {
    for (Handles& h : idle_) {
      curl_multi_cleanup(h.multi);
      curl_easy_cleanup(h.easy);
    }
    curl_share_cleanup(share_);
  }

  Result<HttpResponse> Send(const HttpRequest& request) override {
    if (log::Enabled(log::Level::kDebug))
      log::Debug("http {} {} body: {}", request.method, request.url, TraceBody(request.body));
    Handles h = Take();
    auto result = Perform(h, request);
    Give(h);
    return result;
  }

 private:
  static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<CurlTransport*>(user)->locks_[LockIndex(data)].lock();
  }
  static void Unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<CurlTransport*>(user)->locks_[LockIndex(data)].unlock();
  }
  static size_t LockIndex(curl_lock_data data) {
    return static_cast<size_t>(data) % std::tuple_size_v<decltype(locks_)>;
  }

  // One transfer's handles: the easy handle and the multi handle it runs on.
  struct Handles {
    CURL* easy = nullptr;
    CURLM* multi = nullptr;
  };

  Handles Take() {
    {
      std::lock_guard<std::mutex> lock(pool_mu_);
      if (!idle_.empty()) {
        Handles h = idle_.back();
        idle_.pop_back();
        return h;
      }
    }
    return {curl_easy_init(), curl_multi_init()};
  }
  void Give(Handles h) {
    std::lock_guard<std::mutex> lock(pool_mu_);
    idle_.push_back(h);
  }

  // True once the interrupt's grace is over (see CurlTransportOptions::stop).
  bool Abandon() {
    if (!options_.stop || !options_.stop->load()) return false;
    int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now().time_since_epoch())
                      .count();
    int64_t seen = 0;
    if (stop_seen_ms_.compare_exchange_strong(seen, now)) seen = now;
    return now - seen >= options_.stop_grace_ms;
  }

  // Runs the transfer on its multi handle until it ends or is abandoned.
  // The result code of the transfer; `*abandoned` when given up.
  CURLcode Run(Handles h, bool* abandoned) {
    *abandoned = false;
    curl_multi_add_handle(h.multi, h.easy);
    CURLcode rc = CURLE_OK;
    for (;;) {
      if (Abandon()) {
        *abandoned = true;
        break;
      }
      int running = 0;
      if (curl_multi_perform(h.multi, &running) != CURLM_OK) {
        rc = CURLE_FAILED_INIT;
        break;
      }
      if (running == 0) {
        int left = 0;
        CURLMsg* msg = curl_multi_info_read(h.multi, &left);
        rc = msg && msg->msg == CURLMSG_DONE ? msg->data.result : CURLE_FAILED_INIT;
        break;
      }
      curl_multi_poll(h.multi, nullptr, 0, 100, nullptr);
    }
    curl_multi_remove_handle(h.multi, h.easy);
    return rc;
  }

  Result<HttpResponse> Perform(Handles hs, const HttpRequest& request) {
    CURL* h = hs.easy;
    curl_easy_reset(h);
    HttpResponse response;
    curl_slist* headers = nullptr;
    bool has_content_type = false;
    for (const auto& [name, value] : request.headers) {
      headers = curl_slist_append(headers, (name + ": " + value).c_str());
      has_content_type = has_content_type || Lower(name) == "content-type";
    }
    // libcurl would label a body as a form, and servers that parse forms
    // (moto's Werkzeug) then swallow it: send no Content-Type unless given.
    if (!has_content_type) headers = curl_slist_append(headers, "Content-Type:");
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
    SetOptions(h, request, headers, &response);
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    SendGuard guard{!request.idempotent, 0};
    curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, &OnPreRequest);
    curl_easy_setopt(h, CURLOPT_PREREQDATA, &guard);
    bool abandoned = false;
    CURLcode rc = Run(hs, &abandoned);
    curl_slist_free_all(headers);
    if (abandoned) {
      long sent = 0;
      curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &sent);
      if (sent == 0)
        return MakeError(Error::Kind::kTransport, kTransportNotSent,
                         "HTTP " + request.method + " not sent: interrupted");
      return MakeError(Error::Kind::kTransport, kTransportAbandoned,
                       "HTTP " + request.method +
                           " abandoned: interrupted while waiting for the reply");
    }
    if (rc == CURLE_ABORTED_BY_CALLBACK && guard.sends > 1)
      return MakeError(Error::Kind::kTransport, kTransportReset,
                       "HTTP " + request.method +
                           " failed: the reused connection closed after the request was sent and before any reply "
                           "(reply lost; the request was not re-sent)");
    if (rc != CURLE_OK) {
      long sent = 0;
      curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &sent);
      std::string detail = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);
      return MakeError(Error::Kind::kTransport, FaultCode(rc, sent > 0),
                       "HTTP " + request.method + " failed: " + detail);
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    return response;
  }

  void SetOptions(CURL* h, const HttpRequest& request, curl_slist* headers, HttpResponse* response) {
    curl_easy_setopt(h, CURLOPT_SHARE, share_);
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, options_.total_timeout_ms);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // identity/gzip as offered
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &response->body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &OnHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &response->headers);
    const std::string& m = request.method;
    if (m == "HEAD") {
      curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (m == "GET" && request.body.empty()) {
      curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
      if (m != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, m.c_str());
      if (m == "POST" || m == "PUT" || !request.body.empty()) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
      }
    }
  }

  CurlTransportOptions options_;
  CURLSH* share_ = nullptr;
  std::array<std::mutex, 8> locks_;
  std::mutex pool_mu_;
  std::vector<Handles> idle_;
  std::atomic<int64_t> stop_seen_ms_{0};  // steady ms when the stop flag was first seen
};

}  // namespace

std::shared_ptr<HttpTransport> NewCurlTransport(const CurlTransportOptions& options) {
  return std::make_shared<CurlTransport>(options);
}

}  // namespace infra::aws

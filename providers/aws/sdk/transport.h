// HttpTransport: the seam between the AWS client and the network. One
// request in, a status/headers/body or a transport Error out. The libcurl
// implementation lives in curl_transport.cpp; tests script responses with
// tests/fakes/scripted_transport.h.
#pragma once
#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace infra::aws {

/// One HTTP request, fully formed (signed) by the caller.
struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute: scheme://host[:port]/path?query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// False for a request that must reach the service at most once (a create
  /// without an idempotency token). libcurl re-sends a request whose reused
  /// keep-alive connection died before any reply byte; for such a request the
  /// transport refuses that re-send and returns kTransportReset instead, since
  /// the service may have acted on the first send.
  bool idempotent = true;
};

/// A response as received; header names are lower-case.
struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
};

/// Error codes a transport returns (Error::Kind::kTransport). They tell the
/// retry policy whether the service may have seen the request: every code
/// but kTransportNotSent and kTransportTls means "may have happened" (the
/// outcome is unknown; only a lookup can tell).
inline constexpr const char* kTransportNotSent = "RequestNotSent";       // connect/DNS failed: never arrived
inline constexpr const char* kTransportReset = "ConnectionReset";        // dropped after sending (also: reply lost on a reused connection)
inline constexpr const char* kTransportTimeout = "RequestTimeout";       // no full answer in time
inline constexpr const char* kTransportCutShort = "ResponseCutShort";    // body shorter than announced
inline constexpr const char* kTransportTls = "TlsError";                 // certificate or handshake
inline constexpr const char* kTransportAbandoned = "CallAbandoned";      // sent, then given up after an interrupt

/// Sends requests. Implementations are thread-safe: many threads share one.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  /// Sends `request` and waits for the full response. Any HTTP status is a
  /// success here; only network faults are errors (kind kTransport, code one
  /// of the kTransport* constants above).
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

/// Timeouts and TLS settings for the libcurl transport.
struct CurlTransportOptions {
  long connect_timeout_ms = 5000;
  long total_timeout_ms = 60000;
  /// The interrupt flag (ClientOptions::stop; may be null). Once it is set,
  /// a transfer in progress gets `stop_grace_ms` more (counted from the
  /// first time the transport sees the flag, shared by every transfer) and
  /// is then abandoned: kTransportAbandoned when the request was sent (the
  /// service may have acted on it), kTransportNotSent otherwise. A request
  /// started after the grace is abandoned at once.
  const std::atomic<bool>* stop = nullptr;
  long stop_grace_ms = 2000;
};

/// The libcurl transport: connection reuse across calls and threads (a
/// share handle for connections, DNS and TLS sessions plus one easy handle
/// per thread), TLS verification on, HTTPS_PROXY/NO_PROXY from the
/// environment (libcurl's own handling).
std::shared_ptr<HttpTransport> NewCurlTransport(const CurlTransportOptions& options);

}  // namespace infra::aws

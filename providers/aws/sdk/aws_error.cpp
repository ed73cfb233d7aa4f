// Error parsing is format-sniffing rather than per protocol: auth errors come
// back as XML even from JSON services, and moto answers crashes with HTML, so
// the body's shape decides the parser, with the X-Amzn-ErrorType header and
// the HTTP status as fallbacks.
#include "providers/aws/sdk/aws_error.h"

#include <fmt/format.h>

#include <array>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "providers/aws/sdk/transport.h"

namespace infra::aws {
namespace {

bool Contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }
bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

constexpr std::array<std::string_view, 15> kThrottlingCodes = {
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
    "BandwidthLimitExceeded", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
    "EC2ThrottledException", "TransactionInProgressException", "RequestLimitExceededException",
    "ThrottlingError"};

constexpr std::array<std::string_view, 16> kAuthCodes = {
    "AuthFailure", "InvalidClientTokenId", "SignatureDoesNotMatch", "AccessDenied",
    "AccessDeniedException", "UnrecognizedClientException", "InvalidAccessKeyId",
    "ExpiredToken", "ExpiredTokenException", "UnauthorizedOperation", "InvalidSignatureException",
    "MissingAuthenticationToken", "IncompleteSignature", "RequestExpired",
    "MissingAuthenticationTokenException", "InvalidToken"};

constexpr std::array<std::string_view, 12> kConflictParts = {
    "AlreadyExists", "Duplicate", "DependencyViolation", "Conflict", "InUse",
    "ConditionalCheckFailed", "AlreadyOwnedByYou", "NotEmpty", "InvalidState",
    "ResourceExistsException", "TransactionCanceled", "AlreadyAssociated"};

constexpr std::array<std::string_view, 8> kInvalidParts = {
    "Validation", "InvalidParameter", "Malformed", "MissingParameter", "InvalidRequest",
    "IllegalLocationConstraint", "InvalidChangeBatch", "InvalidArgument"};

// Strips namespace ("aws.protocoltests#Foo") and suffix ("Foo:http://...").
std::string CleanCode(std::string_view code) {
  if (auto hash = code.rfind('#'); hash != std::string_view::npos) code = code.substr(hash + 1);
  if (auto colon = code.find(':'); colon != std::string_view::npos) code = code.substr(0, colon);
  while (!code.empty() && std::isspace(static_cast<unsigned char>(code.back()))) code.remove_suffix(1);
  return std::string(code);
}

std::string Header(const HttpResponse& r, const char* name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? std::string() : it->second;
}

std::string_view LeftTrim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  return s;
}

std::string Excerpt(std::string_view body) {
  std::string out(body.substr(0, 200));
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out;
}

// First element named `name` anywhere below `node` (namespace-blind).
pugi::xml_node FindDeep(pugi::xml_node node, const char* name) {
  return node.find_node([name](pugi::xml_node n) { return std::string_view(n.name()) == name; });
}

void ParseXmlBody(const std::string& body, Error* e) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return;
  pugi::xml_node err = FindDeep(doc, "Error");
  if (err) {
    e->code = CleanCode(err.child_value("Code"));
    e->message = err.child("Message") ? err.child_value("Message") : err.child_value("message");
  }
  for (const char* id : {"RequestId", "RequestID", "requestId"}) {
    if (auto n = FindDeep(doc, id); n && e->request_id.empty()) e->request_id = n.child_value();
  }
}

void ParseJsonBody(const std::string& body, Error* e) {
  auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return;
  for (const char* key : {"__type", "code", "Code"}) {
    if (j.contains(key) && j[key].is_string() && e->code.empty()) e->code = CleanCode(j[key].get<std::string>());
  }
  for (const char* key : {"message", "Message", "errorMessage"}) {
    if (j.contains(key) && j[key].is_string() && e->message.empty()) e->message = j[key].get<std::string>();
  }
}

std::string StatusCode(int status) {
  switch (status) {
    case 304: return "NotModified";
    case 400: return "BadRequest";
    case 403: return "Forbidden";
    case 404: return "NotFound";
    case 409: return "Conflict";
    case 500: return "InternalError";
    case 503: return "ServiceUnavailable";
    default: return fmt::format("HTTP{}", status);
  }
}

}  // namespace

bool IsThrottlingCode(std::string_view code) {
  for (auto c : kThrottlingCodes)
    if (c == code) return true;
  return false;
}

bool IsQuotaCode(std::string_view code) {
  if (IsThrottlingCode(code)) return false;
  if (Contains(code, "LimitExceeded") || Contains(code, "QuotaExceeded")) return true;
  return StartsWith(code, "TooMany") && code != "TooManyRequestsException";
}

Error::Kind ClassifyAwsError(std::string_view code, int http_status) {
  using K = Error::Kind;
  if (code == kEmulatorLimitation) return K::kServer;
  if (IsThrottlingCode(code)) return K::kThrottled;
  if (IsQuotaCode(code)) return K::kQuota;
  for (auto c : kAuthCodes)
    if (c == code) return K::kAuth;
  if (Contains(code, "NotFound") || StartsWith(code, "NoSuch")) return K::kNotFound;
  for (auto p : kConflictParts)
    if (Contains(code, p)) return K::kConflict;
  for (auto p : kInvalidParts)
    if (Contains(code, p)) return K::kInvalid;
  if (http_status >= 500) return K::kServer;
  if (http_status == 401 || http_status == 403) return K::kAuth;
  if (http_status == 404) return K::kNotFound;
  if (http_status == 409) return K::kConflict;
  if (EndsWith(code, "Exception") && http_status == 400) return K::kInvalid;
  return K::kOther;
}

std::string RequestIdOf(const HttpResponse& response) {
  for (const char* h : {"x-amzn-requestid", "x-amz-request-id", "x-amzn-request-id"}) {
    if (auto v = Header(response, h); !v.empty()) return v;
  }
  Error e;
  std::string_view body = LeftTrim(response.body);
  if (!body.empty() && body.front() == '<') ParseXmlBody(response.body, &e);
  return e.request_id;
}

Error ParseAwsError(std::string_view service, std::string_view operation, const HttpResponse& response) {
  Error e;
  e.http_status = response.status;
  e.service = std::string(service);
  e.operation = std::string(operation);
  std::string content_type = Header(response, "content-type");
  std::string_view body = LeftTrim(response.body);
  if (response.status == 500 && Contains(content_type, "text/html")) {
    e.code = kEmulatorLimitation;
    e.message = "the endpoint answered HTTP 500 with an HTML page: the emulator does not support this "
                "call or crashed on it (not an AWS error; not retried)";
  } else if (!body.empty() && body.front() == '<') {
    ParseXmlBody(response.body, &e);
  } else if (!body.empty() && body.front() == '{') {
    ParseJsonBody(response.body, &e);
  }
  if (e.code.empty()) e.code = CleanCode(Header(response, "x-amzn-errortype"));
  if (e.code.empty()) e.code = StatusCode(response.status);
  if (e.message.empty() && !body.empty() && e.code != kEmulatorLimitation)
    e.message = "unrecognised error body: " + Excerpt(body);
  if (e.message.empty()) e.message = fmt::format("HTTP {} with an empty body", response.status);
  if (e.request_id.empty() || e.request_id == "request-id") {
    std::string from_headers = RequestIdOf(HttpResponse{0, response.headers, {}});
    if (!from_headers.empty()) e.request_id = from_headers;
  }
  e.kind = ClassifyAwsError(e.code, response.status);
  if (e.kind == Error::Kind::kQuota) e.message = "service quota " + e.code + " reached: " + e.message;
  return e;
}

}  // namespace infra::aws

// Turns a non-2xx AWS reply of any protocol into an infra::Error: EC2
// `Response/Errors/Error`, query and Route 53 `ErrorResponse/Error`, JSON
// `__type` / X-Amzn-ErrorType, S3 `Error`, empty bodies (HEAD 404), auth
// errors sent as XML to JSON services, and moto's `500 text/html` pages.
#pragma once
#include <string_view>

#include "common/result.h"

namespace infra::aws {

struct HttpResponse;

/// Code given to a `500 text/html` reply: a local emulator (moto) that does
/// not implement the call or crashed. Never retried.
inline constexpr const char* kEmulatorLimitation = "EmulatorLimitation";

/// Parses `response` (status >= 300) into an Error with kind, code, message,
/// http_status, request_id, service and operation filled. Never fails: an
/// unparseable body gives code "HTTP<status>" and a short excerpt.
Error ParseAwsError(std::string_view service, std::string_view operation,
                    const HttpResponse& response);

/// The Error::Kind for an AWS error code and HTTP status.
Error::Kind ClassifyAwsError(std::string_view code, int http_status);

/// Throttling codes (Throttling, ThrottlingException, RequestLimitExceeded,
/// TooManyRequestsException, SlowDown, ProvisionedThroughputExceededException,
/// RequestThrottled, PriorRequestNotComplete, ...).
bool IsThrottlingCode(std::string_view code);

/// Service-quota codes (LimitExceededException, VpcLimitExceeded,
/// AddressLimitExceeded, *LimitExceeded, *QuotaExceeded*, TooMany<Thing>s):
/// never retried. Throttling codes are not quota codes.
bool IsQuotaCode(std::string_view code);

/// The request id of a reply: x-amzn-requestid / x-amz-request-id headers,
/// else a RequestId/RequestID element of an XML body. "" when absent.
std::string RequestIdOf(const HttpResponse& response);

}  // namespace infra::aws

// Fuzz target: the JSON reply parsers (awsJson 1.0/1.1, REST-JSON). The
// input is the body (its length picks the HTTP status and the error-type
// header, so the seeds stay well-formed replies): parsed as a 2xx reply and as an error reply of each
// JSON service.
#include <cstdint>
#include <string>

#include "providers/aws/sdk/aws_error.h"
#include "providers/aws/sdk/protocol_json.h"
#include "providers/aws/sdk/transport.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace infra::aws;
  const unsigned pick = static_cast<unsigned>(size);
  static const int kStatus[] = {200, 400, 403, 404, 409, 429, 500, 503};
  HttpResponse response;
  response.status = kStatus[pick % 8];
  response.body.assign(reinterpret_cast<const char*>(data), size);
  response.headers["content-type"] = "application/x-amz-json-1.1";
  if (pick & 8) response.headers["x-amzn-errortype"] = "ThrottlingException:http://internal.amazon.com/";
  if (pick & 16) response.headers["x-amzn-requestid"] = "req-1";
  auto reply = ParseJsonReply(response.body, "fuzz reply");
  if (reply.ok()) (void)reply->dump();
  for (const char* service : {"dynamodb", "ecs", "logs", "kms", "secretsmanager", "lambda", "ssm"}) {
    auto e = ParseAwsError(service, "Op", response);
    (void)e.ToString();
    (void)IsThrottlingCode(e.code);
    (void)IsQuotaCode(e.code);
  }
  (void)RequestIdOf(response);
  return 0;
}

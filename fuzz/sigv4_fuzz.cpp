// Fuzz target: the SigV4 canonicaliser and signer. The input is a request
// in the test suite's .req format ("METHOD /path?query HTTP/1.1", header
// lines, a blank line, the body); it is signed with header signing and
// presigned, under the default and S3 rules.
#include <chrono>
#include <cstdint>
#include <string>

#include "providers/aws/sdk/credentials.h"
#include "providers/aws/sdk/sigv4.h"

namespace {
using namespace infra::aws;

// Splits "a=b&c" into raw pairs (the signer encodes them).
QueryParams SplitQuery(const std::string& q) {
  QueryParams out;
  size_t i = 0;
  while (i <= q.size() && !q.empty()) {
    size_t amp = q.find('&', i);
    std::string part = q.substr(i, amp == std::string::npos ? std::string::npos : amp - i);
    size_t eq = part.find('=');
    out.emplace_back(part.substr(0, eq), eq == std::string::npos ? "" : part.substr(eq + 1));
    if (amp == std::string::npos) break;
    i = amp + 1;
  }
  return out;
}

SigningRequest ParseRequest(const std::string& text) {
  SigningRequest r;
  size_t end = text.find('\n');
  std::string first = text.substr(0, end);
  size_t sp1 = first.find(' ');
  size_t sp2 = first.rfind(' ');
  r.method = first.substr(0, sp1);
  std::string target = sp1 == std::string::npos ? "/" : first.substr(sp1 + 1, sp2 > sp1 ? sp2 - sp1 - 1 : std::string::npos);
  size_t qm = target.find('?');
  r.path = target.substr(0, qm);
  if (qm != std::string::npos) r.query = SplitQuery(target.substr(qm + 1));
  size_t pos = end == std::string::npos ? text.size() : end + 1;
  while (pos < text.size()) {
    size_t e = text.find('\n', pos);
    std::string line = text.substr(pos, e == std::string::npos ? std::string::npos : e - pos);
    pos = e == std::string::npos ? text.size() : e + 1;
    if (line.empty() || line == "\r") break;
    size_t colon = line.find(':');
    if (colon == std::string::npos && !r.headers.empty()) {
      r.headers.back().second += "\n" + line;  // a continuation line
      continue;
    }
    r.headers.emplace_back(line.substr(0, colon), colon == std::string::npos ? "" : line.substr(colon + 1));
  }
  if (pos < text.size()) r.body = text.substr(pos);
  return r;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  Credentials creds;
  creds.access_key_id = "AKIDEXAMPLE";
  creds.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  creds.session_token = size % 2 ? "token" : "";
  auto now = TimePoint{} + std::chrono::seconds(1440938160);
  for (const char* service : {"service", "s3"}) {
    SigV4Signer signer("us-east-1", service, SigningOptions::ForService(service));
    SigningRequest base = ParseRequest(text);
    (void)signer.CanonicalUri(base.path);
    (void)SigV4Signer::CanonicalQueryString(base.query);
    (void)SigV4Signer::CanonicalHeaders(base.headers);
    SigningRequest headers = base;
    (void)signer.SignHeaders(headers, creds, now);
    SigningRequest presign = base;
    (void)signer.Presign(presign, creds, now, std::chrono::seconds(900));
  }
  return 0;
}

// REST request framing. S3 buckets go in the host (virtual-hosted style)
// on real AWS, but stay in the path when an endpoint override is set (the
// SDKs' behaviour, and what local emulators expect) or when the name is not
// DNS-compatible.
#include "providers/aws/sdk/protocol_rest.h"

#include <algorithm>
#include <cctype>

#include "providers/aws/sdk/endpoints.h"

namespace infra::aws {

bool IsDnsCompatibleBucket(const std::string& bucket) {
  if (bucket.size() < 3 || bucket.size() > 63) return false;
  if (bucket.find("..") != std::string::npos) return false;
  auto ok = [](unsigned char c) { return std::islower(c) || std::isdigit(c) || c == '-' || c == '.'; };
  if (!std::all_of(bucket.begin(), bucket.end(), ok)) return false;
  return std::isalnum(static_cast<unsigned char>(bucket.front())) &&
         std::isalnum(static_cast<unsigned char>(bucket.back())) && bucket.find('.') == std::string::npos;
}

SigningRequest BuildRestRequest(const RestRequest& request, Endpoint& endpoint, bool is_s3) {
  SigningRequest r;
  r.method = request.method;
  r.path = request.path.empty() ? "/" : request.path;
  r.query = request.query;
  bool has_content_type = false;
  for (const auto& [k, v] : request.headers) {
    r.headers.emplace_back(k, v);
    has_content_type = has_content_type || k == "content-type" || k == "Content-Type";
  }
  r.body = request.body;
  // REST-XML bodies are XML documents; say so unless the caller chose a type.
  if (!r.body.empty() && !has_content_type) r.headers.emplace_back("content-type", "application/xml");
  if (is_s3 && !endpoint.s3_path_style && r.path.size() > 1) {
    size_t slash = r.path.find('/', 1);
    std::string bucket = r.path.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
    if (IsDnsCompatibleBucket(bucket)) {
      endpoint.host = bucket + "." + endpoint.host;
      r.path = slash == std::string::npos ? "/" : r.path.substr(slash);
    }
  }
  return r;
}

}  // namespace infra::aws

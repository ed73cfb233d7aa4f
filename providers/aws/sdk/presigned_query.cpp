// PresignedQueryUrl (see presigned_query.h).
#include "providers/aws/sdk/presigned_query.h"

#include "providers/aws/sdk/sigv4.h"

namespace infra::aws {

Result<std::string> PresignedQueryUrl(const Endpoint& ep, const std::string& action, const std::string& api_version,
                                      const QueryParams& params, const Credentials& creds, TimePoint now,
                                      std::chrono::seconds expires) {
  SigningRequest req;
  req.method = "GET";
  req.path = ep.base_path.empty() ? "/" : ep.base_path + "/";
  req.query = {{"Action", action}, {"Version", api_version}};
  req.query.insert(req.query.end(), params.begin(), params.end());
  req.headers = {{"host", ep.HostHeader()}};
  SigV4Signer signer(ep.signing_region, ep.signing_name, SigningOptions::ForService(ep.signing_name));
  auto signed_req = signer.Presign(req, creds, now, expires);
  if (!signed_req.ok()) return signed_req.error();
  std::string url = ep.scheme + "://" + ep.HostHeader() + req.path + "?";
  for (size_t i = 0; i < req.query.size(); ++i)
    url += (i ? "&" : "") + UriEncode(req.query[i].first, false) + "=" + UriEncode(req.query[i].second, false);
  return url;
}

}  // namespace infra::aws

// The ListBuckets listing shared by one refresh's regions (bucket_listing.h).
#include "providers/aws/s3/bucket_listing.h"

#include <utility>

namespace infra::aws::s3 {

SharedListingClient::SharedListingClient(std::shared_ptr<AwsClient> inner, std::string operation)
    : inner_(std::move(inner)), operation_(std::move(operation)) {}

Result<XmlResponse> SharedListingClient::Query(std::string_view service, const std::string& region,
                                               const std::string& action, const QueryParams& params,
                                               const CallOptions& options) {
  return inner_->Query(service, region, action, params, options);
}

Result<nlohmann::json> SharedListingClient::Json(std::string_view service, const std::string& region,
                                                 const std::string& operation, const nlohmann::json& body,
                                                 const CallOptions& options) {
  return inner_->Json(service, region, operation, body, options);
}

void SharedListingClient::Forget() {
  std::lock_guard lock(mu_);
  pages_.clear();
  served_.clear();
}

Result<RestResponse> SharedListingClient::Rest(std::string_view service, const std::string& region,
                                               const std::string& operation, const RestRequest& request,
                                               const CallOptions& options) {
  if (request.method != "GET") {  // a change: no listing from before it (or made while it ran) is used after it
    Forget();
    auto r = inner_->Rest(service, region, operation, request, options);
    Forget();
    return r;
  }
  if (operation != operation_) return inner_->Rest(service, region, operation, request, options);
  std::string key = request.path;
  for (const auto& [k, v] : request.query) key += "&" + k + "=" + v;
  std::promise<Result<RestResponse>> mine;
  Reply reply;
  {
    std::lock_guard lock(mu_);
    const bool first_page = request.query.empty();  // later pages carry the continuation token
    if (first_page && !served_.insert(region).second) {  // this region was read: a new refresh
      pages_.clear();
      served_ = {region};
    }
    auto it = pages_.find(key);
    if (it != pages_.end()) {
      reply = it->second;
    } else {
      pages_[key] = mine.get_future().share();
    }
  }
  if (reply.valid()) return reply.get();
  Result<RestResponse> r = inner_->Rest(service, region, operation, request, options);
  mine.set_value(r);
  if (!r.ok()) Forget();  // the next read lists again
  return r;
}

}  // namespace infra::aws::s3

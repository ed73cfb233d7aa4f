// One ListBuckets for a whole refresh. S3's bucket namespace is global: the
// listing one region's read of aws_s3_bucket made answers the other
// regions' reads of the same refresh. The engine reads each (type, region)
// once per refresh, so a second read for a region that the listing served
// already starts a new listing, and so does every read after a bucket was
// changed through this client (any call but a GET): a read-back after a
// create never sees a listing made before it.
#pragma once
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "providers/aws/sdk/aws_client.h"

namespace infra::aws::s3 {

/// An AwsClient over `inner` that shares the REST GET `operation`'s replies
/// (every page, by path and query) between regions as above; every other
/// call goes to `inner` unchanged. Thread-safe: a read for another region
/// while the listing is on the wire waits for it instead of listing again.
class SharedListingClient : public AwsClient {
 public:
  SharedListingClient(std::shared_ptr<AwsClient> inner, std::string operation);

  Result<XmlResponse> Query(std::string_view service, const std::string& region, const std::string& action,
                            const QueryParams& params, const CallOptions& options) override;
  Result<nlohmann::json> Json(std::string_view service, const std::string& region, const std::string& operation,
                              const nlohmann::json& body, const CallOptions& options) override;
  /// `operation`'s GET from the shared listing (listed when it must be);
  /// anything but a GET forgets the listing, then goes to `inner`.
  Result<RestResponse> Rest(std::string_view service, const std::string& region, const std::string& operation,
                            const RestRequest& request, const CallOptions& options) override;
  int Concurrency(std::string_view service) const override { return inner_->Concurrency(service); }
  Result<std::string> CredentialSource() override { return inner_->CredentialSource(); }

 private:
  using Reply = std::shared_future<Result<RestResponse>>;
  void Forget();

  std::shared_ptr<AwsClient> inner_;
  const std::string operation_;
  std::mutex mu_;
  std::map<std::string, Reply> pages_;  // by path and query: the listing
  std::set<std::string> served_;        // regions the listing answered
};

}  // namespace infra::aws::s3

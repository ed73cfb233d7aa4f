// Pagination written once: a generic token loop plus adapters for the
// shapes AWS uses (EC2 NextToken/nextToken, query Marker/NextMarker, JSON
// nextToken/NextToken, Route 53 IsTruncated + NextMarker). Resource
// families pass a page callback; they never copy the loop.
#pragma once
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "providers/aws/sdk/aws_client.h"

namespace pugi {
class xml_document;
}

namespace infra::aws {

/// Fetches the page for `token` ("" = first page) and returns the next
/// token ("" = last page).
using PageFetch = std::function<Result<std::string>(const std::string& token)>;

/// Runs `fetch` until it returns "". Stops with an Error (kInternal) when a
/// token repeats (a service bug that would loop forever) or after
/// `max_pages` pages.
Status Paginate(const PageFetch& fetch, int max_pages = 10000);

/// Names of the tokens of one paged XML call.
struct XmlPaging {
  std::string input_token = "NextToken";   // request parameter
  std::string output_token = "nextToken";  // element anywhere in the reply
  /// When set, a reply whose element of this name is not "true" is the last
  /// page (IAM/Route 53 "IsTruncated").
  std::string truncated_flag;
};

/// EC2/query pagination: calls `action` with `params` (+ input token) and
/// hands each parsed page to `on_page`.
Status PaginateQuery(AwsClient& client, std::string_view service, const std::string& region,
                     const std::string& action, const QueryParams& params, const XmlPaging& paging,
                     const std::function<Status(const pugi::xml_document&)>& on_page,
                     const CallOptions& options = {});

/// JSON pagination: `input_token` is set in the body, `output_token` read
/// from the reply (both "nextToken" for ECS/Logs, "NextToken" for others).
Status PaginateJson(AwsClient& client, std::string_view service, const std::string& region,
                    const std::string& operation, const nlohmann::json& body,
                    const std::string& input_token, const std::string& output_token,
                    const std::function<Status(const nlohmann::json&)>& on_page,
                    const CallOptions& options = {});

/// REST-XML pagination (Route 53 "marker"/"NextMarker" + "IsTruncated",
/// S3 ListObjectsV2 "continuation-token"/"NextContinuationToken"): the input
/// token goes in the query string.
Status PaginateRest(AwsClient& client, std::string_view service, const std::string& region,
                    const std::string& operation, const RestRequest& request, const XmlPaging& paging,
                    const std::function<Status(const pugi::xml_document&)>& on_page,
                    const CallOptions& options = {});

}  // namespace infra::aws

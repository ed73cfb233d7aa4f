// ScriptedAwsClient: an AwsClient for unit tests of resource families. Each
// Query is answered by the next scripted reply (an XML body or an Error)
// and recorded, so tests check both field mapping and the wire parameters.
#pragma once
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "providers/aws/sdk/aws_client.h"

namespace infra::test {

class ScriptedAwsClient : public aws::AwsClient {
 public:
  struct Call {
    std::string service, region, action;
    aws::QueryParams params;
    bool idempotent = true;
    /// The value of parameter `key` ("" when absent).
    std::string Param(const std::string& key) const;
  };

  /// The next Query answers `body` (expected action `action`).
  void Reply(std::string action, std::string body);
  /// The next Query fails with an AWS error `code` (kind from the code).
  void Fail(std::string action, std::string code, Error::Kind kind);

  Result<aws::XmlResponse> Query(std::string_view service, const std::string& region, const std::string& action,
                                 const aws::QueryParams& params, const aws::CallOptions& options) override;
  Result<nlohmann::json> Json(std::string_view, const std::string&, const std::string& operation,
                              const nlohmann::json&, const aws::CallOptions&) override;
  Result<aws::RestResponse> Rest(std::string_view, const std::string&, const std::string& operation,
                                 const aws::RestRequest&, const aws::CallOptions&) override;
  int Concurrency(std::string_view) const override { return 4; }

  /// Every Query so far, in order.
  std::vector<Call> calls() const;
  /// Scripted replies not yet consumed.
  size_t remaining() const;

 private:
  struct Step {
    std::string action;
    std::string body;
    std::optional<Error> error;
  };
  mutable std::mutex mu_;
  std::deque<Step> script_;
  std::vector<Call> calls_;
};

}  // namespace infra::test

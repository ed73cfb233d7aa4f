// ScriptedAwsClient: an AwsClient for unit tests of resource families. Each
// call (Query, Json or Rest) is answered by the next scripted reply (an XML
// body, a JSON object, a REST reply or an Error) and recorded, so tests
// check both field mapping and the wire form (golden_wire.h).
#pragma once
#include <deque>
#include <map>
#include <optional>
#include <mutex>
#include <string>
#include <vector>

#include "providers/aws/sdk/aws_client.h"

namespace infra::test {

class ScriptedAwsClient : public aws::AwsClient {
 public:
  struct Call {
    enum class Protocol { kQuery, kJson, kRest };
    std::string service, region, action;
    aws::QueryParams params;
    bool idempotent = true;
    Protocol protocol = Protocol::kQuery;
    nlohmann::json body = nullptr;  // Json: the request body
    aws::RestRequest rest = {};     // Rest: the request as built
    /// The value of parameter `key` ("" when absent).
    std::string Param(const std::string& key) const;
  };

  /// The next Query answers `body` (expected action `action`).
  void Reply(std::string action, std::string body);
  /// The next call fails with an AWS error `code` (kind from the code) and
  /// `message` ("scripted <code> failure" when empty).
  void Fail(std::string action, std::string code, Error::Kind kind, std::string message = "");
  /// The next Json call answers `reply`.
  void ReplyJson(std::string operation, nlohmann::json reply);
  /// The next Rest call answers `body` with `status` and `headers`.
  void ReplyRest(std::string operation, std::string body, int status = 200,
                 std::map<std::string, std::string> headers = {});

  Result<aws::XmlResponse> Query(std::string_view service, const std::string& region, const std::string& action,
                                 const aws::QueryParams& params, const aws::CallOptions& options) override;
  Result<nlohmann::json> Json(std::string_view service, const std::string& region, const std::string& operation,
                              const nlohmann::json& body, const aws::CallOptions& options) override;
  Result<aws::RestResponse> Rest(std::string_view service, const std::string& region, const std::string& operation,
                                 const aws::RestRequest& request, const aws::CallOptions& options) override;
  int Concurrency(std::string_view) const override { return 4; }
  /// Recorded in presigns() (service, region, action, params); answers
  /// "https://presigned.<region>/<action>?<n params>" without consuming a
  /// scripted step.
  Result<std::string> PresignQuery(std::string_view service, const std::string& region, const std::string& action,
                                   const aws::QueryParams& params, std::chrono::seconds expires) override;

  /// Every Query so far, in order.
  std::vector<Call> calls() const;
  /// Every PresignQuery so far, in order.
  std::vector<Call> presigns() const;
  /// Scripted replies not yet consumed.
  size_t remaining() const;

 private:
  struct Step {
    std::string action;
    std::string body;
    std::optional<Error> error;
    nlohmann::json json = nullptr;
    int status = 200;
    std::map<std::string, std::string> headers = {};
  };
  /// Records `call` and takes the next step for it (an error when none or
  /// another action is scripted).
  Result<Step> Next(Call call);
  mutable std::mutex mu_;
  std::deque<Step> script_;
  std::vector<Call> calls_;
  std::vector<Call> presigns_;
};

}  // namespace infra::test

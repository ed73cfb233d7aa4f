// The wire side of the kit for the JSON protocols (awsJson 1.0/1.1, and
// REST-JSON / REST-XML through rest_wire.h): attributes mapped to JSON
// paths with nested objects and lists of objects ("config.scan_on_push",
// "rule[].destination[].region"), value conversions, the JSON hooks of a
// Spec, and one call whose reply is a JSON object whatever the protocol.
#pragma once
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "common/result.h"
#include "providers/aws/kit/rest_wire.h"
#include "providers/aws/kit/wire.h"
#include "providers/provider.h"

namespace infra::aws::kit {

/// Copies the value at attribute path `attr_path` of `attrs` to wire path
/// `wire_path` of `body`, converted by `conv`. A path is names joined by
/// '.'; a name ending in "[]" is a list whose elements the rest of the path
/// applies to (both paths need as many). Null or absent values write nothing.
void ToJsonWire(const nlohmann::json& attrs, const std::string& attr_path, nlohmann::json& body,
                const std::string& wire_path, Conv conv);

/// The reverse (reads): the value at `wire_path` of `item` to `attr_path`
/// of `attrs`. An absent or empty-string value writes nothing.
void FromJsonWire(const nlohmann::json& item, const std::string& wire_path, nlohmann::json& attrs,
                  const std::string& attr_path, Conv conv);

/// The value at a '.'-joined path (no "[]"); null when absent.
nlohmann::json JsonAt(const nlohmann::json& j, const std::string& path);

/// One call of a JSON or REST service through the shared client. JSON:
/// X-Amz-Target "<prefix>.<action>" with `body`. REST: `action`'s route
/// builds the request from `body` and the reply is converted to JSON (a
/// missing route is an internal error naming the action).
class JsonCall {
 public:
  JsonCall(AwsClient* client, const Service* service, const std::map<std::string, RestRoute>* routes)
      : client_(client), service_(service), routes_(routes) {}
  /// `idempotent` false for a create without a token (never re-sent).
  Result<nlohmann::json> operator()(const std::string& region, const std::string& action,
                                    const nlohmann::json& body, bool idempotent = true) const;
  const Service& service() const { return *service_; }

 private:
  AwsClient* client_;
  const Service* service_;
  const std::map<std::string, RestRoute>* routes_;
};

/// Spec::hooks for the JSON protocols, each optional.
struct JsonHooks {
  /// Extra create members computed from desired (a generated name).
  std::function<void(const provider::OperationContext&, const provider::Attributes& desired, nlohmann::json& body)>
      create_body;
  /// The new id from desired and the create reply (null for Adoption::kById).
  std::function<std::string(const provider::Attributes& desired, const nlohmann::json& reply)> id_of;
  /// The members naming `id` in update / delete / per-id read calls
  /// (default: {JsonWire::id_member: id}).
  std::function<nlohmann::json(const std::string& id)> id_body;
  /// Extra delete members from prior (ECR `force`).
  std::function<void(const provider::Attributes& prior, nlohmann::json& body)> delete_body;
  /// After the create call, before the read-back.
  std::function<Status(const JsonCall&, const provider::OperationContext&, const std::string& id,
                       const provider::Attributes& desired)>
      after_create;
  /// What the field table cannot express; an item that yields null is gone.
  std::function<void(const nlohmann::json& item, const std::string& region, provider::Attributes& a)> on_read;
};

/// What a Spec on a JSON or REST protocol adds to the XML-protocol parts.
struct JsonWire {
  /// The member naming the id ("logGroupName", "repositoryName").
  std::string id_member = {};
  /// CreateOp::token sends ctx.token here.
  std::string token_member = "clientToken";
  /// Reads follow this reply member to the next page (sent back as is).
  std::string page_token = "nextToken";
  /// REST protocols: the route of every operation the spec calls.
  std::map<std::string, RestRoute> routes = {};
  JsonHooks hooks = {};
};

}  // namespace infra::aws::kit

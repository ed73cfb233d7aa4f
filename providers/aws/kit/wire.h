// The wire side of the kit for the XML protocols (EC2 query, AWS query):
// a service's description, one call with its parsed reply, and the
// conversion of one attribute to request parameters and back from a reply.
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "providers/aws/sdk/aws_client.h"
#include "providers/aws/sdk/protocol_query.h"

namespace infra::aws::kit {

/// EC2 query (lists "Name.1", items <item>, lower-camel reply names) or
/// AWS query (lists "Name.member.1", items <member>, reply names as sent);
/// awsJson 1.0/1.1 (X-Amz-Target, JSON bodies) and REST-JSON / REST-XML
/// (method + URI template): these three run through kit::JsonSpecType
/// (json_spec_type.h) with JSON paths in the field table.
enum class Protocol { kEc2, kQuery, kJson, kRestJson, kRestXml };

/// How an attribute looks on the wire.
enum class Conv {
  kString,        // text; an empty reply element reads as null
  kBool,          // "true" / "false"
  kNumber,        // integer text; empty reads as null
  kJsonDocument,  // a JSON document sent as its text; read URL-decoded
  kStringList,    // Name.N / Name.member.N; read from the element's children
  kMap,           // JSON protocols: an object of strings, as it is
  kRaw,           // JSON protocols: any JSON value, as it is
};

/// JSON protocols (Tagging::Style::kTagResource): how tags look and where.
/// Tags go in the create body at `create_member`; after, `tag_action`
/// {resource_member: <attr resource_attr>, tags_member: tags} and
/// `untag_action` {resource_member, keys_member: [keys]}. They are read by
/// `list_action` {resource_member} (reply member `read_member`), one call
/// per resource, or inline from the item's `read_member` when it is "".
struct JsonTagging {
  /// kMap {"k": "v"} (Logs), kKeyValue [{"key","value"}] (ECS), kKeyValueUpper
  /// [{"Key","Value"}] (ECR, Secrets Manager, KMS uses TagKey/TagValue: not here).
  enum class Shape { kMap, kKeyValue, kKeyValueUpper };
  Shape shape = Shape::kMap;
  std::string create_member = "tags";
  std::string resource_member = "resourceArn";
  std::string resource_attr = "arn";
  std::string tags_member = "tags";
  std::string keys_member = "tagKeys";
  std::string list_action = "ListTagsForResource";
  std::string read_member = "tags";
};

/// How a type's tags are written. kTagSpecifications: EC2
/// TagSpecification at create, CreateTags/DeleteTags after. kMemberTags:
/// Tags.member.N at create, `tag_action` / `untag_action` (TagRole /
/// UntagRole, with TagKeys.member.N) after. kTagResource: the JSON
/// protocols' TagResource / UntagResource, shaped by `json`.
struct Tagging {
  enum class Style { kNone, kTagSpecifications, kMemberTags, kTagResource };
  Style style = Style::kNone;
  std::string resource_type = {};  // EC2 TagSpecification ResourceType ("vpc")
  std::string tag_action = {};
  std::string untag_action = {};
  JsonTagging json = {};
};

/// A service as the kit needs it.
struct Service {
  std::string name;  // "ec2", "iam": the client's service and the engine's pool
  Protocol protocol = Protocol::kEc2;
  Tagging tags = {};
  /// Error codes meaning "no such resource" beyond *NotFound* / NoSuch*.
  std::vector<std::string> not_found_codes = {};
};

/// A parsed reply; `root` is the <XxxResponse> element.
struct Reply {
  std::unique_ptr<pugi::xml_document> doc;
  pugi::xml_node root;
};

/// One call of a service through the shared client (null client: an
/// internal error naming the action). Thread-safe as the client is.
class Call {
 public:
  Call(AwsClient* client, const Service* service) : client_(client), service_(service) {}
  /// `idempotent` false for a create without a token (never re-sent).
  Result<Reply> operator()(const std::string& region, const std::string& action, const QueryParams& params,
                           bool idempotent = true) const;
  const Service& service() const { return *service_; }

 private:
  AwsClient* client_;
  const Service* service_;
};

/// True if `e` means the resource does not exist for `service`.
bool IsNotFound(const Service& service, const Error& e);

/// The reply element name for a request parameter (EC2: lower-camel).
std::string ReplyName(Protocol protocol, const std::string& param);

/// Appends `value` of one attribute as parameter `param` (nothing for null).
void AddParam(QueryParams& params, Protocol protocol, const std::string& param, Conv conv,
              const nlohmann::json& value);

/// The attribute value at `path` of `item` (null when absent or empty).
nlohmann::json ReadValue(pugi::xml_node item, const std::string& path, Conv conv);

/// `attrs[key]` as text ("" when absent, null or not a string).
std::string AttrText(const nlohmann::json& attrs, const std::string& key);

/// RFC 3986 percent-decoding ("%7B" -> "{"); '+' stays as it is.
std::string PercentDecode(const std::string& s);

}  // namespace infra::aws::kit

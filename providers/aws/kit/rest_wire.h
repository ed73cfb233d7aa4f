// The REST side of the kit (REST-JSON: Lambda, API Gateway; REST-XML: S3,
// Route 53): an operation's route (method, URI template with path and query
// parameters, body root), the request built from a JSON body of members,
// and the reply turned back into JSON, so JsonSpecType runs REST types with
// the same field tables as the awsJson ones.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "providers/aws/kit/wire.h"
#include "providers/aws/sdk/aws_client.h"

namespace infra::aws::kit {

/// One REST operation, as botocore's `http` trait gives it. `uri`:
/// "/2015-03-31/functions/{FunctionName}" or "/{Bucket}?tagging"; "{Key+}"
/// keeps '/' unencoded; a query part "a={B}" is sent when member B is set,
/// a bare "tagging" always. REST-XML: the body is the members left under
/// <`xml_root` xmlns=`xmlns`>, or the content of the member named `xml_root`
/// when there is one (the payload member: CreateBucketConfiguration); none
/// when no member is left or there is no root.
struct RestRoute {
  std::string method = "GET";
  std::string uri = "/";
  std::string xml_root = {};
  std::string xmlns = {};
  /// Members sent as headers instead (header name by member name).
  std::map<std::string, std::string> headers = {};
  /// Send Content-MD5 of the body (S3 PutBucketTagging, PutBucketLifecycle...).
  bool content_md5 = false;
  /// REST-XML: the order of child elements by parent element name (the
  /// botocore shape's member order). Route 53 validates its requests against
  /// a schema with fixed sequences; members not listed follow, sorted.
  std::map<std::string, std::vector<std::string>> xml_order = {};
};

/// The request for `route`: members named by the URI template and headers
/// are taken out of `body` (values percent-encoded in the path, RFC 3986),
/// the rest is the body (REST-JSON: JSON text, none when empty; REST-XML:
/// XML). Error (kInvalid) when a path member is missing.
Result<RestRequest> RestRequestFor(const RestRoute& route, Protocol protocol, nlohmann::json body);

/// A 2xx REST reply as JSON: REST-JSON parsed, REST-XML converted with
/// XmlToJson under no root, an empty body `{}`. Response headers are added
/// as members "header:<lower-case name>". Error names `what`.
Result<nlohmann::json> RestReplyJson(Protocol protocol, const RestResponse& reply, const std::string& what);

/// An element as JSON: an element with child elements is an object (a name
/// repeated among siblings is a list), a leaf its text.
nlohmann::json XmlToJson(pugi::xml_node element);

/// `body` as XML under <root xmlns=..>: an object's members are elements,
/// a list repeats its element name, scalars are text. Children of an
/// element named in `order` come in that order (then the rest, sorted).
std::string JsonToXml(const std::string& root, const std::string& xmlns, const nlohmann::json& body,
                      const std::map<std::string, std::vector<std::string>>& order = {});

}  // namespace infra::aws::kit

// The Lambda service and routes (botocore lambda 2015-03-31), and the code
// of a function read from its zip file (sent as ZipFile, base64).
#include "providers/aws/lambda/lambda_service.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <fstream>
#include <sstream>
#include <vector>

namespace infra::aws::lambda {

kit::Service Service(bool tagged) {
  kit::Service svc{"lambda", kit::Protocol::kRestJson};
  svc.not_found_codes = {"ResourceNotFoundException"};
  if (!tagged) return svc;
  svc.tags = {kit::Tagging::Style::kTagResource, "", "TagResource", "UntagResource"};
  svc.tags.json.create_member = "Tags";
  svc.tags.json.resource_member = "Resource";
  svc.tags.json.tags_member = "Tags";
  svc.tags.json.keys_member = "TagKeys";
  svc.tags.json.list_action = "";  // GetFunction returns them
  svc.tags.json.read_member = "Tags";
  return svc;
}

const std::map<std::string, kit::RestRoute>& Routes() {
  static const std::map<std::string, kit::RestRoute> routes = {
      {"CreateFunction", {"POST", "/2015-03-31/functions"}},
      {"GetFunction", {"GET", "/2015-03-31/functions/{FunctionName}"}},
      {"ListFunctions", {"GET", "/2015-03-31/functions?Marker={NextMarker}&MaxItems={MaxItems}"}},
      {"UpdateFunctionCode", {"PUT", "/2015-03-31/functions/{FunctionName}/code"}},
      {"UpdateFunctionConfiguration", {"PUT", "/2015-03-31/functions/{FunctionName}/configuration"}},
      {"DeleteFunction", {"DELETE", "/2015-03-31/functions/{FunctionName}"}},
      {"PutFunctionConcurrency", {"PUT", "/2017-10-31/functions/{FunctionName}/concurrency"}},
      {"DeleteFunctionConcurrency", {"DELETE", "/2017-10-31/functions/{FunctionName}/concurrency"}},
      {"GetFunctionConcurrency", {"GET", "/2019-09-30/functions/{FunctionName}/concurrency"}},
      {"TagResource", {"POST", "/2017-03-31/tags/{Resource}"}},
      {"UntagResource", {"DELETE", "/2017-03-31/tags/{Resource}?tagKeys={TagKeys}"}},
      {"AddPermission", {"POST", "/2015-03-31/functions/{FunctionName}/policy?Qualifier={Qualifier}"}},
      {"RemovePermission",
       {"DELETE", "/2015-03-31/functions/{FunctionName}/policy/{StatementId}?Qualifier={Qualifier}"}},
      {"GetPolicy", {"GET", "/2015-03-31/functions/{FunctionName}/policy?Qualifier={Qualifier}"}},
      {"CreateAlias", {"POST", "/2015-03-31/functions/{FunctionName}/aliases"}},
      {"GetAlias", {"GET", "/2015-03-31/functions/{FunctionName}/aliases/{Name}"}},
      {"UpdateAlias", {"PUT", "/2015-03-31/functions/{FunctionName}/aliases/{Name}"}},
      {"DeleteAlias", {"DELETE", "/2015-03-31/functions/{FunctionName}/aliases/{Name}"}},
  };
  return routes;
}

namespace {

std::string Base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string Text(const provider::Attributes& a, const char* key) {
  return a.contains(key) && a[key].is_string() ? a[key].get<std::string>() : "";
}

}  // namespace

std::string InvokeArn(const std::string& arn) {
  std::vector<std::string> part;  // arn, PARTITION, lambda, REGION
  for (size_t s = 0, e = 0; part.size() < 4 && e != std::string::npos; s = e + 1) {
    e = arn.find(':', s);
    part.push_back(arn.substr(s, e == std::string::npos ? std::string::npos : e - s));
  }
  if (part.size() < 4 || part[0] != "arn") return "";
  return fmt::format("arn:{}:apigateway:{}:lambda:path/2015-03-31/functions/{}/invocations", part[1], part[3], arn);
}

Result<nlohmann::json> CodeOf(const provider::Attributes& desired) {
  nlohmann::json code = nlohmann::json::object();
  if (std::string file = Text(desired, "filename"); !file.empty()) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    if (in) bytes << in.rdbuf();
    if (!in)
      return MakeError(Error::Kind::kInvalid, "UnreadableCode",
                       fmt::format("aws_lambda_function: cannot read the function's code at filename '{}'", file));
    code["ZipFile"] = Base64(bytes.str());
    return code;
  }
  for (auto [attr, member] : {std::pair{"s3_bucket", "S3Bucket"}, std::pair{"s3_key", "S3Key"},
                              std::pair{"s3_object_version", "S3ObjectVersion"}, std::pair{"image_uri", "ImageUri"}})
    if (std::string v = Text(desired, attr); !v.empty()) code[member] = v;
  return code;
}

}  // namespace infra::aws::lambda

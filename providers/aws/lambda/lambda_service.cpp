// The Lambda service and routes (botocore lambda 2015-03-31).
#include "providers/aws/lambda/lambda_service.h"

#include <fmt/format.h>

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
      {"ListTags", {"GET", "/2017-03-31/tags/{Resource}"}},
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

std::string InvokeArn(const std::string& arn) {
  std::vector<std::string> part;  // arn, PARTITION, lambda, REGION
  for (size_t s = 0, e = 0; part.size() < 4 && e != std::string::npos; s = e + 1) {
    e = arn.find(':', s);
    part.push_back(arn.substr(s, e == std::string::npos ? std::string::npos : e - s));
  }
  if (part.size() < 4 || part[0] != "arn") return "";
  return fmt::format("arn:{}:apigateway:{}:lambda:path/2015-03-31/functions/{}/invocations", part[1], part[3], arn);
}

}  // namespace infra::aws::lambda

// aws_lambda_alias: a name for a version of a function (CreateAlias /
// UpdateAlias / GetAlias). The id is "FUNCTION/NAME" (the import form);
// the version and description change in place.
#include <memory>

#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/lambda/lambda_service.h"
#include "providers/aws/lambda/lambda_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using kit::AttrText;
using provider::Attributes;

kit::Spec AliasSpec() {
  provider::ResourceSchema s;
  s.type = "aws_lambda_alias";
  s.service = "lambda";
  s.taggable = false;
  s.attributes = {
      Required("name", kForceNew),
      Required("function_name", kForceNew),
      Required("function_version"),
      Optional("description"),
      Computed("id"),
      Computed("arn"),
      Computed("invoke_arn"),
  };
  kit::Spec spec{std::move(s), lambda::Service(false), {
      {"name", "Name"},
      {"function_name", "FunctionName", "-"},
      {"function_version", "FunctionVersion"},
      {"description", "Description"},
      {"arn", "", "AliasArn", kit::Conv::kString, kit::kRead},
  }, {"CreateAlias", ""}};
  spec.updates = {{{"function_version", "description"}, "UpdateAlias"}};
  spec.del = {"DeleteAlias", {}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "GetAlias", "", ""};
  spec.adopt = {kit::Adoption::Kind::kById};
  spec.json.routes = lambda::Routes();
  spec.json.hooks.id_of = [](const Attributes& d, const nlohmann::json&) {
    return AttrText(d, "function_name") + "/" + AttrText(d, "name");
  };
  spec.json.hooks.id_body = [](const std::string& id) {
    size_t slash = id.rfind('/');
    return nlohmann::json{{"FunctionName", id.substr(0, slash)}, {"Name", id.substr(slash + 1)}};
  };
  spec.json.hooks.on_read = [](const nlohmann::json&, const std::string&, Attributes& a) {
    if (std::string invoke = lambda::InvokeArn(AttrText(a, "arn")); !invoke.empty()) a["invoke_arn"] = invoke;
  };
  return spec;
}

}  // namespace

void AddLambdaAliasTypes(TypeRegistry& p) { p.Add(std::make_unique<kit::JsonSpecType>(p.client(), AliasSpec())); }

}  // namespace infra::aws

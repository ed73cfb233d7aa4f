// aws_lambda_permission: one statement of a function's resource policy
// (AddPermission / RemovePermission), read back from GetPolicy's document:
// the statement with this Sid, its principal ("events.amazonaws.com", or an
// account for arn:aws:iam::ACCOUNT:root) and its source ARN / account
// conditions. Every argument forces a new statement, as in Terraform. The
// id is "FUNCTION[:QUALIFIER]/STATEMENT_ID" (the import form).
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

std::pair<std::string, std::string> SplitId(const std::string& id) {
  size_t slash = id.rfind('/');
  if (slash == std::string::npos) return {id, ""};
  return {id.substr(0, slash), id.substr(slash + 1)};
}

std::string Qualified(const Attributes& d) {
  std::string q = AttrText(d, "qualifier");
  return AttrText(d, "function_name") + (q.empty() ? "" : ":" + q);
}

// The statement `sid` of a GetPolicy reply as attributes (null: none).
void FromPolicy(const nlohmann::json& reply, Attributes& a) {
  auto doc = nlohmann::json::parse(AttrText(reply, "Policy"), nullptr, false);
  std::string sid = SplitId(AttrText(a, "id")).second;
  for (const auto& st : doc.is_object() ? doc.value("Statement", nlohmann::json::array()) : nlohmann::json::array()) {
    if (AttrText(st, "Sid") != sid) continue;
    a["statement_id"] = sid;
    a["action"] = st.value("Action", nlohmann::json());
    nlohmann::json p = st.value("Principal", nlohmann::json());
    std::string principal = p.is_string() ? p.get<std::string>() : p.is_object() ? AttrText(p, p.contains("Service") ? "Service" : "AWS") : "";
    if (principal.rfind("arn:", 0) == 0 && principal.size() > 5 && principal.compare(principal.size() - 5, 5, ":root") == 0)
      principal = principal.substr(principal.rfind("::") + 2, 12);  // arn:aws:iam::ACCOUNT:root -> ACCOUNT
    a["principal"] = principal;
    nlohmann::json cond = st.value("Condition", nlohmann::json::object());
    a["source_arn"] = kit::JsonAt(cond, "ArnLike.AWS:SourceArn");
    if (a["source_arn"].is_null()) a["source_arn"] = kit::JsonAt(cond, "ArnEquals.AWS:SourceArn");
    a["source_account"] = kit::JsonAt(cond, "StringEquals.AWS:SourceAccount");
    return;
  }
  a = nullptr;  // no such statement: gone
}

kit::Spec PermissionSpec() {
  provider::ResourceSchema s;
  s.type = "aws_lambda_permission";
  s.service = "lambda";
  s.taggable = false;
  s.attributes = {
      Required("function_name", kForceNew),
      Required("statement_id", kForceNew),
      Required("action", kForceNew),
      Required("principal", kForceNew),
      Optional("source_arn", kForceNew),
      Optional("source_account", kForceNew),
      Optional("qualifier", kForceNew),
      Computed("id"),
  };
  kit::Spec spec{std::move(s), lambda::Service(false), {
      {"statement_id", "StatementId", "-", kit::Conv::kString, kit::kCreate},
      {"action", "Action", "-", kit::Conv::kString, kit::kCreate},
      {"principal", "Principal", "-", kit::Conv::kString, kit::kCreate},
      {"source_arn", "SourceArn", "-", kit::Conv::kString, kit::kCreate},
      {"source_account", "SourceAccount", "-", kit::Conv::kString, kit::kCreate},
  }, {"AddPermission", ""}};
  spec.del = {"RemovePermission", {}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "GetPolicy", "", ""};
  spec.adopt = {kit::Adoption::Kind::kById};
  spec.json.routes = lambda::Routes();
  spec.json.hooks.id_of = [](const Attributes& d, const nlohmann::json&) {
    return Qualified(d) + "/" + AttrText(d, "statement_id");
  };
  spec.json.hooks.id_body = [](const std::string& id) { return nlohmann::json{{"FunctionName", SplitId(id).first}}; };
  spec.json.hooks.create_body = [](const provider::OperationContext&, const Attributes& d, nlohmann::json& body) {
    body["FunctionName"] = Qualified(d);
  };
  spec.json.hooks.delete_body = [](const Attributes& prior, nlohmann::json& body) {
    body["StatementId"] = SplitId(AttrText(prior, "id")).second;
  };
  spec.json.hooks.on_read = [](const nlohmann::json& reply, const std::string&, Attributes& a) { FromPolicy(reply, a); };
  return spec;
}

}  // namespace

void AddLambdaPermissionTypes(TypeRegistry& p) {
  p.Add(std::make_unique<kit::JsonSpecType>(p.client(), PermissionSpec()));
}

}  // namespace infra::aws

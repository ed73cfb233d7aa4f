// aws_secretsmanager_secret_version: one value of a secret (PutSecretValue
// with the apply's token as ClientRequestToken, so a repeat makes no second
// version), and data source aws_secretsmanager_secret_version. The id is
// "<secret ARN>|<version id>", as Terraform's. The resource never reads the
// value back (DescribeSecret's VersionIdsToStages says whether the version
// still exists): secret_string is only what the stack gave, sealed in
// state. The data source reads it (GetSecretValue) as a sensitive result.
#include <memory>

#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/secretsmanager/secretsmanager_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrType;
using provider::Attributes;
using provider::OperationContext;

std::string SecretOf(const std::string& id) { return id.substr(0, id.find('|')); }
std::string VersionOf(const std::string& id) {
  auto bar = id.find('|');
  return bar == std::string::npos ? std::string() : id.substr(bar + 1);
}

// Deleting a version only forgets it: the secret's delete removes its
// versions, and AWS keeps the current one whatever is asked.
class VersionType : public kit::JsonSpecType {
 public:
  using JsonSpecType::JsonSpecType;
  Result<provider::ApplyResult> Delete(const OperationContext&, const Attributes& prior) override {
    return provider::ApplyResult{prior, false};
  }
};

kit::Spec VersionSpec() {
  provider::ResourceSchema s;
  s.type = "aws_secretsmanager_secret_version";
  s.service = "secretsmanager";
  s.taggable = false;
  s.attributes = {
      Required("secret_id", kForceNew),
      Required("secret_string", kForceNew | kSensitive),
      Computed("version_stages", AttrType::kSetString),
      Computed("id"), Computed("arn"), Computed("version_id"),
  };
  kit::Spec spec{std::move(s), secretsmanager::Service(), {
      {"secret_id", "SecretId", "ARN"},
      {"secret_string", "SecretString", "-", kit::Conv::kString, kit::kCreate},  // never read back
      {"arn", "", "ARN", kit::Conv::kString, kit::kRead},
  }, {"PutSecretValue", "", /*token=*/true}};
  spec.del = {"", {}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "DescribeSecret", "SecretId", ""};
  spec.adopt = {kit::Adoption::Kind::kNone};  // the token makes a repeated put the same version
  spec.json.token_member = "ClientRequestToken";
  spec.json.hooks.id_of = [](const Attributes&, const nlohmann::json& reply) {
    return reply.value("ARN", "") + "|" + reply.value("VersionId", "");
  };
  spec.json.hooks.id_body = [](const std::string& id) { return nlohmann::json{{"SecretId", SecretOf(id)}}; };
  spec.json.hooks.on_read = [](const nlohmann::json& item, const std::string&, Attributes& a) {
    std::string version = VersionOf(kit::AttrText(a, "id"));
    nlohmann::json stages = kit::JsonAt(item, "VersionIdsToStages." + version);
    if ((item.contains("DeletedDate") && !item["DeletedDate"].is_null()) || !stages.is_array()) {
      a = nullptr;  // the version (or its secret) is gone
      return;
    }
    a["version_id"] = version;
    a["version_stages"] = stages;
  };
  return spec;
}

// data "aws_secretsmanager_secret_version": the value of a secret's version
// (by version_id, or version_stage, AWSCURRENT by default).
class VersionData : public provider::DataSourceType {
 public:
  explicit VersionData(std::shared_ptr<AwsClient> client) : client_(std::move(client)) {
    schema_.type = "aws_secretsmanager_secret_version";
    schema_.service = "secretsmanager";
    schema_.taggable = false;
    schema_.attributes = {Required("secret_id"), Optional("version_id"), Optional("version_stage"),
                          Attr("secret_string", AttrType::kString, provider::AttrMode::kComputed, kSensitive),
                          Computed("arn"), Computed("id"), Computed("version_stages", AttrType::kSetString)};
  }
  const provider::ResourceSchema& schema() const override { return schema_; }

  Result<Attributes> Read(const OperationContext& ctx, const Attributes& args) override {
    nlohmann::json body = {{"SecretId", kit::AttrText(args, "secret_id")}};
    if (!kit::AttrText(args, "version_id").empty()) body["VersionId"] = args["version_id"];
    else body["VersionStage"] = kit::AttrText(args, "version_stage").empty() ? "AWSCURRENT" : args["version_stage"];
    kit::JsonCall call(client_.get(), &service_, &routes_);
    auto r = call(ctx.region, "GetSecretValue", body);
    if (!r.ok()) return r.error();
    Attributes a = args;
    a["arn"] = r->value("ARN", "");
    a["version_id"] = r->value("VersionId", "");
    a["id"] = a["arn"].get<std::string>() + "|" + a["version_id"].get<std::string>();
    a["version_stages"] = r->value("VersionStages", nlohmann::json::array());
    a["secret_string"] = r->value("SecretString", nlohmann::json());
    return a;
  }

 private:
  std::shared_ptr<AwsClient> client_;
  provider::ResourceSchema schema_;
  kit::Service service_ = secretsmanager::Service();
  std::map<std::string, kit::RestRoute> routes_;
};

}  // namespace

void AddSecretVersionTypes(TypeRegistry& p) {
  p.Add(std::make_unique<VersionType>(p.client(), VersionSpec()));
  p.AddData(std::make_unique<VersionData>(p.client()));
}

}  // namespace infra::aws

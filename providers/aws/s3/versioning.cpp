// aws_s3_bucket_versioning: Enabled or Suspended (PutBucketVersioning).
// A bucket that was never versioned reads as no versioning resource;
// delete suspends versioning (S3 cannot turn it off), and only forgets a
// configuration that was already suspended.
#include <memory>

#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/s3/s3_service.h"
#include "providers/aws/s3/s3_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrMode;
using provider::Attributes;

kit::Spec VersioningSpec() {
  auto spec = s3::ConfigSpec(
      {"aws_s3_bucket_versioning", "versioning", "PutBucketVersioning", "GetBucketVersioning", "",
       "VersioningConfiguration",
       [](const nlohmann::json&, Attributes& a) {
         if (kit::AttrText(a["versioning_configuration"], "status").empty()) a = nullptr;  // never versioned
       }},
      {Block("versioning_configuration", AttrMode::kRequired,
             {OneOf(Required("status"), {"Enabled", "Suspended"}),
              OneOf(OptionalComputed("mfa_delete"), {"Enabled", "Disabled"})})},
      {{"versioning_configuration.status", "VersioningConfiguration.Status"},
       {"versioning_configuration.mfa_delete", "VersioningConfiguration.MfaDelete"}});
  spec.json.hooks.delete_body = [](const Attributes&, nlohmann::json& body) {
    body["VersioningConfiguration"] = {{"Status", "Suspended"}};
  };
  return spec;
}

}  // namespace

void AddS3VersioningTypes(TypeRegistry& p) {
  p.Add(std::make_unique<s3::BucketConfigType>(p.client(), VersioningSpec(), [](const Attributes& prior) {
    return kit::AttrText(prior.value("versioning_configuration", nlohmann::json::object()), "status") != "Enabled";
  }));
}

}  // namespace infra::aws

// aws_ssm_parameter: a String, StringList or SecureString parameter. The id
// is the name; `value` is always sensitive (never shown, encrypted in
// state), as in Terraform. `type` is written `attributes: {type: ...}` in a
// stack (the language's own `type:`). Reads batch GetParameters by 10 names
// WithDecryption, then DescribeParameters (description, tier, key, pattern)
// for the same names; tags are by ResourceType Parameter + name, which the
// kit's TagResource shape cannot name, so this file writes them. An update
// is PutParameter with Overwrite. Also data.aws_ssm_parameter (name,
// with_decryption).
#include <map>
#include <memory>

#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/json_tags.h"
#include "providers/aws/kit/lookup_data_source.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/ssm/ssm_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrType;
using provider::Attributes;

nlohmann::json Named(const std::string& name) { return {{"ResourceType", "Parameter"}, {"ResourceId", name}}; }

class ParameterType : public kit::JsonSpecType {
 public:
  using kit::JsonSpecType::JsonSpecType;

  Result<std::map<std::string, Attributes>> Read(const std::string& region,
                                                 const std::vector<std::string>& ids) override {
    std::map<std::string, Attributes> out;
    for (size_t at = 0; at < ids.size(); at += 10) {
      std::vector<std::string> chunk(ids.begin() + at, ids.begin() + std::min(ids.size(), at + 10));
      auto got = call()(region, "GetParameters", {{"Names", chunk}, {"WithDecryption", true}});
      if (!got.ok()) return got.error();
      for (const auto& item : kit::JsonAt(*got, "Parameters")) {
        const std::string name = kit::AttrText(item, "Name");
        Attributes a = nlohmann::json::object();
        a["id"] = name;
        for (const auto& f : spec().fields)
          if (f.path.rfind("Parameters.", 0) == 0) kit::FromJsonWire(item, f.path.substr(11), a, f.attr, f.conv);
        out[name] = std::move(a);
      }
      if (out.empty()) continue;
      nlohmann::json filter = {{"Key", "Name"}, {"Option", "Equals"}, {"Values", chunk}};
      for (nlohmann::json body = {{"ParameterFilters", {filter}}};;) {
        auto meta = call()(region, "DescribeParameters", body);
        if (!meta.ok()) return meta.error();
        for (const auto& item : kit::JsonAt(*meta, "Parameters"))
          if (auto it = out.find(kit::AttrText(item, "Name")); it != out.end())
            for (const auto& f : spec().fields)
              if (f.path.rfind("Parameters.", 0) != 0 && (f.use & kit::kRead)) kit::FromJsonWire(item, f.path, it->second, f.attr, f.conv);
        if (!meta->contains("NextToken") || !(*meta)["NextToken"].is_string()) break;
        body["NextToken"] = (*meta)["NextToken"];
      }
    }
    for (auto& [name, a] : out) {
      if (a.value("tier", nlohmann::json()).is_null()) a["tier"] = "Standard";
      auto tags = call()(region, "ListTagsForResource", Named(name));
      if (!tags.ok()) return tags.error();
      a["tags"] = kit::UserTagsOf(kit::TagsFromJson(kit::JsonTagging::Shape::kKeyValueUpper, kit::JsonAt(*tags, "TagList")));
    }
    return out;
  }

  /// PutParameter with Overwrite when anything but the tags changed, then the tags.
  Result<provider::ApplyResult> Update(const provider::OperationContext& ctx, const Attributes& prior,
                                       const Attributes& desired) override {
    auto changed = [&](const char* attr) {
      return !provider::SameValue(*schema().Find(attr), prior.value(attr, nlohmann::json()), desired.value(attr, nlohmann::json()));
    };
    if (changed("value") || changed("description") || changed("key_id") || changed("tier") || changed("allowed_pattern")) {
      nlohmann::json body = nlohmann::json::object();
      for (const auto& f : spec().fields)
        if (f.use & kit::kCreate) kit::ToJsonWire(desired, f.attr, body, f.param, f.conv);
      body["Overwrite"] = true;
      if (auto r = call()(ctx.region, "PutParameter", body); !r.ok()) return r.error();
    }
    const std::string name = kit::AttrText(prior, "id");
    auto before = kit::UserTagList(prior.value("tags", nlohmann::json()));
    auto after = kit::UserTagList(desired.value("tags", nlohmann::json()));
    std::map<std::string, std::string> was(before.begin(), before.end()), now(after.begin(), after.end());
    std::vector<std::string> removed;
    TagList set;
    for (const auto& [k, v] : was)
      if (!now.count(k)) removed.push_back(k);
    for (const auto& [k, v] : now)
      if (auto it = was.find(k); it == was.end() || it->second != v) set.emplace_back(k, v);
    if (!removed.empty()) {
      nlohmann::json body = Named(name);
      body["TagKeys"] = removed;
      if (auto r = call()(ctx.region, "RemoveTagsFromResource", body); !r.ok()) return r.error();
    }
    if (auto st = Tag(ctx.region, name, set); !st.ok()) return st.error();
    return Finish(ctx.region, name, desired);
  }

  /// Reads the parameter and tags it infra:stack / infra:address.
  Result<Attributes> Import(const provider::OperationContext& ctx, const std::string& id) override {
    auto got = JsonSpecType::Import(ctx, id);
    if (!got.ok()) return got;
    if (auto st = Tag(ctx.region, id, kit::InfraTags(ctx, got->value("tags", nlohmann::json()))); !st.ok())
      return st.error();
    return got;
  }

 private:
  Status Tag(const std::string& region, const std::string& name, const TagList& tags) {
    if (tags.empty()) return {};
    nlohmann::json body = Named(name);
    body["Tags"] = kit::TagsToJson(kit::JsonTagging::Shape::kKeyValueUpper, tags);
    auto r = call()(region, "AddTagsToResource", body);
    return r.ok() ? Status() : Status(r.error());
  }
};

kit::Spec ParameterSpec() {
  provider::ResourceSchema s;
  s.type = "aws_ssm_parameter";
  s.service = "ssm";
  s.attributes = {
      Required("name", kForceNew),
      OneOf(Required("type", kForceNew), {"String", "StringList", "SecureString"}),
      Required("value", kSensitive),
      Optional("description"),
      OptionalComputed("key_id"),
      OneOf(Optional("tier", kNone, AttrType::kString, "Standard"), {"Standard", "Advanced", "Intelligent-Tiering"}),
      Optional("allowed_pattern"),
      OptionalComputed("data_type", kForceNew),  // "text" when not given
      Optional("overwrite", kNone, AttrType::kBool),  // an instruction: take over an existing parameter
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("version", AttrType::kNumber),
  };
  kit::Spec spec{std::move(s), kit::Service{"ssm", kit::Protocol::kJson}, {
      {"name", "Name", "Parameters.Name"},
      {"type", "Type", "Parameters.Type"},
      {"value", "Value", "Parameters.Value"},
      {"arn", "", "Parameters.ARN", kit::Conv::kString, kit::kRead},
      {"version", "", "Parameters.Version", kit::Conv::kNumber, kit::kRead},
      {"data_type", "DataType", "Parameters.DataType"},
      {"description", "Description"},  // read from DescribeParameters
      {"key_id", "KeyId"},
      {"tier", "Tier"},
      {"allowed_pattern", "AllowedPattern"},
      {"overwrite", "Overwrite", "-", kit::Conv::kBool, kit::kCreate},
  }, {"PutParameter", ""}};
  spec.del = {"DeleteParameter", {}};
  spec.read = {kit::ReadPolicy::Kind::kIdList, "GetParameters", "Names", "Parameters", "Name"};
  spec.read.max_ids = 10;
  spec.adopt = {kit::Adoption::Kind::kNone};  // a repeated PutParameter without Overwrite fails: ParameterAlreadyExists
  spec.service.not_found_codes = {"ParameterNotFound"};
  spec.json.id_member = "Name";
  spec.json.hooks.create_body = [](const provider::OperationContext& ctx, const Attributes& desired, nlohmann::json& body) {
    if (body.value("Overwrite", false)) return;  // AWS refuses Tags with Overwrite: they follow by AddTagsToResource
    body["Tags"] = kit::TagsToJson(kit::JsonTagging::Shape::kKeyValueUpper, kit::InfraTags(ctx, desired.value("tags", nlohmann::json())));
  };
  spec.json.hooks.after_create = [](const kit::JsonCall& call, const provider::OperationContext& ctx, const std::string& id,
                                    const Attributes& desired) -> Status {
    if (desired.value("overwrite", false) != true) return {};
    nlohmann::json body = Named(id);
    body["Tags"] = kit::TagsToJson(kit::JsonTagging::Shape::kKeyValueUpper, kit::InfraTags(ctx, desired.value("tags", nlohmann::json())));
    auto r = call(ctx.region, "AddTagsToResource", body);
    return r.ok() ? Status() : Status(r.error());
  };
  return spec;
}

const kit::Service kDataService{"ssm", kit::Protocol::kJson};

}  // namespace

void AddSsmParameterTypes(TypeRegistry& p) {
  p.Add(std::make_unique<ParameterType>(p.client(), ParameterSpec()));
  provider::ResourceSchema d;
  d.type = "aws_ssm_parameter";
  d.service = "ssm";
  d.taggable = false;
  d.attributes = {Required("name"), Optional("with_decryption", kNone, AttrType::kBool, true),
                  Computed("id"), Computed("arn"), Computed("type"), Computed("version", AttrType::kNumber),
                  Attr("value", AttrType::kString, provider::AttrMode::kComputed, kSensitive)};
  auto client = p.client();
  p.AddData(std::make_unique<kit::FunctionDataSource>(
      std::move(d), [client](const provider::OperationContext& ctx, const Attributes& args) -> Result<Attributes> {
        kit::JsonCall call(client.get(), &kDataService, nullptr);
        bool decrypt = args.value("with_decryption", true) != false;
        auto got = call(ctx.region, "GetParameter", {{"Name", kit::AttrText(args, "name")}, {"WithDecryption", decrypt}});
        if (!got.ok()) return got.error();
        const auto item = kit::JsonAt(*got, "Parameter");
        return Attributes{{"id", item.value("Name", "")}, {"name", item.value("Name", "")}, {"with_decryption", decrypt},
                          {"arn", item.value("ARN", "")}, {"type", item.value("Type", "")},
                          {"version", item.value("Version", 0)}, {"value", item.value("Value", "")}};
      }));
}

}  // namespace infra::aws

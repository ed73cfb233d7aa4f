// The ELBv2 service, names, tags by ARN and adoption (see elbv2_type.h).
#include "providers/aws/elbv2/elbv2_type.h"

#include <fmt/format.h>

#include <algorithm>

#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws::elbv2 {

using provider::Attributes;
using provider::OperationContext;

namespace {
constexpr size_t kTagBatch = 20;  // DescribeTags takes at most 20 ARNs

// The spec's enrich, with the tags read first.
kit::Spec WithTags(kit::Spec spec) {
  auto then = spec.hooks.enrich;
  spec.hooks.enrich = [then](const kit::Call& call, const std::string& region,
                             std::map<std::string, Attributes>& found) -> Status {
    if (auto st = ReadTags(call, region, found); !st.ok()) return st;
    return then ? then(call, region, found) : Status();
  };
  return spec;
}
}  // namespace

kit::Service Service() {
  kit::Service s;
  s.name = "elasticloadbalancing";
  s.protocol = kit::Protocol::kQuery;
  s.tags = {kit::Tagging::Style::kMemberTags, "", "AddTags", "RemoveTags"};
  return s;
}

provider::ResourceSchema Schema(std::string type, std::vector<provider::AttributeSchema> attributes) {
  provider::ResourceSchema s;
  s.type = std::move(type);
  s.service = "elasticloadbalancing";
  s.attributes = std::move(attributes);
  return s;
}

void AddNameAttributes(provider::ResourceSchema& s) {
  s.attributes.push_back(schema::Matching(schema::OptionalComputed("name", schema::kForceNew), "[A-Za-z0-9-]{1,32}"));
  s.attributes.push_back(schema::Matching(schema::Optional("name_prefix", schema::kForceNew), "[A-Za-z0-9-]{1,6}"));
  s.checks.push_back({provider::SchemaCheck::Kind::kConflictsWith, {"name", "name_prefix"}});
}

void AddName(QueryParams& p, const OperationContext& ctx, const Attributes& desired) {
  if (!kit::AttrText(desired, "name").empty()) return;  // the field table sends it
  std::string prefix = kit::AttrText(desired, "name_prefix");
  uint64_t h = 1469598103934665603ull;  // FNV-1a: the same on every build and platform
  for (char c : ctx.stack + "\n" + ctx.address + "\n" + ctx.token)
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  std::string name = fmt::format("{}{:016x}", prefix.empty() ? "infra-" : prefix, h);
  p.emplace_back("Name", name.substr(0, 32));
}

Status ReadTags(const kit::Call& call, const std::string& region, std::map<std::string, Attributes>& found,
                std::map<std::string, std::pair<std::string, std::string>>* infra) {
  std::vector<std::string> arns;
  for (const auto& [arn, a] : found) arns.push_back(arn);
  for (size_t start = 0; start < arns.size(); start += kTagBatch) {
    std::vector<std::string> chunk(arns.begin() + start, arns.begin() + std::min(arns.size(), start + kTagBatch));
    QueryParams p;
    AddMemberList(p, "ResourceArns", chunk);
    auto r = call(region, "DescribeTags", p);
    if (!r.ok() && kit::IsNotFound(call.service(), r.error()) && chunk.size() > 1) {
      // One ARN went away since the describe: the whole call fails, so ask one by one.
      for (const auto& arn : chunk) {
        std::map<std::string, Attributes> one = {{arn, found[arn]}};
        if (auto st = ReadTags(call, region, one, infra); !st.ok()) return st;
        found[arn] = std::move(one[arn]);
      }
      continue;
    }
    if (!r.ok() && kit::IsNotFound(call.service(), r.error())) continue;
    if (!r.ok()) return r.error();
    for (pugi::xml_node d : XmlItems(r->root, "DescribeTagsResult/TagDescriptions")) {
      auto it = found.find(XmlText(d, "ResourceArn"));
      if (it == found.end()) continue;
      it->second["tags"] = kit::ReadUserTags(d, kit::Protocol::kQuery);
      if (infra)
        (*infra)[it->first] = {kit::ReadTag(d, kit::Protocol::kQuery, kit::kAddressTag),
                               kit::ReadTag(d, kit::Protocol::kQuery, kit::kStackTag)};
    }
  }
  return {};
}

Elbv2Type::Elbv2Type(std::shared_ptr<AwsClient> client, kit::Spec spec, Candidates candidates)
    : kit::SpecType(std::move(client), WithTags(std::move(spec))), candidates_(std::move(candidates)) {}

Result<provider::ApplyResult> Elbv2Type::Update(const OperationContext& ctx, const Attributes& prior,
                                                const Attributes& desired) {
  auto tags = [](const Attributes& a) { return a.contains("tags") ? a["tags"] : nlohmann::json(); };
  const auto* schema = spec_.schema.Find("tags");
  Attributes before = prior;
  if (schema && !provider::SameValue(*schema, tags(prior), tags(desired))) {
    QueryParams who = {{"ResourceArns.member.1", kit::AttrText(prior, "id")}};
    if (auto st = kit::UpdateTags(call(), RegionFor(ctx.region), who, tags(prior), tags(desired)); !st.ok())
      return st.error();
    before["tags"] = tags(desired);  // done: the kit's own tag step sees no change
  }
  return kit::SpecType::Update(ctx, before, desired);
}

Result<Attributes> Elbv2Type::Import(const OperationContext& ctx, const std::string& id) {
  auto got = provider::ResourceType::Import(ctx, id);
  if (!got.ok()) return got;
  if (auto st = kit::TagAsManaged(call(), RegionFor(ctx.region), {{"ResourceArns.member.1", id}}, ctx); !st.ok())
    return st.error();
  return got;
}

Result<std::optional<Attributes>> Elbv2Type::FindByAddress(const OperationContext& ctx, const Attributes& desired) {
  using Found = std::optional<Attributes>;
  if (!candidates_) return Found();
  auto r = call()(RegionFor(ctx.region), spec_.read.action, candidates_(desired));
  if (!r.ok() && kit::IsNotFound(spec_.service, r.error())) return Found();
  if (!r.ok()) return r.error();
  std::map<std::string, Attributes> listed;
  for (pugi::xml_node item : XmlItems(r->root, spec_.read.items)) {
    std::string id = XmlText(item, spec_.read.id_path);
    if (std::find(ctx.exclude_ids.begin(), ctx.exclude_ids.end(), id) == ctx.exclude_ids.end()) listed[id] = {};
  }
  std::map<std::string, std::pair<std::string, std::string>> infra;
  if (auto st = ReadTags(call(), RegionFor(ctx.region), listed, &infra); !st.ok()) return st.error();
  for (const auto& [id, who] : infra) {
    if (who.first != ctx.address || who.second != ctx.stack) continue;
    auto got = ReadOne(ctx.region, id);
    if (!got.ok() && kit::IsNotFound(spec_.service, got.error())) continue;
    if (!got.ok()) return got.error();
    return Found(std::move(*got));
  }
  return Found();
}

kit::UpdateOp RunWhen(std::vector<std::string> when, decltype(kit::UpdateOp::run) fn) {
  kit::UpdateOp op{std::move(when)};
  op.run = std::move(fn);
  return op;
}

}  // namespace infra::aws::elbv2

// Shared EC2 plumbing for the network family (see ec2_resource.h): calls,
// tags, the describe-with-fallback and the DependencyViolation retry.
#include "providers/aws/ec2/ec2_resource.h"

#include <fmt/format.h>

#include <algorithm>

#include "providers/aws/sdk/aws_client.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws {

using provider::ApplyResult;
using provider::Attributes;
using provider::OperationContext;
using provider::Phase;
using provider::PollResult;
using provider::PollStatus;

namespace {
constexpr size_t kIdsPerCall = 100;
}  // namespace

Result<Ec2Reply> Ec2Call(AwsClient* client, const std::string& region, const std::string& action,
                         const QueryParams& params, bool idempotent) {
  if (!client)
    return MakeError(Error::Kind::kInternal, "NoClient",
                     fmt::format("ec2 {}: the provider has no AWS client [this is a bug]", action));
  CallOptions options;
  options.idempotent = idempotent;
  auto got = client->Query("ec2", region, action, params, options);
  if (!got.ok()) return got.error();
  Ec2Reply reply;
  reply.doc = std::make_unique<pugi::xml_document>();
  if (auto st = ParseXml(got->body, reply.doc.get(), "ec2 " + action); !st.ok()) return st.error();
  reply.root = reply.doc->document_element();
  return reply;
}

bool IsNotFound(const Error& e) {
  return e.kind == Error::Kind::kNotFound || e.code.find("NotFound") != std::string::npos;
}

kit::Service Ec2Service(std::string tag_resource_type) {
  kit::Service s;
  s.name = "ec2";
  s.protocol = kit::Protocol::kEc2;
  if (!tag_resource_type.empty()) s.tags = {kit::Tagging::Style::kTagSpecifications, std::move(tag_resource_type)};
  return s;
}

provider::ResourceSchema Ec2Schema(std::string type, std::vector<provider::AttributeSchema> attributes) {
  provider::ResourceSchema s;
  s.type = std::move(type);
  s.service = "ec2";
  s.attributes = std::move(attributes);
  return s;
}

// The tag functions are the kit's (one implementation for every service).
TagList InfraTags(const OperationContext& ctx, const nlohmann::json& user_tags) {
  return kit::InfraTags(ctx, user_tags);
}

nlohmann::json UserTags(pugi::xml_node item) { return kit::ReadUserTags(item, kit::Protocol::kEc2); }

std::string TagValue(pugi::xml_node item, std::string_view key) {
  return kit::ReadTag(item, kit::Protocol::kEc2, key);
}

Status UpdateTags(AwsClient* client, const std::string& region, const std::string& id,
                  const nlohmann::json& prior, const nlohmann::json& desired) {
  static const kit::Service kEc2 = Ec2Service("-");
  return kit::UpdateTags(kit::Call(client, &kEc2), region, {{"ResourceId.1", id}}, prior, desired);
}

Result<Attributes> Ec2ResourceType::Import(const OperationContext& ctx, const std::string& id) {
  auto got = provider::ResourceType::Import(ctx, id);
  if (!got.ok() || !schema_.taggable) return got;
  static const kit::Service kEc2 = Ec2Service("-");
  if (auto st = kit::TagAsManaged(kit::Call(client(), &kEc2), ctx.region, {{"ResourceId.1", id}}, ctx); !st.ok())
    return st.error();
  return got;
}

std::string Str(const nlohmann::json& attrs, const char* key) {
  if (!attrs.is_object()) return {};
  auto it = attrs.find(key);
  if (it == attrs.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

nlohmann::json Field(const nlohmann::json& attrs, const char* key) {
  if (!attrs.is_object()) return nullptr;
  auto it = attrs.find(key);
  return it == attrs.end() ? nlohmann::json() : *it;
}

bool Bool(const nlohmann::json& attrs, const char* key, bool def) {
  nlohmann::json v = Field(attrs, key);
  return v.is_boolean() ? v.get<bool>() : def;
}

std::string NumText(const nlohmann::json& attrs, const char* key) {
  nlohmann::json v = Field(attrs, key);
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number()) return std::to_string(static_cast<long long>(v.get<double>()));
  if (v.is_string()) return v.get<std::string>();
  return {};
}

bool XmlBool(pugi::xml_node node, std::string_view path) { return XmlText(node, path) == "true"; }

nlohmann::json OrNull(const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); }

std::string Ec2Arn(const std::string& region, const std::string& owner, std::string_view kind,
                   const std::string& id) {
  return fmt::format("arn:aws:ec2:{}:{}:{}/{}", region, owner, kind, id);
}

// ---- Ec2ResourceType ----

Ec2ResourceType::Ec2ResourceType(std::shared_ptr<AwsClient> client, provider::ResourceSchema schema,
                                 Ec2Describe describe)
    : client_(std::move(client)), schema_(std::move(schema)), describe_(std::move(describe)) {}

Error Ec2ResourceType::NotImplemented(std::string_view op) const {
  return MakeError(Error::Kind::kInternal, "NotImplemented",
                   fmt::format("{} {} is not implemented [this is a bug]", schema_.type, op));
}

Result<ApplyResult> Ec2ResourceType::Create(const OperationContext&, const Attributes&) {
  return NotImplemented("create");
}
Result<ApplyResult> Ec2ResourceType::Update(const OperationContext&, const Attributes&, const Attributes&) {
  return NotImplemented("update");
}
Status Ec2ResourceType::DeleteOnce(const OperationContext&, const Attributes&) {
  return NotImplemented("delete");
}
Attributes Ec2ResourceType::FromItem(pugi::xml_node, const std::string&) const { return nullptr; }
Status Ec2ResourceType::Enrich(const std::string&, std::map<std::string, Attributes>&) { return {}; }
std::string Ec2ResourceType::Dependents(const std::string&, const std::string&) { return {}; }

// Filter values are patterns ('*', '?'; moto also treats '[...]' as a
// class), so a value with those characters is matched by key only and the
// exact value is checked client-side.
std::vector<QueryFilter> Ec2ResourceType::AddressFilters(const OperationContext& ctx, const Attributes&) const {
  std::vector<QueryFilter> out;
  for (auto [key, value] : {std::pair{kAddressTag, &ctx.address}, std::pair{kStackTag, &ctx.stack}}) {
    if (value->find_first_of("*?[]\\") == std::string::npos)
      out.push_back({fmt::format("tag:{}", key), {*value}});
    else
      out.push_back({"tag-key", {key}});
  }
  return out;
}

Result<ApplyResult> Ec2ResourceType::Delete(const OperationContext& ctx, const Attributes& prior) {
  Status st = DeleteOnce(ctx, prior);
  ApplyResult out{prior, false};
  if (st.ok() || IsNotFound(st.error())) {
    std::lock_guard lock(mu_);
    first_violation_.erase(Str(prior, "id"));
    return out;
  }
  if (!IsDependencyError(st.error())) return st.error();
  // The clock starts at the first poll's violation (which names the
  // dependents): Delete itself records nothing.
  out.pending = true;  // dependents are still going away: Poll retries
  return out;
}

Result<PollResult> Ec2ResourceType::Poll(const OperationContext& ctx, const Attributes& current, Phase phase) {
  PollResult r;
  r.attributes = current;
  if (phase != Phase::kDelete) {
    auto got = ReadOne(ctx.region, Str(current, "id"));
    if (!got.ok()) return got.error();  // NotFound: the engine's grace period applies
    r.attributes = std::move(*got);
    return r;
  }
  Status st = DeleteOnce(ctx, current);
  std::string id = Str(current, "id");
  std::unique_lock lock(mu_);
  if (st.ok() || IsNotFound(st.error())) {
    first_violation_.erase(id);
    return r;
  }
  if (!IsDependencyError(st.error())) return st.error();
  auto [at, first_time] = first_violation_.emplace(id, std::chrono::steady_clock::now());
  // The engine bounds the wait by the resource's delete timeout; give up on
  // our own only when it gave none.
  auto budget = ctx.timeout.count() > 0 ? ctx.timeout : std::chrono::seconds(kDependencyBudget);
  bool give_up = std::chrono::steady_clock::now() - at->second > budget;
  if (give_up) first_violation_.erase(at);
  // Name what still uses the resource (often something infra does not
  // manage) on the first retry and when giving up, not on every poll.
  std::string users;
  if (first_time || give_up) {
    lock.unlock();
    users = Dependents(ctx.region, id);
  }
  std::string named = users.empty() ? "" : fmt::format("; still in use by {}", users);
  if (give_up) {
    r.status = PollStatus::kFailed;
    r.detail = fmt::format("{} {} still has dependents after {} s: {}{}", schema_.type, id, budget.count(),
                           st.error().message, named);
    return r;
  }
  r.status = PollStatus::kPending;
  r.detail = fmt::format("waiting for dependents of {} to go away ({}){}", id, st.error().code, named);
  r.retry_after = std::chrono::milliseconds(5000);
  return r;
}

void Ec2ResourceType::CollectItems(const Ec2Reply& reply, const std::string& region,
                                   const std::function<bool(pugi::xml_node)>& keep,
                                   std::map<std::string, Attributes>& out) const {
  for (pugi::xml_node item : XmlItems(reply.root, describe_.set)) {
    if (keep && !keep(item)) continue;
    Attributes a = FromItem(item, region);
    if (a.is_null()) continue;
    out[XmlText(item, describe_.id_field)] = std::move(a);
  }
}

Result<std::map<std::string, Attributes>> Ec2ResourceType::DescribeFiltered(
    const std::string& region, const std::vector<QueryFilter>& filters) {
  QueryParams p;
  AddEc2Filters(p, filters, describe_.filter_param);
  auto reply = Ec2Call(client(), region, describe_.action, p);
  if (!reply.ok()) return reply.error();
  std::map<std::string, Attributes> out;
  CollectItems(*reply, region, nullptr, out);
  return out;
}

Result<std::map<std::string, Attributes>> Ec2ResourceType::DescribeIds(const std::string& region,
                                                                       const std::vector<std::string>& ids) {
  std::map<std::string, Attributes> out;
  for (size_t start = 0; start < ids.size(); start += kIdsPerCall) {
    std::vector<std::string> chunk(ids.begin() + start, ids.begin() + std::min(ids.size(), start + kIdsPerCall));
    QueryParams p;
    AddEc2List(p, describe_.id_param, chunk);
    auto reply = Ec2Call(client(), region, describe_.action, p);
    if (reply.ok()) {
      CollectItems(*reply, region, nullptr, out);
      continue;
    }
    if (!IsNotFound(reply.error())) return reply.error();
    // One missing id fails the whole list call: narrow by filter (missing
    // ids simply match nothing) or, without an id filter, one call per id.
    if (!describe_.id_filter.empty()) {
      auto got = DescribeFiltered(region, {{describe_.id_filter, chunk}});
      if (!got.ok()) return got.error();
      out.merge(*got);
      continue;
    }
    for (const auto& id : chunk) {
      QueryParams one;
      AddEc2List(one, describe_.id_param, {id});
      auto r = Ec2Call(client(), region, describe_.action, one);
      if (!r.ok() && IsNotFound(r.error())) continue;
      if (!r.ok()) return r.error();
      CollectItems(*r, region, nullptr, out);
    }
  }
  return out;
}

Result<std::map<std::string, Attributes>> Ec2ResourceType::Read(const std::string& region,
                                                                const std::vector<std::string>& ids) {
  auto got = DescribeIds(region, ids);
  if (!got.ok()) return got.error();
  if (auto st = Enrich(region, *got); !st.ok()) return st.error();
  return got;
}

Result<Attributes> Ec2ResourceType::ReadOne(const std::string& region, const std::string& id) {
  auto got = Read(region, {id});
  if (!got.ok()) return got.error();
  auto it = got->find(id);
  if (it == got->end())
    return MakeError(Error::Kind::kNotFound, "NotFound",
                     fmt::format("{} {} was not found in {}", schema_.type, id, region));
  return it->second;
}

Result<ApplyResult> Ec2ResourceType::Finish(const std::string& region, const std::string& id,
                                           Attributes fallback) {
  auto got = ReadOne(region, id);
  if (got.ok()) return ApplyResult{std::move(*got), false};
  if (!IsNotFound(got.error())) return got.error();
  fallback["id"] = id;
  return ApplyResult{std::move(fallback), true};  // not visible yet: Poll reads again
}

bool Excluded(const OperationContext& ctx, const std::string& id) {
  return std::find(ctx.exclude_ids.begin(), ctx.exclude_ids.end(), id) != ctx.exclude_ids.end();
}

Result<std::optional<Attributes>> Ec2ResourceType::FindByAddress(const OperationContext& ctx,
                                                                 const Attributes& desired) {
  QueryParams p;
  AddEc2Filters(p, AddressFilters(ctx, desired), describe_.filter_param);
  auto reply = Ec2Call(client(), ctx.region, describe_.action, p);
  if (!reply.ok()) return reply.error();
  std::map<std::string, Attributes> found;
  CollectItems(*reply, ctx.region, [&](pugi::xml_node item) {
    return TagValue(item, kAddressTag) == ctx.address && TagValue(item, kStackTag) == ctx.stack;
  }, found);
  for (const auto& id : ctx.exclude_ids) found.erase(id);  // e.g. the old object of a replacement
  if (found.empty()) return std::optional<Attributes>();
  if (auto st = Enrich(ctx.region, found); !st.ok()) return st.error();
  return std::optional<Attributes>(found.begin()->second);
}

}  // namespace infra::aws

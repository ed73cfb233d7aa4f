// JsonSpecType (see json_spec_type.h): a Spec executed over JSON bodies.
#include "providers/aws/kit/json_spec_type.h"

#include <fmt/format.h>

#include <algorithm>

#include "providers/aws/kit/json_tags.h"

namespace infra::aws::kit {

using provider::ApplyResult;
using provider::Attributes;
using provider::OperationContext;
using provider::Phase;
using provider::PollResult;
using provider::PollStatus;

namespace {
nlohmann::json Get(const Attributes& a, const std::string& key) {
  return a.is_object() && a.contains(key) ? a[key] : nlohmann::json();
}
std::string Text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  return v.is_null() ? std::string() : v.dump();
}
bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}
// "a.b" / "a[].b" -> "a": the schema attribute a field belongs to.
std::string TopName(const std::string& path) { return path.substr(0, path.find_first_of(".[")); }
}  // namespace

JsonSpecType::JsonSpecType(std::shared_ptr<AwsClient> client, Spec spec)
    : SpecTypeBase(std::move(client), std::move(spec)) {
  for (auto& f : spec_.fields)
    if (f.path.empty()) f.path = f.param;
}

nlohmann::json JsonSpecType::IdBody(const std::string& id) const {
  if (spec_.json.hooks.id_body) return spec_.json.hooks.id_body(id);
  nlohmann::json b = nlohmann::json::object();
  if (!spec_.json.id_member.empty()) b[spec_.json.id_member] = id;
  return b;
}

std::string JsonSpecType::TagResourceOf(const Attributes& a) const {
  const std::string& attr = spec_.service.tags.json.resource_attr;
  std::string v = attr.empty() ? std::string() : Text(Get(a, attr));
  return v.empty() ? Text(Get(a, "id")) : v;
}

bool JsonSpecType::Tagged() const {
  return spec_.schema.taggable && spec_.service.tags.style == Tagging::Style::kTagResource;
}

Result<Attributes> JsonSpecType::FromItem(const nlohmann::json& item, const std::string& id,
                                          const std::string& region, std::map<std::string, std::string>* all_tags) {
  Attributes a = {{"id", id}};
  for (const auto& f : spec_.fields)
    if (f.use & kRead) FromJsonWire(item, f.path, a, f.attr, f.conv);
  if (spec_.json.hooks.on_read) spec_.json.hooks.on_read(item, region, a);
  if (a.is_null() || !Tagged()) return a;
  const JsonTagging& t = spec_.service.tags.json;
  std::map<std::string, std::string> all;
  if (t.list_action.empty()) {
    all = TagsFromJson(t.shape, JsonAt(item, t.read_member));
  } else {
    nlohmann::json body = nlohmann::json::object();
    ToJsonWire({{"r", TagResourceOf(a)}}, "r", body, t.resource_member, Conv::kString);
    auto got = call()(RegionFor(region), t.list_action, body);
    if (!got.ok() && !IsNotFound(spec_.service, got.error())) return got.error();  // S3 NoSuchTagSet: none
    if (got.ok()) all = TagsFromJson(t.shape, JsonAt(*got, t.read_member));
  }
  if (spec_.schema.Find("tags")) a["tags"] = UserTagsOf(all);
  if (all_tags) *all_tags = std::move(all);
  return a;
}

// ---- reads ----

Status JsonSpecType::Describe(const std::string& region, nlohmann::json body, const std::vector<std::string>& only,
                              const Visit& visit) {
  const ReadPolicy& r = spec_.read;
  for (;;) {
    auto reply = call()(RegionFor(region), r.action, body);
    if (!reply.ok()) return reply.error();
    nlohmann::json items = r.items.empty() ? *reply : JsonAt(*reply, r.items);
    if (items.is_object()) items = nlohmann::json::array({items});
    if (items.is_array())
      for (const auto& item : items) {
        std::string id = Text(JsonAt(item, r.id_path));
        if (only.empty() || Contains(only, id)) visit(id, item);
      }
    const std::string& token_member = spec_.json.page_token;
    nlohmann::json next = token_member.empty() ? nlohmann::json() : JsonAt(*reply, token_member);
    if (!next.is_string() || next.get<std::string>().empty()) return {};
    body[token_member] = next;
  }
}

Status JsonSpecType::ReadItems(const std::string& region, const std::vector<std::string>& ids, const Visit& visit) {
  const ReadPolicy& r = spec_.read;
  if (r.kind == ReadPolicy::Kind::kIdList) {
    for (size_t start = 0; start < ids.size(); start += r.max_ids) {
      std::vector<std::string> chunk(ids.begin() + start, ids.begin() + std::min(ids.size(), start + r.max_ids));
      Status st = Describe(region, nlohmann::json{{r.id_param, chunk}}, chunk, visit);
      if (st.ok()) continue;
      if (!IsNotFound(spec_.service, st.error())) return st;
      // One missing id fails the whole list call (ECR): one call per id.
      for (const auto& id : chunk) {
        Status one = Describe(region, nlohmann::json{{r.id_param, std::vector<std::string>{id}}}, {id}, visit);
        if (!one.ok() && !IsNotFound(spec_.service, one.error())) return one;
      }
    }
    return {};
  }
  for (const auto& id : ids) {
    auto reply = call()(RegionFor(region), r.action, IdBody(id));
    if (!reply.ok() && IsNotFound(spec_.service, reply.error())) continue;
    if (!reply.ok()) return reply.error();
    nlohmann::json item = r.items.empty() ? *reply : JsonAt(*reply, r.items);
    if (item.is_object()) visit(id, item);
  }
  return {};
}

Result<std::map<std::string, Attributes>> JsonSpecType::Read(const std::string& region,
                                                             const std::vector<std::string>& ids) {
  std::map<std::string, Attributes> out;
  if (ids.empty()) return out;
  Status failed;
  Status st = ReadItems(region, ids, [&](const std::string& id, const nlohmann::json& item) {
    if (!failed.ok()) return;
    auto a = FromItem(item, id, region, nullptr);
    if (!a.ok()) failed = a.error();
    else if (!a->is_null()) out[id] = std::move(*a);
  });
  if (!st.ok()) return st.error();
  if (!failed.ok()) return failed.error();
  return out;
}

// ---- create / update ----

Result<Attributes> JsonSpecType::Import(const OperationContext& ctx, const std::string& id) {
  auto got = provider::ResourceType::Import(ctx, id);
  if (!got.ok() || !Tagged()) return got;
  if (auto st = WriteJsonTags(call(), RegionFor(ctx.region), TagResourceOf(*got), InfraTags(ctx, Get(*got, "tags")));
      !st.ok())
    return st.error();
  return got;
}

Result<ApplyResult> JsonSpecType::Create(const OperationContext& ctx, const Attributes& desired) {
  nlohmann::json body = nlohmann::json::object();
  for (const auto& f : spec_.fields)
    if (f.use & kCreate) ToJsonWire(desired, f.attr, body, f.param, f.conv);
  if (spec_.json.hooks.create_body) spec_.json.hooks.create_body(ctx, desired, body);
  const JsonTagging& t = spec_.service.tags.json;
  if (Tagged() && !t.create_member.empty()) {
    TagList tags = InfraTags(ctx, Get(desired, "tags"));
    if (!tags.empty()) ToJsonWire({{"t", TagsToJson(t.shape, tags)}}, "t", body, t.create_member, Conv::kRaw);
  }
  bool token = spec_.create.token && !ctx.token.empty();
  if (token) body[spec_.json.token_member] = ctx.token;
  // As in SpecType::Create: a lost reply is re-sent on the strength of the
  // token only when the type cannot be adopted. moto ignores Route 53's
  // CallerReference and a re-sent CreateHostedZone made a twin; the engine
  // looks the object up by name and infra:* tags instead, and creates again
  // (with the same token) only when nothing was found.
  bool resend = spec_.create.idempotent || (token && spec_.adopt.kind == Adoption::Kind::kNone);
  auto r = call()(RegionFor(ctx.region), spec_.create.action, body, /*idempotent=*/resend);
  if (!r.ok()) return Propagating(ctx, r.error());
  // The id: the hook's, the reply's at id_path, or the id member sent.
  std::string id = spec_.json.hooks.id_of          ? spec_.json.hooks.id_of(desired, *r)
                   : !spec_.create.id_path.empty() ? Text(JsonAt(*r, spec_.create.id_path))
                                                   : Text(JsonAt(body, spec_.json.id_member));
  if (spec_.json.hooks.after_create)
    if (auto st = spec_.json.hooks.after_create(call(), ctx, id, desired); !st.ok()) return Propagating(ctx, st.error());
  if (Tagged() && t.create_member.empty()) {  // tags cannot go in the create call (S3)
    Attributes named = desired;
    named["id"] = id;
    if (auto st = WriteJsonTags(call(), RegionFor(ctx.region), TagResourceOf(named), InfraTags(ctx, Get(desired, "tags")));
        !st.ok())
      return st.error();
  }
  if (spec_.wait) {
    Attributes a = desired;
    a["id"] = id;
    return ApplyResult{std::move(a), true};  // Poll checks the status
  }
  return Finish(ctx.region, id, desired);
}

Result<ApplyResult> JsonSpecType::Update(const OperationContext& ctx, const Attributes& prior,
                                         const Attributes& desired) {
  const std::string id = Text(Get(prior, "id"));
  const std::string region = RegionFor(ctx.region);
  auto changed = [&](const std::string& attr) {
    const auto* a = spec_.schema.Find(attr);
    return a ? !provider::SameValue(*a, Get(prior, attr), Get(desired, attr)) : Get(prior, attr) != Get(desired, attr);
  };
  for (const auto& op : spec_.updates) {
    if (std::none_of(op.when.begin(), op.when.end(), changed)) continue;
    if (op.run)
      return MakeError(Error::Kind::kInternal, "NotSupported",
                       fmt::format("{}: UpdateOp::run is for the XML protocols [this is a bug]", spec_.schema.type));
    nlohmann::json body = IdBody(id);
    for (const auto& [k, v] : op.extra) body[k] = v;
    bool any = false;
    for (const auto& name : op.send.empty() ? op.when : op.send) {
      any = any || !Get(desired, name).is_null();
      for (const auto& f : spec_.fields) {
        if (TopName(f.attr) != name) continue;
        std::string param = f.param;
        if (auto it = op.rename.find(name); it != op.rename.end())
          param = it->second + param.substr(std::min(param.size(), TopName(param).size()));
        ToJsonWire(desired, f.attr, body, param, f.conv);
      }
    }
    if (!any && !op.unset_action.empty()) {
      if (auto r = call()(region, op.unset_action, IdBody(id)); !r.ok()) return r.error();
      continue;
    }
    if (auto r = call()(region, op.action, body); !r.ok()) return Propagating(ctx, r.error());
  }
  if (Tagged() && changed("tags")) {
    if (auto st = UpdateJsonTags(call(), region, TagResourceOf(prior), Get(prior, "tags"), Get(desired, "tags"),
                                 InfraTags(ctx, Get(desired, "tags")));
        !st.ok())
      return st.error();
  }
  return Finish(ctx.region, id, desired);
}

// ---- delete ----

Status JsonSpecType::DeleteOnce(const OperationContext& ctx, const Attributes& prior) {
  nlohmann::json body = IdBody(Text(Get(prior, "id")));
  if (spec_.json.hooks.delete_body) spec_.json.hooks.delete_body(prior, body);
  auto r = call()(RegionFor(ctx.region), spec_.del.action, body);
  return r.ok() ? Status() : Status(r.error());
}

Result<ApplyResult> JsonSpecType::Delete(const OperationContext& ctx, const Attributes& prior) {
  Status st = DeleteOnce(ctx, prior);
  const std::string id = Text(Get(prior, "id"));
  std::lock_guard lock(mu_);
  if (st.ok() || IsNotFound(spec_.service, st.error())) {
    first_violation_.erase(id);
    return ApplyResult{prior, false};
  }
  if (!Contains(spec_.del.retry_codes, st.error().code)) return st.error();
  first_violation_.emplace(id, std::chrono::steady_clock::now());
  return ApplyResult{prior, true};  // dependents are still going away: Poll retries
}

Result<PollResult> JsonSpecType::RetryDelete(const OperationContext& ctx, const Attributes& current) {
  PollResult r;
  r.attributes = current;
  Status st = DeleteOnce(ctx, current);
  const std::string id = Text(Get(current, "id"));
  std::lock_guard lock(mu_);
  if (st.ok() || IsNotFound(spec_.service, st.error())) {
    first_violation_.erase(id);
    return r;
  }
  if (!Contains(spec_.del.retry_codes, st.error().code)) return st.error();
  auto first = first_violation_.emplace(id, std::chrono::steady_clock::now()).first->second;
  if (std::chrono::steady_clock::now() - first > spec_.del.budget) {
    first_violation_.erase(id);
    r.status = PollStatus::kFailed;
    r.detail = fmt::format("{} {} still has dependents after {} minutes: {}", spec_.schema.type, id,
                           spec_.del.budget.count(), st.error().message);
    return r;
  }
  r.status = PollStatus::kPending;
  r.detail = fmt::format("waiting for dependents of {} to go away ({})", id, st.error().code);
  r.retry_after = std::chrono::milliseconds(5000);
  return r;
}

Result<PollResult> JsonSpecType::Poll(const OperationContext& ctx, const Attributes& current, Phase phase) {
  if (phase == Phase::kDelete) return RetryDelete(ctx, current);
  auto got = ReadOne(ctx.region, Text(Get(current, "id")));
  if (!got.ok()) return got.error();  // NotFound: the engine's grace period applies
  PollResult r;
  r.attributes = std::move(*got);
  if (!spec_.wait || phase != Phase::kCreate) return r;
  const Wait& w = *spec_.wait;
  std::string status = Text(Get(r.attributes, w.status_attr));
  r.detail = fmt::format("{} {}", w.status_attr, status);
  if (Contains(w.ready, status)) return r;
  r.status = Contains(w.pending, status) ? PollStatus::kPending : PollStatus::kFailed;
  r.retry_after = w.interval;
  return r;
}

// ---- adoption ----

Result<std::optional<Attributes>> JsonSpecType::FindByAddress(const OperationContext& ctx, const Attributes& desired) {
  std::string id;
  switch (spec_.adopt.kind) {
    case Adoption::Kind::kNone:
    case Adoption::Kind::kByTag: return std::optional<Attributes>();
    case Adoption::Kind::kByName: id = Text(Get(desired, spec_.adopt.name_attr)); break;
    case Adoption::Kind::kById:
      if (spec_.json.hooks.id_of) id = spec_.json.hooks.id_of(desired, nullptr);
      break;
  }
  if (id.empty() || Contains(ctx.exclude_ids, id)) return std::optional<Attributes>();
  std::optional<Attributes> found;
  Status failed;
  Status st = ReadItems(ctx.region, {id}, [&](const std::string& got_id, const nlohmann::json& item) {
    std::map<std::string, std::string> tags;
    auto a = FromItem(item, got_id, ctx.region, &tags);
    if (!a.ok()) failed = a.error();
    if (!a.ok() || a->is_null() || found) return;
    bool ours = !Tagged() || (tags[kAddressTag] == ctx.address && tags[kStackTag] == ctx.stack);
    if (ours) found = std::move(*a);
  });
  if (!st.ok()) return st.error();
  if (!failed.ok()) return failed.error();
  return found;
}

}  // namespace infra::aws::kit

// SpecType (see spec_type.h): a Spec executed over the XML protocols.
#include "providers/aws/kit/spec_type.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>

#include "providers/aws/sdk/xml_reader.h"

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
std::string GetText(const Attributes& a, const std::string& key) {
  auto v = Get(a, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}
bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}
}  // namespace

SpecType::SpecType(std::shared_ptr<AwsClient> client, Spec spec) : SpecTypeBase(std::move(client), std::move(spec)) {
  for (auto& f : spec_.fields)
    if (f.path.empty()) f.path = ReplyName(spec_.service.protocol, f.param);
}

QueryParams SpecType::IdParams(const std::string& id) const {
  if (spec_.hooks.id_params) return spec_.hooks.id_params(id);
  return {{spec_.read.id_param, id}};
}

Attributes SpecType::FromItem(pugi::xml_node item, const std::string& id, const std::string& region) const {
  Attributes a = {{"id", id}};
  for (const auto& f : spec_.fields)
    if ((f.use & kRead) && f.path != "-") a[f.attr] = ReadValue(item, f.path, f.conv);
  if (spec_.service.tags.style != Tagging::Style::kNone && spec_.schema.Find("tags"))
    a["tags"] = ReadUserTags(item, spec_.service.protocol);
  if (spec_.hooks.on_read) spec_.hooks.on_read(item, region, a);
  return a;
}

// ---- reads ----

Status SpecType::Describe(const std::string& region, const QueryParams& params, const Visit& visit) {
  auto reply = call()(RegionFor(region), spec_.read.action, params);
  if (!reply.ok()) return reply.error();
  for (pugi::xml_node item : XmlItems(reply->root, spec_.read.items)) visit(XmlText(item, spec_.read.id_path), item);
  return {};
}

Status SpecType::ReadList(const std::string& region, const std::vector<std::string>& chunk, const Visit& visit) {
  auto list_params = [&](const std::vector<std::string>& ids) {
    QueryParams p;
    AddParam(p, spec_.service.protocol, spec_.read.id_param, Conv::kStringList, ids);
    return p;
  };
  Status st = Describe(region, list_params(chunk), visit);
  if (st.ok() || !IsNotFound(spec_.service, st.error())) return st;
  // One missing id fails the whole list call: narrow by filter (missing
  // ids simply match nothing) or, without an id filter, one call per id.
  if (!spec_.read.id_filter.empty()) {
    QueryParams p;
    AddEc2Filters(p, {{spec_.read.id_filter, chunk}}, spec_.read.filter_param);
    return Describe(region, p, visit);
  }
  for (const auto& id : chunk) {
    Status one = Describe(region, list_params({id}), visit);
    if (!one.ok() && !IsNotFound(spec_.service, one.error())) return one;
  }
  return {};
}

Status SpecType::ReadItems(const std::string& region, const std::vector<std::string>& ids, const Visit& visit) {
  const ReadPolicy& r = spec_.read;
  if (r.kind == ReadPolicy::Kind::kIdList) {
    for (size_t start = 0; start < ids.size(); start += r.max_ids) {
      std::vector<std::string> chunk(ids.begin() + start, ids.begin() + std::min(ids.size(), start + r.max_ids));
      if (auto st = ReadList(region, chunk, visit); !st.ok()) return st;
    }
    return {};
  }
  for (const auto& id : ids) {
    auto reply = call()(RegionFor(region), r.action, spec_.hooks.read_params ? spec_.hooks.read_params(id) : IdParams(id));
    if (!reply.ok() && IsNotFound(spec_.service, reply.error())) continue;
    if (!reply.ok()) return reply.error();
    if (pugi::xml_node item = XmlPath(reply->root, r.items)) visit(id, item);
  }
  return {};
}

Result<std::map<std::string, Attributes>> SpecType::Read(const std::string& region,
                                                         const std::vector<std::string>& ids) {
  std::map<std::string, Attributes> out;
  if (ids.empty()) return out;
  Status st = ReadItems(region, ids, [&](const std::string& id, pugi::xml_node item) {
    Attributes a = FromItem(item, id, region);
    if (!a.is_null()) out[id] = std::move(a);
  });
  if (!st.ok()) return st.error();
  if (spec_.hooks.enrich && !out.empty())
    if (auto e = spec_.hooks.enrich(call(), RegionFor(region), out); !e.ok()) return e.error();
  return out;
}

// ---- create / update ----

namespace {

// Issue 12: a create whose reply carries the object (CreateSubnet's
// <subnet>, AuthorizeSecurityGroupIngress's rule set item) is not described
// again. The reply is used only when it holds every computed attribute and
// every configured one, the type reads nothing beyond the item (no enrich
// hook), and attributes the create call did not send (set by after_create,
// as map_public_ip_on_launch) are taken from desired.
std::optional<Attributes> FromCreateReply(const Spec& spec_, pugi::xml_node root, const Attributes& desired,
                                          const std::function<Attributes(pugi::xml_node)>& from_item) {
  const std::string& path = spec_.create.id_path;
  size_t slash = path.rfind('/');
  if (slash == std::string::npos || spec_.hooks.enrich || spec_.hooks.id_of) return std::nullopt;
  pugi::xml_node item = XmlPath(root, path.substr(0, slash));
  if (!item) return std::nullopt;
  Attributes a = from_item(item);
  if (spec_.hooks.after_create)
    for (const auto& f : spec_.fields)
      if (!(f.use & kCreate) && (f.use & kRead) && !Get(desired, f.attr).is_null()) a[f.attr] = Get(desired, f.attr);
  for (const auto& attr : spec_.schema.attributes) {
    bool computed = attr.mode == provider::AttrMode::kComputed || attr.mode == provider::AttrMode::kOptionalComputed;
    bool configured = !Get(desired, attr.name).is_null();
    if (!computed && !configured) continue;
    if (!a.contains(attr.name) || a[attr.name].is_null()) return std::nullopt;  // not in the reply: read back
    if (attr.name == "tags" && configured && a[attr.name] != Get(desired, attr.name)) return std::nullopt;
  }
  return a;
}

}  // namespace

Result<ApplyResult> SpecType::Create(const OperationContext& ctx, const Attributes& desired) {
  const Protocol proto = spec_.service.protocol;
  QueryParams p;
  for (const auto& f : spec_.fields) {
    if (!(f.use & kCreate)) continue;
    nlohmann::json v = Get(desired, f.attr);
    if ((v.is_null() || v == "") && !f.fallback.is_null()) v = f.fallback;
    AddParam(p, proto, f.param, f.conv, v);
  }
  if (spec_.hooks.create_params) spec_.hooks.create_params(ctx, desired, p);
  if (spec_.schema.taggable) AddCreateTags(p, spec_.service, ctx, Get(desired, "tags"));
  bool token = spec_.create.token && !ctx.token.empty();
  if (token) p.emplace_back("ClientToken", ctx.token);
  // A lost reply is not re-sent on the strength of the token when the type
  // can be adopted: moto ignores ClientToken (CreateRouteTable,
  // CreateNatGateway) and a re-send made a twin. The engine looks the object
  // up by its infra:* tags (sent at create) instead, and creates again, with
  // the same token, only when nothing was found.
  bool resend = spec_.create.idempotent || (token && spec_.adopt.kind == Adoption::Kind::kNone);
  auto r = call()(RegionFor(ctx.region), spec_.create.action, p, /*idempotent=*/resend);
  if (!r.ok()) return Propagating(ctx, r.error());
  std::string id = spec_.hooks.id_of ? spec_.hooks.id_of(desired, r->root) : XmlText(r->root, spec_.create.id_path);
  if (spec_.hooks.after_create)
    if (auto st = spec_.hooks.after_create(call(), ctx, id, desired); !st.ok()) return Propagating(ctx, st.error());
  if (spec_.wait) {
    Attributes a = desired;
    a["id"] = id;
    return ApplyResult{std::move(a), true};  // Poll checks the status
  }
  if (auto a = FromCreateReply(spec_, r->root, desired,
                               [&](pugi::xml_node item) { return FromItem(item, id, ctx.region); })) return ApplyResult{std::move(*a), false};
  return Finish(ctx.region, id, desired);
}


Result<ApplyResult> SpecType::Update(const OperationContext& ctx, const Attributes& prior, const Attributes& desired) {
  const std::string id = GetText(prior, "id");
  const std::string region = RegionFor(ctx.region);
  auto changed = [&](const std::string& attr) {
    const auto* a = spec_.schema.Find(attr);
    return a ? !provider::SameValue(*a, Get(prior, attr), Get(desired, attr)) : Get(prior, attr) != Get(desired, attr);
  };
  for (const auto& op : spec_.updates) {
    if (std::none_of(op.when.begin(), op.when.end(), changed)) continue;
    if (op.run) {
      if (auto st = op.run(call(), region, id, prior, desired); !st.ok()) return Propagating(ctx, st.error());
      continue;
    }
    QueryParams p = IdParams(id);
    p.insert(p.end(), op.extra.begin(), op.extra.end());
    bool any = false;
    for (const auto& name : op.send.empty() ? op.when : op.send)
      for (const auto& f : spec_.fields) {
        if (f.attr != name) continue;
        auto renamed = op.rename.find(name);
        nlohmann::json v = Get(desired, f.attr);
        any = any || !v.is_null();
        AddParam(p, spec_.service.protocol, renamed == op.rename.end() ? f.param : renamed->second, f.conv, v);
      }
    if (!any && !op.unset_action.empty()) {
      if (auto r = call()(region, op.unset_action, IdParams(id)); !r.ok()) return r.error();
      continue;
    }
    if (auto r = call()(region, op.action, p); !r.ok()) return Propagating(ctx, r.error());
  }
  if (spec_.schema.taggable && changed("tags")) {
    QueryParams who = spec_.service.protocol == Protocol::kEc2 ? QueryParams{{"ResourceId.1", id}} : IdParams(id);
    if (auto st = UpdateTags(call(), region, who, Get(prior, "tags"), Get(desired, "tags")); !st.ok())
      return st.error();
  }
  return Finish(ctx.region, id, desired);
}

Result<Attributes> SpecType::Import(const OperationContext& ctx, const std::string& id) {
  auto got = provider::ResourceType::Import(ctx, id);
  if (!got.ok() || !spec_.schema.taggable || spec_.service.tags.style == Tagging::Style::kNone) return got;
  QueryParams who = spec_.service.protocol == Protocol::kEc2 ? QueryParams{{"ResourceId.1", id}} : IdParams(id);
  if (auto st = TagAsManaged(call(), RegionFor(ctx.region), who, ctx); !st.ok()) return st.error();
  return got;
}

// ---- delete ----

bool SpecType::IsRetryable(const Error& e) const { return Contains(spec_.del.retry_codes, e.code); }

Status SpecType::DeleteOnce(const OperationContext& ctx, const Attributes& prior) {
  if (spec_.hooks.before_delete)
    if (auto st = spec_.hooks.before_delete(call(), ctx, prior); !st.ok()) return st;
  if (spec_.del.action.empty()) return {};  // forgotten only
  QueryParams p = spec_.hooks.delete_params ? spec_.hooks.delete_params(prior) : IdParams(GetText(prior, "id"));
  auto r = call()(RegionFor(ctx.region), spec_.del.action, p);
  return r.ok() ? Status() : Status(r.error());
}

Result<ApplyResult> SpecType::Delete(const OperationContext& ctx, const Attributes& prior) {
  Status st = DeleteOnce(ctx, prior);
  const std::string id = GetText(prior, "id");
  std::lock_guard lock(mu_);
  if (st.ok() || IsNotFound(spec_.service, st.error())) {
    first_violation_.erase(id);
    return ApplyResult{prior, false};
  }
  if (!IsRetryable(st.error())) return st.error();
  return ApplyResult{prior, true};  // dependents are still going away: Poll retries
}

Result<PollResult> SpecType::RetryDelete(const OperationContext& ctx, const Attributes& current) {
  PollResult r;
  r.attributes = current;
  Status st = DeleteOnce(ctx, current);
  const std::string id = GetText(current, "id");
  std::unique_lock lock(mu_);
  if (st.ok() || IsNotFound(spec_.service, st.error())) {
    first_violation_.erase(id);
    return r;
  }
  if (!IsRetryable(st.error())) return st.error();
  auto [at, first_time] = first_violation_.emplace(id, std::chrono::steady_clock::now());
  // The engine bounds the wait by the resource's delete timeout; give up on
  // our own only when it gave none.
  auto budget = ctx.timeout.count() > 0 ? ctx.timeout : std::chrono::seconds(spec_.del.budget);
  bool give_up = std::chrono::steady_clock::now() - at->second > budget;
  if (give_up) first_violation_.erase(at);
  // Name what still uses the resource (often something infra does not
  // manage) on the first retry and when giving up, not on every poll.
  std::string users;
  if ((first_time || give_up) && spec_.hooks.dependents) {
    lock.unlock();
    users = spec_.hooks.dependents(call(), RegionFor(ctx.region), id);
  }
  std::string named = users.empty() ? "" : fmt::format("; still in use by {}", users);
  if (give_up) {
    r.status = PollStatus::kFailed;
    r.detail = fmt::format("{} {} still has dependents after {} s: {}{}", spec_.schema.type, id, budget.count(),
                           st.error().message, named);
    return r;
  }
  r.status = PollStatus::kPending;
  r.detail = fmt::format("waiting for dependents of {} to go away ({}){}", id, st.error().code, named);
  r.retry_after = std::chrono::milliseconds(5000);
  return r;
}

Result<PollResult> SpecType::Poll(const OperationContext& ctx, const Attributes& current, Phase phase) {
  if (phase == Phase::kDelete) return RetryDelete(ctx, current);
  auto got = ReadOne(ctx.region, GetText(current, "id"));
  if (!got.ok()) return got.error();  // NotFound: the engine's grace period applies
  PollResult r;
  r.attributes = std::move(*got);
  if (!spec_.wait || phase != Phase::kCreate) return r;
  const Wait& w = *spec_.wait;
  std::string status = GetText(r.attributes, w.status_attr);
  r.detail = fmt::format("{} {}", w.status_attr, status);
  if (Contains(w.ready, status)) return r;
  r.status = Contains(w.pending, status) ? PollStatus::kPending : PollStatus::kFailed;
  r.retry_after = w.interval;
  return r;
}

// ---- adoption ----

Result<std::optional<Attributes>> SpecType::FindByAddress(const OperationContext& ctx, const Attributes& desired) {
  std::map<std::string, Attributes> found;
  const Protocol proto = spec_.service.protocol;
  auto ours = [&](pugi::xml_node item) {
    if (!spec_.schema.taggable || spec_.service.tags.style == Tagging::Style::kNone) return true;
    return ReadTag(item, proto, kAddressTag) == ctx.address && ReadTag(item, proto, kStackTag) == ctx.stack;
  };
  auto keep = [&](const std::string& id, pugi::xml_node item) {
    if (!ours(item) || Contains(ctx.exclude_ids, id)) return;
    Attributes a = FromItem(item, id, ctx.region);
    if (!a.is_null()) found[id] = std::move(a);
  };
  Status st;
  switch (spec_.adopt.kind) {
    case Adoption::Kind::kNone: return std::optional<Attributes>();
    case Adoption::Kind::kByName: {
      std::string name = GetText(desired, spec_.adopt.name_attr);
      if (name.empty()) return std::optional<Attributes>();
      st = ReadItems(ctx.region, {name}, keep);
      break;
    }
    case Adoption::Kind::kById: {  // ours whatever its tags; Read enriches
      if (!spec_.hooks.id_of) return std::optional<Attributes>();
      std::string id = spec_.hooks.id_of(desired, pugi::xml_node());
      if (id.empty() || Contains(ctx.exclude_ids, id)) return std::optional<Attributes>();
      auto got = Read(ctx.region, {id});
      if (!got.ok()) return got.error();
      auto it = got->find(id);
      if (it == got->end()) return std::optional<Attributes>();
      return Adopted(ctx, std::move(it->second), desired);
    }
    case Adoption::Kind::kByTag: {
      // Filter values are patterns ('*', '?', '[...]'): a value holding
      // those is matched by key only; `ours` checks the exact value.
      std::vector<QueryFilter> filters;
      for (auto [key, value] : {std::pair{kAddressTag, &ctx.address}, std::pair{kStackTag, &ctx.stack}}) {
        if (!spec_.adopt.tag_filters) break;
        if (value->find_first_of("*?[]\\") == std::string::npos)
          filters.push_back({fmt::format("tag:{}", key), {*value}});
        else
          filters.push_back({"tag-key", {key}});
      }
      if (spec_.adopt.filters)
        for (auto& f : spec_.adopt.filters(desired)) filters.push_back(std::move(f));
      QueryParams p;
      AddEc2Filters(p, filters, spec_.read.filter_param);
      st = Describe(ctx.region, p, keep);
      break;
    }
  }
  if (!st.ok()) return st.error();
  if (found.empty()) return std::optional<Attributes>();
  if (spec_.hooks.enrich)
    if (auto e = spec_.hooks.enrich(call(), RegionFor(ctx.region), found); !e.ok()) return e.error();
  return Adopted(ctx, found.begin()->second, desired);
}

Result<std::optional<Attributes>> SpecType::Adopted(const OperationContext& ctx, Attributes found,
                                                    const Attributes& desired) {
  if (spec_.hooks.after_adopt)
    if (auto st = spec_.hooks.after_adopt(call(), ctx, found, desired); !st.ok()) return st.error();
  return std::optional<Attributes>(std::move(found));
}

}  // namespace infra::aws::kit

// RdsType (see rds_type.h): RDS's list and tag shapes, filter-batched
// reads, one Modify* call per update, promotion and the status waits.
#include "providers/aws/rds/rds_type.h"

#include <fmt/format.h>

#include <algorithm>

#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws::rds {

using provider::ApplyResult;
using provider::Attributes;
using provider::OperationContext;
using provider::Phase;
using provider::PollResult;
using provider::PollStatus;

namespace {
constexpr size_t kMaxFilterValues = 100;

nlohmann::json Get(const Attributes& a, const std::string& key) {
  return a.is_object() && a.contains(key) ? a[key] : nlohmann::json();
}
bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}
std::vector<std::string> Strings(const nlohmann::json& v) {
  std::vector<std::string> out;
  if (v.is_array())
    for (const auto& e : v) out.push_back(e.is_string() ? e.get<std::string>() : e.dump());
  return out;
}

void AddTags(QueryParams& p, const TagList& tags) {
  for (size_t i = 0; i < tags.size(); ++i) {
    p.emplace_back(fmt::format("Tags.Tag.{}.Key", i + 1), tags[i].first);
    p.emplace_back(fmt::format("Tags.Tag.{}.Value", i + 1), tags[i].second);
  }
}

// Every tag of an item's TagList (infra:* included).
std::map<std::string, std::string> TagMap(pugi::xml_node tag_list) {
  std::map<std::string, std::string> m;
  for (pugi::xml_node t : tag_list.children()) m[XmlText(t, "Key")] = XmlText(t, "Value");
  return m;
}
nlohmann::json UserTags(const std::map<std::string, std::string>& all) {
  nlohmann::json tags = nlohmann::json::object();
  for (const auto& [k, v] : all)
    if (k.rfind("infra:", 0) != 0) tags[k] = v;
  return tags.empty() ? nlohmann::json() : tags;
}

Result<std::map<std::string, std::string>> ListTags(const kit::Call& call, const std::string& region,
                                                    const std::string& arn) {
  auto r = call(region, "ListTagsForResource", {{"ResourceName", arn}});
  if (!r.ok()) return r.error();
  return TagMap(XmlPath(r->root, "ListTagsForResourceResult/TagList"));
}

// Tag calls by ARN so the object carries `desired` user tags, not `prior`'s.
Status MoveTags(const kit::Call& call, const std::string& region, const std::string& arn, const nlohmann::json& prior,
                const nlohmann::json& desired) {
  TagList before = kit::UserTagList(prior), after = kit::UserTagList(desired), set;
  std::vector<std::string> removed;
  for (const auto& kv : after)
    if (std::find(before.begin(), before.end(), kv) == before.end()) set.push_back(kv);
  for (const auto& [k, v] : before)
    if (std::none_of(after.begin(), after.end(), [&](const auto& a) { return a.first == k; })) removed.push_back(k);
  if (!removed.empty()) {
    QueryParams p = {{"ResourceName", arn}};
    AddMemberList(p, "TagKeys", removed);
    if (auto r = call(region, "RemoveTagsFromResource", p); !r.ok()) return r.error();
  }
  if (!set.empty()) {
    QueryParams p = {{"ResourceName", arn}};
    AddTags(p, set);
    if (auto r = call(region, "AddTagsToResource", p); !r.ok()) return r.error();
  }
  return {};
}
}  // namespace

kit::Service Service() { return kit::Service{"rds", kit::Protocol::kQuery, {}, {}}; }

provider::ResourceSchema Schema(std::string type, std::vector<provider::AttributeSchema> attributes) {
  provider::ResourceSchema s;
  s.type = std::move(type);
  s.service = "rds";
  s.attributes = std::move(attributes);
  s.create_timeout = s.update_timeout = s.delete_timeout = std::chrono::minutes(120);  // Terraform's for clusters
  return s;
}

namespace {
// The PreSignedUrl of a cross-region create, over the call's parameters
// and DestinationRegion, as botocore's inject_presigned_url_rds builds it;
// the master password stays out of it (AWS needs only the source, the key
// and the destination; a password inside a URL inside a form body would
// escape the log's redaction). RdsType::Create has checked that the
// client can presign for `source`; a failure here leaves the URL out and
// AWS names what is missing.
void AddPreSignedUrl(AwsClient& client, const std::string& source, const std::string& destination,
                     const std::string& action, QueryParams& p) {
  QueryParams presigned;
  for (const auto& kv : p)
    if (kv.first != "MasterUserPassword") presigned.push_back(kv);
  presigned.emplace_back("DestinationRegion", destination);
  if (auto url = client.PresignQuery("rds", source, action, presigned, kPresignExpiry); url.ok())
    p.emplace_back("PreSignedUrl", *url);
}

// The spec the kit runs: lists, tags, the Modify call, promotion and the
// deletion_protection guard folded into its hooks and update operations.
kit::Spec Folded(kit::Spec spec, const RdsSpec& rds, std::shared_ptr<AwsClient> client) {
  const std::string id_param = spec.read.id_param;
  const auto lists = rds.lists;
  const bool tagged = spec.schema.taggable;
  auto create_params = spec.hooks.create_params;
  spec.hooks.create_params = [=, action = spec.create.action, presign = rds.presign_region](
                                 const OperationContext& ctx, const Attributes& desired, QueryParams& p) {
    if (create_params) create_params(ctx, desired, p);
    for (const auto& l : lists) AddNamedList(p, l.param, l.element, Strings(Get(desired, l.attr)));
    if (tagged) AddTags(p, kit::InfraTags(ctx, Get(desired, "tags")));
    if (std::string source = presign ? presign(desired) : ""; !source.empty() && source != ctx.region)
      AddPreSignedUrl(*client, source, ctx.region, action, p);
  };
  auto on_read = spec.hooks.on_read;
  const bool inline_tags = rds.tags_inline && tagged;
  spec.hooks.on_read = [=](pugi::xml_node item, const std::string& region, Attributes& a) {
    for (const auto& l : lists) {
      nlohmann::json values = nlohmann::json::array();
      for (pugi::xml_node e : XmlItems(item, l.read_path))
        values.push_back(l.read_child.empty() ? std::string(e.child_value()) : XmlText(e, l.read_child));
      a[l.attr] = values;
    }
    if (inline_tags) a["tags"] = UserTags(TagMap(XmlPath(item, "TagList")));
    if (on_read) on_read(item, region, a);
  };
  std::vector<kit::UpdateOp> ops;
  if (!rds.promote_attr.empty())
    ops.push_back({{rds.promote_attr}, "", {}, {}, {}, "",
                   [action = rds.promote_action, attr = rds.promote_attr, id_param](
                       const kit::Call& call, const std::string& region, const std::string& id, const Attributes&,
                       const Attributes& desired) -> Status {
                     if (!Get(desired, attr).is_null()) return {};  // another source: a replacement
                     auto r = call(region, action, {{id_param, id}});
                     return r.ok() ? Status() : Status(r.error());
                   }});
  if (!rds.modify.empty()) {
    auto fields = spec.fields;
    auto schema = spec.schema;
    ops.push_back({rds.modify, "", {}, {}, {}, "",
                   [=, action = rds.modify_action, modify = rds.modify](
                       const kit::Call& call, const std::string& region, const std::string& id,
                       const Attributes& prior, const Attributes& desired) -> Status {
                     QueryParams p = {{id_param, id}};
                     for (const auto& name : modify) {
                       const auto* a = schema.Find(name);
                       if (a && provider::SameValue(*a, Get(prior, name), Get(desired, name))) continue;
                       for (const auto& l : lists)
                         if (l.attr == name) AddNamedList(p, l.param, l.element, Strings(Get(desired, name)));
                       for (const auto& f : fields)
                         if (f.attr == name) kit::AddParam(p, kit::Protocol::kQuery, f.param, f.conv, Get(desired, name));
                     }
                     if (p.size() == 1) return {};
                     if (schema.Find("apply_immediately"))
                       kit::AddParam(p, kit::Protocol::kQuery, "ApplyImmediately", kit::Conv::kBool,
                                     Get(desired, "apply_immediately"));
                     auto r = call(region, action, p);
                     return r.ok() ? Status() : Status(r.error());
                   }});
  }
  for (auto& op : spec.updates) ops.push_back(std::move(op));
  if (tagged)
    ops.push_back({{"tags"}, "", {}, {}, {}, "",
                   [](const kit::Call& call, const std::string& region, const std::string&, const Attributes& prior,
                      const Attributes& desired) {
                     return MoveTags(call, region, kit::AttrText(prior, "arn"), Get(prior, "tags"),
                                     Get(desired, "tags"));
                   }});
  spec.updates = std::move(ops);
  auto before_delete = spec.hooks.before_delete;
  const bool snapshots = spec.schema.Find("skip_final_snapshot") != nullptr;
  spec.hooks.before_delete = [before_delete, snapshots, type = spec.schema.type](
                                 const kit::Call& call, const OperationContext& ctx, const Attributes& prior) -> Status {
    const std::string id = kit::AttrText(prior, "id");
    if (Get(prior, "deletion_protection") == true)
      return MakeError(Error::Kind::kInvalid, "DeletionProtection",
                       fmt::format("{}: cannot delete {} {}: deletion_protection is true; set deletion_protection: "
                                   "false and apply before destroying it",
                                   ctx.address, type, id));
    if (snapshots && Get(prior, "skip_final_snapshot") != true && kit::AttrText(prior, "final_snapshot_identifier").empty())
      return MakeError(Error::Kind::kInvalid, "FinalSnapshot",
                       fmt::format("{}: cannot delete {} {}: skip_final_snapshot is false and no "
                                   "final_snapshot_identifier is set; set one of them and apply first",
                                   ctx.address, type, id));
    return before_delete ? before_delete(call, ctx, prior) : Status();
  };
  spec.service.tags = {};  // written and read above, by ARN
  return spec;
}
}  // namespace

namespace {
// The spec of a replica's create: its action, only the fields it takes.
kit::Spec ReplicaCreate(kit::Spec spec, const RdsSpec& rds) {
  spec.create = {rds.replica_action, rds.replica_action + "Result/DBInstance/" + spec.read.id_param};
  for (auto& f : spec.fields) {
    if (f.attr == rds.promote_attr) f.param = rds.replica_source_param;
    else if (!Contains(rds.replica_fields, f.attr)) f.use &= ~kit::kCreate;
  }
  return spec;
}
RdsSpec WithoutReplica(RdsSpec rds) {
  rds.replica_action.clear();
  return rds;
}
}  // namespace

std::string ArnRegion(const std::string& arn) {
  if (arn.rfind("arn:", 0) != 0) return {};
  size_t service = arn.find(':', 4), region = service == std::string::npos ? service : arn.find(':', service + 1);
  size_t end = region == std::string::npos ? region : arn.find(':', region + 1);
  return end == std::string::npos ? std::string() : arn.substr(region + 1, end - region - 1);
}

RdsType::RdsType(std::shared_ptr<AwsClient> client, kit::Spec spec, RdsSpec rds)
    : kit::SpecType(client, Folded(spec, rds, client)), rds_(std::move(rds)) {
  if (!rds_.replica_action.empty())
    replica_ = std::make_unique<RdsType>(std::move(client), ReplicaCreate(std::move(spec), rds_), WithoutReplica(rds_));
}

Result<ApplyResult> RdsType::Create(const OperationContext& ctx, const Attributes& desired) {
  if (replica_ && !Get(desired, rds_.promote_attr).is_null()) return replica_->Create(ctx, desired);
  if (std::string source = rds_.presign_region ? rds_.presign_region(desired) : ""; !source.empty() &&
                                                                                     source != ctx.region) {
    auto probe = client_->PresignQuery("rds", source, spec_.create.action, {}, kPresignExpiry);
    if (!probe.ok())
      return MakeError(probe.error().kind, probe.error().code,
                       fmt::format("{}: cannot sign the PreSignedUrl of this cross-region replica for its source "
                                   "region {}: {}",
                                   ctx.address, source, probe.error().message));
  }
  return kit::SpecType::Create(ctx, desired);
}

// ---- reads ----

Result<std::map<std::string, Attributes>> RdsType::ReadByFilter(const std::string& region,
                                                               const std::vector<std::string>& ids) {
  std::map<std::string, Attributes> out;
  const auto& r = spec_.read;
  for (size_t start = 0; start < ids.size(); start += kMaxFilterValues) {
    std::vector<std::string> chunk(ids.begin() + start, ids.begin() + std::min(ids.size(), start + kMaxFilterValues));
    std::string marker;
    do {
      QueryParams p;
      AddRdsFilters(p, {{r.id_filter, chunk}});
      if (!marker.empty()) p.emplace_back("Marker", marker);
      auto reply = call()(region, r.action, p);
      if (!reply.ok()) return reply.error();
      for (pugi::xml_node item : XmlItems(reply->root, r.items)) {
        std::string id = XmlText(item, r.id_path);
        if (std::find(chunk.begin(), chunk.end(), id) == chunk.end()) continue;
        Attributes a = FromItem(item, id, region);
        if (!a.is_null()) out[id] = std::move(a);
      }
      marker = XmlText(reply->root, r.items.substr(0, r.items.find('/')) + "/Marker");
    } while (!marker.empty());
  }
  return out;
}

Result<std::map<std::string, Attributes>> RdsType::ReadScanning(const std::string& region,
                                                               const std::vector<std::string>& ids) {
  std::map<std::string, Attributes> out;
  const auto& r = spec_.read;
  for (const auto& id : ids) {
    auto reply = call()(region, r.action, IdParams(id));
    if (!reply.ok() && IsNotFound(spec_.service, reply.error())) continue;
    if (!reply.ok()) return reply.error();
    for (pugi::xml_node item : XmlItems(reply->root, r.items))
      if (XmlText(item, r.id_path) == id)
        if (Attributes a = FromItem(item, id, region); !a.is_null()) out[id] = std::move(a);
  }
  return out;
}

Status RdsType::ReadTags(const std::string& region, std::map<std::string, Attributes>& found) {
  if (rds_.tags_inline || !spec_.schema.taggable) return {};
  for (auto& [id, a] : found) {
    auto tags = ListTags(call(), region, kit::AttrText(a, "arn"));
    if (!tags.ok()) return tags.error();
    a["tags"] = UserTags(*tags);
  }
  return {};
}

Result<std::map<std::string, Attributes>> RdsType::Read(const std::string& region,
                                                        const std::vector<std::string>& ids) {
  auto got = !spec_.read.id_filter.empty() ? ReadByFilter(region, ids)
             : rds_.scan_items               ? ReadScanning(region, ids)
                                             : kit::SpecType::Read(region, ids);
  if (!got.ok()) return got;
  if (auto st = ReadTags(region, *got); !st.ok()) return st.error();
  return got;
}

Result<std::optional<Attributes>> RdsType::FindByAddress(const OperationContext& ctx, const Attributes& desired) {
  std::string name = kit::AttrText(desired, spec_.adopt.name_attr);
  if (spec_.adopt.kind != kit::Adoption::Kind::kByName || name.empty() || Contains(ctx.exclude_ids, name))
    return std::optional<Attributes>();
  auto got = Read(ctx.region, {name});
  if (!got.ok()) return got.error();
  auto it = got->find(name);
  if (it == got->end()) return std::optional<Attributes>();
  if (spec_.schema.taggable) {
    auto tags = ListTags(call(), ctx.region, kit::AttrText(it->second, "arn"));
    if (!tags.ok()) return tags.error();
    if ((*tags)[kit::kAddressTag] != ctx.address || (*tags)[kit::kStackTag] != ctx.stack)
      return std::optional<Attributes>();
  }
  return std::optional<Attributes>(std::move(it->second));
}

Result<Attributes> RdsType::Import(const OperationContext& ctx, const std::string& id) {
  auto got = ReadOne(ctx.region, id);
  if (!got.ok() || !spec_.schema.taggable) return got;
  nlohmann::json infra = {{kit::kStackTag, ctx.stack}, {kit::kAddressTag, ctx.address}};
  if (auto st = MoveTags(call(), ctx.region, kit::AttrText(*got, "arn"), nlohmann::json::object(), infra); !st.ok())
    return st.error();
  return got;
}

// ---- update, delete and their waits ----

Result<ApplyResult> RdsType::Update(const OperationContext& ctx, const Attributes& prior, const Attributes& desired) {
  auto r = kit::SpecType::Update(ctx, prior, desired);
  if (!r.ok()) return r;
  bool promoted = !rds_.promote_attr.empty() && !Get(prior, rds_.promote_attr).is_null() &&
                  Get(desired, rds_.promote_attr).is_null();
  if (promoted) {
    r->attributes[rds_.promote_attr] = nullptr;  // what Poll waits for
    r->pending = true;
  } else if (!rds_.busy.empty() && Contains(rds_.busy, kit::AttrText(r->attributes, "status"))) {
    r->pending = true;
  }
  return r;
}

Result<ApplyResult> RdsType::Delete(const OperationContext& ctx, const Attributes& prior) {
  auto r = kit::SpecType::Delete(ctx, prior);
  if (!r.ok() || r->pending || !rds_.wait_delete) return r;
  std::lock_guard lock(mu_);
  deleting_.insert(kit::AttrText(prior, "id"));
  r->pending = true;  // Poll waits until it is gone
  return r;
}

Result<PollResult> RdsType::WaitGone(const OperationContext& ctx, const Attributes& current) {
  const std::string id = kit::AttrText(current, "id");
  auto got = ReadOne(ctx.region, id);
  PollResult r;
  r.attributes = current;
  if (!got.ok() && IsNotFound(spec_.service, got.error())) {
    std::lock_guard lock(mu_);
    deleting_.erase(id);
    return r;
  }
  if (!got.ok()) return got.error();
  r.status = PollStatus::kPending;
  r.detail = fmt::format("status {}", kit::AttrText(*got, "status"));
  r.retry_after = std::chrono::seconds(10);
  return r;
}

Result<PollResult> RdsType::Poll(const OperationContext& ctx, const Attributes& current, Phase phase) {
  if (phase == Phase::kDelete) {
    bool accepted;
    {
      std::lock_guard lock(mu_);
      accepted = deleting_.count(kit::AttrText(current, "id")) > 0;
    }
    if (accepted) return WaitGone(ctx, current);
    auto r = kit::SpecType::Poll(ctx, current, phase);  // the delete call retried
    if (!r.ok() || r->status != PollStatus::kReady || !rds_.wait_delete) return r;
    std::lock_guard lock(mu_);
    deleting_.insert(kit::AttrText(current, "id"));
    r->status = PollStatus::kPending;
    r->retry_after = std::chrono::seconds(10);
    return r;
  }
  auto r = kit::SpecType::Poll(ctx, current, phase);
  if (!r.ok() || phase != Phase::kUpdate || r->status != PollStatus::kReady) return r;
  std::string status = kit::AttrText(r->attributes, "status");
  bool busy = Contains(rds_.busy, status);
  bool promoting = !rds_.promote_attr.empty() && Get(current, rds_.promote_attr).is_null() &&
                   !Get(r->attributes, rds_.promote_attr).is_null();
  if (busy || promoting) {
    if (promoting) r->attributes[rds_.promote_attr] = nullptr;  // still what the wait is for
    r->status = PollStatus::kPending;
    r->detail = promoting ? fmt::format("promoting (status {})", status) : fmt::format("status {}", status);
    r->retry_after = std::chrono::seconds(10);
  }
  return r;
}

}  // namespace infra::aws::rds

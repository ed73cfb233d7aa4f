// FakeProvider: in-memory objects and scripted behaviours for engine tests.
#include "fakes/fake_provider.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

namespace infra::test {
namespace {
using provider::ApplyResult;
using provider::AttributeSchema;
using provider::AttrMode;
using provider::AttrType;
using provider::Attributes;
using provider::PollResult;
using provider::PollStatus;

AttributeSchema Attr(const char* name, AttrType type, AttrMode mode) {
  AttributeSchema a;
  a.name = name;
  a.type = type;
  a.mode = mode;
  return a;
}

Attributes Public(Attributes a) {
  a.erase("__address");
  return a;
}
}  // namespace

FakeResourceType::FakeResourceType(FakeProvider* owner, provider::ResourceSchema schema)
    : owner_(owner), schema_(std::move(schema)) {}

Result<ApplyResult> FakeResourceType::Create(const provider::OperationContext& ctx, const Attributes& desired) {
  auto start = std::chrono::steady_clock::now();
  owner_->Enter();
  FakeBehaviour b = owner_->BehaviourOf(ctx.address);
  if (b.during) b.during("create");
  std::this_thread::sleep_for(b.delay);
  Result<ApplyResult> out = MakeError(Error::Kind::kOther, "Unset", "unset");
  {
    std::lock_guard<std::mutex> lock(owner_->mu_);
    int n = ++owner_->created_count_[ctx.address];
    if (b.fail_create) {
      out = MakeError(Error::Kind::kInvalid, "FakeFailure", fmt::format("{} refused to be created", ctx.address));
    } else if (n <= b.not_found_creates) {
      out = MakeError(Error::Kind::kNotFound, "Dependency.NotFound", "a dependency is not visible yet");
    } else if (n <= b.unsent_creates) {
      out = MakeError(Error::Kind::kTransport, "ConnectionReset", "connection reset by peer");
    } else {
      Attributes a = desired;
      std::string id = fmt::format("{}-{}", schema_.type, owner_->next_id_++);
      a["id"] = id;
      a["arn"] = "arn:fake:" + id;
      a["__address"] = ctx.address;
      owner_->objects_[Where(ctx.region)][id] = a;
      owner_->polls_[ctx.address] = 0;
      out = ApplyResult{Public(a), b.pending_polls > 0 || b.not_found_polls > 0};
      if (n <= b.lost_replies)
        out = MakeError(Error::Kind::kTransport, "ConnectionReset",
                        "connection reset by peer; the service may have processed the request");
    }
  }
  owner_->Leave();
  owner_->Log({"create", ctx.address, start, std::chrono::steady_clock::now()});
  return out;
}

Result<ApplyResult> FakeResourceType::Update(const provider::OperationContext& ctx, const Attributes& prior,
                                             const Attributes& desired) {
  auto start = std::chrono::steady_clock::now();
  owner_->Enter();
  FakeBehaviour b = owner_->BehaviourOf(ctx.address);
  if (b.during) b.during("update");
  std::this_thread::sleep_for(b.delay);
  Result<ApplyResult> out = MakeError(Error::Kind::kInvalid, "FakeFailure", ctx.address + " refused to be updated");
  if (!b.fail_update) {
    std::lock_guard<std::mutex> lock(owner_->mu_);
    std::string id = prior.value("id", "");
    auto& objs = owner_->objects_[Where(ctx.region)];
    auto it = objs.find(id);
    if (it == objs.end()) {
      out = MakeError(Error::Kind::kNotFound, "NotFound", id + " does not exist");
    } else {
      for (auto kv = desired.begin(); kv != desired.end(); ++kv) it->second[kv.key()] = kv.value();
      out = ApplyResult{Public(it->second), false};
    }
  }
  owner_->Leave();
  owner_->Log({"update", ctx.address, start, std::chrono::steady_clock::now()});
  return out;
}

Result<ApplyResult> FakeResourceType::Delete(const provider::OperationContext& ctx, const Attributes& prior) {
  auto start = std::chrono::steady_clock::now();
  owner_->Enter();
  FakeBehaviour b = owner_->BehaviourOf(ctx.address);
  if (b.during) b.during("delete");
  std::this_thread::sleep_for(b.delay);
  Result<ApplyResult> out = MakeError(Error::Kind::kConflict, "FakeFailure", ctx.address + " refused to be deleted");
  if (!b.fail_delete) {
    std::lock_guard<std::mutex> lock(owner_->mu_);
    owner_->objects_[Where(ctx.region)].erase(prior.value("id", ""));
    owner_->polls_[ctx.address] = 0;
    out = ApplyResult{Attributes::object(), b.pending_polls > 0};
  }
  owner_->Leave();
  owner_->Log({"delete", ctx.address, start, std::chrono::steady_clock::now()});
  return out;
}

Result<PollResult> FakeResourceType::Poll(const provider::OperationContext& ctx, const Attributes& current,
                                          provider::Phase phase) {
  auto start = std::chrono::steady_clock::now();
  FakeBehaviour b = owner_->BehaviourOf(ctx.address);
  if (b.during) b.during("poll");
  Result<PollResult> out = PollResult{};
  {
    std::lock_guard<std::mutex> lock(owner_->mu_);
    int n = ++owner_->polls_[ctx.address];
    PollResult r;
    r.retry_after = b.poll_retry;
    r.attributes = current;
    if (phase == provider::Phase::kCreate && n <= b.not_found_polls) {
      out = MakeError(Error::Kind::kNotFound, "NotFound", "not visible yet");
    } else {
      r.status = n <= b.pending_polls ? PollStatus::kPending : PollStatus::kReady;
      r.detail = r.status == PollStatus::kPending ? "state pending" : "";
      out = r;
    }
  }
  owner_->Log({"poll", ctx.address, start, std::chrono::steady_clock::now()});
  return out;
}

Result<std::map<std::string, Attributes>> FakeResourceType::Read(const std::string& region,
                                                                 const std::vector<std::string>& ids) {
  auto start = std::chrono::steady_clock::now();
  std::map<std::string, Attributes> out;
  {
    std::lock_guard<std::mutex> lock(owner_->mu_);
    auto& objs = owner_->objects_[Where(region)];
    for (const auto& id : ids) {
      auto it = objs.find(id);
      if (it != objs.end()) out[id] = Public(it->second);
    }
  }
  owner_->Log({"read", "", start, std::chrono::steady_clock::now()});
  return out;
}

Result<std::optional<Attributes>> FakeResourceType::FindByAddress(const provider::OperationContext& ctx,
                                                                  const Attributes&) {
  auto start = std::chrono::steady_clock::now();
  std::optional<Attributes> found;
  {
    std::lock_guard<std::mutex> lock(owner_->mu_);
    // The first match by id, as a tag search over a describe result does;
    // ids the caller excludes (the old object of a replacement) never match.
    for (const auto& [id, a] : owner_->objects_[Where(ctx.region)]) {
      bool excluded = std::find(ctx.exclude_ids.begin(), ctx.exclude_ids.end(), id) != ctx.exclude_ids.end();
      if (a.value("__address", "") == ctx.address && !excluded) {
        found = Public(a);
        break;
      }
    }
  }
  owner_->Log({"find", ctx.address, start, std::chrono::steady_clock::now()});
  return found;
}

FakeProvider::FakeProvider() = default;

provider::ResourceType* FakeProvider::Find(std::string_view type) const {
  auto it = types_.find(std::string(type));
  return it == types_.end() ? nullptr : it->second.get();
}

std::vector<std::string> FakeProvider::TypeNames() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : types_) out.push_back(k);
  return out;
}

provider::DataSourceType* FakeProvider::FindData(std::string_view type) const {
  auto it = data_types_.find(std::string(type));
  return it == data_types_.end() ? nullptr : it->second.get();
}

std::vector<std::string> FakeProvider::DataTypeNames() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : data_types_) out.push_back(k);
  return out;
}

FakeDataType* FakeProvider::AddDataType(provider::ResourceSchema schema, FakeDataType::ReadFn read) {
  if (schema.service.empty()) schema.service = "fake";
  schema.taggable = false;
  std::string name = schema.type;
  data_types_[name] = std::make_unique<FakeDataType>(std::move(schema), std::move(read));
  return data_types_[name].get();
}

int FakeProvider::ServiceConcurrency(const std::string& service) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = concurrency_.find(service);
  return it == concurrency_.end() ? 32 : it->second;
}

FakeResourceType* FakeProvider::AddType(provider::ResourceSchema schema) {
  if (schema.service.empty()) schema.service = "fake";
  std::string name = schema.type;
  types_[name] = std::make_unique<FakeResourceType>(this, std::move(schema));
  return types_[name].get();
}

FakeResourceType* FakeProvider::AddThing(const std::string& type, const std::string& service) {
  provider::ResourceSchema s;
  s.type = type;
  s.service = service;
  s.not_found_grace = std::chrono::seconds(60);
  AttributeSchema name = Attr("name", AttrType::kString, AttrMode::kRequired);
  name.force_new = true;
  AttributeSchema size = Attr("size", AttrType::kNumber, AttrMode::kOptional);
  size.default_value = 1;
  AttributeSchema secret = Attr("secret", AttrType::kString, AttrMode::kOptional);
  secret.sensitive = true;
  AttributeSchema tags = Attr("tags", AttrType::kMapString, AttrMode::kOptional);
  AttributeSchema ref = Attr("ref", AttrType::kString, AttrMode::kOptional);
  AttributeSchema zone = Attr("zone", AttrType::kString, AttrMode::kOptionalComputed);
  AttributeSchema arn = Attr("arn", AttrType::kString, AttrMode::kComputed);
  s.attributes = {name, size, secret, tags, ref, zone, arn};
  return AddType(std::move(s));
}

void FakeProvider::SetBehaviour(const std::string& address, FakeBehaviour b) {
  std::lock_guard<std::mutex> lock(mu_);
  behaviours_[address] = b;
}

void FakeProvider::SetConcurrency(const std::string& service, int n) {
  std::lock_guard<std::mutex> lock(mu_);
  concurrency_[service] = n;
}

std::vector<FakeCall> FakeProvider::Calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

int FakeProvider::CountCalls(const std::string& op) const {
  std::lock_guard<std::mutex> lock(mu_);
  int n = 0;
  for (const auto& c : calls_) n += c.op == op;
  return n;
}

int FakeProvider::CountObjects(const std::string& address) const {
  std::lock_guard<std::mutex> lock(mu_);
  int n = 0;
  for (const auto& [region, objs] : objects_)
    for (const auto& [id, a] : objs) n += a.value("__address", "") == address;
  return n;
}

size_t FakeProvider::ObjectCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& [region, objs] : objects_) n += objs.size();
  return n;
}

bool FakeProvider::Mutate(const std::string& id, const std::string& attribute, const nlohmann::json& value) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [region, objs] : objects_) {
    auto it = objs.find(id);
    if (it != objs.end()) {
      it->second[attribute] = value;
      return true;
    }
  }
  return false;
}

bool FakeProvider::Remove(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [region, objs] : objects_)
    if (objs.erase(id)) return true;
  return false;
}

std::string FakeProvider::Insert(const std::string& region, const std::string& address, Attributes attributes) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string id = fmt::format("inserted-{}", next_id_++);
  attributes["id"] = id;
  attributes["__address"] = address;
  objects_[region][id] = attributes;
  return id;
}

FakeBehaviour FakeProvider::BehaviourOf(const std::string& address) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = behaviours_.find(address);
  return it == behaviours_.end() ? FakeBehaviour{} : it->second;
}

void FakeProvider::Enter() {
  int now = ++in_flight_;
  int peak = peak_.load();
  while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
  }
}

void FakeProvider::Leave() { --in_flight_; }

void FakeProvider::Log(FakeCall call) {
  std::lock_guard<std::mutex> lock(mu_);
  calls_.push_back(std::move(call));
}

}  // namespace infra::test

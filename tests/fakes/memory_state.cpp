// MemoryState implementation.
#include "fakes/memory_state.h"

#include <fmt/format.h>

namespace infra::test {

Status MemoryState::PutResource(const engine::StateResource& resource, int64_t resolve_intent) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!resource.deposed.empty()) {
    deposed_[{resource.address, resource.deposed}] = resource;
    log_.push_back("depose " + resource.address + " " + resource.deposed);
  } else {
    resources_[resource.address] = resource;
    log_.push_back("put " + resource.address);
  }
  open_.erase(resolve_intent);
  return {};
}

Status MemoryState::PutResources(const std::vector<engine::StateResource>& resources, int64_t resolve_intent) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& r : resources) {
    if (r.deposed.empty()) {
      resources_[r.address] = r;
      log_.push_back("put " + r.address);
    } else {
      deposed_[{r.address, r.deposed}] = r;
      log_.push_back("depose " + r.address + " " + r.deposed);
    }
  }
  open_.erase(resolve_intent);
  return {};
}

Status MemoryState::RemoveDeposed(const std::string& address, const std::string& key, int64_t resolve_intent) {
  std::lock_guard<std::mutex> lock(mu_);
  deposed_.erase({address, key});
  open_.erase(resolve_intent);
  log_.push_back("remove deposed " + address + " " + key);
  return {};
}

Status MemoryState::RemoveResource(const std::string& address, int64_t resolve_intent) {
  std::lock_guard<std::mutex> lock(mu_);
  resources_.erase(address);
  open_.erase(resolve_intent);
  log_.push_back("remove " + address);
  return {};
}

Result<int64_t> MemoryState::RecordIntent(const engine::PendingIntent& intent) {
  std::lock_guard<std::mutex> lock(mu_);
  engine::PendingIntent copy = intent;
  copy.id = next_++;
  open_[copy.id] = copy;
  log_.push_back(fmt::format("intent {} {}", intent.operation, intent.address));
  return copy.id;
}

Status MemoryState::RecordOutcome(int64_t intent_id, bool succeeded, const std::string&) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = open_.find(intent_id);
  log_.push_back(fmt::format("outcome {} {}", it == open_.end() ? "?" : it->second.address, succeeded ? "ok" : "failed"));
  return {};
}

Result<std::vector<engine::PendingIntent>> MemoryState::Unfinished() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<engine::PendingIntent> out;
  for (const auto& [id, i] : open_) out.push_back(i);
  return out;
}

Status MemoryState::Resolve(int64_t intent_id, const std::string& resolution) {
  std::lock_guard<std::mutex> lock(mu_);
  log_.push_back(fmt::format("resolve {} {}", open_.count(intent_id) ? open_[intent_id].address : "?", resolution));
  open_.erase(intent_id);
  return {};
}

Status MemoryState::PutOutputs(const std::map<std::string, engine::Value>& o) {
  std::lock_guard<std::mutex> lock(mu_);
  outputs = o;
  return {};
}

engine::StateSnapshot MemoryState::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  engine::StateSnapshot s;
  s.lineage = lineage;
  s.serial = serial;
  for (const auto& [a, r] : resources_) s.resources.push_back(r);
  for (const auto& [k, r] : deposed_) s.deposed.push_back(r);
  s.outputs = outputs;
  return s;
}

bool MemoryState::Has(const std::string& address) const {
  std::lock_guard<std::mutex> lock(mu_);
  return resources_.count(address) > 0;
}

engine::StateResource MemoryState::Get(const std::string& address) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = resources_.find(address);
  return it == resources_.end() ? engine::StateResource{} : it->second;
}

std::vector<engine::StateResource> MemoryState::Deposed(const std::string& address) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<engine::StateResource> out;
  for (const auto& [k, r] : deposed_)
    if (address.empty() || k.first == address) out.push_back(r);
  return out;
}

std::vector<std::string> MemoryState::Log() const {
  std::lock_guard<std::mutex> lock(mu_);
  return log_;
}

void MemoryState::AddUnfinished(engine::PendingIntent intent) {
  std::lock_guard<std::mutex> lock(mu_);
  intent.id = next_++;
  open_[intent.id] = intent;
}

}  // namespace infra::test

// FakeStack implementation: references are resolved against KnownValues.
#include "fakes/fake_stack.h"

#include <algorithm>
#include <memory>

namespace infra::test {
namespace {
bool IsRef(const engine::Value& v, std::string* address, std::string* attr) {
  if (v.kind() != engine::ValueKind::kString) return false;
  const std::string& s = v.AsString();
  if (s.rfind("ref:", 0) != 0) return false;
  auto hash = s.find('#');
  *address = s.substr(4, hash - 4);
  *attr = s.substr(hash + 1);
  return true;
}

// A reference resolved against `known`: unknown while its resource is not
// known, null for an absent attribute; anything else is itself.
engine::Value Resolve(const engine::Value& v, const engine::KnownValues& known) {
  std::string a, at;
  if (!IsRef(v, &a, &at)) return v;
  auto it = known.find(a);
  if (it == known.end() || it->second.kind() != engine::ValueKind::kMap) return engine::Value::Unknown();
  auto f = it->second.AsMap().find(at);
  return f == it->second.AsMap().end() ? engine::Value() : f->second;
}
}  // namespace

engine::ConfigResource& FakeStack::Add(const std::string& address, const std::string& type,
                                       const std::string& region_alias,
                                       std::map<std::string, engine::Value> attributes,
                                       std::vector<std::string> extra) {
  engine::ConfigResource r;
  r.address = address;
  r.type = type;
  r.region_alias = region_alias;
  r.region = regions[region_alias];
  r.location = "stack.yaml:1:1";
  for (const auto& [k, v] : attributes) {
    std::string a, at;
    if (IsRef(v, &a, &at) && std::find(r.depends_on.begin(), r.depends_on.end(), a) == r.depends_on.end())
      r.depends_on.push_back(a);
  }
  for (auto& e : extra) r.depends_on.push_back(e);
  if (!config_.count(address)) order_.push_back(address);
  config_[address] = r;
  attributes_[address] = std::move(attributes);
  return config_[address];
}

void FakeStack::Set(const std::string& address, const std::string& attribute, engine::Value value) {
  auto attrs = attributes_[address];
  attrs[attribute] = std::move(value);
  engine::ConfigResource old = config_[address];
  auto& r = Add(address, old.type, old.region_alias, attrs);
  r.lifecycle = old.lifecycle;
}

void FakeStack::Remove(const std::string& address) {
  config_.erase(address);
  attributes_.erase(address);
  order_.erase(std::remove(order_.begin(), order_.end(), address), order_.end());
}

std::vector<engine::ConfigResource> FakeStack::Resources() const {
  std::vector<engine::ConfigResource> out;
  for (const auto& a : order_) out.push_back(config_.at(a));
  return out;
}

engine::AttributeEvaluator FakeStack::Evaluator() const {
  auto attrs = std::make_shared<std::map<std::string, std::map<std::string, engine::Value>>>(attributes_);
  return [attrs](const engine::ConfigResource& r, const engine::KnownValues& known) -> Result<engine::Value::Map> {
    engine::Value::Map out;
    for (const auto& [k, v] : attrs->at(r.address)) out[k] = Resolve(v, known);
    return out;
  };
}

void FakeStack::AddOutput(const std::string& name, engine::Value value, bool sensitive) {
  outputs_[name] = {std::move(value), sensitive};
}

void FakeStack::RemoveOutput(const std::string& name) { outputs_.erase(name); }

engine::OutputEvaluator FakeStack::OutputEvaluator() const {
  auto outputs = std::make_shared<std::map<std::string, std::pair<engine::Value, bool>>>(outputs_);
  return [outputs](const engine::KnownValues& known) -> Result<engine::Value::Map> {
    engine::Value::Map out;
    for (const auto& [name, decl] : *outputs) {
      engine::Value v = Resolve(decl.first, known);
      out[name] = decl.second ? v.WithSensitive(true) : v;
    }
    return out;
  };
}

}  // namespace infra::test

// CheckStackRequirements: for each requirement of a planned resource, the
// known values at its path, the stack's own owner of each (a declared
// bucket), and a resource of the required type that matches it and has
// the required value.
#include "engine/plan/stack_requirements.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <sstream>

#include "engine/plan/schema_lookup.h"
#include "providers/provider.h"

namespace infra::engine {
namespace {

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  std::stringstream in(path);
  for (std::string part; std::getline(in, part, '.');) out.push_back(part);
  return out;
}

// Every value at `path` below `v` (lists walked element by element).
void Collect(const Value& v, const std::vector<std::string>& path, size_t i, std::vector<Value>* out) {
  if (v.kind() == ValueKind::kList) {
    for (const auto& item : v.AsList()) Collect(item, path, i, out);
    return;
  }
  if (i == path.size()) {
    out->push_back(v);
    return;
  }
  if (v.kind() != ValueKind::kMap) return;
  auto it = v.AsMap().find(path[i]);
  if (it != v.AsMap().end()) Collect(it->second, path, i + 1, out);
}

std::vector<Value> At(const Value::Map& attrs, const std::string& path) {
  std::vector<Value> out;
  Collect(Value::MakeMap(attrs), SplitPath(path), 0, &out);
  return out;
}

bool Names(const Value::Map& attrs, const std::string& path, const std::string& object) {
  for (const auto& v : At(attrs, path))
    if (v.kind() == ValueKind::kString && NamedObject(v.AsString()) == object) return true;
  return false;
}

bool Has(const Value::Map& attrs, const std::string& path, const std::string& expected) {
  for (const auto& v : At(attrs, path))
    if (v.is_wholly_known() && v.ToInterpolated() == expected) return true;
  return false;
}

}  // namespace

std::string NamedObject(const std::string& value) {
  if (value.rfind("arn:", 0) != 0) return value;
  size_t pos = 0;
  for (int colons = 0; colons < 5; ++colons) {
    pos = value.find(':', pos);
    if (pos == std::string::npos) return value;
    ++pos;
  }
  return value.substr(pos);
}

Status CheckStackRequirements(const provider::Provider& provider,
                              const std::unordered_map<std::string, const ConfigResource*>& config,
                              const std::function<bool(const ResourceChange&)>& in_scope,
                              std::vector<ResourceChange>* changes) {
  auto live = [](const ResourceChange& c) { return !ActionDeletes(c.action) || ActionCreates(c.action); };
  std::vector<std::string> problems;
  std::vector<std::pair<size_t, std::string>> edges;  // change index -> address that meets it
  for (size_t i = 0; i < changes->size(); ++i) {
    const ResourceChange& c = (*changes)[i];
    if (!c.deposed.empty() || !live(c) || !in_scope(c) || !config.count(c.address)) continue;
    const provider::ResourceSchema* schema = SchemaFor(provider, c.type, c.address);
    if (!schema) continue;
    for (const auto& req : schema->requirements) {
      for (const auto& v : At(c.after, req.path)) {
        if (v.kind() != ValueKind::kString) continue;  // unknown at plan: AWS decides
        std::string object = NamedObject(v.AsString());
        auto declared = [&](const ResourceChange& o) {
          return o.deposed.empty() && live(o) && o.type == req.owner_type && config.count(o.address) &&
                 Names(o.after, req.owner_match, object);
        };
        if (std::none_of(changes->begin(), changes->end(), declared)) continue;  // not the stack's own
        const ResourceChange* meets = nullptr;
        for (const auto& o : *changes)
          if (o.deposed.empty() && live(o) && o.type == req.type && config.count(o.address) &&
              Names(o.after, req.match, object) && Has(o.after, req.where, req.equals))
            meets = &o;
        if (meets) {
          edges.emplace_back(i, meets->address);
          continue;
        }
        const ConfigResource* r = config.at(c.address);
        problems.push_back(fmt::format(
            "{}{}: {}: {} names '{}', and no {} in the stack has {} = \"{}\" for it; declare one (or fix the "
            "one there) and refer to it from {} so it is applied first",
            r->location.empty() ? "" : r->location + ": ", c.address, req.why, req.path, object, req.type, req.where,
            req.equals, c.address));
      }
    }
  }
  if (!problems.empty()) {
    std::string msg;
    for (const auto& p : problems) msg += (msg.empty() ? "" : "\n") + p;
    return MakeError(Error::Kind::kInvalid, "RequirementNotMet", msg);
  }
  for (const auto& [i, address] : edges) {
    ResourceChange& c = (*changes)[i];
    auto& deps = c.depends_on;
    bool cycle = std::any_of(changes->begin(), changes->end(), [&](const ResourceChange& o) {
      return o.address == address && std::count(o.depends_on.begin(), o.depends_on.end(), c.address) > 0;
    });
    if (!cycle && std::find(deps.begin(), deps.end(), address) == deps.end()) deps.push_back(address);
  }
  return {};
}

}  // namespace infra::engine

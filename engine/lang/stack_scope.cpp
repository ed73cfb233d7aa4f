// Name resolution for stack expressions. Module inputs and outputs are
// evaluated on demand in their own scopes (depth-limited, so a loop of
// inputs and outputs is an error rather than a stack overflow).
#include "engine/lang/stack_scope.h"

#include <fmt/format.h>

#include <filesystem>

#include "engine/lang/nearest_name.h"
#include "engine/lang/stack_parser.h"

namespace infra::engine {
namespace {

constexpr int kMaxDepth = 200;

Error RefError(std::string message) {
  return MakeError(Error::Kind::kInvalid, "ExprReference", std::move(message));
}

std::string Suggest(const std::string& name, const std::vector<std::string>& candidates) {
  std::string near = NearestName(name, candidates);
  return near.empty() ? "" : fmt::format("; did you mean '{}'?", near);
}

bool IsAttr(const Traversal& ref, size_t i) {
  return ref.steps.size() > i && ref.steps[i].kind == TraversalStep::Kind::kAttr;
}
bool IsIndex(const Traversal& ref, size_t i) {
  return ref.steps.size() > i && ref.steps[i].kind == TraversalStep::Kind::kIndex;
}

/// The member of `set` whose key matches `key` (numbers and strings compare by text).
const std::pair<Value, size_t>* FindMember(const InstanceSet& set, const Value& key) {
  std::string k = key.ToInterpolated();
  for (const auto& m : set.members)
    if (m.first.ToInterpolated() == k) return &m;
  return nullptr;
}

std::string KeyList(const InstanceSet& set) {
  std::string out;
  for (size_t i = 0; i < set.members.size() && i < 10; ++i) out += (i ? ", " : "") + KeySuffix(set.members[i].first);
  if (set.members.size() > 10) out += ", ...";
  return out.empty() ? "(none)" : out;
}

/// An error from evaluating a module input/output on behalf of a lookup:
/// Lookup errors must carry no location (the evaluator adds the outer
/// one), so the inner locations move to the end: "... (in m.yaml:4:10)".
Error Nested(Error e) {
  SourceLoc loc, innermost;
  std::string rest;
  bool any = false;
  while (SplitLocation(e.message, &loc, &rest)) {
    innermost = loc;
    e.message = rest;
    any = true;
  }
  // Only the innermost place is kept: a chain of modules adds one per level.
  if (any && e.message.find(" (in ") == std::string::npos) e.message += " (in " + innermost.ToString() + ")";
  return e;
}

}  // namespace

std::string DirectoryOf(const std::string& file) {
  std::error_code ec;
  // A file given without a folder ("stack.yaml" under `-C .`) is in the
  // working directory: its parent "" would make "${path.module}/x" "/x".
  std::filesystem::path parent = std::filesystem::path(file).parent_path();
  if (parent.empty()) parent = ".";
  std::filesystem::path dir = std::filesystem::absolute(parent, ec);
  std::string out = (ec ? parent : dir).lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::string RelativeToRoot(const std::string& file, const std::string& root_file) {
  std::filesystem::path dir(DirectoryOf(file)), root(DirectoryOf(root_file));
  std::string out = dir.lexically_relative(root).string();
  if (out.empty()) return DirectoryOf(file);  // another root (never for a loaded module): keep it whole
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::string KeySuffix(const Value& key) {
  if (key.kind() == ValueKind::kNumber) return "[" + key.ToInterpolated() + "]";
  std::string out = "[\"";
  for (char c : key.ToInterpolated()) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"]";
}

StackScope::StackScope(const StackData& data, size_t module, const RepeatContext& repeat,
                       const ResourceValues& values, bool static_mode, int depth, LocalCache* shared)
    : data_(data),
      module_(module),
      repeat_(repeat),
      values_(values),
      static_mode_(static_mode),
      depth_(depth),
      shared_(shared) {}

Result<Resolved> StackScope::Lookup(const Traversal& ref) const {
  if (ref.root == "var") return LookupVar(ref);
  if (ref.root == "module") return LookupModule(ref);
  if (ref.root == "each" || ref.root == "count") return LookupRepeat(ref);
  if (ref.root == "local") return LookupLocal(ref);
  if (ref.root == "path") return LookupPath(ref);
  if (ref.root == "self") {
    if (!repeat_.self) return RefError("'self' can only be used in a lifecycle postcondition (the resource's own object)");
    return Resolved{*repeat_.self, 0};
  }
  if (ref.root == "data") return LookupData(ref);
  if (ref.root == "region") {
    const std::string& r = repeat_.region.empty() ? data_.modules[module_].region : repeat_.region;
    return Resolved{Value::String(r), 0};
  }
  const ModuleInstance& m = data_.modules[module_];
  auto it = m.resources.find(ref.root);
  if (it != m.resources.end()) return LookupResource(ref, it->second);
  std::vector<std::string> names;
  for (const auto& r : m.file->resources) {
    if (r.name == ref.root) return Resolved{Value::Unknown(), ref.steps.size()};  // not expanded yet
    names.push_back(r.name);
  }
  for (const char* n : {"var", "local", "module", "each", "count", "region", "path", "data"}) names.push_back(n);
  return RefError(fmt::format("undefined reference '{}': no resource named '{}' in this {}{}", ref.root, ref.root,
                              m.file->is_root ? "stack" : "module", Suggest(ref.root, names)));
}

Result<Resolved> StackScope::LookupRepeat(const Traversal& ref) const {
  if (ref.root == "count") {
    if (!IsAttr(ref, 0) || ref.steps[0].name != "index")
      return RefError("the only attribute of 'count' is count.index");
    if (!repeat_.count_index) return RefError("count.index can only be used in a resource or module with 'count'");
    return Resolved{*repeat_.count_index, 1};
  }
  if (!IsAttr(ref, 0) || (ref.steps[0].name != "key" && ref.steps[0].name != "value"))
    return RefError("'each' has only each.key and each.value");
  if (!repeat_.each_key)
    return RefError(fmt::format("each.{} can only be used in a resource or module with 'for_each'", ref.steps[0].name));
  return Resolved{ref.steps[0].name == "key" ? *repeat_.each_key : *repeat_.each_value, 1};
}

Result<Resolved> StackScope::LookupLocal(const Traversal& ref) const {
  if (!IsAttr(ref, 0)) return RefError("a local value is referenced as local.<name>");
  const std::string& name = ref.steps[0].name;
  const auto& cached = shared_ ? (*shared_)[module_] : locals_;
  if (auto it = cached.find(name); it != cached.end()) return Resolved{it->second, 1};
  const ModuleInstance& m = data_.modules[module_];
  std::vector<std::string> names;
  for (const auto& l : m.file->locals) {
    names.push_back(l.name);
    if (l.name != name) continue;
    // Cycles among locals are reported when the files are loaded; the depth
    // bound only keeps a missed loop from overflowing the stack.
    if (depth_ >= kMaxDepth) return RefError(fmt::format("local values refer to each other in a loop (at '{}')", name));
    RepeatContext none;
    StackScope inner(data_, module_, none, values_, static_mode_, depth_ + 1, shared_);
    auto v = Evaluate(*l.expr, inner);
    if (!v.ok()) return Nested(v.error());
    (shared_ ? (*shared_)[module_] : locals_).emplace(name, *v);
    return Resolved{*v, 1};
  }
  return RefError(fmt::format("undefined local value 'local.{}'{}", name, Suggest(name, names)));
}

// `data.NAME...`: the data source NAME of this module, read like a resource.
Result<Resolved> StackScope::LookupData(const Traversal& ref) const {
  if (!IsAttr(ref, 0)) return RefError("a data source is referenced as data.<name>.<attribute>");
  const std::string& name = ref.steps[0].name;
  const ModuleInstance& m = data_.modules[module_];
  auto it = m.data.find(name);
  if (it == m.data.end()) {
    std::vector<std::string> names;
    for (const auto& d : m.file->data) {
      if (d.name == name) return Resolved{Value::Unknown(), ref.steps.size()};  // not expanded yet
      names.push_back(d.name);
    }
    return RefError(fmt::format("undefined data source 'data.{}': no data source named '{}' in this {}{}", name, name,
                                m.file->is_root ? "stack" : "module", Suggest(name, names)));
  }
  auto got = LookupResource(ref.DropRoot(), it->second);
  if (!got.ok()) return got.error();
  got->steps_used += 1;
  return got;
}

Result<Resolved> StackScope::LookupPath(const Traversal& ref) const {
  if (IsAttr(ref, 0) && (ref.steps[0].name == "module" || ref.steps[0].name == "root")) {
    // Relative to the stack's directory, as Terraform's are to the working
    // directory it runs in: "." and "modules/net", the same on every
    // machine and checkout (a Lambda's zip path must not differ between a
    // laptop and a CI runner). infra enters the stack directory at start.
    if (ref.steps[0].name == "root") return Resolved{Value::String("."), 1};
    return Resolved{Value::String(RelativeToRoot(data_.modules[module_].file->path, data_.file)), 1};
  }
  return RefError("'path' has only path.module (this file's directory, relative to the stack's) and path.root "
                  "(the stack's directory, \".\")");
}

std::string StackScope::FileRoot() const { return DirectoryOf(data_.file); }

Result<Resolved> StackScope::LookupVar(const Traversal& ref) const {
  if (!IsAttr(ref, 0)) return RefError("a variable is referenced as var.<name>");
  auto v = VariableValue(module_, ref.steps[0].name);
  if (!v.ok()) return v.error();
  return Resolved{*v, 1};
}

Result<Value> StackScope::VariableValue(size_t module, const std::string& name) const {
  const ModuleInstance& m = data_.modules[module];
  const VariableDef* decl = nullptr;
  std::vector<std::string> names;
  for (const auto& d : m.file->variables) {
    if (d.name == name) decl = &d;
    names.push_back(d.name);
  }
  if (!decl)
    return RefError(fmt::format("undefined {} '{}'{}", m.file->is_root ? "variable" : "module input", name,
                                Suggest(name, names)));
  if (module == 0) {
    auto it = data_.variables.find(name);
    return it == data_.variables.end() ? Value::Unknown() : it->second;
  }
  if (static_mode_) {
    auto it = m.static_vars.find(name);
    return it == m.static_vars.end() ? Value::Unknown() : it->second;
  }
  for (const auto& in : m.call->inputs) {
    if (in.name != name) continue;
    if (depth_ >= kMaxDepth)
      return RefError(fmt::format("module inputs and outputs refer to each other in a loop (at input '{}')", name));
    StackScope parent(data_, m.parent, m.repeat, values_, false, depth_ + 1, shared_);
    auto v = Evaluate(*in.expr, parent);
    if (!v.ok()) return Nested(v.error());
    auto c = Convert(*v, decl->type);
    if (!c.ok()) return c.error();
    return decl->sensitive ? c->WithSensitive(true) : *c;
  }
  if (decl->default_value) return decl->sensitive ? decl->default_value->WithSensitive(true) : *decl->default_value;
  return Value::Unknown();  // missing required input: reported at expansion
}

Result<Value> StackScope::OutputValue(size_t module, const std::string& name) const {
  const ModuleInstance& m = data_.modules[module];
  std::vector<std::string> names;
  for (const auto& o : m.file->outputs) {
    names.push_back(o.name);
    if (o.name != name) continue;
    if (depth_ >= kMaxDepth)
      return RefError(fmt::format("module inputs and outputs refer to each other in a loop (at output '{}')", name));
    RepeatContext none;
    StackScope inner(data_, module, none, values_, static_mode_, depth_ + 1, shared_);
    auto v = Evaluate(*o.value, inner);
    if (!v.ok()) return Nested(v.error());
    return o.sensitive ? v->WithSensitive(true) : *v;
  }
  return RefError(fmt::format("{} has no output '{}'{}", m.path, name, Suggest(name, names)));
}

Result<Value> StackScope::ModuleObject(size_t module) const {
  Value::Map out;
  for (const auto& o : data_.modules[module].file->outputs) {
    auto v = OutputValue(module, o.name);
    if (!v.ok()) return v.error();
    out.emplace(o.name, *v);
  }
  return Value::MakeMap(std::move(out));
}

Result<Resolved> StackScope::LookupModule(const Traversal& ref) const {
  if (!IsAttr(ref, 0)) return RefError("a module is referenced as module.<name>.<output>");
  const std::string& name = ref.steps[0].name;
  const ModuleInstance& m = data_.modules[module_];
  auto it = m.modules.find(name);
  if (it == m.modules.end()) {
    std::vector<std::string> names;
    for (const auto& c : m.file->modules) {
      if (c.name == name) return Resolved{Value::Unknown(), ref.steps.size()};  // not expanded (yet)
      names.push_back(c.name);
    }
    return RefError(fmt::format("undefined module '{}'{}", name, Suggest(name, names)));
  }
  const InstanceSet& set = it->second;
  if (set.broken) return Resolved{Value::Unknown(), ref.steps.size()};
  if (set.mode == InstanceSet::Mode::kSingle) {
    size_t child = set.members[0].second;
    if (IsAttr(ref, 1)) {
      auto v = OutputValue(child, ref.steps[1].name);
      if (!v.ok()) return v.error();
      return Resolved{*v, 2};
    }
    if (IsIndex(ref, 1)) return RefError(fmt::format("module '{}' has no for_each or count; drop the [...]", name));
    auto o = ModuleObject(child);
    if (!o.ok()) return o.error();
    return Resolved{*o, 1};
  }
  if (IsIndex(ref, 1)) {
    const auto* member = FindMember(set, ref.steps[1].key);
    if (!member)
      return RefError(fmt::format("module '{}' has no instance {}; its keys are {}", name,
                                  KeySuffix(ref.steps[1].key), KeyList(set)));
    if (IsAttr(ref, 2)) {
      auto v = OutputValue(member->second, ref.steps[2].name);
      if (!v.ok()) return v.error();
      return Resolved{*v, 3};
    }
    auto o = ModuleObject(member->second);
    if (!o.ok()) return o.error();
    return Resolved{*o, 2};
  }
  if (IsAttr(ref, 1))
    return RefError(fmt::format("module '{}' has {}; pick an instance, e.g. module.{}{}.{}", name,
                                set.mode == InstanceSet::Mode::kCount ? "count" : "for_each", name,
                                set.members.empty() ? "[0]" : KeySuffix(set.members[0].first), ref.steps[1].name));
  Value::List list;
  Value::Map map;
  for (const auto& [key, child] : set.members) {
    auto o = ModuleObject(child);
    if (!o.ok()) return o.error();
    if (set.mode == InstanceSet::Mode::kCount)
      list.push_back(*o);
    else
      map.emplace(key.ToInterpolated(), *o);
  }
  return Resolved{set.mode == InstanceSet::Mode::kCount ? Value::MakeList(std::move(list))
                                                        : Value::MakeMap(std::move(map)),
                  1};
}

Value StackScope::ResourceObject(size_t instance) const {
  if (!values_) return Value::Unknown();
  auto v = values_(data_.resources[instance].address);
  return v ? *v : Value::Unknown();
}

Result<Resolved> StackScope::LookupResource(const Traversal& ref, const InstanceSet& set) const {
  if (set.broken) return Resolved{Value::Unknown(), ref.steps.size()};
  auto attr = [&](size_t instance, size_t step) -> Result<Resolved> {
    const std::string& name = ref.steps[step].name;
    Value obj = ResourceObject(instance);
    if (obj.is_unknown()) return Resolved{Value::Unknown(), step + 1};
    if (obj.kind() != ValueKind::kMap) return Resolved{Value::Null(), step + 1};
    auto it = obj.AsMap().find(name);
    Value v = it == obj.AsMap().end() ? Value::Null() : it->second;
    const auto* schema = data_.instances[instance].schema;
    const auto* a = schema ? schema->Find(name) : nullptr;
    if (a && a->sensitive) v = v.WithSensitive(true);
    return Resolved{v, step + 1};
  };
  if (set.mode == InstanceSet::Mode::kSingle) {
    if (set.members.empty()) return Resolved{Value::Unknown(), ref.steps.size()};
    size_t inst = set.members[0].second;
    if (IsAttr(ref, 0)) return attr(inst, 0);
    if (IsIndex(ref, 0))
      return RefError(fmt::format("'{}' has no for_each or count; drop the {}", ref.root, KeySuffix(ref.steps[0].key)));
    return Resolved{ResourceObject(inst), 0};
  }
  if (IsIndex(ref, 0)) {
    const auto* member = FindMember(set, ref.steps[0].key);
    if (!member)
      return RefError(fmt::format("'{}' has no instance {}; its keys are {}", ref.root, KeySuffix(ref.steps[0].key),
                                  KeyList(set)));
    if (IsAttr(ref, 1)) return attr(member->second, 1);
    return Resolved{ResourceObject(member->second), 1};
  }
  if (IsAttr(ref, 0))
    return RefError(fmt::format("'{}' has {}; pick an instance, e.g. {}{}.{}", ref.root,
                                set.mode == InstanceSet::Mode::kCount ? "count" : "for_each", ref.root,
                                set.members.empty() ? "[0]" : KeySuffix(set.members[0].first), ref.steps[0].name));
  Value::List list;
  Value::Map map;
  for (const auto& [key, inst] : set.members) {
    if (set.mode == InstanceSet::Mode::kCount)
      list.push_back(ResourceObject(inst));
    else
      map.emplace(key.ToInterpolated(), ResourceObject(inst));
  }
  return Resolved{set.mode == InstanceSet::Mode::kCount ? Value::MakeList(std::move(list))
                                                        : Value::MakeMap(std::move(map)),
                  0};
}

}  // namespace infra::engine

// Edges and schema checks for expanded instances. References into modules
// (module.m.out) and out of them (var.x inside a module) are followed to
// the resources they finally name, memoized per module instance.
#include "engine/lang/stack_validator.h"

#include <fmt/format.h>

#include <set>

#include "engine/lang/attribute_checks.h"
#include "engine/lang/cidr.h"
#include "engine/lang/diag.h"
#include "engine/lang/expr_functions.h"
#include "engine/lang/nearest_name.h"
#include "engine/lang/stack_parser.h"
#include "engine/lang/stack_scope.h"

namespace infra::engine {
namespace {

std::string Suggest(const std::string& name, const std::vector<std::string>& candidates) {
  std::string near = NearestName(name, candidates);
  return near.empty() ? "" : fmt::format("; did you mean '{}'?", near);
}

std::vector<std::string> AttributeNames(const provider::ResourceSchema& s) {
  std::vector<std::string> out;
  for (const auto& a : s.attributes) out.push_back(a.name);
  return out;
}

class EdgeResolver {
 public:
  EdgeResolver(StackData& data, Diagnostics& diags) : data_(data), diags_(diags) {}

  void Run() {
    for (size_t i = 0; i < data_.resources.size(); ++i) ResolveInstance(i);
    ApplyModuleDependsOn();
  }

 private:
  using Refs = std::vector<Reference>;

  void ResolveInstance(size_t i) {
    const InstanceData& id = data_.instances[i];
    Refs refs;
    for (const auto& a : id.def->attrs) Collect(*a.expr, id.module, id.repeat, data_.resources[i].address, refs);
    // As Terraform: what a lifecycle condition reads is a dependency too, so
    // it is applied (and known) before the condition is evaluated.
    for (const auto* conds : {&id.def->preconditions, &id.def->postconditions})
      for (const auto& c : *conds)
        for (const Expr* e : {c.condition.get(), c.error_message.get()})
          if (e) Collect(*e, id.module, id.repeat, data_.resources[i].address, refs);
    Dedupe(refs);
    data_.resources[i].references = std::move(refs);
    for (const auto& d : id.def->multi.depends_on)
      for (auto& target : DependsOnTargets(id.module, d, data_.resources[i].address)) {
        data_.resources[i].depends_on.push_back(std::move(target));
        data_.resources[i].depends_on_locs.push_back(d.loc);
      }
  }

  /// Edges found behind a module boundary are located where this side of
  /// the boundary wrote the reference (`module.m.out` / `var.x`).
  static void Append(const Refs& refs, const SourceLoc& loc, Refs& out) {
    for (const auto& r : refs) out.push_back(Reference{r.address, r.attribute, loc});
  }

  static void Dedupe(Refs& refs) {
    std::set<std::pair<std::string, std::string>> seen;
    Refs out;
    for (auto& r : refs)
      if (seen.emplace(r.address, r.attribute).second) out.push_back(std::move(r));
    refs = std::move(out);
  }

  void Collect(const Expr& expr, size_t mi, const RepeatContext& repeat, const std::string& owner, Refs& out) {
    for (const auto& t : CollectReferences(expr)) Resolve(t, mi, repeat, owner, out);
  }

  void Resolve(const Traversal& t, size_t mi, const RepeatContext& repeat, const std::string& owner, Refs& out) {
    const ModuleInstance& m = data_.modules[mi];
    if (t.root == "var") {
      if (mi == 0 || t.steps.empty() || t.steps[0].kind != TraversalStep::Kind::kAttr) return;
      Append(Memo(mi, "var." + t.steps[0].name), t.loc, out);
      return;
    }
    if (t.root == "module") {
      ResolveModuleRef(t, mi, out);
      return;
    }
    if (t.root == "local") {
      if (t.steps.empty() || t.steps[0].kind != TraversalStep::Kind::kAttr) return;
      Append(Memo(mi, "local." + t.steps[0].name), t.loc, out);
      return;
    }
    (void)repeat;
    if (t.root == "data") {
      if (t.steps.empty() || t.steps[0].kind != TraversalStep::Kind::kAttr) return;
      auto d = m.data.find(t.steps[0].name);
      if (d != m.data.end()) ResolveInstances(t.DropRoot(), d->second, owner, out);
      return;
    }
    auto it = m.resources.find(t.root);
    if (it == m.resources.end()) return;  // undefined: reported by evaluation
    ResolveInstances(t, it->second, owner, out);
  }

  // `t` from a resource's (or data source's) local name on: its instances.
  void ResolveInstances(const Traversal& t, const InstanceSet& set, const std::string& owner, Refs& out) {
    size_t step = 0;
    std::vector<size_t> targets;
    if (set.mode != InstanceSet::Mode::kSingle && !t.steps.empty() &&
        t.steps[0].kind == TraversalStep::Kind::kIndex) {
      std::string k = t.steps[0].key.ToInterpolated();
      for (const auto& [key, idx] : set.members)
        if (key.ToInterpolated() == k) targets.push_back(idx);
      step = 1;
    } else {
      for (const auto& [key, idx] : set.members) targets.push_back(idx);
    }
    std::string attr;
    SourceLoc attr_loc = t.loc;
    if (t.steps.size() > step && t.steps[step].kind == TraversalStep::Kind::kAttr) {
      attr = t.steps[step].name;
      attr_loc = t.steps[step].loc;
    }
    for (size_t idx : targets) {
      CheckAttribute(idx, attr, attr_loc, owner);
      out.push_back(Reference{data_.resources[idx].address, attr, t.loc});
    }
  }

  void CheckAttribute(size_t target, const std::string& attr, const SourceLoc& loc, const std::string& owner) {
    const auto* schema = data_.instances[target].schema;
    if (attr.empty() || !schema || attr == "id" || schema->Find(attr)) return;
    const ResourceInstance& r = data_.resources[target];
    // The attribute's '.' is at loc; point at the name after it.
    SourceLoc at = loc;
    if (at.line > 0) ++at.column;
    diags_.Error(at, owner,
                 fmt::format("{} ({}) has no attribute '{}'{}", data_.instances[target].def->name, r.type, attr,
                             Suggest(attr, AttributeNames(*schema))));
  }

  void ResolveModuleRef(const Traversal& t, size_t mi, Refs& out) {
    if (t.steps.empty() || t.steps[0].kind != TraversalStep::Kind::kAttr) return;
    auto it = data_.modules[mi].modules.find(t.steps[0].name);
    if (it == data_.modules[mi].modules.end()) return;
    const InstanceSet& set = it->second;
    size_t step = 1;
    std::vector<size_t> children;
    if (set.mode != InstanceSet::Mode::kSingle && t.steps.size() > 1 &&
        t.steps[1].kind == TraversalStep::Kind::kIndex) {
      std::string k = t.steps[1].key.ToInterpolated();
      for (const auto& [key, idx] : set.members)
        if (key.ToInterpolated() == k) children.push_back(idx);
      step = 2;
    } else {
      for (const auto& [key, idx] : set.members) children.push_back(idx);
    }
    for (size_t child : children) {
      if (t.steps.size() > step && t.steps[step].kind == TraversalStep::Kind::kAttr) {
        Append(Memo(child, "out." + t.steps[step].name), t.loc, out);
      } else {
        for (const auto& o : data_.modules[child].file->outputs) Append(Memo(child, "out." + o.name), t.loc, out);
      }
    }
  }

  /// References behind module input ("var.x") or output ("out.x") of module instance `mi`.
  const Refs& Memo(size_t mi, const std::string& key) {
    static const Refs kEmpty;
    auto [it, fresh] = memo_.try_emplace({mi, key});
    if (!fresh) return it->second.done ? it->second.refs : kEmpty;  // in progress: a loop, reported by evaluation
    const ModuleInstance& m = data_.modules[mi];
    Refs refs;
    if (key.rfind("local.", 0) == 0) {
      std::string name = key.substr(6);
      RepeatContext none;
      for (const auto& l : m.file->locals)
        if (l.name == name) Collect(*l.expr, mi, none, m.path, refs);
    } else if (key.rfind("var.", 0) == 0) {
      std::string name = key.substr(4);
      for (const auto& in : m.call->inputs)
        if (in.name == name) Collect(*in.expr, m.parent, m.repeat, m.path, refs);
    } else {
      std::string name = key.substr(4);
      RepeatContext none;
      for (const auto& o : m.file->outputs)
        if (o.name == name) Collect(*o.value, mi, none, m.path, refs);
    }
    Dedupe(refs);
    Entry& e = memo_[{mi, key}];
    e.refs = std::move(refs);
    e.done = true;
    return e.refs;
  }

  /// Every resource instance in module instance `mi` and below.
  void SubtreeResources(size_t mi, std::vector<std::string>& out) {
    for (const auto& [name, set] : data_.modules[mi].resources)
      for (const auto& [key, idx] : set.members) out.push_back(data_.resources[idx].address);
    for (const auto& [name, set] : data_.modules[mi].modules)
      for (const auto& [key, child] : set.members) SubtreeResources(child, out);
  }

  std::vector<std::string> DependsOnTargets(size_t mi, const LocatedName& d, const std::string& owner) {
    std::vector<std::string> out;
    const ModuleInstance& m = data_.modules[mi];
    if (d.name.rfind("module.", 0) == 0) {
      auto it = m.modules.find(d.name.substr(7));
      if (it != m.modules.end()) {
        for (const auto& [key, child] : it->second.members) SubtreeResources(child, out);
        return out;
      }
    } else if (auto it = m.resources.find(d.name); it != m.resources.end()) {
      for (const auto& [key, idx] : it->second.members) out.push_back(data_.resources[idx].address);
      return out;
    }
    std::vector<std::string> names;
    for (const auto& r : m.file->resources) names.push_back(r.name);
    for (const auto& c : m.file->modules) names.push_back("module." + c.name);
    diags_.Error(d.loc, owner,
                 fmt::format("depends_on: no resource or module named '{}' here{}", d.name, Suggest(d.name, names)));
    return out;
  }

  void ApplyModuleDependsOn() {
    for (size_t mi = 1; mi < data_.modules.size(); ++mi) {
      const ModuleInstance& m = data_.modules[mi];
      if (m.call->multi.depends_on.empty()) continue;
      std::vector<std::string> targets;
      std::vector<SourceLoc> locs;
      for (const auto& d : m.call->multi.depends_on)
        for (auto& t : DependsOnTargets(m.parent, d, m.path)) {
          targets.push_back(std::move(t));
          locs.push_back(d.loc);
        }
      std::vector<std::string> members;
      SubtreeResources(mi, members);
      for (const auto& a : members) {
        ResourceInstance& r = data_.resources[data_.by_address.at(a)];
        r.depends_on.insert(r.depends_on.end(), targets.begin(), targets.end());
        r.depends_on_locs.insert(r.depends_on_locs.end(), locs.begin(), locs.end());
      }
    }
  }

  struct Entry {
    Refs refs;
    bool done = false;
  };
  StackData& data_;
  Diagnostics& diags_;
  std::map<std::pair<size_t, std::string>, Entry> memo_;
};

void CheckSchema(const StackData& data, size_t i, Diagnostics& diags) {
  const InstanceData& id = data.instances[i];
  const ResourceInstance& r = data.resources[i];
  const provider::ResourceSchema& schema = *id.schema;
  std::vector<std::string> names = AttributeNames(schema);
  for (const auto& a : id.def->attrs) {
    const auto* as = schema.Find(a.name);
    if (!as) {
      diags.Error(a.loc, r.address,
                  fmt::format("unknown attribute '{}' for {}{}", a.name, r.type, Suggest(a.name, names)));
    } else if (as->mode == provider::AttrMode::kComputed) {
      diags.Error(a.loc, r.address,
                  fmt::format("attribute '{}' of {} is computed (set by AWS) and cannot be set", a.name, r.type));
    } else {
      CheckBlockKeys(*as, a.name, *a.expr, r.address, diags);
    }
  }
  for (const auto& n : id.def->ignore_changes)
    if (!schema.Find(n.name))
      diags.Error(n.loc, r.address,
                  fmt::format("ignore_changes: {} has no attribute '{}'{}", r.type, n.name, Suggest(n.name, names)));
}

}  // namespace

void ResolveEdges(StackData& data, Diagnostics& diags) { EdgeResolver(data, diags).Run(); }

namespace {
// The stack's default_tags under the resource's own tags (which win). A
// resource whose tags are not known yet keeps them unknown.
template <class Fail>
void MergeDefaultTags(const StackData& data, const ResourceValues& values, Value::Map* out, Fail fail) {
  const ModuleFile* root = data.modules.empty() ? nullptr : data.modules[0].file;
  if (!root || root->default_tags.empty()) return;
  RepeatContext none;
  StackScope scope(data, 0, none, values);
  Value::Map merged;
  for (const auto& t : root->default_tags) {
    auto v = Evaluate(*t.expr, scope);
    if (!v.ok()) return fail(t.expr->loc, v.error().message);
    if (!v->is_null()) merged[t.name] = *v;
  }
  auto own = out->find("tags");
  bool secret = false;
  if (own != out->end()) {
    if (own->second.kind() != ValueKind::kMap) return;  // unknown (or not a map: reported by the checks)
    secret = own->second.sensitive();
    for (const auto& [k, v] : own->second.AsMap()) merged[k] = v;
  }
  Value tags = Value::MakeMap(std::move(merged));
  (*out)["tags"] = secret ? tags.WithSensitive(true) : tags;
}
}  // namespace

Result<Value::Map> EvaluateInstance(const StackData& data, size_t index, const ResourceValues& values,
                                    Diagnostics* diags, LocalCache* shared) {
  const InstanceData& id = data.instances[index];
  const ResourceInstance& r = data.resources[index];
  StackScope scope(data, id.module, id.repeat, values, false, 0, shared);
  Value::Map out;
  std::optional<Error> first;
  auto fail = [&](const SourceLoc& loc, const std::string& msg) {
    if (diags) diags->Error(loc, r.address, msg);
    if (!first) first = MakeError(Error::Kind::kInvalid, "StackEval", fmt::format("{}: {}: {}", loc.ToString(), r.address, msg));
  };
  for (const auto& a : id.def->attrs) {
    auto v = Evaluate(*a.expr, scope);
    if (!v.ok()) {
      Diagnostics local;
      ReportExprError(v.error(), r.address, a.expr->loc, local);
      const Diagnostic& d = local.items().front();
      fail(d.loc, d.summary);
      continue;
    }
    if (v->is_null()) continue;
    const auto* as = id.schema ? id.schema->Find(a.name) : nullptr;
    Value val = *v;
    if (as) {
      auto c = ConvertBlock(*as, a.name, val);
      if (!c.ok()) {
        fail(a.expr->loc, c.error().message);
        continue;
      }
      val = *c;
      if (auto m = FailedCheck(*as, a.name, val); !m.empty()) {
        fail(a.expr->loc, m);
        continue;
      }
      val = MarkSensitive(*as, val);
      if (as->cidr && val.kind() == ValueKind::kString && !IsValidIpv4Cidr(val.AsString())) {
        auto parsed = ParseIpv4Cidr(val.AsString(), true);
        fail(a.expr->loc, fmt::format("invalid CIDR block for '{}': {}", a.name,
                                      parsed.ok() ? fmt::format("\"{}\" has host bits set", val.AsString())
                                                  : parsed.error().message));
        continue;
      }
    }
    out.emplace(a.name, std::move(val));
  }
  if (id.schema && id.schema->taggable && id.schema->Find("tags")) MergeDefaultTags(data, values, &out, fail);
  if (auto t = out.find("tags"); t != out.end() && t->second.kind() == ValueKind::kMap)
    for (const auto& [key, v] : t->second.AsMap())
      if (key.rfind("infra:", 0) == 0 || key.rfind("aws:", 0) == 0) {
        const AttrDef* def = nullptr;
        for (const auto& a : id.def->attrs) def = a.name == "tags" ? &a : def;
        fail(def ? def->expr->loc : r.loc, fmt::format("tag key '{}' is reserved: keys starting with 'infra:' are "
                                                       "managed by infra, 'aws:' by AWS", key));
      }
  if (id.schema)
    for (const auto& m : FailedSchemaChecks(*id.schema, out)) fail(r.loc, fmt::format("{}: {}", r.type, m));
  if (first && !diags) return *first;
  return out;
}

void ValidateInstances(const StackData& data, Diagnostics& diags) {
  ResourceValues nothing = NoResourceValues();
  LocalCache locals;  // every evaluation below is against `nothing`
  for (size_t i = 0; i < data.resources.size(); ++i) {
    const InstanceData& id = data.instances[i];
    if (id.schema) CheckSchema(data, i, diags);
    auto attrs = EvaluateInstance(data, i, nothing, &diags, &locals);
    if (!id.schema || !attrs.ok()) continue;
    for (const auto& as : id.schema->attributes) {
      if (as.mode != provider::AttrMode::kRequired || attrs->count(as.name)) continue;
      bool written = false;  // written but failed or null: reported already, or deliberately unset
      for (const auto& a : id.def->attrs) written = written || a.name == as.name;
      if (!written)
        diags.Error(data.resources[i].loc, data.resources[i].address,
                    fmt::format("missing required attribute '{}' of {}{}", as.name, id.schema->type,
                                as.name == "type" ? " (write it under `attributes:`, e.g. `attributes: {type: A}`:"
                                                    " the top-level `type:` names the resource type)"
                                                  : ""));
    }
  }
  // Outputs and locals of every module instance, and the root's, are evaluated once.
  RepeatContext none;
  for (size_t mi = 0; mi < data.modules.size(); ++mi) {
    StackScope scope(data, mi, none, nothing, false, 0, &locals);
    for (const auto& o : data.modules[mi].file->outputs) {
      auto v = Evaluate(*o.value, scope);
      if (!v.ok()) ReportExprError(v.error(), data.modules[mi].path, o.value->loc, diags);
      if (v.ok() && mi == 0)
        if (std::string why = UndeclaredSecretOutput(o, *v); !why.empty()) diags.Error(o.value->loc, "", why);
    }
    // Locals no attribute or output uses are still checked.
    for (const auto& l : data.modules[mi].file->locals) {
      auto v = Evaluate(*l.expr, scope);
      if (!v.ok()) ReportExprError(v.error(), "local." + l.name, l.expr->loc, diags);
    }
    // Checks: their references must resolve (the values come later).
    for (const auto& c : data.modules[mi].file->checks)
      for (const auto& a : c.asserts)
        for (const Expr* e : {a.condition.get(), a.error_message.get()}) {
          auto v = Evaluate(*e, scope);
          if (!v.ok()) ReportExprError(v.error(), "check." + c.name, e->loc, diags);
        }
  }
}

std::string UndeclaredSecretOutput(const OutputDef& output, const Value& value) {
  if (output.sensitive || !ContainsSensitive(value)) return "";
  return fmt::format("output '{}' refers to sensitive values (a sensitive variable or attribute); declare it as "
                     "{{value: ..., sensitive: true}} so infra hides it in plans and stores it encrypted",
                     output.name);
}

}  // namespace infra::engine

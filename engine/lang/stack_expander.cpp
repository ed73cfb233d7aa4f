// Module / for_each / count expansion. for_each and count are evaluated
// with nothing known about resources (static mode), so they may use
// variables and literals but not attributes known only after apply; with a
// DataReader (plan, apply) they may also use data sources whose arguments
// are known, read here on first use (data sources expand first for that).
#include "engine/lang/stack_expander.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "engine/lang/diag.h"
#include "engine/lang/nearest_name.h"
#include "engine/lang/stack_parser.h"
#include "engine/lang/stack_scope.h"
#include "engine/lang/stack_validator.h"
#include "engine/lang/variables.h"

namespace infra::engine {
namespace {

std::string Suggest(const std::string& name, const std::vector<std::string>& candidates) {
  std::string near = NearestName(name, candidates);
  return near.empty() ? "" : fmt::format("; did you mean '{}'?", near);
}

struct Repeat {
  InstanceSet::Mode mode = InstanceSet::Mode::kSingle;
  std::vector<std::pair<Value, RepeatContext>> items;
  bool ok = true;
};

class Expander {
 public:
  Expander(StackData& data, const provider::Provider& provider, Diagnostics& diags)
      : data_(data), provider_(provider), diags_(diags) {}

  void ExpandModule(size_t mi) {
    const ModuleFile* file = data_.modules[mi].file;
    for (const auto& r : file->data) ExpandResource(mi, r);
    for (const auto& r : file->resources) ExpandResource(mi, r);
    for (const auto& c : file->modules) ExpandCall(mi, c);
  }

 private:
  std::string Prefix(size_t mi) const {
    const std::string& p = data_.modules[mi].path;
    return p.empty() ? "" : p + ".";
  }

  /// alias -> (alias, name); unknown aliases are reported and fall back to the module's region.
  std::pair<std::string, std::string> Region(const LocatedName& alias, size_t mi, const std::string& address) {
    const ModuleInstance& m = data_.modules[mi];
    if (alias.name.empty()) return {m.region_alias, m.region};
    std::vector<std::string> names;
    for (const auto& r : data_.regions) {
      if (r.alias == alias.name) return {r.alias, r.name};
      names.push_back(r.alias);
    }
    diags_.Error(alias.loc, address,
                 fmt::format("unknown region alias '{}'{}", alias.name, Suggest(alias.name, names)),
                 "Regions are the aliases declared under 'regions:' in stack.yaml.");
    return {m.region_alias, m.region};
  }

  Repeat EvalRepeat(const Multiplicity& multi, size_t mi, const std::string& address) {
    Repeat out;
    if (!multi.for_each && !multi.count) {
      out.items.emplace_back(Value::Null(), RepeatContext{});
      return out;
    }
    RepeatContext none;
    ResourceValues values = NoResourceValues();
    if (data_.read_data) values = [this](const std::string& address) { return ReadForExpansion(address); };
    StackScope scope(data_, mi, none, values, true);
    const Expr& expr = multi.for_each ? *multi.for_each : *multi.count;
    auto v = Evaluate(expr, scope);
    if (!v.ok()) {
      ReportExprError(v.error(), address, expr.loc, diags_);
      out.ok = false;
      return out;
    }
    if (!multi.for_each) {
      // Terraform converts count: "2" to 2.
      if (auto n = Convert(*v, TypeSpec::Number()); n.ok() && v->kind() == ValueKind::kString) return CountItems(*n, expr, address);
      return CountItems(*v, expr, address);
    }
    return ForEachItems(*v, expr, address);
  }

  // The result of data source `address` for a for_each/count: read once,
  // when its arguments are known at load (variables, locals, other data
  // sources read the same way); nullopt (unknown) otherwise.
  std::optional<Value> ReadForExpansion(const std::string& address) {
    auto index = data_.by_address.find(address);
    if (index == data_.by_address.end() || !data_.resources[index->second].data) return std::nullopt;
    if (auto done = data_.data_read.find(address); done != data_.data_read.end())
      return done->second.is_unknown() ? std::nullopt : std::optional<Value>(done->second);
    data_.data_read[address] = Value::Unknown();  // while reading: a cycle reads unknown
    ResourceValues values = [this](const std::string& a) { return ReadForExpansion(a); };
    auto args = EvaluateInstance(data_, index->second, values, nullptr);
    if (!args.ok()) return std::nullopt;  // reported by validation
    for (const auto& [name, v] : *args)
      if (!v.is_wholly_known()) return std::nullopt;
    const ResourceInstance& inst = data_.resources[index->second];
    auto got = data_.read_data(DataRead{address, inst.type, inst.region, *args});
    if (!got.ok()) {
      diags_.Error(inst.loc, address,
                   fmt::format("reading the data source failed (a for_each or count uses it): {}", got.error().message));
      return std::nullopt;
    }
    Value v = Value::MakeMap(std::move(*got));
    data_.data_read[address] = v;
    return v;
  }

  Repeat CountItems(const Value& v, const Expr& expr, const std::string& address) {
    Repeat out;
    out.mode = InstanceSet::Mode::kCount;
    out.ok = false;
    if (v.is_unknown() && data_.unset_as_unknown) {
      // validate/graph with unset variables: nothing to expand yet (references read unknown).
    } else if (v.is_unknown()) {
      diags_.Error(expr.loc, address, "the count value is not known before apply",
                   "count must be computable at plan time from variables, literals and data sources whose "
                   "arguments are known, not from attributes of resources that do not exist yet.");
    } else if (v.kind() != ValueKind::kNumber || v.AsNumber() < 0 || v.AsNumber() != std::floor(v.AsNumber()) ||
               v.AsNumber() > 100000) {
      diags_.Error(expr.loc, address,
                   fmt::format("count must be a whole number from 0 to 100000, not {}", v.ToDisplay()));
    } else {
      out.ok = true;
      for (int i = 0; i < static_cast<int>(v.AsNumber()); ++i) {
        RepeatContext rc;
        rc.count_index = Value::Number(i);
        out.items.emplace_back(Value::Number(i), std::move(rc));
      }
    }
    return out;
  }

  Repeat ForEachItems(const Value& v, const Expr& expr, const std::string& address) {
    Repeat out;
    out.mode = InstanceSet::Mode::kForEach;
    out.ok = false;
    auto unknown = [&] {
      if (data_.unset_as_unknown) return out;  // validate/graph with unset variables: see CountItems
      diags_.Error(expr.loc, address, "the for_each value is not known before apply",
                   "for_each keys must be computable at plan time from variables, literals and data sources whose "
                   "arguments are known, not from attributes of resources that do not exist yet.");
      return out;
    };
    if (v.is_unknown()) return unknown();
    if (v.kind() == ValueKind::kMap) {
      for (const auto& [k, val] : v.AsMap()) {
        RepeatContext rc;
        rc.each_key = Value::String(k);
        rc.each_value = val;
        out.items.emplace_back(Value::String(k), std::move(rc));
      }
    } else if (v.kind() == ValueKind::kList) {
      std::map<std::string, Value> keys;  // sorted, duplicates found
      for (const auto& item : v.AsList()) {
        if (item.is_unknown()) return unknown();
        if (item.kind() != ValueKind::kString && item.kind() != ValueKind::kNumber) {
          diags_.Error(expr.loc, address,
                       fmt::format("for_each over a list needs strings, not a {} ({})", item.KindName(),
                                   item.ToDisplay()));
          return out;
        }
        std::string k = item.ToInterpolated();
        if (!keys.emplace(k, item).second) {
          diags_.Error(expr.loc, address,
                       fmt::format("duplicate for_each key \"{}\": two instances would have the same address", k));
          return out;
        }
      }
      for (const auto& [k, item] : keys) {
        RepeatContext rc;
        rc.each_key = Value::String(k);
        rc.each_value = Value::String(k);
        out.items.emplace_back(Value::String(k), std::move(rc));
      }
    } else {
      diags_.Error(expr.loc, address,
                   fmt::format("for_each must be a map or a list of strings, not a {}", v.KindName()));
      return out;
    }
    out.ok = true;
    return out;
  }

  // `type: A` where a record type was meant: the resource types that have
  // an attribute named `type`, and how to write it.
  std::string TypeAttributeHint(const std::string& written) const {
    if (written.rfind("aws_", 0) == 0 || written.find('_') != std::string::npos) return "";
    std::vector<std::string> with_type;
    for (const std::string& name : provider_.TypeNames())
      if (const provider::ResourceType* rt = provider_.Find(name); rt && rt->schema().Find("type"))
        with_type.push_back(name);
    if (with_type.empty()) return "";
    return fmt::format(
        "; `type:` names the resource type. An attribute called `type` ({}) goes under "
        "`attributes:`, e.g. `attributes: {{type: {}}}`",
        fmt::join(with_type, ", "), written);
  }

  const provider::ResourceSchema* DataSchema(const LocatedName& type, const std::string& address) {
    std::string key = "data." + type.name;
    auto it = data_.schemas.find(key);
    if (it != data_.schemas.end()) return &it->second;
    const provider::DataSourceType* dt = provider_.FindData(type.name);
    if (!dt) {
      std::string hint = provider_.Find(type.name) ? fmt::format("; {} is a resource type: declare it under 'resources:'",
                                                                 type.name)
                                                   : Suggest(type.name, provider_.DataTypeNames());
      diags_.Error(type.loc, address, fmt::format("unknown data source type '{}'{}", type.name, hint));
      return nullptr;
    }
    return &data_.schemas.emplace(key, dt->schema()).first->second;
  }

  const provider::ResourceSchema* Schema(const LocatedName& type, const std::string& address) {
    auto it = data_.schemas.find(type.name);
    if (it != data_.schemas.end()) return &it->second;
    const provider::ResourceType* rt = provider_.Find(type.name);
    if (!rt) {
      diags_.Error(type.loc, address,
                   fmt::format("unknown resource type '{}'{}{}", type.name, Suggest(type.name, provider_.TypeNames()),
                               TypeAttributeHint(type.name)));
      return nullptr;
    }
    return &data_.schemas.emplace(type.name, rt->schema()).first->second;
  }

  void ExpandResource(size_t mi, const ResourceDef& r) {
    std::string base = Prefix(mi) + (r.is_data ? "data." : "") + r.type.name + "." + r.name;
    auto [alias, region] = Region(r.multi.region, mi, base);
    const provider::ResourceSchema* schema = r.is_data ? DataSchema(r.type, base) : Schema(r.type, base);
    Repeat rep = EvalRepeat(r.multi, mi, base);
    InstanceSet set;
    set.mode = rep.mode;
    set.broken = !rep.ok;
    for (auto& [key, rc] : rep.items) {
      ResourceInstance inst;
      inst.address = base + (rep.mode == InstanceSet::Mode::kSingle ? "" : KeySuffix(key));
      inst.type = r.type.name;
      inst.name = r.name;
      inst.module_path = data_.modules[mi].path;
      inst.data = r.is_data;
      inst.region_alias = alias;
      inst.region = region;
      inst.loc = r.loc;
      inst.lifecycle = r.lifecycle;
      inst.timeouts = r.timeouts;
      size_t index = data_.resources.size();
      auto [it, fresh] = data_.by_address.emplace(inst.address, index);
      if (!fresh) {
        diags_.Error(r.loc, inst.address,
                     fmt::format("duplicate resource address; it is also declared at {}",
                                 data_.resources[it->second].loc.ToString()));
        continue;
      }
      rc.region = region;
      data_.resources.push_back(std::move(inst));
      data_.instances.push_back(InstanceData{mi, &r, std::move(rc), schema});
      set.members.emplace_back(key, index);
    }
    (r.is_data ? data_.modules[mi].data : data_.modules[mi].resources)[r.name] = std::move(set);
  }

  void CheckInputNames(const ModuleCallDef& c, const std::string& address) {
    std::vector<std::string> names;
    for (const auto& v : c.file->variables) names.push_back(v.name);
    for (const auto& in : c.inputs) {
      bool known = false;
      for (const auto& n : names) known = known || n == in.name;
      if (!known)
        diags_.Error(in.loc, address,
                     fmt::format("module '{}' has no input '{}'{}", c.name, in.name, Suggest(in.name, names)),
                     fmt::format("The module's inputs are declared under 'inputs:' in {}.", c.source.name));
    }
  }

  void BindInputs(size_t child) {
    const ModuleInstance& m = data_.modules[child];
    ResourceValues nothing = NoResourceValues();
    StackScope parent(data_, m.parent, m.repeat, nothing, true);
    std::map<std::string, Value> values;
    for (const auto& decl : m.file->variables) {
      const AttrDef* in = nullptr;
      for (const auto& i : m.call->inputs)
        if (i.name == decl.name) in = &i;
      Value v = Value::Unknown();
      if (in) {
        auto r = Evaluate(*in->expr, parent);
        if (!r.ok()) {
          ReportExprError(r.error(), m.path, in->expr->loc, diags_);
        } else if (auto c = Convert(*r, decl.type); !c.ok()) {
          diags_.Error(in->loc, m.path, fmt::format("invalid value for module input '{}': {}", decl.name,
                                                    c.error().message));
        } else {
          v = *c;
        }
      } else if (decl.default_value) {
        v = *decl.default_value;
      } else {
        diags_.Error(m.call->loc, m.path, fmt::format("module '{}' is missing required input '{}'", m.call->name,
                                                      decl.name),
                     fmt::format("Set it under 'inputs:'; it is declared at {}.", decl.loc.ToString()));
      }
      if (decl.sensitive) v = v.WithSensitive(true);
      CheckVariableValidations(decl, v, m.path, diags_);
      values[decl.name] = v;
    }
    data_.modules[child].static_vars = std::move(values);
  }

  void ExpandCall(size_t mi, const ModuleCallDef& c) {
    std::string base = Prefix(mi) + "module." + c.name;
    if (!c.file) {  // could not be loaded (reported); references to it read unknown
      InstanceSet broken;
      broken.broken = true;
      data_.modules[mi].modules[c.name] = broken;
      return;
    }
    CheckInputNames(c, base);
    auto [alias, region] = Region(c.multi.region, mi, base);
    Repeat rep = EvalRepeat(c.multi, mi, base);
    InstanceSet set;
    set.mode = rep.mode;
    set.broken = !rep.ok;
    data_.modules[mi].modules[c.name] = set;  // visible (empty) while children expand
    for (auto& [key, rc] : rep.items) {
      ModuleInstance child;
      child.file = c.file;
      child.call = &c;
      child.path = base + (rep.mode == InstanceSet::Mode::kSingle ? "" : KeySuffix(key));
      child.parent = static_cast<int>(mi);
      child.region_alias = alias;
      child.region = region;
      child.repeat = std::move(rc);
      size_t index = data_.modules.size();
      data_.modules.push_back(std::move(child));
      data_.modules[mi].modules[c.name].members.emplace_back(key, index);
      BindInputs(index);
      ExpandModule(index);
    }
  }

  StackData& data_;
  const provider::Provider& provider_;
  Diagnostics& diags_;
};

}  // namespace

void ExpandStack(StackData& data, const provider::Provider& schemas, Diagnostics& diags) {
  Expander(data, schemas, diags).ExpandModule(0);
}

}  // namespace infra::engine

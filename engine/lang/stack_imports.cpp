// `import:` entries resolved against the loaded stack (see stack_imports.h).
// An entry with for_each stands for one entry per element (Terraform 1.7's
// import for_each): each.key / each.value in its id and in the [..] keys of
// its `to` (aws_subnet.private[each.key]).
#include "engine/lang/stack_imports.h"

#include <fmt/format.h>

#include <set>

#include "engine/lang/diag.h"
#include "engine/lang/expr.h"
#include "engine/lang/nearest_name.h"
#include "engine/lang/stack_defs.h"
#include "engine/lang/stack_scope.h"

namespace infra::engine {
namespace {

bool IsLiteralKey(const std::string& key) {
  return !key.empty() && (key[0] == '"' || (key[0] >= '0' && key[0] <= '9'));
}

// `to` with every [expression] replaced by its value's key suffix.
Result<std::string> ExpandAddress(const ImportDef& imp, const EvalScope& scope) {
  std::string out;
  for (size_t i = 0; i < imp.to.size();) {
    size_t open = imp.to.find('[', i);
    if (open == std::string::npos) {
      out += imp.to.substr(i);
      break;
    }
    size_t close = imp.to.find(']', open);
    if (close == std::string::npos) return MakeError(Error::Kind::kInvalid, "BadImportTo", "an unclosed '['");
    out += imp.to.substr(i, open - i);
    std::string key = imp.to.substr(open + 1, close - open - 1);
    if (IsLiteralKey(key)) {
      out += imp.to.substr(open, close - open + 1);
    } else {
      auto expr = ParseExpression(key, imp.loc);
      if (!expr.ok()) return expr.error();
      auto v = Evaluate(**expr, scope);
      if (!v.ok()) return v.error();
      if (!v->is_wholly_known() || (v->kind() != ValueKind::kString && v->kind() != ValueKind::kNumber))
        return MakeError(Error::Kind::kInvalid, "BadImportTo",
                         fmt::format("the key [{}] must be a known string or number, got {}", key,
                                     v->is_wholly_known() ? v->KindName() : "a value known only after apply"));
      out += KeySuffix(*v);
    }
    i = close + 1;
  }
  return out;
}

// The (each.key, each.value) pairs of a for_each value, or an error.
Result<std::vector<std::pair<Value, Value>>> Elements(const Value& v) {
  std::vector<std::pair<Value, Value>> out;
  if (!v.is_wholly_known())
    return MakeError(Error::Kind::kInvalid, "BadImportForEach",
                     "for_each must be known before apply (variables and locals only)");
  if (v.kind() == ValueKind::kMap) {
    for (const auto& [k, x] : v.AsMap()) out.emplace_back(Value::String(k), x);
    return out;
  }
  if (v.kind() == ValueKind::kList) {
    for (const auto& x : v.AsList()) {
      if (x.kind() != ValueKind::kString)
        return MakeError(Error::Kind::kInvalid, "BadImportForEach",
                         fmt::format("for_each over a list needs strings (a set of strings), got a {}", x.KindName()));
      out.emplace_back(x, x);
    }
    return out;
  }
  return MakeError(Error::Kind::kInvalid, "BadImportForEach",
                   fmt::format("for_each must be a map or a set of strings, got {}", v.KindName()));
}

class ImportResolver {
 public:
  ImportResolver(StackData& data, Diagnostics& diags) : data_(data), diags_(diags) {}

  void Add(const ImportDef& imp, const RepeatContext& repeat) {
    ResourceValues nothing = NoResourceValues();
    StackScope scope(data_, 0, repeat, nothing);
    auto to = ExpandAddress(imp, scope);
    if (!to.ok()) {
      diags_.Error(imp.loc, "", fmt::format("import to {}: {}", imp.to, to.error().message));
      return;
    }
    auto it = data_.by_address.find(*to);
    if (it == data_.by_address.end()) {
      std::vector<std::string> names;
      for (const auto& r : data_.resources) names.push_back(r.address);
      std::string near = NearestName(*to, names);
      diags_.Error(imp.loc, "",
                   fmt::format("import to {}: no such resource instance is declared in the stack{}", *to,
                               near.empty() ? "" : fmt::format("; did you mean {}?", near)));
      return;
    }
    if (data_.resources[it->second].data) {
      diags_.Error(imp.loc, "", fmt::format("import to {}: a data source is read, not imported", *to));
      return;
    }
    if (!seen_.insert(*to).second) {
      diags_.Error(imp.loc, "", fmt::format("import to {}: the address is imported twice", *to));
      return;
    }
    auto id = Evaluate(*imp.id, scope);
    if (!id.ok()) {
      diags_.Error(imp.loc, "", fmt::format("import to {}: the id cannot be evaluated: {}", *to, id.error().message));
      return;
    }
    if (data_.unset_as_unknown && !id->is_wholly_known()) return;  // validate/graph: any id will do
    if (!id->is_wholly_known() || id->kind() != ValueKind::kString || id->AsString().empty()) {
      diags_.Error(imp.loc, "",
                   fmt::format("import to {}: the id must be a non-empty string known before apply (variables and "
                               "locals only), got {}",
                               *to, id->is_wholly_known() ? id->KindName() : "a value known only after apply"));
      return;
    }
    data_.imports.push_back(ImportDecl{*to, id->AsString(), imp.loc});
  }

  void AddEach(const ImportDef& imp) {
    ResourceValues nothing = NoResourceValues();
    StackScope scope(data_, 0, RepeatContext{}, nothing);
    auto each = Evaluate(*imp.for_each, scope);
    if (each.ok() && data_.unset_as_unknown && !each->is_wholly_known()) return;  // validate/graph
    auto elements = each.ok() ? Elements(*each) : Result<std::vector<std::pair<Value, Value>>>(each.error());
    if (!elements.ok()) {
      diags_.Error(imp.loc, "", fmt::format("import to {}: {}", imp.to, elements.error().message));
      return;
    }
    for (const auto& [k, v] : *elements) {
      RepeatContext rc;
      rc.each_key = k;
      rc.each_value = v;
      Add(imp, rc);
    }
  }

 private:
  StackData& data_;
  Diagnostics& diags_;
  std::set<std::string> seen_;
};

}  // namespace

void ResolveImports(const ModuleFile& root, StackData& data, Diagnostics& diags) {
  if (root.imports.empty() || data.modules.empty()) return;
  ImportResolver resolver(data, diags);
  for (const auto& imp : root.imports) {
    if (imp.for_each) resolver.AddEach(imp);
    else resolver.Add(imp, RepeatContext{});
  }
}

}  // namespace infra::engine

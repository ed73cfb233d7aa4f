// Nested-block and declared value checks (see attribute_checks.h). Paths
// use the stack's own spelling so a message points at what the user wrote.
#include "engine/lang/attribute_checks.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <regex>

#include "engine/lang/diag.h"
#include "engine/lang/nearest_name.h"
#include "engine/lang/type_spec.h"

namespace infra::engine {
namespace {
using provider::AttrMode;
using provider::AttrType;
using provider::AttributeSchema;

bool IsBlock(const AttributeSchema& s) {
  return (s.type == AttrType::kObject || s.type == AttrType::kListObject) && !s.block.empty();
}

void CheckMapKeys(const AttributeSchema& s, const std::string& path, const Expr& map, const std::string& address,
                  Diagnostics& diags) {
  std::vector<std::string> names;
  for (const auto& n : s.block) names.push_back(n.name);
  std::vector<std::string> written;
  for (size_t i = 0; i < map.keys.size(); ++i) {
    const Expr& key = *map.keys[i];
    if (key.kind != ExprKind::kLiteral || key.literal.kind() != ValueKind::kString) continue;
    const std::string& name = key.literal.AsString();
    written.push_back(name);
    std::string at = path + "." + name;
    const AttributeSchema* n = s.FindNested(name);
    if (!n) {
      std::string near = NearestName(name, names);
      diags.Error(key.loc, address,
                  fmt::format("unknown attribute '{}' in block '{}'{}", at, path,
                              near.empty() ? "" : fmt::format("; did you mean '{}'?", near)));
    } else if (n->mode == AttrMode::kComputed) {
      diags.Error(key.loc, address, fmt::format("attribute '{}' is computed (set by AWS) and cannot be set", at));
    } else if (IsBlock(*n)) {
      CheckBlockKeys(*n, at, *map.operands[i], address, diags);
    }
  }
  for (const auto& n : s.block)
    if (n.mode == AttrMode::kRequired && std::find(written.begin(), written.end(), n.name) == written.end())
      diags.Error(map.loc, address, fmt::format("missing required attribute '{}.{}'", path, n.name));
}

TypeSpec SpecOf(AttrType t) {
  switch (t) {
    case AttrType::kString: return TypeSpec::String();
    case AttrType::kNumber: return TypeSpec::Number();
    case AttrType::kBool: return TypeSpec::Bool();
    case AttrType::kListString:
    case AttrType::kSetString: return TypeSpec::List(TypeSpec::String());
    case AttrType::kMapString: return TypeSpec::Map(TypeSpec::String());
    case AttrType::kListAny:
    case AttrType::kListObject: return TypeSpec::List(TypeSpec::Any());
    case AttrType::kMapAny:
    case AttrType::kObject: return TypeSpec::Map(TypeSpec::Any());
    case AttrType::kAny: return TypeSpec::Any();
  }
  return TypeSpec::Any();
}

Result<Value> ConvertObject(const AttributeSchema& s, const std::string& path, const Value& v) {
  if (v.kind() != ValueKind::kMap) return v;
  Value::Map out;
  for (const auto& [k, item] : v.AsMap()) {
    const AttributeSchema* n = s.FindNested(k);
    if (!n || item.is_null() || !item.is_wholly_known()) {
      out.emplace(k, item);
      continue;
    }
    auto c = ConvertBlock(*n, path + "." + k, item);
    if (!c.ok()) return c.error();
    out.emplace(k, *c);
  }
  return Value::MakeMap(std::move(out));
}

std::string Where(const std::string& path) { return fmt::format("'{}'", path); }

}  // namespace

void CheckBlockKeys(const AttributeSchema& s, const std::string& path, const Expr& expr, const std::string& address,
                    Diagnostics& diags) {
  if (!IsBlock(s)) return;
  if (s.type == AttrType::kObject && expr.kind == ExprKind::kMap) {
    CheckMapKeys(s, path, expr, address, diags);
  } else if (s.type == AttrType::kListObject && expr.kind == ExprKind::kList) {
    for (size_t i = 0; i < expr.operands.size(); ++i)
      if (expr.operands[i]->kind == ExprKind::kMap)
        CheckMapKeys(s, fmt::format("{}[{}]", path, i), *expr.operands[i], address, diags);
  }
}

Result<Value> ConvertBlock(const AttributeSchema& s, const std::string& path, const Value& value) {
  auto c = Convert(value, SpecOf(s.type));
  if (!c.ok())
    return MakeError(Error::Kind::kInvalid, "TypeMismatch",
                     fmt::format("wrong value type for {}: {}", Where(path), c.error().message));
  if (!IsBlock(s)) return *c;
  if (s.type == AttrType::kObject) return ConvertObject(s, path, *c);
  if (c->kind() != ValueKind::kList) return *c;
  Value::List items;
  for (size_t i = 0; i < c->AsList().size(); ++i) {
    auto e = ConvertObject(s, fmt::format("{}[{}]", path, i), c->AsList()[i]);
    if (!e.ok()) return e.error();
    items.push_back(*e);
  }
  return Value::MakeList(std::move(items));
}

Value MarkSensitive(const AttributeSchema& s, const Value& value) {
  if (s.sensitive) return value.WithSensitive();
  if (s.block.empty() || value.is_null() || value.is_unknown()) return value;
  auto object = [&](const Value& v) {
    if (v.kind() != ValueKind::kMap) return v;
    Value::Map out;
    for (const auto& [k, item] : v.AsMap()) {
      const AttributeSchema* n = s.FindNested(k);
      out.emplace(k, n ? MarkSensitive(*n, item) : item);
    }
    return Value::MakeMap(std::move(out)).WithSensitive(v.sensitive());
  };
  if (value.kind() != ValueKind::kList) return object(value);
  Value::List items;
  for (const auto& item : value.AsList()) items.push_back(object(item));
  return Value::MakeList(std::move(items)).WithSensitive(value.sensitive());
}

std::string FailedCheck(const AttributeSchema& s, const std::string& path, const Value& value) {
  if (value.is_null() || !value.is_wholly_known()) return {};
  for (const auto& check : s.checks) {
    using K = provider::AttrCheck::Kind;
    if (check.kind == K::kOneOf && value.kind() == ValueKind::kString &&
        std::find(check.values.begin(), check.values.end(), value.AsString()) == check.values.end()) {
      std::string near = NearestName(value.AsString(), check.values);
      return fmt::format("{} must be one of {}; got \"{}\"{}", Where(path), fmt::join(check.values, ", "),
                         value.AsString(), near.empty() ? "" : fmt::format("; did you mean '{}'?", near));
    }
    // A number is one of the allowed values written as numbers (retention_in_days).
    if (check.kind == K::kOneOf && value.kind() == ValueKind::kNumber &&
        std::find(check.values.begin(), check.values.end(), value.ToInterpolated()) == check.values.end())
      return fmt::format("{} must be one of {}; got {}", Where(path), fmt::join(check.values, ", "),
                         value.ToInterpolated());
    if (check.kind == K::kRegex && value.kind() == ValueKind::kString &&
        !std::regex_match(value.AsString(), std::regex(check.pattern)))
      return fmt::format("{} must match {}", Where(path), check.pattern);
    if (check.kind == K::kRange && value.kind() == ValueKind::kNumber &&
        (value.AsNumber() < check.min || value.AsNumber() > check.max))
      return fmt::format("{} must be between {} and {}; got {}", Where(path), check.min, check.max,
                         value.ToInterpolated());
  }
  if (!IsBlock(s)) return {};
  auto one = [&](const Value& obj, const std::string& at) -> std::string {
    if (obj.kind() != ValueKind::kMap) return {};
    for (const auto& n : s.block) {
      auto it = obj.AsMap().find(n.name);
      if (it == obj.AsMap().end()) continue;
      if (auto m = FailedCheck(n, at + "." + n.name, it->second); !m.empty()) return m;
    }
    return {};
  };
  if (s.type == AttrType::kObject) return one(value, path);
  if (value.kind() == ValueKind::kList)
    for (size_t i = 0; i < value.AsList().size(); ++i)
      if (auto m = one(value.AsList()[i], fmt::format("{}[{}]", path, i)); !m.empty()) return m;
  return {};
}

std::vector<std::string> FailedSchemaChecks(const provider::ResourceSchema& schema, const Value::Map& attrs) {
  std::vector<std::string> out;
  for (const auto& check : schema.checks) {
    std::vector<std::string> set;
    for (const auto& a : check.attributes)
      if (attrs.count(a)) set.push_back(a);
    std::string names = fmt::format("{}", fmt::join(check.attributes, ", "));
    using K = provider::SchemaCheck::Kind;
    if (check.kind == K::kExactlyOneOf && set.size() != 1)
      out.push_back(fmt::format("exactly one of {} must be set{}", names,
                                set.empty() ? "" : fmt::format(" (set: {})", fmt::join(set, ", "))));
    else if (check.kind == K::kAtLeastOneOf && set.empty())
      out.push_back(fmt::format("at least one of {} must be set", names));
    else if (check.kind == K::kConflictsWith && set.size() > 1)
      out.push_back(fmt::format("{} cannot be set together", fmt::join(set, " and ")));
  }
  return out;
}

}  // namespace infra::engine

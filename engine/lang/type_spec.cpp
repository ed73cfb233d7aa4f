// TypeSpec parsing ("list(map(string))") and Terraform-like value
// conversion. CLI strings for complex types are parsed with the expression
// parser and evaluated without a scope, so JSON and HCL literals both work.
#include "engine/lang/type_spec.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "engine/lang/expr.h"

namespace infra::engine {

namespace {

Error TypeError(const std::string& message) { return MakeError(Error::Kind::kInvalid, "InvalidType", message); }
Error Mismatch(const std::string& path, const std::string& message) {
  return MakeError(Error::Kind::kInvalid, "TypeMismatch", path.empty() ? message : path + ": " + message);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Describe(const Value& v) {
  if (v.kind() == ValueKind::kString && !v.sensitive()) return fmt::format("string \"{}\"", v.AsString());
  return v.KindName();
}

Result<Value> ConvertAt(const Value& v, const TypeSpec& type, const std::string& path);

Result<Value> ConvertPrimitive(const Value& v, const TypeSpec& type, const std::string& path) {
  const std::string expected = type.ToString();
  switch (type.kind()) {
    case TypeSpec::Kind::kString:
      if (v.kind() == ValueKind::kString) return v;
      if (v.kind() == ValueKind::kNumber || v.kind() == ValueKind::kBool) return Value::String(v.ToInterpolated());
      break;
    case TypeSpec::Kind::kNumber: {
      if (v.kind() == ValueKind::kNumber) return v;
      if (v.kind() == ValueKind::kString) {
        std::string_view s = Trim(v.AsString());
        if (!s.empty() && s.front() == '+') s.remove_prefix(1);
        double d = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
        if (!s.empty() && ec == std::errc() && p == s.data() + s.size() && std::isfinite(d)) return Value::Number(d);
        return Mismatch(path, fmt::format("expected number, got {} (not a number)", Describe(v)));
      }
      break;
    }
    case TypeSpec::Kind::kBool:
      if (v.kind() == ValueKind::kBool) return v;
      if (v.kind() == ValueKind::kString && (v.AsString() == "true" || v.AsString() == "false"))
        return Value::Bool(v.AsString() == "true");
      if (v.kind() == ValueKind::kString)
        return Mismatch(path, fmt::format("expected bool, got {} (use true or false)", Describe(v)));
      break;
    default: break;
  }
  return Mismatch(path, fmt::format("expected {}, got {}", expected, Describe(v)));
}

Result<Value> ConvertAt(const Value& v, const TypeSpec& type, const std::string& path) {
  if (v.is_unknown() || v.is_null() || type.kind() == TypeSpec::Kind::kAny) return v;
  Result<Value> out = Value();
  switch (type.kind()) {
    case TypeSpec::Kind::kList: {
      if (v.kind() != ValueKind::kList)
        return Mismatch(path, fmt::format("expected {}, got {}", type.ToString(), Describe(v)));
      Value::List items;
      const auto& l = v.AsList();
      for (size_t i = 0; i < l.size(); ++i) {
        auto e = ConvertAt(l[i], type.element(), fmt::format("{}[{}]", path, i));
        if (!e) return e;
        items.push_back(std::move(*e));
      }
      out = Value::MakeList(std::move(items));
      break;
    }
    case TypeSpec::Kind::kMap: {
      if (v.kind() != ValueKind::kMap)
        return Mismatch(path, fmt::format("expected {}, got {}", type.ToString(), Describe(v)));
      Value::Map items;
      for (const auto& [k, e] : v.AsMap()) {
        auto c = ConvertAt(e, type.element(), fmt::format("{}[\"{}\"]", path, k));
        if (!c) return c;
        items.emplace(k, std::move(*c));
      }
      out = Value::MakeMap(std::move(items));
      break;
    }
    default: out = ConvertPrimitive(v, type, path);
  }
  if (out && v.sensitive()) return out->WithSensitive(true);
  return out;
}

// Recursive-descent over "list(map(string))".
Result<TypeSpec> ParseAt(std::string_view text, size_t* pos, int depth) {
  auto skip = [&] {
    while (*pos < text.size() && (text[*pos] == ' ' || text[*pos] == '\t')) ++*pos;
  };
  skip();
  size_t start = *pos;
  while (*pos < text.size() && (std::isalnum(static_cast<unsigned char>(text[*pos])) || text[*pos] == '_')) ++*pos;
  std::string_view word = text.substr(start, *pos - start);
  const char* kValid = "valid types: string, number, bool, list(T), map(T), any";
  if (word == "string") return TypeSpec::String();
  if (word == "number") return TypeSpec::Number();
  if (word == "bool") return TypeSpec::Bool();
  if (word == "any") return TypeSpec::Any();
  if (word == "list" || word == "map") {
    skip();
    TypeSpec element;
    if (*pos < text.size() && text[*pos] == '(') {
      if (depth > 20) return TypeError(fmt::format("type \"{}\" is nested too deeply", text));
      ++*pos;
      auto e = ParseAt(text, pos, depth + 1);
      if (!e) return e;
      skip();
      if (*pos >= text.size() || text[*pos] != ')') return TypeError(fmt::format("type \"{}\": missing ')'", text));
      ++*pos;
      element = *e;
    }
    return word == "list" ? TypeSpec::List(element) : TypeSpec::Map(element);
  }
  if (word == "set" || word == "object" || word == "tuple")
    return TypeError(fmt::format("type \"{}\": {} types are not supported; {}", text, word, kValid));
  if (word.empty()) return TypeError(fmt::format("type \"{}\": expected a type name; {}", text, kValid));
  return TypeError(fmt::format("unknown type \"{}\"; {}", word, kValid));
}

}  // namespace

TypeSpec TypeSpec::List(TypeSpec element) {
  TypeSpec t(Kind::kList);
  t.element_ = std::make_shared<const TypeSpec>(std::move(element));
  return t;
}

TypeSpec TypeSpec::Map(TypeSpec element) {
  TypeSpec t(Kind::kMap);
  t.element_ = std::make_shared<const TypeSpec>(std::move(element));
  return t;
}

const TypeSpec& TypeSpec::element() const {
  static const TypeSpec kAny;
  return element_ ? *element_ : kAny;
}

std::string TypeSpec::ToString() const {
  switch (kind_) {
    case Kind::kAny: return "any";
    case Kind::kString: return "string";
    case Kind::kNumber: return "number";
    case Kind::kBool: return "bool";
    case Kind::kList: return "list(" + element().ToString() + ")";
    case Kind::kMap: return "map(" + element().ToString() + ")";
  }
  return "?";
}

bool TypeSpec::operator==(const TypeSpec& o) const {
  if (kind_ != o.kind_) return false;
  if (kind_ == Kind::kList || kind_ == Kind::kMap) return element() == o.element();
  return true;
}

Result<TypeSpec> TypeSpec::Parse(std::string_view text) {
  size_t pos = 0;
  auto t = ParseAt(text, &pos, 0);
  if (!t) return t;
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  if (pos != text.size()) return TypeError(fmt::format("type \"{}\": unexpected \"{}\"", text, text.substr(pos)));
  return t;
}

Result<Value> Convert(const Value& value, const TypeSpec& type) { return ConvertAt(value, type, ""); }

Result<Value> ParseCliValue(std::string_view text, const TypeSpec& type) {
  if (type.kind() != TypeSpec::Kind::kList && type.kind() != TypeSpec::Kind::kMap)
    return Convert(Value::String(std::string(text)), type);
  auto expr = ParseExpression(text, SourceLoc{"<value>", 1, 1});
  if (!expr) {
    Error e = expr.error();
    e.code = "TypeMismatch";
    e.message = fmt::format("expected {} written as JSON or HCL (e.g. {}), but parsing failed: {}", type.ToString(),
                            type.kind() == TypeSpec::Kind::kList ? "[\"a\", \"b\"]" : "{a = 1, \"b\": 2}", e.message);
    return e;
  }
  EmptyScope scope;
  auto v = Evaluate(**expr, scope);
  if (!v) {
    Error e = v.error();
    e.code = "TypeMismatch";
    e.message = fmt::format("expected {} written as JSON or HCL with quoted strings: {}", type.ToString(), e.message);
    return e;
  }
  return Convert(*v, type);
}

}  // namespace infra::engine

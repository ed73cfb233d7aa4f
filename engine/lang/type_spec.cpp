// TypeSpec parsing ("list(map(string))") and Terraform-like value
// conversion. CLI strings for complex types are parsed with the expression
// parser and evaluated without a scope, so JSON and HCL literals both work.
#include "engine/lang/type_spec.h"

#include <fmt/format.h>

#include <algorithm>
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
    case TypeSpec::Kind::kSet: {
      if (v.kind() != ValueKind::kList)
        return Mismatch(path, fmt::format("expected {}, got {}", type.ToString(), Describe(v)));
      Value::List items;
      const auto& l = v.AsList();
      for (size_t i = 0; i < l.size(); ++i) {
        auto e = ConvertAt(l[i], type.element(), fmt::format("{}[{}]", path, i));
        if (!e) return e;
        bool dup = false;
        for (const auto& have : items) dup = dup || have == *e;
        if (!dup) items.push_back(std::move(*e));
      }
      std::stable_sort(items.begin(), items.end(), [](const Value& a, const Value& b) {
        if (a.kind() == ValueKind::kNumber && b.kind() == ValueKind::kNumber) return a.AsNumber() < b.AsNumber();
        if (a.kind() == ValueKind::kString && b.kind() == ValueKind::kString) return a.AsString() < b.AsString();
        return false;
      });
      out = Value::MakeList(std::move(items));
      break;
    }
    case TypeSpec::Kind::kObject: {
      if (v.kind() != ValueKind::kMap)
        return Mismatch(path, fmt::format("expected {}, got {}", type.ToString(), Describe(v)));
      Value::Map items;
      const auto& m = v.AsMap();
      for (const auto& a : type.attributes()) {
        std::string at = path.empty() ? a.name : fmt::format("{}.{}", path, a.name);
        auto it = m.find(a.name);
        if (it == m.end() || it->second.is_null()) {
          if (!a.optional && it == m.end())
            return Mismatch(path, fmt::format("attribute \"{}\" is required by {}", a.name, type.ToString()));
          items.emplace(a.name, a.default_value ? *a.default_value : Value::Null());
          continue;
        }
        auto c = ConvertAt(it->second, *a.type, at);
        if (!c) return c;
        items.emplace(a.name, std::move(*c));
      }
      out = Value::MakeMap(std::move(items));
      break;
    }
    case TypeSpec::Kind::kTuple: {
      const auto& types = type.elements();
      if (v.kind() != ValueKind::kList || v.AsList().size() != types.size())
        return Mismatch(path, fmt::format("expected {} ({} element{}), got {}", type.ToString(), types.size(),
                                          types.size() == 1 ? "" : "s",
                                          v.kind() == ValueKind::kList
                                              ? fmt::format("a list of {}", v.AsList().size())
                                              : Describe(v)));
      Value::List items;
      for (size_t i = 0; i < types.size(); ++i) {
        auto e = ConvertAt(v.AsList()[i], types[i], fmt::format("{}[{}]", path, i));
        if (!e) return e;
        items.push_back(std::move(*e));
      }
      out = Value::MakeList(std::move(items));
      break;
    }
    default: out = ConvertPrimitive(v, type, path);
  }
  if (out && v.sensitive()) return out->WithSensitive(true);
  return out;
}

constexpr const char* kValid =
    "valid types: string, number, bool, list(T), set(T), map(T), object({name = T, ...}), tuple([T, ...]), any";

// Recursive descent over "list(map(string))", "object({a = string})", ...
class TypeParser {
 public:
  explicit TypeParser(std::string_view text) : text_(text) {}

  Result<TypeSpec> Parse() {
    auto t = Type(0);
    if (!t) return t;
    Skip();
    if (pos_ != text_.size()) return TypeError(fmt::format("type \"{}\": unexpected \"{}\"", text_, text_.substr(pos_)));
    return t;
  }

 private:
  void Skip() {
    while (pos_ < text_.size() && std::string_view(" \t\r\n").find(text_[pos_]) != std::string_view::npos) ++pos_;
  }
  bool Eat(char c) {
    Skip();
    if (pos_ < text_.size() && text_[pos_] == c) return ++pos_, true;
    return false;
  }
  Error Missing(const char* what) const {
    return TypeError(fmt::format("type \"{}\": missing {}", text_, what));
  }
  std::string_view Word() {
    Skip();
    size_t start = pos_;
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_' ||
                                   text_[pos_] == '-'))
      ++pos_;
    return text_.substr(start, pos_ - start);
  }

  Result<TypeSpec> Type(int depth) {
    if (depth > 20) return TypeError(fmt::format("type \"{}\" is nested too deeply", text_));
    std::string_view word = Word();
    if (word == "string") return TypeSpec::String();
    if (word == "number") return TypeSpec::Number();
    if (word == "bool") return TypeSpec::Bool();
    if (word == "any") return TypeSpec::Any();
    if (word == "list" || word == "map" || word == "set") {
      TypeSpec element;
      if (Eat('(')) {
        auto e = Type(depth + 1);
        if (!e) return e;
        if (!Eat(')')) return Missing("')'");
        element = *e;
      }
      return word == "list" ? TypeSpec::List(element) : word == "map" ? TypeSpec::Map(element) : TypeSpec::Set(element);
    }
    if (word == "object") return Object(depth);
    if (word == "tuple") return Tuple(depth);
    if (word == "optional")
      return TypeError(fmt::format("type \"{}\": optional(...) is only allowed for an attribute of an object type", text_));
    if (word.empty()) return TypeError(fmt::format("type \"{}\": expected a type name; {}", text_, kValid));
    return TypeError(fmt::format("unknown type \"{}\"; {}", word, kValid));
  }

  // object({name = T, port = optional(number, 80)})
  Result<TypeSpec> Object(int depth) {
    if (!Eat('(') || !Eat('{')) return Missing("'({' after object");
    std::vector<TypeSpec::Attribute> attrs;
    while (!Eat('}')) {
      std::string_view name = Word();
      if (name.empty()) return TypeError(fmt::format("type \"{}\": expected an attribute name or '}}'", text_));
      for (const auto& a : attrs)
        if (a.name == name) return TypeError(fmt::format("type \"{}\": attribute \"{}\" is declared twice", text_, name));
      if (!Eat('=') && !Eat(':')) return Missing(fmt::format("'=' after attribute \"{}\"", name).c_str());
      TypeSpec::Attribute attr;
      attr.name = std::string(name);
      size_t save = pos_;
      if (Word() == "optional") {
        if (!Eat('(')) return Missing("'(' after optional");
        auto t = Type(depth + 1);
        if (!t) return t;
        attr.optional = true;
        attr.type = std::make_shared<const TypeSpec>(*t);
        if (Eat(',')) {
          auto d = DefaultValue(attr);
          if (!d) return d.error();
          attr.default_value = *d;
        }
        if (!Eat(')')) return Missing("')' to close optional(");
      } else {
        pos_ = save;
        auto t = Type(depth + 1);
        if (!t) return t;
        attr.type = std::make_shared<const TypeSpec>(*t);
      }
      attrs.push_back(std::move(attr));
      Eat(',');
    }
    if (!Eat(')')) return Missing("')' to close object(");
    return TypeSpec::Object(std::move(attrs));
  }

  // The default of optional(T, default): an expression up to the ')' that
  // closes optional(, evaluated without a scope and converted to T.
  Result<Value> DefaultValue(const TypeSpec::Attribute& attr) {
    Skip();
    size_t start = pos_;
    int nest = 0;
    bool in_string = false;
    for (; pos_ < text_.size(); ++pos_) {
      char c = text_[pos_];
      if (in_string) {
        if (c == '\\') ++pos_;
        else if (c == '"') in_string = false;
        continue;
      }
      if (c == '"') in_string = true;
      else if (c == '(' || c == '[' || c == '{') ++nest;
      else if (c == ')' || c == ']' || c == '}') {
        if (nest == 0) break;
        --nest;
      }
    }
    auto expr = ParseExpression(text_.substr(start, pos_ - start), SourceLoc{"<type>", 1, 1});
    if (!expr) return TypeError(fmt::format("type \"{}\": the default of \"{}\" is not a literal: {}", text_, attr.name,
                                            expr.error().message));
    EmptyScope scope;
    auto v = Evaluate(**expr, scope);
    if (!v) return TypeError(fmt::format("type \"{}\": the default of \"{}\" is not a literal: {}", text_, attr.name,
                                         v.error().message));
    auto c = Convert(*v, *attr.type);
    if (!c) return TypeError(fmt::format("type \"{}\": the default of \"{}\" does not match {}: {}", text_, attr.name,
                                         attr.type->ToString(), c.error().message));
    return *c;
  }

  // tuple([T, T, ...])
  Result<TypeSpec> Tuple(int depth) {
    if (!Eat('(') || !Eat('[')) return Missing("'([' after tuple");
    std::vector<TypeSpec> elements;
    while (!Eat(']')) {
      auto t = Type(depth + 1);
      if (!t) return t;
      elements.push_back(*t);
      if (!Eat(',') && !(Skip(), pos_ < text_.size() && text_[pos_] == ']')) return Missing("',' or ']' in tuple([...])");
    }
    if (!Eat(')')) return Missing("')' to close tuple(");
    return TypeSpec::Tuple(std::move(elements));
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

TypeSpec TypeSpec::List(TypeSpec element) {
  TypeSpec t(Kind::kList);
  t.element_ = std::make_shared<const TypeSpec>(std::move(element));
  return t;
}

TypeSpec TypeSpec::Set(TypeSpec element) {
  TypeSpec t(Kind::kSet);
  t.element_ = std::make_shared<const TypeSpec>(std::move(element));
  return t;
}

TypeSpec TypeSpec::Object(std::vector<Attribute> attributes) {
  TypeSpec t(Kind::kObject);
  t.attributes_ = std::make_shared<const std::vector<Attribute>>(std::move(attributes));
  return t;
}

TypeSpec TypeSpec::Tuple(std::vector<TypeSpec> elements) {
  TypeSpec t(Kind::kTuple);
  t.elements_ = std::make_shared<const std::vector<TypeSpec>>(std::move(elements));
  return t;
}

const std::vector<TypeSpec::Attribute>& TypeSpec::attributes() const {
  static const std::vector<Attribute> kNone;
  return attributes_ ? *attributes_ : kNone;
}

const std::vector<TypeSpec>& TypeSpec::elements() const {
  static const std::vector<TypeSpec> kNone;
  return elements_ ? *elements_ : kNone;
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
    case Kind::kSet: return "set(" + element().ToString() + ")";
    case Kind::kObject: {
      std::string out = "object({";
      bool first = true;
      for (const auto& a : attributes()) {
        out += (first ? "" : ", ") + a.name + " = ";
        first = false;
        if (!a.optional) {
          out += a.type->ToString();
          continue;
        }
        out += "optional(" + a.type->ToString();
        if (a.default_value) {
          const Value& d = *a.default_value;
          out += ", " + (d.kind() == ValueKind::kString ? d.ToDisplay() : d.ToInterpolated());
        }
        out += ")";
      }
      return out + "})";
    }
    case Kind::kTuple: {
      std::string out = "tuple([";
      for (size_t i = 0; i < elements().size(); ++i) out += (i ? ", " : "") + elements()[i].ToString();
      return out + "])";
    }
  }
  return "?";
}

bool TypeSpec::operator==(const TypeSpec& o) const {
  if (kind_ != o.kind_) return false;
  if (kind_ == Kind::kList || kind_ == Kind::kMap || kind_ == Kind::kSet) return element() == o.element();
  if (kind_ == Kind::kObject) {
    if (attributes().size() != o.attributes().size()) return false;
    for (size_t i = 0; i < attributes().size(); ++i) {
      const auto &a = attributes()[i], &b = o.attributes()[i];
      if (a.name != b.name || a.optional != b.optional || !(*a.type == *b.type) ||
          a.default_value.has_value() != b.default_value.has_value() ||
          (a.default_value && !(*a.default_value == *b.default_value)))
        return false;
    }
    return true;
  }
  if (kind_ == Kind::kTuple) return elements() == o.elements();
  return true;
}

Result<TypeSpec> TypeSpec::Parse(std::string_view text) { return TypeParser(text).Parse(); }

Result<Value> Convert(const Value& value, const TypeSpec& type) { return ConvertAt(value, type, ""); }

Result<Value> ParseCliValue(std::string_view text, const TypeSpec& type) {
  const auto k = type.kind();
  if (k != TypeSpec::Kind::kList && k != TypeSpec::Kind::kMap && k != TypeSpec::Kind::kSet &&
      k != TypeSpec::Kind::kObject && k != TypeSpec::Kind::kTuple)
    return Convert(Value::String(std::string(text)), type);
  auto expr = ParseExpression(text, SourceLoc{"<value>", 1, 1});
  if (!expr) {
    Error e = expr.error();
    e.code = "TypeMismatch";
    e.message = fmt::format("expected {} written as JSON or HCL (e.g. {}), but parsing failed: {}", type.ToString(),
                            k == TypeSpec::Kind::kMap || k == TypeSpec::Kind::kObject ? "{a = 1, \"b\": 2}" : "[\"a\", \"b\"]", e.message);
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

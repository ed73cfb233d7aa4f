// Built-in functions. Each takes evaluated arguments and returns a value or
// an error without location (the evaluator prefixes file:line:col). Argument
// conversion follows Terraform: numbers and bools stand in for strings,
// numeric strings for numbers.
#include "engine/lang/expr_functions.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>

#include "engine/lang/cidr.h"
#include "engine/lang/expr_function_kit.h"
#include "engine/lang/nearest_name.h"

namespace infra::engine {

bool ContainsSensitive(const Value& v) {
  if (v.sensitive()) return true;
  if (v.kind() == ValueKind::kList) {
    for (const auto& e : v.AsList())
      if (ContainsSensitive(e)) return true;
  } else if (v.kind() == ValueKind::kMap) {
    for (const auto& [k, e] : v.AsMap())
      if (ContainsSensitive(e)) return true;
  }
  return false;
}

Error FnError(std::string_view fn, const std::string& message) {
  return MakeError(Error::Kind::kInvalid, "ExprFunction", fmt::format("{}(): {}", fn, message));
}

std::string Ordinal(size_t i) {
  static const char* kNames[] = {"first", "second", "third", "fourth"};
  return i < 4 ? kNames[i] : fmt::format("argument {}", i + 1);
}

Result<std::string> Fn::Str(size_t i) const {
  const Value& v = args[i];
  switch (v.kind()) {
    case ValueKind::kString: return v.AsString();
    case ValueKind::kNumber:
    case ValueKind::kBool: return v.ToInterpolated();
    default: return FnError(name, fmt::format("the {} argument must be a string, not {}", Ordinal(i), v.KindName()));
  }
}

Result<double> Fn::Num(size_t i) const {
  const Value& v = args[i];
  if (v.kind() == ValueKind::kNumber) return v.AsNumber();
  if (v.kind() == ValueKind::kString) {
    double d = 0;
    const std::string& s = v.AsString();
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (!s.empty() && ec == std::errc() && p == s.data() + s.size()) return d;
  }
  return FnError(name, fmt::format("the {} argument must be a number, not {}", Ordinal(i), Describe(v)));
}

Result<long long> Fn::Int(size_t i) const {
  auto d = Num(i);
  if (!d) return d.error();
  if (*d != std::floor(*d) || std::fabs(*d) > 9.0e15)
    return FnError(name, fmt::format("the {} argument must be a whole number, not {}", Ordinal(i),
                                     Value::Number(*d).ToInterpolated()));
  return static_cast<long long>(*d);
}

Result<bool> Fn::Bool(size_t i) const {
  const Value& v = args[i];
  if (v.kind() == ValueKind::kBool) return v.AsBool();
  if (v.kind() == ValueKind::kString && (v.AsString() == "true" || v.AsString() == "false")) return v.AsString() == "true";
  return FnError(name, fmt::format("the {} argument must be a bool, not {}", Ordinal(i), Describe(v)));
}

Result<const Value::List*> Fn::List(size_t i) const {
  if (args[i].kind() != ValueKind::kList)
    return FnError(name, fmt::format("the {} argument must be a list, not {}", Ordinal(i), args[i].KindName()));
  return &args[i].AsList();
}

Result<const Value::Map*> Fn::Map(size_t i) const {
  if (args[i].kind() != ValueKind::kMap)
    return FnError(name, fmt::format("the {} argument must be a map, not {}", Ordinal(i), args[i].KindName()));
  return &args[i].AsMap();
}

std::string Fn::Describe(const Value& v) {
  if (v.kind() == ValueKind::kString) return fmt::format("string \"{}\"", v.sensitive() ? "(sensitive value)" : v.AsString());
  return v.KindName();
}

bool ValueLess(const Value& a, const Value& b) {
  if (a.kind() == ValueKind::kNumber && b.kind() == ValueKind::kNumber) return a.AsNumber() < b.AsNumber();
  return a.ToInterpolated() < b.ToInterpolated();
}

namespace {

// ---- the functions ----
Result<Value> CidrSubnetFn(const Fn& f) {
  auto prefix = f.Str(0);
  if (!prefix) return prefix.error();
  auto newbits = f.Int(1);
  if (!newbits) return newbits.error();
  auto netnum = f.Int(2);
  if (!netnum) return netnum.error();
  auto r = CidrSubnet(*prefix, *newbits, *netnum);
  if (!r) return FnError(f.name, r.error().message);
  return Value::String(*r);
}

Result<Value> CidrHostFn(const Fn& f) {
  auto prefix = f.Str(0);
  if (!prefix) return prefix.error();
  auto hostnum = f.Int(1);
  if (!hostnum) return hostnum.error();
  auto r = CidrHost(*prefix, *hostnum);
  if (!r) return FnError(f.name, r.error().message);
  return Value::String(*r);
}

Result<Value> JoinFn(const Fn& f) {
  auto sep = f.Str(0);
  if (!sep) return sep.error();
  std::string out;
  bool first = true;
  for (size_t i = 1; i < f.args.size(); ++i) {
    auto list = f.List(i);
    if (!list) return list.error();
    for (const auto& e : **list) {
      if (e.is_null()) return FnError(f.name, "a list element is null");
      if (e.kind() == ValueKind::kList || e.kind() == ValueKind::kMap)
        return FnError(f.name, fmt::format("list elements must be strings, not {}", e.KindName()));
      out += (first ? "" : *sep) + e.ToInterpolated();
      first = false;
    }
  }
  return Value::String(std::move(out));
}

Result<Value> SplitFn(const Fn& f) {
  auto sep = f.Str(0);
  if (!sep) return sep.error();
  auto s = f.Str(1);
  if (!s) return s.error();
  Value::List out;
  if (sep->empty()) {  // like Go strings.Split: one element per UTF-8 character
    for (size_t i = 0; i < s->size();) {
      size_t n = 1;
      while (i + n < s->size() && (static_cast<unsigned char>((*s)[i + n]) & 0xC0) == 0x80) ++n;
      out.push_back(Value::String(s->substr(i, n)));
      i += n;
    }
    return Value::MakeList(std::move(out));
  }
  size_t start = 0;
  while (true) {
    size_t at = s->find(*sep, start);
    out.push_back(Value::String(s->substr(start, at == std::string::npos ? std::string::npos : at - start)));
    if (at == std::string::npos) break;
    start = at + sep->size();
  }
  return Value::MakeList(std::move(out));
}

Result<Value> LengthFn(const Fn& f) {
  const Value& v = f.args[0];
  switch (v.kind()) {
    case ValueKind::kList: return Value::Number(static_cast<double>(v.AsList().size()));
    case ValueKind::kMap: return Value::Number(static_cast<double>(v.AsMap().size()));
    case ValueKind::kString: {
      size_t n = 0;
      for (char c : v.AsString())
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
      return Value::Number(static_cast<double>(n));
    }
    case ValueKind::kNull: return FnError(f.name, "the argument must not be null");
    default: return FnError(f.name, fmt::format("the argument must be a list, map or string, not {}", v.KindName()));
  }
}

Result<Value> LookupFn(const Fn& f) {
  auto m = f.Map(0);
  if (!m) return m.error();
  auto key = f.Str(1);
  if (!key) return key.error();
  auto it = (*m)->find(*key);
  if (it != (*m)->end()) return it->second;
  if (f.args.size() == 3) return f.args[2];
  std::vector<std::string> names;
  for (const auto& [k, unused] : **m) names.push_back(k);
  std::string hint = NearestName(*key, names);
  return FnError(f.name, fmt::format("the map has no key \"{}\" and no default was given{}", *key,
                                     hint.empty() ? "" : fmt::format("; did you mean \"{}\"?", hint)));
}

Result<Value> ConcatFn(const Fn& f) {
  if (f.args.empty()) return FnError(f.name, "at least one list is required");
  Value::List out;
  for (size_t i = 0; i < f.args.size(); ++i) {
    auto list = f.List(i);
    if (!list) return list.error();
    out.insert(out.end(), (*list)->begin(), (*list)->end());
  }
  return Value::MakeList(std::move(out));
}

Result<Value> MergeFn(const Fn& f) {
  Value::Map out;
  for (size_t i = 0; i < f.args.size(); ++i) {
    if (f.args[i].is_null()) continue;  // Terraform skips null arguments
    auto m = f.Map(i);
    if (!m) return m.error();
    for (const auto& [k, v] : **m) out.insert_or_assign(k, v);
  }
  return Value::MakeMap(std::move(out));
}

Result<Value> ElementFn(const Fn& f) {
  auto list = f.List(0);
  if (!list) return list.error();
  auto index = f.Int(1);
  if (!index) return index.error();
  if ((*list)->empty()) return FnError(f.name, "cannot use element() with an empty list");
  if (*index < 0) return FnError(f.name, "cannot use element() with a negative index");
  return (**list)[static_cast<size_t>(*index) % (*list)->size()];  // wraps, as in Terraform
}

Result<Value> KeysFn(const Fn& f) {
  auto m = f.Map(0);
  if (!m) return m.error();
  Value::List out;
  for (const auto& [k, unused] : **m) out.push_back(Value::String(k));
  return Value::MakeList(std::move(out));
}

Result<Value> ValuesFn(const Fn& f) {
  auto m = f.Map(0);
  if (!m) return m.error();
  Value::List out;
  for (const auto& [unused, v] : **m) out.push_back(v);
  return Value::MakeList(std::move(out));
}

Result<Value> ToStringFn(const Fn& f) {
  const Value& v = f.args[0];
  if (v.is_null()) return v;
  if (v.kind() == ValueKind::kList || v.kind() == ValueKind::kMap)
    return FnError(f.name, fmt::format("cannot convert a {} to a string", v.KindName()));
  return Value::String(v.ToInterpolated());
}

Result<Value> ToNumberFn(const Fn& f) {
  const Value& v = f.args[0];
  if (v.is_null()) return v;
  if (v.kind() != ValueKind::kNumber && v.kind() != ValueKind::kString)
    return FnError(f.name, fmt::format("cannot convert a {} to a number", v.KindName()));
  auto n = f.Num(0);
  if (!n) return FnError(f.name, fmt::format("cannot convert {} to a number", Fn::Describe(v)));
  return Value::Number(*n);
}

Result<Value> FormatFn(const Fn& f);

// try() and can() are evaluated by the evaluator (they see errors); these
// rows only make them known names.
Result<Value> LazyFn(const Fn& f) { return FnError(f.name, "is evaluated by the evaluator [this is a bug]"); }

// ---- the table ----
const FunctionDef kCoreFunctions[] = {
    {"can", 1, 1, UnknownRule::kShallow, true, LazyFn},
    {"try", 1, kVariadic, UnknownRule::kShallow, true, LazyFn},
    {"cidrhost", 2, 2, UnknownRule::kAnyUnknown, false, CidrHostFn},
    {"cidrsubnet", 3, 3, UnknownRule::kAnyUnknown, false, CidrSubnetFn},
    {"concat", 1, kVariadic, UnknownRule::kShallow, false, ConcatFn},
    {"element", 2, 2, UnknownRule::kShallow, false, ElementFn},
    {"format", 1, kVariadic, UnknownRule::kAnyUnknown, true, FormatFn},
    {"join", 2, kVariadic, UnknownRule::kAnyUnknown, false, JoinFn},
    {"keys", 1, 1, UnknownRule::kShallow, false, KeysFn},
    {"length", 1, 1, UnknownRule::kShallow, false, LengthFn},
    {"lookup", 2, 3, UnknownRule::kShallow, true, LookupFn},
    {"merge", 0, kVariadic, UnknownRule::kShallow, true, MergeFn},
    {"split", 2, 2, UnknownRule::kAnyUnknown, false, SplitFn},
    {"tonumber", 1, 1, UnknownRule::kAnyUnknown, true, ToNumberFn},
    {"tostring", 1, 1, UnknownRule::kAnyUnknown, true, ToStringFn},
    {"values", 1, 1, UnknownRule::kShallow, false, ValuesFn},
};

// Every function, sorted by name: the core rows above and each file's rows.
const std::vector<FunctionDef>& AllFunctions() {
  static const std::vector<FunctionDef> all = [] {
    std::vector<FunctionDef> v(std::begin(kCoreFunctions), std::end(kCoreFunctions));
    for (const auto* part : {&StringFunctionDefs(), &CollectionFunctionDefs(), &EncodingFunctionDefs(),
                             &FileFunctionDefs()})
      v.insert(v.end(), part->begin(), part->end());
    std::sort(v.begin(), v.end(), [](const FunctionDef& a, const FunctionDef& b) {
      return std::string_view(a.name) < std::string_view(b.name);
    });
    return v;
  }();
  return all;
}

const FunctionDef* FindFunction(std::string_view name) {
  const auto& all = AllFunctions();
  auto it = std::lower_bound(all.begin(), all.end(), name,
                             [](const FunctionDef& d, std::string_view n) { return std::string_view(d.name) < n; });
  return it != all.end() && name == it->name ? &*it : nullptr;
}

std::string ArgCount(size_t min, size_t max) {
  if (max == kVariadic) return fmt::format("at least {} argument{}", min, min == 1 ? "" : "s");
  if (min == max) return fmt::format("{} argument{}", min, min == 1 ? "" : "s");
  return fmt::format("{} to {} arguments", min, max);
}

// ---- format ----
// JSON text that never throws: invalid UTF-8 becomes U+FFFD.
std::string JsonText(const Value& v) {
  return v.ToJson().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Terraform's format: %% and verbs s d v q t f x X b o e with optional
// flags (- + 0 space), width and precision. Throws fmt::format_error for a
// flag the verb's {fmt} type refuses ("% v" of a string); see FormatOne.
Result<std::string> FormatOneThrowing(std::string_view fn, const std::string& spec, char verb, const Value& v) {
  auto need_number = [&](double* out) -> bool {
    if (v.kind() == ValueKind::kNumber) {
      *out = v.AsNumber();
      return true;
    }
    if (v.kind() == ValueKind::kString) {
      const std::string& s = v.AsString();
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
      return !s.empty() && ec == std::errc() && p == s.data() + s.size();
    }
    return false;
  };
  std::string fmt_spec = "{:" + spec;
  double n = 0;
  switch (verb) {
    case 's':
      if (v.kind() == ValueKind::kList || v.kind() == ValueKind::kMap || v.is_null())
        return FnError(fn, fmt::format("%s needs a string, not {}", v.KindName()));
      return fmt::format(fmt::runtime(fmt_spec + "}"), v.ToInterpolated());
    case 'v':
      return fmt::format(fmt::runtime(fmt_spec + "}"),
                         v.kind() == ValueKind::kString ? v.AsString() : JsonText(v));
    case 'q':
      if (v.kind() == ValueKind::kList || v.kind() == ValueKind::kMap || v.is_null())
        return FnError(fn, fmt::format("%q needs a string, not {}", v.KindName()));
      return fmt::format(fmt::runtime(fmt_spec + "}"), JsonText(Value::String(v.ToInterpolated())));
    case 't':
      if (v.kind() != ValueKind::kBool) return FnError(fn, fmt::format("%t needs a bool, not {}", v.KindName()));
      return fmt::format(fmt::runtime(fmt_spec + "}"), v.AsBool() ? "true" : "false");
    case 'd': case 'x': case 'X': case 'b': case 'o': {
      if (!need_number(&n)) return FnError(fn, fmt::format("%{} needs a number, not {}", verb, v.KindName()));
      if (n != std::floor(n) || std::fabs(n) > 9.0e15)
        return FnError(fn, fmt::format("%{} needs a whole number, not {}", verb, Value::Number(n).ToInterpolated()));
      std::string t = verb == 'd' ? "}" : std::string(1, verb) + "}";
      return fmt::format(fmt::runtime(fmt_spec + t), static_cast<long long>(n));
    }
    case 'f': case 'e':
      if (!need_number(&n)) return FnError(fn, fmt::format("%{} needs a number, not {}", verb, v.KindName()));
      if (spec.find('.') == std::string::npos) fmt_spec += ".6";
      return fmt::format(fmt::runtime(fmt_spec + verb + "}"), n);
  }
  return FnError(fn, fmt::format("unsupported format verb '%{}'", verb));
}

Result<std::string> FormatOne(std::string_view fn, const std::string& spec, char verb, const Value& v) {
  try {
    return FormatOneThrowing(fn, spec, verb, v);
  } catch (const fmt::format_error& e) {  // found by fuzz/expr_fuzz.cpp: format("% v", "x")
    return FnError(fn, fmt::format("the flags of %{} do not apply to a {}: {}", verb, v.KindName(), e.what()));
  }
}

// Converts printf flags/width/precision to a {fmt} spec.
std::string FmtSpec(bool minus, bool plus, bool zero, bool space, const std::string& width, const std::string& prec,
                    char verb) {
  std::string s;
  if (minus) s += "<";
  else if (verb == 's' || verb == 'q' || verb == 'v' || verb == 't') s += ">";
  if (plus) s += "+";
  else if (space) s += " ";
  if (zero && !minus && verb != 's' && verb != 'q' && verb != 'v' && verb != 't') s += "0";
  s += width;
  if (!prec.empty() && verb != 'd' && verb != 'x' && verb != 'X' && verb != 'b' && verb != 'o') s += "." + prec;
  return s;
}

Result<Value> FormatFn(const Fn& f) {
  auto spec = f.Str(0);
  if (!spec) return spec.error();
  const std::string& s = *spec;
  std::string out;
  size_t next_arg = 1;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (++i >= s.size()) return FnError(f.name, "the format string ends with a lone '%'");
    if (s[i] == '%') {
      out += '%';
      continue;
    }
    bool minus = false, plus = false, zero = false, space = false;
    for (; i < s.size() && std::string_view("-+0 ").find(s[i]) != std::string_view::npos; ++i) {
      minus |= s[i] == '-';
      plus |= s[i] == '+';
      zero |= s[i] == '0';
      space |= s[i] == ' ';
    }
    std::string width, prec;
    for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && width.size() < 3; ++i) width += s[i];
    if (i < s.size() && s[i] == '.') {
      for (++i; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && prec.size() < 3; ++i) prec += s[i];
      if (prec.empty()) prec = "0";
    }
    if (i >= s.size()) return FnError(f.name, "the format string ends in the middle of a verb");
    char verb = s[i];
    if (std::string_view("sdvqtfxXboe").find(verb) == std::string_view::npos)
      return FnError(f.name, fmt::format("unsupported format verb '%{}' (supported: %s %d %v %q %t %f %x %%)", verb));
    if (next_arg >= f.args.size())
      return FnError(f.name, fmt::format("not enough arguments: the format string needs more than {}", f.args.size() - 1));
    auto piece = FormatOne(f.name, FmtSpec(minus, plus, zero, space, width, prec, verb), verb, f.args[next_arg++]);
    if (!piece) return piece.error();
    out += *piece;
  }
  if (next_arg < f.args.size())
    return FnError(f.name, fmt::format("too many arguments: the format string uses {} but {} were given", next_arg - 1,
                                       f.args.size() - 1));
  return Value::String(std::move(out));
}

}  // namespace

const std::vector<std::string>& FunctionNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& def : AllFunctions()) v.emplace_back(def.name);
    std::sort(v.begin(), v.end());
    return v;
  }();
  return names;
}

// Common checks (name, arity, nulls, unknowns, sensitivity), then the impl.
Result<Value> CallFunction(std::string_view name, const std::vector<Value>& args) {
  return CallFunction(name, args, CallContext{});
}

Result<Value> CallFunction(std::string_view name, const std::vector<Value>& args, const CallContext& context) {
  const FunctionDef* def = FindFunction(name);
  if (!def) {
    std::string hint = NearestName(name, FunctionNames());
    return MakeError(Error::Kind::kInvalid, "ExprFunction",
                     fmt::format("unknown function \"{}\"{}", name,
                                 hint.empty() ? fmt::format("; available: {}", fmt::join(FunctionNames(), ", "))
                                              : fmt::format("; did you mean \"{}\"?", hint)));
  }
  if (args.size() < def->min_args || args.size() > def->max_args)
    return FnError(name, fmt::format("expects {}, got {}", ArgCount(def->min_args, def->max_args), args.size()));
  bool sensitive = false, unknown = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const Value& a = args[i];
    sensitive |= ContainsSensitive(a);
    if (def->unknown == UnknownRule::kAnyUnknown ? !a.is_wholly_known() : a.is_unknown()) unknown = true;
    if (a.is_null() && !def->null_allowed)
      return FnError(name, fmt::format("the {} argument must not be null", Ordinal(i)));
  }
  if (unknown) return sensitive ? Value::Unknown().WithSensitive(true) : Value::Unknown();
  auto r = def->impl(Fn{def->name, args, &context});
  if (r && sensitive && !r->sensitive()) return r->WithSensitive(true);
  return r;
}

}  // namespace infra::engine

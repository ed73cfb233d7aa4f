// String functions with Terraform's semantics: lower, upper, title, replace
// (with /regex/), regex, regexall, trimspace, trim, trimprefix, trimsuffix,
// substr, startswith, endswith, strrev, formatlist. Regular expressions are
// ECMAScript (std::regex), not RE2: named groups are refused with a message.
// Characters are UTF-8 code points; case mapping is ASCII only.
#include <fmt/format.h>

#include <cctype>
#include <cstdint>
#include <regex>

#include "engine/lang/expr_function_kit.h"

namespace infra::engine {
namespace {

// Byte offsets of each UTF-8 character's start, plus the end.
std::vector<size_t> CharStarts(const std::string& s) {
  std::vector<size_t> out;
  for (size_t i = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) out.push_back(i);
  out.push_back(s.size());
  return out;
}

template <class F>
Result<Value> MapString(const Fn& f, F fn) {
  auto s = f.Str(0);
  if (!s) return s.error();
  return Value::String(fn(*s));
}

Result<Value> LowerFn(const Fn& f) {
  return MapString(f, [](std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  });
}

Result<Value> UpperFn(const Fn& f) {
  return MapString(f, [](std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  });
}

Result<Value> TitleFn(const Fn& f) {
  return MapString(f, [](std::string s) {
    bool start = true;
    for (auto& c : s) {
      unsigned char u = static_cast<unsigned char>(c);
      if (start && std::isalpha(u)) c = static_cast<char>(std::toupper(u));
      start = !(std::isalnum(u) || u >= 0x80 || c == '\'');
    }
    return s;
  });
}

Result<Value> TrimSpaceFn(const Fn& f) {
  return MapString(f, [](const std::string& s) {
    size_t b = s.find_first_not_of(" \t\r\n\v\f");
    if (b == std::string::npos) return std::string();
    size_t e = s.find_last_not_of(" \t\r\n\v\f");
    return s.substr(b, e - b + 1);
  });
}

Result<Value> TrimFn(const Fn& f) {
  auto s = f.Str(0);
  if (!s) return s.error();
  auto cut = f.Str(1);
  if (!cut) return cut.error();
  size_t b = s->find_first_not_of(*cut);
  if (b == std::string::npos) return Value::String("");
  size_t e = s->find_last_not_of(*cut);
  return Value::String(s->substr(b, e - b + 1));
}

Result<Value> TrimAffix(const Fn& f, bool prefix) {
  auto s = f.Str(0);
  if (!s) return s.error();
  auto a = f.Str(1);
  if (!a) return a.error();
  if (a->size() > s->size()) return Value::String(*s);
  if (prefix && s->compare(0, a->size(), *a) == 0) return Value::String(s->substr(a->size()));
  if (!prefix && s->compare(s->size() - a->size(), a->size(), *a) == 0)
    return Value::String(s->substr(0, s->size() - a->size()));
  return Value::String(*s);
}
Result<Value> TrimPrefixFn(const Fn& f) { return TrimAffix(f, true); }
Result<Value> TrimSuffixFn(const Fn& f) { return TrimAffix(f, false); }

Result<Value> StartsOrEnds(const Fn& f, bool starts) {
  auto s = f.Str(0);
  if (!s) return s.error();
  auto a = f.Str(1);
  if (!a) return a.error();
  if (a->size() > s->size()) return Value::Bool(false);
  return Value::Bool(starts ? s->compare(0, a->size(), *a) == 0 : s->compare(s->size() - a->size(), a->size(), *a) == 0);
}
Result<Value> StartsWithFn(const Fn& f) { return StartsOrEnds(f, true); }
Result<Value> EndsWithFn(const Fn& f) { return StartsOrEnds(f, false); }

Result<Value> StrRevFn(const Fn& f) {
  auto s = f.Str(0);
  if (!s) return s.error();
  auto starts = CharStarts(*s);
  std::string out;
  for (size_t i = starts.size() - 1; i > 0; --i) out += s->substr(starts[i - 1], starts[i] - starts[i - 1]);
  return Value::String(std::move(out));
}

// substr(string, offset, length): characters; a negative offset counts from
// the end; length -1 means "to the end".
Result<Value> SubstrFn(const Fn& f) {
  auto s = f.Str(0);
  if (!s) return s.error();
  auto off = f.Int(1);
  if (!off) return off.error();
  auto len = f.Int(2);
  if (!len) return len.error();
  auto starts = CharStarts(*s);
  long long n = static_cast<long long>(starts.size()) - 1;
  long long o = *off < 0 ? n + *off : *off;
  if (o < 0 || o > n) return FnError(f.name, fmt::format("offset {} is outside a string of {} characters", *off, n));
  if (*len < -1) return FnError(f.name, "length must be -1 (to the end) or more");
  long long e = *len == -1 ? n : std::min(n, o + *len);
  return Value::String(s->substr(starts[o], starts[e] - starts[o]));
}

Result<std::regex> Compile(const Fn& f, const std::string& pattern) {
  if (pattern.find("(?P<") != std::string::npos || pattern.find("(?<") != std::string::npos)
    return FnError(f.name, "named capture groups are not supported; use unnamed groups (...) and index the result");
  try {
    return std::regex(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return FnError(f.name, fmt::format("invalid regular expression \"{}\": {}", pattern, e.what()));
  }
}

Result<Value> ReplaceFn(const Fn& f) {
  auto s = f.Str(0);
  if (!s) return s.error();
  auto sub = f.Str(1);
  if (!sub) return sub.error();
  auto rep = f.Str(2);
  if (!rep) return rep.error();
  if (sub->size() >= 2 && sub->front() == '/' && sub->back() == '/') {
    auto re = Compile(f, sub->substr(1, sub->size() - 2));
    if (!re) return re.error();
    return Value::String(std::regex_replace(*s, *re, *rep));
  }
  if (sub->empty()) return Value::String(*s);
  std::string out;
  size_t start = 0;
  for (size_t at; (at = s->find(*sub, start)) != std::string::npos; start = at + sub->size())
    out += s->substr(start, at - start) + *rep;
  return Value::String(out + s->substr(start));
}

// One match as Terraform shapes it: the whole match if the pattern has no
// groups, else the list of groups (an unmatched group is null).
Value MatchValue(const std::smatch& m) {
  if (m.size() == 1) return Value::String(m.str(0));
  Value::List groups;
  for (size_t i = 1; i < m.size(); ++i) groups.push_back(m[i].matched ? Value::String(m.str(i)) : Value::Null());
  return Value::MakeList(std::move(groups));
}

Result<Value> RegexFn(const Fn& f) {
  auto p = f.Str(0);
  if (!p) return p.error();
  auto s = f.Str(1);
  if (!s) return s.error();
  auto re = Compile(f, *p);
  if (!re) return re.error();
  std::smatch m;
  if (!std::regex_search(*s, m, *re)) return FnError(f.name, "the pattern did not match any part of the given string");
  return MatchValue(m);
}

Result<Value> RegexAllFn(const Fn& f) {
  auto p = f.Str(0);
  if (!p) return p.error();
  auto s = f.Str(1);
  if (!s) return s.error();
  auto re = Compile(f, *p);
  if (!re) return re.error();
  Value::List out;
  for (auto it = std::sregex_iterator(s->begin(), s->end(), *re); it != std::sregex_iterator(); ++it)
    out.push_back(MatchValue(*it));
  return Value::MakeList(std::move(out));
}

// formatlist(spec, args...): format() once per element; list arguments must
// share one length, other arguments repeat.
Result<Value> FormatListFn(const Fn& f) {
  size_t n = SIZE_MAX;
  for (size_t i = 1; i < f.args.size(); ++i) {
    if (f.args[i].kind() != ValueKind::kList) continue;
    size_t len = f.args[i].AsList().size();
    if (n != SIZE_MAX && n != len)
      return FnError(f.name, fmt::format("all list arguments must have the same length ({} has {}, an earlier one {})",
                                         Ordinal(i), len, n));
    n = len;
  }
  if (n == SIZE_MAX) n = 1;
  Value::List out;
  for (size_t row = 0; row < n; ++row) {
    std::vector<Value> args{f.args[0]};
    for (size_t i = 1; i < f.args.size(); ++i)
      args.push_back(f.args[i].kind() == ValueKind::kList ? f.args[i].AsList()[row] : f.args[i]);
    auto r = CallFunction("format", args);
    if (!r) return FnError(f.name, r.error().message);
    out.push_back(std::move(*r));
  }
  return Value::MakeList(std::move(out));
}

}  // namespace

const std::vector<FunctionDef>& StringFunctionDefs() {
  static const std::vector<FunctionDef> defs = {
      {"endswith", 2, 2, UnknownRule::kAnyUnknown, false, EndsWithFn},
      {"formatlist", 1, kVariadic, UnknownRule::kAnyUnknown, false, FormatListFn},
      {"lower", 1, 1, UnknownRule::kAnyUnknown, false, LowerFn},
      {"regex", 2, 2, UnknownRule::kAnyUnknown, false, RegexFn},
      {"regexall", 2, 2, UnknownRule::kAnyUnknown, false, RegexAllFn},
      {"replace", 3, 3, UnknownRule::kAnyUnknown, false, ReplaceFn},
      {"startswith", 2, 2, UnknownRule::kAnyUnknown, false, StartsWithFn},
      {"strrev", 1, 1, UnknownRule::kAnyUnknown, false, StrRevFn},
      {"substr", 3, 3, UnknownRule::kAnyUnknown, false, SubstrFn},
      {"title", 1, 1, UnknownRule::kAnyUnknown, false, TitleFn},
      {"trim", 2, 2, UnknownRule::kAnyUnknown, false, TrimFn},
      {"trimprefix", 2, 2, UnknownRule::kAnyUnknown, false, TrimPrefixFn},
      {"trimspace", 1, 1, UnknownRule::kAnyUnknown, false, TrimSpaceFn},
      {"trimsuffix", 2, 2, UnknownRule::kAnyUnknown, false, TrimSuffixFn},
      {"upper", 1, 1, UnknownRule::kAnyUnknown, false, UpperFn},
  };
  return defs;
}

}  // namespace infra::engine

// Collection and number functions with Terraform's semantics: index,
// contains, coalesce, coalescelist, range, toset, tolist, tomap, flatten,
// distinct, sort, reverse, slice, zipmap, compact, chunklist, setunion,
// setintersection, setsubtract, alltrue, anytrue, one, sum, min, max, abs,
// ceil, floor, pow, parseint. Sets are lists without duplicates, sorted.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "engine/lang/expr_function_kit.h"

namespace infra::engine {
namespace {

bool Contains(const Value::List& l, const Value& v) {
  for (const auto& e : l)
    if (e == v) return true;
  return false;
}

// Distinct elements, sorted (numbers numerically, everything else as text).
Value::List AsSet(Value::List items) {
  std::stable_sort(items.begin(), items.end(), ValueLess);
  Value::List out;
  for (auto& e : items)
    if (out.empty() || !(out.back() == e)) out.push_back(std::move(e));
  return out;
}

Result<Value> IndexFn(const Fn& f) {
  auto l = f.List(0);
  if (!l) return l.error();
  for (size_t i = 0; i < (*l)->size(); ++i)
    if ((**l)[i] == f.args[1]) return Value::Number(static_cast<double>(i));
  return FnError(f.name, fmt::format("the list has no element {}", f.args[1].ToDisplay()));
}

Result<Value> ContainsFn(const Fn& f) {
  auto l = f.List(0);
  if (!l) return l.error();
  return Value::Bool(Contains(**l, f.args[1]));
}

Result<Value> CoalesceFn(const Fn& f) {
  for (const auto& a : f.args) {
    if (a.is_null()) continue;
    if (a.kind() == ValueKind::kString && a.AsString().empty()) continue;
    return a;
  }
  return FnError(f.name, "no non-null, non-empty argument");
}

Result<Value> CoalesceListFn(const Fn& f) {
  for (size_t i = 0; i < f.args.size(); ++i) {
    auto l = f.List(i);
    if (!l) return l.error();
    if (!(*l)->empty()) return f.args[i];
  }
  return Value::MakeList({});
}

Result<Value> RangeFn(const Fn& f) {
  double start = 0, limit = 0, step = 1;
  std::vector<double> n;
  for (size_t i = 0; i < f.args.size(); ++i) {
    auto d = f.Num(i);
    if (!d) return d.error();
    n.push_back(*d);
  }
  if (n.size() == 1) limit = n[0];
  else start = n[0], limit = n[1];
  if (n.size() == 3) step = n[2];
  else if (limit < start) step = -1;
  if (step == 0) return FnError(f.name, "the step must not be zero");
  if ((limit - start) / step > 1024) return FnError(f.name, "more than 1024 elements");
  Value::List out;
  for (double x = start; step > 0 ? x < limit : x > limit; x += step) out.push_back(Value::Number(x));
  return Value::MakeList(std::move(out));
}

Result<Value> ToSetFn(const Fn& f) {
  auto l = f.List(0);
  if (!l) return l.error();
  return Value::MakeList(AsSet(**l));
}

Result<Value> ToListFn(const Fn& f) {
  auto l = f.List(0);
  if (!l) return l.error();
  return f.args[0];
}

Result<Value> ToMapFn(const Fn& f) {
  auto m = f.Map(0);
  if (!m) return m.error();
  return f.args[0];
}

void Flatten(const Value::List& in, Value::List* out) {
  for (const auto& e : in) {
    if (e.kind() == ValueKind::kList) Flatten(e.AsList(), out);
    else out->push_back(e);
  }
}

Result<Value> FlattenFn(const Fn& f) {
  auto l = f.List(0);
  if (!l) return l.error();
  for (const auto& e : **l)
    if (e.is_unknown()) return Value::Unknown();  // the result's length is not known
  Value::List out;
  Flatten(**l, &out);
  return Value::MakeList(std::move(out));
}

Result<Value> DistinctFn(const Fn& f) {
  auto l = f.List(0);
  if (!l) return l.error();
  Value::List out;
  for (const auto& e : **l)
    if (!Contains(out, e)) out.push_back(e);
  return Value::MakeList(std::move(out));
}

Result<Value> SortFn(const Fn& f) {
  auto l = f.List(0);
  if (!l) return l.error();
  std::vector<std::string> items;
  for (const auto& e : **l) {
    if (e.kind() == ValueKind::kList || e.kind() == ValueKind::kMap || e.is_null())
      return FnError(f.name, fmt::format("the list must hold strings, not a {}", e.KindName()));
    items.push_back(e.ToInterpolated());
  }
  std::sort(items.begin(), items.end());
  Value::List out;
  for (auto& s : items) out.push_back(Value::String(std::move(s)));
  return Value::MakeList(std::move(out));
}

Result<Value> ReverseFn(const Fn& f) {
  auto l = f.List(0);
  if (!l) return l.error();
  return Value::MakeList(Value::List((*l)->rbegin(), (*l)->rend()));
}

Result<Value> SliceFn(const Fn& f) {
  auto l = f.List(0);
  if (!l) return l.error();
  auto b = f.Int(1);
  if (!b) return b.error();
  auto e = f.Int(2);
  if (!e) return e.error();
  long long n = static_cast<long long>((*l)->size());
  if (*b < 0 || *e > n || *b > *e)
    return FnError(f.name, fmt::format("start {} and end {} must satisfy 0 <= start <= end <= {}", *b, *e, n));
  return Value::MakeList(Value::List((*l)->begin() + *b, (*l)->begin() + *e));
}

Result<Value> ZipMapFn(const Fn& f) {
  auto k = f.List(0);
  if (!k) return k.error();
  auto v = f.List(1);
  if (!v) return v.error();
  if ((*k)->size() != (*v)->size())
    return FnError(f.name, fmt::format("{} keys but {} values", (*k)->size(), (*v)->size()));
  Value::Map out;
  for (size_t i = 0; i < (*k)->size(); ++i) {
    const Value& key = (**k)[i];
    if (key.is_unknown()) return Value::Unknown();
    if (key.kind() == ValueKind::kList || key.kind() == ValueKind::kMap || key.is_null())
      return FnError(f.name, fmt::format("keys must be strings, not {}", key.KindName()));
    out.insert_or_assign(key.ToInterpolated(), (**v)[i]);
  }
  return Value::MakeMap(std::move(out));
}

Result<Value> CompactFn(const Fn& f) {
  auto l = f.List(0);
  if (!l) return l.error();
  Value::List out;
  for (const auto& e : **l) {
    if (e.is_unknown()) return Value::Unknown();
    if (e.is_null() || (e.kind() == ValueKind::kString && e.AsString().empty())) continue;
    out.push_back(e);
  }
  return Value::MakeList(std::move(out));
}

Result<Value> ChunkListFn(const Fn& f) {
  auto l = f.List(0);
  if (!l) return l.error();
  auto n = f.Int(1);
  if (!n) return n.error();
  if (*n < 0) return FnError(f.name, "the size must not be negative");
  Value::List out;
  if (*n == 0) {
    out.push_back(f.args[0]);
    return Value::MakeList(std::move(out));
  }
  for (size_t i = 0; i < (*l)->size(); i += static_cast<size_t>(*n)) {
    size_t e = std::min((*l)->size(), i + static_cast<size_t>(*n));
    out.push_back(Value::MakeList(Value::List((*l)->begin() + i, (*l)->begin() + e)));
  }
  return Value::MakeList(std::move(out));
}

enum class SetOp { kUnion, kIntersection, kSubtract };

Result<Value> SetFn(const Fn& f, SetOp op) {
  std::vector<const Value::List*> sets;
  for (size_t i = 0; i < f.args.size(); ++i) {
    auto l = f.List(i);
    if (!l) return l.error();
    sets.push_back(*l);
  }
  Value::List out;
  if (op == SetOp::kUnion) {
    for (const auto* s : sets) out.insert(out.end(), s->begin(), s->end());
  } else {
    for (const auto& e : *sets[0]) {
      bool keep = true;
      for (size_t i = 1; i < sets.size(); ++i) keep = keep && (Contains(*sets[i], e) == (op == SetOp::kIntersection));
      if (keep) out.push_back(e);
    }
  }
  return Value::MakeList(AsSet(std::move(out)));
}
Result<Value> SetUnionFn(const Fn& f) { return SetFn(f, SetOp::kUnion); }
Result<Value> SetIntersectionFn(const Fn& f) { return SetFn(f, SetOp::kIntersection); }
Result<Value> SetSubtractFn(const Fn& f) { return SetFn(f, SetOp::kSubtract); }

Result<Value> AllAnyTrue(const Fn& f, bool all) {
  auto l = f.List(0);
  if (!l) return l.error();
  for (size_t i = 0; i < (*l)->size(); ++i) {
    Fn item{f.name, **l, f.context};
    auto b = item.Bool(i);
    if (!b) return b.error();
    if (*b != all) return Value::Bool(!all);
  }
  return Value::Bool(all);
}
Result<Value> AllTrueFn(const Fn& f) { return AllAnyTrue(f, true); }
Result<Value> AnyTrueFn(const Fn& f) { return AllAnyTrue(f, false); }

Result<Value> OneFn(const Fn& f) {
  auto l = f.List(0);
  if (!l) return l.error();
  if ((*l)->empty()) return Value::Null();
  if ((*l)->size() > 1) return FnError(f.name, fmt::format("the list must have at most one element, not {}", (*l)->size()));
  return (**l)[0];
}

Result<Value> SumFn(const Fn& f) {
  auto l = f.List(0);
  if (!l) return l.error();
  if ((*l)->empty()) return FnError(f.name, "cannot sum an empty list");
  Fn items{f.name, **l, f.context};
  double total = 0;
  for (size_t i = 0; i < (*l)->size(); ++i) {
    auto d = items.Num(i);
    if (!d) return d.error();
    total += *d;
  }
  return Value::Number(total);
}

Result<Value> MinMax(const Fn& f, bool max) {
  if (f.args.empty()) return FnError(f.name, "at least one number is required");
  double best = 0;
  for (size_t i = 0; i < f.args.size(); ++i) {
    auto d = f.Num(i);
    if (!d) return d.error();
    if (i == 0 || (max ? *d > best : *d < best)) best = *d;
  }
  return Value::Number(best);
}
Result<Value> MinFn(const Fn& f) { return MinMax(f, false); }
Result<Value> MaxFn(const Fn& f) { return MinMax(f, true); }

template <double (*Op)(double)>
Result<Value> Unary(const Fn& f) {
  auto d = f.Num(0);
  if (!d) return d.error();
  return Value::Number(Op(*d));
}
double Abs(double d) { return std::fabs(d); }
double Ceil(double d) { return std::ceil(d); }
double Floor(double d) { return std::floor(d); }

Result<Value> PowFn(const Fn& f) {
  auto a = f.Num(0);
  if (!a) return a.error();
  auto b = f.Num(1);
  if (!b) return b.error();
  double r = std::pow(*a, *b);
  if (!std::isfinite(r)) return FnError(f.name, "the result is not a finite number");
  return Value::Number(r);
}

Result<Value> ParseIntFn(const Fn& f) {
  auto s = f.Str(0);
  if (!s) return s.error();
  auto base = f.Int(1);
  if (!base) return base.error();
  if (*base < 2 || *base > 62) return FnError(f.name, "the base must be 2 to 62");
  std::string_view t = *s;
  bool neg = !t.empty() && t[0] == '-';
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) t.remove_prefix(1);
  if (t.empty()) return FnError(f.name, fmt::format("cannot parse \"{}\" as a base {} integer", *s, *base));
  double n = 0;
  for (char c : t) {
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : c >= 'A' && c <= 'Z' ? c - 'A' + (*base > 36 ? 36 : 10) : 99;
    if (d >= *base) return FnError(f.name, fmt::format("cannot parse \"{}\" as a base {} integer", *s, *base));
    n = n * static_cast<double>(*base) + d;
  }
  return Value::Number(neg ? -n : n);
}

}  // namespace

const std::vector<FunctionDef>& CollectionFunctionDefs() {
  static const std::vector<FunctionDef> defs = {
      {"abs", 1, 1, UnknownRule::kAnyUnknown, false, Unary<Abs>},
      {"alltrue", 1, 1, UnknownRule::kAnyUnknown, false, AllTrueFn},
      {"anytrue", 1, 1, UnknownRule::kAnyUnknown, false, AnyTrueFn},
      {"ceil", 1, 1, UnknownRule::kAnyUnknown, false, Unary<Ceil>},
      {"chunklist", 2, 2, UnknownRule::kShallow, false, ChunkListFn},
      {"coalesce", 1, kVariadic, UnknownRule::kAnyUnknown, true, CoalesceFn},
      {"coalescelist", 1, kVariadic, UnknownRule::kShallow, false, CoalesceListFn},
      {"compact", 1, 1, UnknownRule::kShallow, false, CompactFn},
      {"contains", 2, 2, UnknownRule::kAnyUnknown, true, ContainsFn},
      {"distinct", 1, 1, UnknownRule::kAnyUnknown, false, DistinctFn},
      {"flatten", 1, 1, UnknownRule::kShallow, false, FlattenFn},
      {"floor", 1, 1, UnknownRule::kAnyUnknown, false, Unary<Floor>},
      {"index", 2, 2, UnknownRule::kAnyUnknown, true, IndexFn},
      {"max", 1, kVariadic, UnknownRule::kAnyUnknown, false, MaxFn},
      {"min", 1, kVariadic, UnknownRule::kAnyUnknown, false, MinFn},
      {"one", 1, 1, UnknownRule::kShallow, false, OneFn},
      {"parseint", 2, 2, UnknownRule::kAnyUnknown, false, ParseIntFn},
      {"pow", 2, 2, UnknownRule::kAnyUnknown, false, PowFn},
      {"range", 1, 3, UnknownRule::kAnyUnknown, false, RangeFn},
      {"reverse", 1, 1, UnknownRule::kShallow, false, ReverseFn},
      {"setintersection", 1, kVariadic, UnknownRule::kAnyUnknown, false, SetIntersectionFn},
      {"setsubtract", 2, 2, UnknownRule::kAnyUnknown, false, SetSubtractFn},
      {"setunion", 1, kVariadic, UnknownRule::kAnyUnknown, false, SetUnionFn},
      {"slice", 3, 3, UnknownRule::kShallow, false, SliceFn},
      {"sort", 1, 1, UnknownRule::kAnyUnknown, false, SortFn},
      {"sum", 1, 1, UnknownRule::kAnyUnknown, false, SumFn},
      {"tolist", 1, 1, UnknownRule::kShallow, false, ToListFn},
      {"tomap", 1, 1, UnknownRule::kShallow, false, ToMapFn},
      {"toset", 1, 1, UnknownRule::kAnyUnknown, false, ToSetFn},
      {"zipmap", 2, 2, UnknownRule::kShallow, false, ZipMapFn},
  };
  return defs;
}

}  // namespace infra::engine

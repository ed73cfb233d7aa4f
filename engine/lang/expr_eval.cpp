// Evaluation of expression ASTs. Unknown operands give unknown results (the
// plan shows them as "(known after apply)"); sensitive marks flow to every
// value derived from a sensitive one. All errors carry file:line:col.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "engine/lang/expr.h"
#include "engine/lang/expr_functions.h"
#include "engine/lang/nearest_name.h"

namespace infra::engine {

Result<Resolved> EmptyScope::Lookup(const Traversal& ref) const {
  return MakeError(Error::Kind::kInvalid, "ExprReference",
                   fmt::format("reference to '{}' is not allowed here", ref.ToString()));
}

namespace {

Error At(const SourceLoc& loc, const char* code, const std::string& message) {
  return MakeError(Error::Kind::kInvalid, code, loc.ToString() + ": " + message);
}

Value Mark(Value v, bool sensitive) { return sensitive && !v.sensitive() ? v.WithSensitive(true) : v; }

std::string Describe(const Value& v) {
  if (v.kind() == ValueKind::kString) return fmt::format("string \"{}\"", v.sensitive() ? "(sensitive value)" : v.AsString());
  return v.KindName();
}

// Number from a number or a numeric string (Terraform converts the latter).
bool ToNumber(const Value& v, double* out) {
  if (v.kind() == ValueKind::kNumber) {
    *out = v.AsNumber();
    return true;
  }
  if (v.kind() != ValueKind::kString) return false;
  const std::string& s = v.AsString();
  if (s.empty()) return false;
  const char* b = s.data();
  if (*b == '+') ++b;
  auto [ptr, ec] = std::from_chars(b, s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(*out);
}

// Bool from a bool or the strings "true"/"false" (Terraform converts those).
bool ToBool(const Value& v, bool* out) {
  if (v.kind() == ValueKind::kBool) {
    *out = v.AsBool();
    return true;
  }
  if (v.kind() == ValueKind::kString && (v.AsString() == "true" || v.AsString() == "false")) {
    *out = v.AsString() == "true";
    return true;
  }
  return false;
}

const char* Verb(ExprOp op) {
  switch (op) {
    case ExprOp::kAdd: return "add";
    case ExprOp::kSub: return "subtract";
    case ExprOp::kMul: return "multiply";
    case ExprOp::kDiv: return "divide";
    case ExprOp::kMod: return "take the remainder of";
    case ExprOp::kNeg: return "negate";
    default: return "compare";
  }
}

const char* OpSymbol(ExprOp op) {
  switch (op) {
    case ExprOp::kAnd: return "&&";
    case ExprOp::kOr: return "||";
    case ExprOp::kNot: return "!";
    default: return "?";
  }
}

/// The names a `for` binds (its key and value), in front of the outer scope.
class BindingScope : public EvalScope {
 public:
  BindingScope(const EvalScope& outer, const std::string& key_name, const std::string& value_name)
      : outer_(outer), key_name_(key_name), value_name_(value_name) {}
  void Bind(Value key, Value value) {
    key_ = std::move(key);
    value_ = std::move(value);
  }
  Result<Resolved> Lookup(const Traversal& ref) const override {
    if (ref.root == value_name_) return Resolved{value_, 0};
    if (!key_name_.empty() && ref.root == key_name_) return Resolved{key_, 0};
    return outer_.Lookup(ref);
  }
  std::string FileRoot() const override { return outer_.FileRoot(); }

 private:
  const EvalScope& outer_;
  const std::string& key_name_;
  const std::string& value_name_;
  Value key_, value_;
};

class Evaluator {
 public:
  explicit Evaluator(const EvalScope& scope) : scope_(scope) {}

  // The main dispatch: one case per node kind.
  Result<Value> Eval(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kLiteral: return e.literal;
      case ExprKind::kTemplate: return EvalTemplate(e);
      case ExprKind::kReference: return EvalReference(e);
      case ExprKind::kIndex: return EvalIndex(e);
      case ExprKind::kGetAttr: {
        auto base = Eval(*e.operands[0]);
        if (!base) return base;
        TraversalStep step{TraversalStep::Kind::kAttr, e.name, Value(), e.loc};
        return ApplyStep(*base, step);
      }
      case ExprKind::kList: return EvalList(e);
      case ExprKind::kMap: return EvalMap(e);
      case ExprKind::kUnary: return EvalUnary(e);
      case ExprKind::kBinary: return EvalBinary(e);
      case ExprKind::kConditional: return EvalConditional(e);
      case ExprKind::kCall: return EvalCall(e);
      case ExprKind::kFor: return EvalFor(e);
      case ExprKind::kSplat: return EvalSplat(e);
    }
    return At(e.loc, "ExprType", "unknown expression kind [this is a bug]");
  }

 private:
  Result<Value> EvalTemplate(const Expr& e) {
    std::string out;
    bool unknown = false, sensitive = false;
    for (const auto& part : e.operands) {
      auto v = Eval(*part);
      if (!v) return v;
      sensitive |= v->sensitive();
      switch (v->kind()) {
        case ValueKind::kUnknown: unknown = true; break;
        case ValueKind::kNull:
          return At(part->loc, "ExprType", "cannot include a null value in a string template");
        case ValueKind::kList:
        case ValueKind::kMap:
          return At(part->loc, "ExprType",
                    fmt::format("cannot include a {} in a string template; use join() or format()", v->KindName()));
        default: out += v->ToInterpolated();
      }
    }
    return Mark(unknown ? Value::Unknown() : Value::String(std::move(out)), sensitive);
  }

  Result<Value> EvalReference(const Expr& e) {
    const Traversal& t = e.traversal;
    auto r = scope_.Lookup(t);
    if (!r) {
      Error err = r.error();
      if (err.code.empty()) err.code = "ExprReference";
      err.message = t.loc.ToString() + ": " + err.message;
      return err;
    }
    if (r->steps_used > t.steps.size())
      return At(t.loc, "ExprReference", "scope consumed more steps than the reference has [this is a bug]");
    Value v = r->value;
    for (size_t i = r->steps_used; i < t.steps.size(); ++i) {
      auto next = ApplyStep(v, t.steps[i]);
      if (!next) return next;
      v = std::move(*next);
    }
    return v;
  }

  Result<Value> EvalIndex(const Expr& e) {
    auto base = Eval(*e.operands[0]);
    if (!base) return base;
    auto key = Eval(*e.operands[1]);
    if (!key) return key;
    if (key->is_unknown()) return Mark(Value::Unknown(), base->sensitive() || key->sensitive());
    TraversalStep step{TraversalStep::Kind::kIndex, "", *key, e.operands[1]->loc};
    auto r = ApplyStep(*base, step);
    if (r && key->sensitive()) return Mark(*r, true);
    return r;
  }

  // One `.name` or `[key]` step on a value.
  Result<Value> ApplyStep(const Value& v, const TraversalStep& step) {
    const bool attr = step.kind == TraversalStep::Kind::kAttr;
    const std::string what = attr ? fmt::format("attribute \"{}\"", step.name) : "an index";
    switch (v.kind()) {
      case ValueKind::kUnknown: return v;
      case ValueKind::kNull:
        return At(step.loc, "ExprType", fmt::format("cannot access {} of a null value", what));
      case ValueKind::kMap: {
        std::string key;
        if (attr) key = step.name;
        else if (step.key.kind() == ValueKind::kString) key = step.key.AsString();
        else if (step.key.kind() == ValueKind::kNumber || step.key.kind() == ValueKind::kBool) key = step.key.ToInterpolated();
        else return At(step.loc, "ExprType", fmt::format("a map key must be a string, not {}", step.key.KindName()));
        const auto& m = v.AsMap();
        auto it = m.find(key);
        if (it == m.end()) return MissingKey(v, key, attr, step.loc);
        return Mark(it->second, v.sensitive());
      }
      case ValueKind::kList: {
        if (attr)
          return At(step.loc, "ExprType",
                    fmt::format("cannot access attribute \"{}\" of a list; use an index such as [0]", step.name));
        double n = 0;
        if (step.key.is_null() || !ToNumber(step.key, &n))
          return At(step.loc, "ExprType", fmt::format("a list index must be a number, not {}", Describe(step.key)));
        const auto& l = v.AsList();
        if (n != std::floor(n)) return At(step.loc, "ExprIndex", fmt::format("list index {} is not a whole number", n));
        if (n < 0 || n >= static_cast<double>(l.size()))
          return At(step.loc, "ExprIndex",
                    fmt::format("index {} out of range for a list of {} element{}", Value::Number(n).ToInterpolated(),
                                l.size(), l.size() == 1 ? "" : "s"));
        return Mark(l[static_cast<size_t>(n)], v.sensitive());
      }
      default:
        return At(step.loc, "ExprType", fmt::format("cannot access {} of a {}", what, v.KindName()));
    }
  }

  static Error MissingKey(const Value& m, const std::string& key, bool attr, const SourceLoc& loc) {
    std::vector<std::string> names;
    for (const auto& [k, unused] : m.AsMap()) names.push_back(k);
    std::string hint = NearestName(key, names);
    std::string msg = attr ? fmt::format("unsupported attribute \"{}\"", key) : fmt::format("map has no key \"{}\"", key);
    if (!hint.empty()) msg += fmt::format("; did you mean \"{}\"?", hint);
    return At(loc, "ExprIndex", msg);
  }

  Result<Value> EvalList(const Expr& e) {
    Value::List items;
    items.reserve(e.operands.size());
    for (const auto& o : e.operands) {
      auto v = Eval(*o);
      if (!v) return v;
      items.push_back(std::move(*v));
    }
    return Value::MakeList(std::move(items));
  }

  Result<Value> EvalMap(const Expr& e) {
    Value::Map m;
    bool unknown_key = false, sensitive_key = false;
    for (size_t i = 0; i < e.keys.size(); ++i) {
      auto k = Eval(*e.keys[i]);
      if (!k) return k;
      auto v = Eval(*e.operands[i]);
      if (!v) return v;
      sensitive_key |= k->sensitive();
      if (k->is_unknown()) {
        unknown_key = true;
        continue;
      }
      if (k->kind() != ValueKind::kString && k->kind() != ValueKind::kNumber && k->kind() != ValueKind::kBool)
        return At(e.keys[i]->loc, "ExprType", fmt::format("a map key must be a string, not {}", k->KindName()));
      std::string key = k->ToInterpolated();
      if (!m.emplace(key, std::move(*v)).second)
        return At(e.keys[i]->loc, "ExprType", fmt::format("duplicate map key \"{}\"", key));
    }
    return Mark(unknown_key ? Value::Unknown() : Value::MakeMap(std::move(m)), sensitive_key);
  }

  Result<Value> EvalUnary(const Expr& e) {
    auto v = Eval(*e.operands[0]);
    if (!v) return v;
    if (v->is_unknown()) return v;
    if (e.op == ExprOp::kNot) {
      bool b = false;
      if (!ToBool(*v, &b))
        return At(e.loc, "ExprType", fmt::format("cannot apply '!' to {}: a bool is required", Describe(*v)));
      return Mark(Value::Bool(!b), v->sensitive());
    }
    double n = 0;
    if (!ToNumber(*v, &n)) return At(e.loc, "ExprType", fmt::format("cannot negate {}: a number is required", Describe(*v)));
    return Mark(Value::Number(-n), v->sensitive());
  }

  Result<Value> EvalLogic(const Expr& e) {
    const bool is_and = e.op == ExprOp::kAnd;
    auto l = Eval(*e.operands[0]);
    if (!l) return l;
    bool lb = false;
    if (!l->is_unknown() && !ToBool(*l, &lb))
      return At(e.operands[0]->loc, "ExprType",
                fmt::format("the left operand of '{}' must be a bool, not {}", OpSymbol(e.op), Describe(*l)));
    // Short-circuit: a known left side that decides skips the right side.
    if (!l->is_unknown() && lb != is_and) return Mark(Value::Bool(lb), l->sensitive());
    auto r = Eval(*e.operands[1]);
    if (!r) return r;
    bool rb = false;
    if (!r->is_unknown() && !ToBool(*r, &rb))
      return At(e.operands[1]->loc, "ExprType",
                fmt::format("the right operand of '{}' must be a bool, not {}", OpSymbol(e.op), Describe(*r)));
    const bool sensitive = l->sensitive() || r->sensitive();
    if (!r->is_unknown() && rb != is_and) return Mark(Value::Bool(rb), sensitive);  // unknown && false == false
    if (l->is_unknown() || r->is_unknown()) return Mark(Value::Unknown(), sensitive);
    return Mark(Value::Bool(rb), sensitive);
  }

  Result<Value> EvalBinary(const Expr& e) {
    if (e.op == ExprOp::kAnd || e.op == ExprOp::kOr) return EvalLogic(e);
    auto l = Eval(*e.operands[0]);
    if (!l) return l;
    auto r = Eval(*e.operands[1]);
    if (!r) return r;
    const bool sensitive = ContainsSensitive(*l) || ContainsSensitive(*r);
    if (e.op == ExprOp::kEq || e.op == ExprOp::kNe) {
      if (!l->is_wholly_known() || !r->is_wholly_known()) return Mark(Value::Unknown(), sensitive);
      bool eq = *l == *r;
      return Mark(Value::Bool(e.op == ExprOp::kEq ? eq : !eq), sensitive);
    }
    double a = 0, b = 0;
    const bool la = l->is_unknown() || ToNumber(*l, &a);
    const bool rb = r->is_unknown() || ToNumber(*r, &b);
    if (!la || !rb) {
      std::string msg = fmt::format("cannot {} {} and {}", Verb(e.op), l->KindName(), r->KindName());
      const Value& bad = !la ? *l : *r;
      if (bad.kind() == ValueKind::kString) msg += fmt::format(": {} is not a number", Describe(bad).substr(7));
      return At(e.loc, "ExprType", msg);
    }
    if (l->is_unknown() || r->is_unknown()) return Mark(Value::Unknown(), sensitive);
    return Arithmetic(e, a, b, sensitive);
  }

  Result<Value> Arithmetic(const Expr& e, double a, double b, bool sensitive) {
    Value out;
    switch (e.op) {
      case ExprOp::kAdd: out = Value::Number(a + b); break;
      case ExprOp::kSub: out = Value::Number(a - b); break;
      case ExprOp::kMul: out = Value::Number(a * b); break;
      case ExprOp::kDiv:
        if (b == 0) return At(e.operands[1]->loc, "ExprType", "division by zero");
        out = Value::Number(a / b);
        break;
      case ExprOp::kMod:
        if (b == 0) return At(e.operands[1]->loc, "ExprType", "modulo by zero");
        out = Value::Number(std::fmod(a, b));
        break;
      case ExprOp::kLt: out = Value::Bool(a < b); break;
      case ExprOp::kLe: out = Value::Bool(a <= b); break;
      case ExprOp::kGt: out = Value::Bool(a > b); break;
      case ExprOp::kGe: out = Value::Bool(a >= b); break;
      default: return At(e.loc, "ExprType", "unknown operator [this is a bug]");
    }
    if (out.kind() == ValueKind::kNumber && !std::isfinite(out.AsNumber()))
      return At(e.loc, "ExprType", "arithmetic overflow");
    return Mark(out, sensitive);
  }

  Result<Value> EvalConditional(const Expr& e) {
    auto c = Eval(*e.operands[0]);
    if (!c) return c;
    if (c->is_unknown()) {  // still evaluate both branches so their errors surface
      auto a = Eval(*e.operands[1]);
      if (!a) return a;
      auto b = Eval(*e.operands[2]);
      if (!b) return b;
      return Mark(Value::Unknown(), c->sensitive() || ContainsSensitive(*a) || ContainsSensitive(*b));
    }
    bool cond = false;
    if (!ToBool(*c, &cond))
      return At(e.operands[0]->loc, "ExprType",
                fmt::format("the condition of '? :' must be a bool, not {}", Describe(*c)));
    auto v = Eval(*e.operands[cond ? 1 : 2]);
    if (!v) return v;
    return Mark(*v, c->sensitive());
  }

  // x[*].a.b: the steps applied to every element of a list; a single
  // non-list value is treated as a one-element list and null as an empty one.
  Result<Value> EvalSplat(const Expr& e) {
    auto base = Eval(*e.operands[0]);
    if (!base) return base;
    if (base->is_unknown()) return *base;
    if (base->is_null()) return Value::MakeList({});
    Value::List in = base->kind() == ValueKind::kList ? base->AsList() : Value::List{base->WithSensitive(false)};
    Value::List out;
    out.reserve(in.size());
    for (const auto& item : in) {
      Value v = item;
      for (const auto& step : e.splat_steps) {
        auto next = ApplyStep(v, step);
        if (!next) return next;
        v = std::move(*next);
      }
      out.push_back(std::move(v));
    }
    return Mark(Value::MakeList(std::move(out)), base->sensitive());
  }

  // for expressions and %{for}: the one loop over a collection's elements.
  Result<Value> EvalFor(const Expr& e) {
    auto coll = Eval(*e.operands[0]);
    if (!coll) return coll;
    const bool sensitive = coll->sensitive();
    if (coll->is_unknown()) return Mark(Value::Unknown(), sensitive);
    if (coll->kind() != ValueKind::kList && coll->kind() != ValueKind::kMap)
      return At(e.operands[0]->loc, "ExprType",
                fmt::format("a 'for' iterates over a list or a map, not {}", Describe(*coll)));
    BindingScope bound(scope_, e.for_key_var, e.for_value_var);
    Evaluator inner(bound);
    Value::List list;
    std::map<std::string, Value> map;
    std::map<std::string, Value::List> groups;
    std::string text;
    bool unknown = false;
    auto visit = [&](Value key, const Value& value) -> Result<bool> {
      bound.Bind(std::move(key), Mark(value, sensitive));
      if (e.for_cond) {
        auto c = inner.Eval(*e.for_cond);
        if (!c) return c.error();
        if (c->is_unknown()) return unknown = true;
        bool keep = false;
        if (!ToBool(*c, &keep))
          return At(e.for_cond->loc, "ExprType", fmt::format("the 'if' of a 'for' must be a bool, not {}", Describe(*c)));
        if (!keep) return true;
      }
      auto v = inner.Eval(*e.operands[1]);
      if (!v) return v.error();
      if (e.for_form == ForForm::kList) {
        list.push_back(std::move(*v));
      } else if (e.for_form == ForForm::kTemplate) {
        if (v->is_unknown()) return unknown = true;
        text += v->ToInterpolated();  // the body is a string template
      } else {
        auto k = inner.Eval(*e.for_key);
        if (!k) return k.error();
        if (k->is_unknown()) return unknown = true;
        if (k->kind() != ValueKind::kString && k->kind() != ValueKind::kNumber && k->kind() != ValueKind::kBool)
          return At(e.for_key->loc, "ExprType", fmt::format("a map key must be a string, not {}", k->KindName()));
        std::string ks = k->ToInterpolated();
        if (e.for_group) {
          groups[ks].push_back(std::move(*v));
        } else if (!map.emplace(ks, std::move(*v)).second) {
          return At(e.for_key->loc, "ExprType",
                    fmt::format("duplicate key \"{}\" in a 'for' expression; add '...' after the value to group "
                                "the values of equal keys into lists",
                                ks));
        }
      }
      return true;
    };
    if (coll->kind() == ValueKind::kList) {
      const auto& l = coll->AsList();
      for (size_t i = 0; i < l.size() && !unknown; ++i) {
        auto r = visit(Value::Number(static_cast<double>(i)), l[i]);
        if (!r) return r.error();
      }
    } else {
      for (const auto& [k, v] : coll->AsMap()) {
        if (unknown) break;
        auto r = visit(Value::String(k), v);
        if (!r) return r.error();
      }
    }
    if (unknown) return Mark(Value::Unknown(), sensitive);
    switch (e.for_form) {
      case ForForm::kList: return Mark(Value::MakeList(std::move(list)), sensitive);
      case ForForm::kTemplate: return Mark(Value::String(std::move(text)), sensitive);
      case ForForm::kMap:
        for (auto& [k, items] : groups) map.emplace(k, Value::MakeList(std::move(items)));
        return Mark(Value::MakeMap(std::move(map)), sensitive);
    }
    return At(e.loc, "ExprType", "unknown 'for' form [this is a bug]");
  }

  // try(a, b, ...) and can(x) see their arguments' errors, so they are
  // evaluated here, lazily, not as ordinary functions.
  Result<Value> EvalTryCan(const Expr& e) {
    const bool is_try = e.name == "try";
    if (e.operands.empty() || (!is_try && e.operands.size() != 1))
      return At(e.loc, "ExprFunction", fmt::format("{}(): expects {}, got {}", e.name, is_try ? "at least 1 argument" : "1 argument",
                                                   e.operands.size()));
    std::string last;
    for (const auto& o : e.operands) {
      auto v = Eval(*o);
      if (v) {
        if (!v->is_wholly_known()) return Mark(Value::Unknown(), ContainsSensitive(*v));
        return is_try ? *v : Value::Bool(true);
      }
      last = v.error().message;
    }
    if (!is_try) return Value::Bool(false);
    return At(e.loc, "ExprFunction", fmt::format("try(): no argument could be evaluated; the last one failed: {}", last));
  }

  Result<Value> EvalCall(const Expr& e) {
    if (e.name == "try" || e.name == "can") return EvalTryCan(e);
    std::vector<Value> args;
    args.reserve(e.operands.size());
    const auto& names = FunctionNames();
    if (!std::binary_search(names.begin(), names.end(), e.name)) {
      auto r = CallFunction(e.name, args);  // produces the "did you mean" error
      return At(e.loc, "ExprFunction", r ? "unknown function [this is a bug]" : r.error().message);
    }
    for (const auto& o : e.operands) {
      auto v = Eval(*o);
      if (!v) return v;
      args.push_back(std::move(*v));
    }
    auto r = CallFunction(e.name, args, CallContext{e.loc.file, scope_.FileRoot()});
    if (!r) {
      Error err = r.error();
      err.message = e.loc.ToString() + ": " + err.message;
      return err;
    }
    return r;
  }

  const EvalScope& scope_;
};

}  // namespace

Result<Value> Evaluate(const Expr& expr, const EvalScope& scope) { return Evaluator(scope).Eval(expr); }

}  // namespace infra::engine

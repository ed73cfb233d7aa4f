// AST helpers shared by parser and evaluator: rendering, constness and
// reference collection. The parser lives in expr_parser.cpp, evaluation in
// expr_eval.cpp.
#include "engine/lang/expr.h"

#include <nlohmann/json.hpp>

namespace infra::engine {

namespace {

// JSON string quoting that never throws: invalid UTF-8 becomes U+FFFD.
std::string Quote(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string RenderKey(const Value& key) {
  if (key.kind() == ValueKind::kString) return Quote(key.AsString());
  return key.ToInterpolated();
}

const char* OpText(ExprOp op) {
  switch (op) {
    case ExprOp::kNot: return "!";
    case ExprOp::kNeg: return "-";
    case ExprOp::kMul: return "*";
    case ExprOp::kDiv: return "/";
    case ExprOp::kMod: return "%";
    case ExprOp::kAdd: return "+";
    case ExprOp::kSub: return "-";
    case ExprOp::kLt: return "<";
    case ExprOp::kLe: return "<=";
    case ExprOp::kGt: return ">";
    case ExprOp::kGe: return ">=";
    case ExprOp::kEq: return "==";
    case ExprOp::kNe: return "!=";
    case ExprOp::kAnd: return "&&";
    case ExprOp::kOr: return "||";
    case ExprOp::kNone: break;
  }
  return "?";
}

// Escapes a literal template fragment: JSON-quoted body with `${` doubled.
std::string EscapeTemplateText(const std::string& s) {
  std::string quoted = Quote(s);
  std::string body = quoted.substr(1, quoted.size() - 2);
  std::string out;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '$' && i + 1 < body.size() && body[i + 1] == '{') out += '$';
    out += body[i];
  }
  return out;
}

std::string Join(const std::vector<ExprPtr>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i]->ToString();
  return out;
}

bool IsBound(const std::vector<std::string>& bound, const std::string& name) {
  for (const auto& b : bound)
    if (b == name) return true;
  return false;
}

void Collect(const Expr& e, std::vector<std::string>& bound, std::vector<Traversal>* out) {
  if (e.kind == ExprKind::kReference && !IsBound(bound, e.traversal.root)) out->push_back(e.traversal);
  if (e.kind == ExprKind::kMap) {  // keys and values interleaved: source order
    for (size_t i = 0; i < e.keys.size(); ++i) {
      Collect(*e.keys[i], bound, out);
      Collect(*e.operands[i], bound, out);
    }
    return;
  }
  if (e.kind == ExprKind::kFor) {
    Collect(*e.operands[0], bound, out);
    size_t before = bound.size();
    if (!e.for_key_var.empty()) bound.push_back(e.for_key_var);
    bound.push_back(e.for_value_var);
    if (e.for_key) Collect(*e.for_key, bound, out);
    Collect(*e.operands[1], bound, out);
    if (e.for_cond) Collect(*e.for_cond, bound, out);
    bound.resize(before);
    return;
  }
  if (e.kind == ExprKind::kSplat && e.operands[0]->kind == ExprKind::kReference &&
      !IsBound(bound, e.operands[0]->traversal.root)) {
    Traversal t = e.operands[0]->traversal;  // x[*].id: the id of every element
    if (!e.splat_steps.empty() && e.splat_steps[0].kind == TraversalStep::Kind::kAttr) t.steps.push_back(e.splat_steps[0]);
    out->push_back(std::move(t));
    return;
  }
  for (const auto& o : e.operands) Collect(*o, bound, out);
}

std::string StepsText(const std::vector<TraversalStep>& steps) {
  std::string out;
  for (const auto& s : steps) out += s.kind == TraversalStep::Kind::kAttr ? "." + s.name : "[" + RenderKey(s.key) + "]";
  return out;
}

}  // namespace

std::string Traversal::ToString() const {
  return root + StepsText(steps);
}

Traversal Traversal::DropRoot() const {
  Traversal out;
  out.root = steps.empty() ? "" : steps[0].name;
  out.loc = steps.empty() ? loc : steps[0].loc;
  if (!steps.empty()) out.steps.assign(steps.begin() + 1, steps.end());
  return out;
}

std::string Traversal::FirstAttr() const {
  if (steps.empty() || steps[0].kind != TraversalStep::Kind::kAttr) return "";
  return steps[0].name;
}

bool Expr::IsConstant() const {
  if (kind == ExprKind::kReference || kind == ExprKind::kCall) return false;
  for (const auto& k : keys)
    if (!k->IsConstant()) return false;
  for (const auto& o : operands)
    if (!o->IsConstant()) return false;
  if (kind == ExprKind::kFor) return false;  // its body refers to the names it binds
  return true;
}

std::string Expr::ToString() const {
  switch (kind) {
    case ExprKind::kLiteral:
      return literal.kind() == ValueKind::kString ? "\"" + EscapeTemplateText(literal.AsString()) + "\""
                                                  : literal.ToInterpolated();
    case ExprKind::kTemplate: {
      std::string out = "\"";
      for (const auto& part : operands) {
        if (part->kind == ExprKind::kLiteral && part->literal.kind() == ValueKind::kString)
          out += EscapeTemplateText(part->literal.AsString());
        else
          out += "${" + part->ToString() + "}";
      }
      return out + "\"";
    }
    case ExprKind::kReference: return traversal.ToString();
    case ExprKind::kIndex: return operands[0]->ToString() + "[" + operands[1]->ToString() + "]";
    case ExprKind::kGetAttr: return operands[0]->ToString() + "." + name;
    case ExprKind::kList: return "[" + Join(operands) + "]";
    case ExprKind::kMap: {
      std::string out = "{";
      for (size_t i = 0; i < keys.size(); ++i)
        out += (i ? ", " : "") + keys[i]->ToString() + " = " + operands[i]->ToString();
      return out + "}";
    }
    case ExprKind::kUnary: return OpText(op) + operands[0]->ToString();
    case ExprKind::kBinary:
      return "(" + operands[0]->ToString() + " " + OpText(op) + " " + operands[1]->ToString() + ")";
    case ExprKind::kConditional:
      return "(" + operands[0]->ToString() + " ? " + operands[1]->ToString() + " : " + operands[2]->ToString() + ")";
    case ExprKind::kCall: return name + "(" + Join(operands) + ")";
    case ExprKind::kSplat: return operands[0]->ToString() + "[*]" + StepsText(splat_steps);
    case ExprKind::kFor: {
      std::string vars = (for_key_var.empty() ? "" : for_key_var + ", ") + for_value_var;
      std::string head = "for " + vars + " in " + operands[0]->ToString() + " : ";
      std::string cond = for_cond ? " if " + for_cond->ToString() : "";
      if (for_form == ForForm::kList) return "[" + head + operands[1]->ToString() + cond + "]";
      if (for_form == ForForm::kMap)
        return "{" + head + for_key->ToString() + " => " + operands[1]->ToString() + (for_group ? "..." : "") + cond + "}";
      return "%{" + head.substr(0, head.size() - 3) + "}" + operands[1]->ToString() + "%{endfor}";
    }
  }
  return "?";
}

std::vector<Traversal> CollectReferences(const Expr& expr) {
  std::vector<Traversal> out;
  std::vector<std::string> bound;
  Collect(expr, bound, &out);
  return out;
}

}  // namespace infra::engine

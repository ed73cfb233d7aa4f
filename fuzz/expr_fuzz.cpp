// Fuzz target: the expression parser and evaluator. The input is parsed as
// a template (a YAML scalar with ${...}) and as a bare expression; what
// parses is rendered, its references collected and evaluated in a scope
// with a few typed variables (string, number, bool, list, map, unknown,
// sensitive). No file access (FileRoot is empty).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/lang/expr.h"

namespace {
using infra::Result;
using namespace infra::engine;

class FuzzScope : public EvalScope {
 public:
  Result<Resolved> Lookup(const Traversal& ref) const override {
    if (ref.root == "count") return Resolved{Value::Number(2), 1};
    if (ref.root == "each") return Resolved{Value::String("k"), 1};
    if (ref.root == "region") return Resolved{Value::String("eu-west-1"), 0};
    if (ref.root != "var" || ref.steps.empty()) return infra::MakeError(infra::Error::Kind::kInvalid, "ExprReference", "undefined");
    const std::string& n = ref.steps[0].name;
    Value v;
    if (n == "s") v = Value::String("a,b,c");
    else if (n == "n") v = Value::Number(3);
    else if (n == "b") v = Value::Bool(true);
    else if (n == "l") v = Value::MakeList({Value::String("x"), Value::Number(1), Value::Null()});
    else if (n == "m") v = Value::MakeMap({{"a", Value::String("1")}, {"b", Value::MakeList({Value::Number(2)})}});
    else if (n == "u") v = Value::Unknown();
    else if (n == "secret") v = Value::String("hunter2").WithSensitive();
    else return infra::MakeError(infra::Error::Kind::kInvalid, "ExprReference", "undefined variable");
    return Resolved{v, 1};
  }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  SourceLoc loc{"stack.yaml", 1, 1};
  FuzzScope scope;
  for (int mode = 0; mode < 2; ++mode) {
    auto expr = mode == 0 ? ParseTemplate(text, loc) : ParseExpression(text, loc);
    if (!expr.ok()) continue;
    (void)(*expr)->ToString();
    (void)(*expr)->IsConstant();
    for (const auto& t : CollectReferences(**expr)) (void)t.ToString();
    auto v = Evaluate(**expr, scope);
    if (v.ok()) (void)v->ToJson().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return 0;
}

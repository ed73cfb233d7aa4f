// Evaluator tests: operators, references through a scripted scope, unknown
// propagation, sensitive marks and error messages with locations.
#include <gtest/gtest.h>

#include "engine/lang/expr.h"

namespace infra::engine {
namespace {

// A scope like the stack expander's: var.*, each.*, count.index, region,
// module.<m>.<out>, and resources by local name.
class TestScope : public EvalScope {
 public:
  std::map<std::string, Value> vars;
  std::map<std::string, Value> resources;  // name -> map of attributes
  std::map<std::string, Value> modules;    // name -> map of outputs

  Result<Resolved> Lookup(const Traversal& ref) const override {
    const std::string attr = ref.FirstAttr();
    if (ref.root == "region") return Resolved{Value::String("eu-west-1"), 0};
    if (ref.root == "var") {
      auto it = vars.find(attr);
      if (it == vars.end()) return MakeError(Error::Kind::kInvalid, "", "undefined variable '" + attr + "'");
      return Resolved{it->second, 1};
    }
    if (ref.root == "each" && attr == "key") return Resolved{Value::String("a"), 1};
    if (ref.root == "each" && attr == "value") return Resolved{Value::Number(10), 1};
    if (ref.root == "count" && attr == "index") return Resolved{Value::Number(2), 1};
    if (ref.root == "module") {
      auto it = modules.find(attr);
      if (it == modules.end()) return MakeError(Error::Kind::kInvalid, "UndefinedModule", "no module '" + attr + "'");
      if (ref.steps.size() < 2) return Resolved{it->second, 1};
      const std::string& out = ref.steps[1].name;
      auto o = it->second.AsMap().find(out);
      if (o == it->second.AsMap().end()) return MakeError(Error::Kind::kInvalid, "", "module has no output '" + out + "'");
      return Resolved{o->second, 2};
    }
    auto it = resources.find(ref.root);
    if (it == resources.end()) return MakeError(Error::Kind::kInvalid, "", "undefined resource '" + ref.root + "'");
    return Resolved{it->second, 0};
  }
};

class ExprEval : public ::testing::Test {
 protected:
  void SetUp() override {
    scope_.vars["name"] = Value::String("web");
    scope_.vars["n"] = Value::Number(3);
    scope_.vars["on"] = Value::Bool(true);
    scope_.vars["off"] = Value::Bool(false);
    scope_.vars["azs"] = Value::MakeList({Value::String("a"), Value::String("b")});
    scope_.vars["tags"] = Value::MakeMap({{"env", Value::String("prod")}, {"team", Value::String("infra")}});
    scope_.vars["password"] = Value::String("hunter2").WithSensitive();
    scope_.vars["unknown"] = Value::Unknown();
    scope_.vars["nothing"] = Value::Null();
    scope_.resources["vpc"] = Value::MakeMap({{"id", Value::Unknown()}, {"cidr_block", Value::String("10.0.0.0/16")}});
    scope_.modules["net"] = Value::MakeMap({{"vpc_id", Value::String("vpc-123")}});
  }

  Result<Value> Eval(std::string_view tpl) {
    auto e = ParseTemplate(tpl, SourceLoc{"s.yaml", 1, 1});
    if (!e) return e.error();
    return Evaluate(**e, scope_);
  }
  Value Ok(std::string_view tpl) {
    auto v = Eval(tpl);
    EXPECT_TRUE(v) << tpl << ": " << v.error().message;
    return v ? *v : Value::String("<error>");
  }
  std::string Err(std::string_view tpl) {
    auto v = Eval(tpl);
    EXPECT_FALSE(v) << tpl;
    return v ? "<no error>" : v.error().message;
  }

  TestScope scope_;
};

TEST_F(ExprEval, LiteralsAndTemplates) {
  EXPECT_EQ(Ok("plain"), Value::String("plain"));
  EXPECT_EQ(Ok("${42}"), Value::Number(42));
  EXPECT_EQ(Ok("${var.n}"), Value::Number(3));  // single interpolation keeps the type
  EXPECT_EQ(Ok("n=${var.n}"), Value::String("n=3"));
  EXPECT_EQ(Ok("${var.name}-${region}-${var.on}"), Value::String("web-eu-west-1-true"));
  EXPECT_EQ(Ok("${1.5}x"), Value::String("1.5x"));
  EXPECT_EQ(Ok("${[1, \"a\"]}"), Value::MakeList({Value::Number(1), Value::String("a")}));
  EXPECT_EQ(Ok("${{a = 1, \"b\": var.name}}"), Value::MakeMap({{"a", Value::Number(1)}, {"b", Value::String("web")}}));
  EXPECT_EQ(Ok("${{1 = \"x\"}}"), Value::MakeMap({{"1", Value::String("x")}}));
  EXPECT_EQ(Ok("${null}"), Value::Null());
}

TEST_F(ExprEval, Arithmetic) {
  EXPECT_EQ(Ok("${1 + 2 * 3}"), Value::Number(7));
  EXPECT_EQ(Ok("${(1 + 2) * 3}"), Value::Number(9));
  EXPECT_EQ(Ok("${7 / 2}"), Value::Number(3.5));
  EXPECT_EQ(Ok("${7 % 3}"), Value::Number(1));
  EXPECT_EQ(Ok("${-7 % 3}"), Value::Number(-1));
  EXPECT_EQ(Ok("${-var.n}"), Value::Number(-3));
  EXPECT_EQ(Ok("${count.index-1}"), Value::Number(1));
  EXPECT_EQ(Ok("${\"5\" + 1}"), Value::Number(6));  // numeric strings convert, as in Terraform
}

TEST_F(ExprEval, ComparisonAndLogic) {
  EXPECT_EQ(Ok("${1 < 2}"), Value::Bool(true));
  EXPECT_EQ(Ok("${2 <= 2}"), Value::Bool(true));
  EXPECT_EQ(Ok("${3 > 4}"), Value::Bool(false));
  EXPECT_EQ(Ok("${3 >= 4}"), Value::Bool(false));
  EXPECT_EQ(Ok("${var.name == \"web\"}"), Value::Bool(true));
  EXPECT_EQ(Ok("${var.name != \"web\"}"), Value::Bool(false));
  EXPECT_EQ(Ok("${1 == \"1\"}"), Value::Bool(false));  // different types are never equal
  EXPECT_EQ(Ok("${[1, 2] == [1, 2]}"), Value::Bool(true));
  EXPECT_EQ(Ok("${null == var.nothing}"), Value::Bool(true));
  EXPECT_EQ(Ok("${var.on && !var.off}"), Value::Bool(true));
  EXPECT_EQ(Ok("${var.off || var.on}"), Value::Bool(true));
  EXPECT_EQ(Ok("${var.off && var.on}"), Value::Bool(false));
  EXPECT_EQ(Ok("${!true}"), Value::Bool(false));
  // Short-circuit: the right side is not evaluated when the left decides.
  EXPECT_EQ(Ok("${var.off && var.missing}"), Value::Bool(false));
  EXPECT_EQ(Ok("${var.on || var.missing}"), Value::Bool(true));
}

TEST_F(ExprEval, Conditional) {
  EXPECT_EQ(Ok("${var.on ? 2 : 0}"), Value::Number(2));
  EXPECT_EQ(Ok("${var.off ? 2 : 0}"), Value::Number(0));
  EXPECT_EQ(Ok("${var.off ? null : vpc.cidr_block}"), Value::String("10.0.0.0/16"));
  EXPECT_EQ(Ok("${\"true\" ? 1 : 2}"), Value::Number(1));
}

TEST_F(ExprEval, ReferencesAndIndexing) {
  EXPECT_EQ(Ok("${var.azs[1]}"), Value::String("b"));
  EXPECT_EQ(Ok("${var.azs[count.index - 1]}"), Value::String("b"));
  EXPECT_EQ(Ok("${var.tags.env}"), Value::String("prod"));
  EXPECT_EQ(Ok("${var.tags[\"team\"]}"), Value::String("infra"));
  EXPECT_EQ(Ok("${module.net.vpc_id}"), Value::String("vpc-123"));
  EXPECT_EQ(Ok("${each.key}/${each.value}"), Value::String("a/10"));
  EXPECT_EQ(Ok("${vpc.cidr_block}"), Value::String("10.0.0.0/16"));
  EXPECT_EQ(Ok("${{a = [10, 20]}.a[1]}"), Value::Number(20));
  EXPECT_EQ(Ok("${var.azs.0}"), Value::String("a"));
}

TEST_F(ExprEval, UnknownPropagates) {
  EXPECT_TRUE(Ok("${vpc.id}").is_unknown());
  EXPECT_TRUE(Ok("prefix-${vpc.id}").is_unknown());
  EXPECT_TRUE(Ok("${var.unknown + 1}").is_unknown());
  EXPECT_TRUE(Ok("${-var.unknown}").is_unknown());
  EXPECT_TRUE(Ok("${!var.unknown}").is_unknown());
  EXPECT_TRUE(Ok("${var.unknown == 1}").is_unknown());
  EXPECT_TRUE(Ok("${[var.unknown] == [1]}").is_unknown());
  EXPECT_TRUE(Ok("${var.unknown ? 1 : 2}").is_unknown());
  EXPECT_TRUE(Ok("${var.unknown.attr[0]}").is_unknown());
  EXPECT_TRUE(Ok("${var.azs[var.unknown]}").is_unknown());
  EXPECT_TRUE(Ok("${var.on && var.unknown}").is_unknown());
  EXPECT_TRUE(Ok("${{(var.unknown) = 1}}").is_unknown());
  // A known operand that decides the result wins over an unknown one.
  EXPECT_EQ(Ok("${var.unknown && false}"), Value::Bool(false));
  EXPECT_EQ(Ok("${var.unknown || true}"), Value::Bool(true));
  EXPECT_EQ(Ok("${var.off && var.unknown}"), Value::Bool(false));
  // The chosen branch may hold an unknown; the other branch does not matter.
  EXPECT_EQ(Ok("${var.on ? 1 : vpc.id}"), Value::Number(1));
  // Lists with unknown elements are known lists.
  Value l = Ok("${[vpc.id, 1]}");
  ASSERT_EQ(l.kind(), ValueKind::kList);
  EXPECT_FALSE(l.is_wholly_known());
  EXPECT_EQ(Ok("${length([vpc.id, 1])}"), Value::Number(2));
  // Type errors on the known side are still reported.
  EXPECT_EQ(Err("${var.unknown + [1]}"), "s.yaml:1:3: cannot add unknown and list");
}

TEST_F(ExprEval, SensitivePropagates) {
  EXPECT_TRUE(Ok("${var.password}").sensitive());
  EXPECT_TRUE(Ok("pw=${var.password}").sensitive());
  EXPECT_EQ(Ok("pw=${var.password}").AsString(), "pw=hunter2");
  EXPECT_TRUE(Ok("${var.password == \"x\"}").sensitive());
  EXPECT_TRUE(Ok("${var.password != \"\" ? 1 : 2}").sensitive());
  EXPECT_TRUE(Ok("${format(\"%s!\", var.password)}").sensitive());
  EXPECT_TRUE(Ok("${length(var.password)}").sensitive());
  EXPECT_TRUE(Ok("${join(\",\", [var.password])}").sensitive());
  EXPECT_FALSE(Ok("${var.name}").sensitive());
  // Sensitive values never leak into error messages.
  std::string msg = Err("${var.password + 1}");
  EXPECT_EQ(msg.find("hunter2"), std::string::npos) << msg;
}

TEST_F(ExprEval, TypeErrorsNameTypesAndLocation) {
  EXPECT_EQ(Err("${\"abc\" + 1}"), "s.yaml:1:3: cannot add string and number: \"abc\" is not a number");
  EXPECT_EQ(Err("${[1] * 2}"), "s.yaml:1:3: cannot multiply list and number");
  EXPECT_EQ(Err("xx ${1 - true}"), "s.yaml:1:6: cannot subtract number and bool");
  EXPECT_EQ(Err("${null < 1}"), "s.yaml:1:3: cannot compare null and number");
  EXPECT_EQ(Err("${!1}"), "s.yaml:1:3: cannot apply '!' to number: a bool is required");
  EXPECT_EQ(Err("${-\"x\"}"), "s.yaml:1:3: cannot negate string \"x\": a number is required");
  EXPECT_EQ(Err("${1 && true}"), "s.yaml:1:3: the left operand of '&&' must be a bool, not number");
  EXPECT_EQ(Err("${false || 2}"), "s.yaml:1:12: the right operand of '||' must be a bool, not number");
  EXPECT_EQ(Err("${1 ? 2 : 3}"), "s.yaml:1:3: the condition of '? :' must be a bool, not number");
  EXPECT_EQ(Err("${1 / 0}"), "s.yaml:1:7: division by zero");
  EXPECT_EQ(Err("${1 % 0}"), "s.yaml:1:7: modulo by zero");
  EXPECT_EQ(Err("a${var.azs}"), "s.yaml:1:4: cannot include a list in a string template; use join() or format()");
  EXPECT_EQ(Err("a${null}"), "s.yaml:1:4: cannot include a null value in a string template");
  EXPECT_EQ(Err("${{a = 1, a = 2}}"), "s.yaml:1:11: duplicate map key \"a\"");
  EXPECT_EQ(Err("${{[1] = 2}}"), "s.yaml:1:4: a map key must be a string, not list");
}

TEST_F(ExprEval, IndexErrors) {
  EXPECT_EQ(Err("${var.azs[5]}"), "s.yaml:1:10: index 5 out of range for a list of 2 elements");
  EXPECT_EQ(Err("${var.azs[-1]}"), "s.yaml:1:10: index -1 out of range for a list of 2 elements");
  EXPECT_EQ(Err("${var.azs[0.5]}"), "s.yaml:1:10: list index 0.5 is not a whole number");
  EXPECT_EQ(Err("${var.azs.id}"), "s.yaml:1:10: cannot access attribute \"id\" of a list; use an index such as [0]");
  EXPECT_EQ(Err("${var.tags.evn}"), "s.yaml:1:11: unsupported attribute \"evn\"; did you mean \"env\"?");
  EXPECT_EQ(Err("${var.tags[\"x\"]}"), "s.yaml:1:11: map has no key \"x\"");
  EXPECT_EQ(Err("${var.nothing.id}"), "s.yaml:1:14: cannot access attribute \"id\" of a null value");
  EXPECT_EQ(Err("${var.name[0]}"), "s.yaml:1:11: cannot access an index of a string");
}

TEST_F(ExprEval, ScopeErrorsGetTheReferenceLocation) {
  auto v = Eval("x\n  ${var.missing}");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().message, "s.yaml:2:5: undefined variable 'missing'");
  EXPECT_EQ(v.error().code, "ExprReference");
  auto m = Eval("${module.nope.x}");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().message, "s.yaml:1:3: no module 'nope'");
  EXPECT_EQ(m.error().code, "UndefinedModule");  // the scope's code is kept
  EXPECT_EQ(Err("${ghost.id}"), "s.yaml:1:3: undefined resource 'ghost'");
  // Errors in the untaken branch of a known condition are not evaluated.
  EXPECT_EQ(Ok("${var.on ? 1 : ghost.id}"), Value::Number(1));
  // ...but with an unknown condition both branches are checked.
  EXPECT_EQ(Err("${var.unknown ? 1 : ghost.id}"), "s.yaml:1:21: undefined resource 'ghost'");
}

TEST_F(ExprEval, FunctionCallErrorsGetTheCallLocation) {
  EXPECT_EQ(Err("  ${lenght(var.azs)}"), "s.yaml:1:5: unknown function \"lenght\"; did you mean \"length\"?");
  EXPECT_EQ(Err("${join(\",\")}"), "s.yaml:1:3: join(): expects at least 2 arguments, got 1");
  EXPECT_EQ(Err("${cidrsubnet(\"10.0.0.0/16\", 8, 256)}"),
            "s.yaml:1:3: cidrsubnet(): prefix extension of 8 does not accommodate a subnet numbered 256");
}

TEST(ExprEvalEmptyScope, RejectsReferences) {
  auto e = ParseTemplate("${var.x}", SourceLoc{"f", 1, 1});
  ASSERT_TRUE(e);
  EmptyScope scope;
  auto v = Evaluate(**e, scope);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().message, "f:1:3: reference to 'var.x' is not allowed here");
}

}  // namespace
}  // namespace infra::engine

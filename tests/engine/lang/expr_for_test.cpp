// for expressions (list and map forms, if, grouping), splats and template
// directives, over known and unknown values, with sensitive marks.
#include <gtest/gtest.h>

#include "engine/lang/expr.h"

namespace infra::engine {
namespace {

Value S(const char* s) { return Value::String(s); }
Value N(double n) { return Value::Number(n); }

/// var.subnets: list of objects; var.m: map; var.u: unknown; var.s:
/// sensitive list; var.part: list with one unknown element.
class ForScope : public EvalScope {
 public:
  Result<Resolved> Lookup(const Traversal& ref) const override {
    std::string n = ref.FirstAttr();
    auto subnet = [](const char* id, bool pub, const char* az) {
      return Value::MakeMap({{"id", S(id)}, {"public", Value::Bool(pub)}, {"az", S(az)}});
    };
    if (n == "subnets")
      return Resolved{Value::MakeList({subnet("s-1", true, "a"), subnet("s-2", false, "b"), subnet("s-3", true, "a")}), 1};
    if (n == "m") return Resolved{Value::MakeMap({{"x", S("one")}, {"y", S("two")}}), 1};
    if (n == "u") return Resolved{Value::Unknown(), 1};
    if (n == "s") return Resolved{Value::MakeList({S("p1"), S("p2")}).WithSensitive(true), 1};
    if (n == "part") return Resolved{Value::MakeList({Value::MakeMap({{"id", S("k")}}), Value::Unknown()}), 1};
    return MakeError(Error::Kind::kInvalid, "", "undefined variable '" + n + "'");
  }
};

Result<Value> Eval(std::string_view text) {
  auto e = ParseTemplate(text, SourceLoc{"stack.yaml", 3, 5});
  if (!e) return e.error();
  return Evaluate(**e, ForScope());
}

Value Ok(std::string_view text) {
  auto v = Eval(text);
  EXPECT_TRUE(v) << text << ": " << v.error().message;
  return v ? *v : S("<error>");
}

Value Parsed(std::string_view expr) {
  auto e = ParseExpression(expr, SourceLoc{"want", 1, 1});
  EXPECT_TRUE(e) << e.error().message;
  return *Evaluate(**e, EmptyScope());
}

TEST(ForExpr, ListFormWithFilter) {
  EXPECT_EQ(Ok("${[for s in var.subnets : s.id if s.public]}"), Parsed(R"(["s-1", "s-3"])"));
  EXPECT_EQ(Ok("${[for i, s in var.subnets : \"${i}:${s.id}\"]}"), Parsed(R"(["0:s-1", "1:s-2", "2:s-3"])"));
  EXPECT_EQ(Ok("${[for k, v in var.m : \"${k}=${v}\"]}"), Parsed(R"(["x=one", "y=two"])"));
  EXPECT_EQ(Ok("${[for v in [] : v]}"), Parsed("[]"));
}

TEST(ForExpr, MapFormAndGrouping) {
  EXPECT_EQ(Ok("${{for k, v in var.m : k => upper(v)}}"), Parsed(R"({x = "ONE", y = "TWO"})"));
  EXPECT_EQ(Ok("${{for s in var.subnets : s.id => s.az if s.public}}"), Parsed(R"({"s-1" = "a", "s-3" = "a"})"));
  EXPECT_EQ(Ok("${{for s in var.subnets : s.az => s.id...}}"), Parsed(R"({a = ["s-1", "s-3"], b = ["s-2"]})"));
  auto dup = Eval("${{for s in var.subnets : s.az => s.id}}");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().message,
            "stack.yaml:3:31: duplicate key \"a\" in a 'for' expression; add '...' after the value to group the values "
            "of equal keys into lists");
}

TEST(ForExpr, UnknownPropagates) {
  EXPECT_TRUE(Ok("${[for s in var.u : s]}").is_unknown());
  EXPECT_TRUE(Ok("${{for k, v in var.u : k => v}}").is_unknown());
  // A known list with an unknown element: the element's result is unknown, the list is known.
  Value v = Ok("${[for p in var.part : p.id]}");
  ASSERT_EQ(v.kind(), ValueKind::kList);
  EXPECT_EQ(v.AsList()[0], S("k"));
  EXPECT_TRUE(v.AsList()[1].is_unknown());
  // An unknown filter or key makes the whole result unknown.
  EXPECT_TRUE(Ok("${[for s in var.subnets : s.id if var.u]}").is_unknown());
  EXPECT_TRUE(Ok("${{for s in var.subnets : var.u => s.id}}").is_unknown());
}

TEST(ForExpr, SensitivePropagates) {
  Value v = Ok("${[for p in var.s : upper(p)]}");
  EXPECT_TRUE(v.sensitive());
  EXPECT_EQ(v.ToDisplay(), "(sensitive value)");
  EXPECT_TRUE(Ok("${{for p in var.s : p => 1}}").sensitive());
  EXPECT_TRUE(Ok("%{for p in var.s}${p}%{endfor}").sensitive());
}

TEST(ForExpr, Errors) {
  auto notcoll = Eval("${[for c in \"abc\" : c]}");
  ASSERT_FALSE(notcoll);
  EXPECT_EQ(notcoll.error().message, "stack.yaml:3:18: a 'for' iterates over a list or a map, not string \"abc\"");
  auto badif = Eval("${[for s in var.subnets : s.id if s.id]}");
  ASSERT_FALSE(badif);
  EXPECT_EQ(badif.error().message, "stack.yaml:3:39: the 'if' of a 'for' must be a bool, not string \"s-1\"");
}

TEST(Splat, ListsMapsAndUnknowns) {
  EXPECT_EQ(Ok("${var.subnets[*].id}"), Parsed(R"(["s-1", "s-2", "s-3"])"));
  EXPECT_EQ(Ok("${var.subnets.*.az}"), Parsed(R"(["a", "b", "a"])"));
  EXPECT_EQ(Ok("${length(var.subnets[*])}"), N(3));
  EXPECT_EQ(Ok("${values(var.m)[*]}"), Parsed(R"(["one", "two"])"));
  EXPECT_TRUE(Ok("${var.u[*].id}").is_unknown());
  Value part = Ok("${var.part[*].id}");
  ASSERT_EQ(part.kind(), ValueKind::kList);
  EXPECT_EQ(part.AsList()[0], S("k"));
  EXPECT_TRUE(part.AsList()[1].is_unknown());
  EXPECT_EQ(Ok("${null[*]}"), Parsed("[]"));
  EXPECT_EQ(Ok("${var.m[*].x}"), Parsed(R"(["one"])"));  // a non-list is a one-element list
  EXPECT_TRUE(Ok("${var.s[*]}").sensitive());
  auto bad = Eval("${var.subnets[*].nope}");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("unsupported attribute \"nope\""), std::string::npos) << bad.error().message;
}

TEST(Splat, ReferencesNameTheAttributeOfEveryElement) {
  auto e = ParseTemplate("${private[*].id} ${[for s in subnets : s.arn]} ${s.x}", SourceLoc{"f", 1, 1});
  ASSERT_TRUE(e) << e.error().message;
  auto refs = CollectReferences(**e);
  ASSERT_EQ(refs.size(), 3u);
  EXPECT_EQ(refs[0].ToString(), "private.id");
  EXPECT_EQ(refs[1].ToString(), "subnets");  // `s` is bound by the for: not a reference inside it
  EXPECT_EQ(refs[2].ToString(), "s.x");      // outside the for, `s` is a reference again
}

TEST(TemplateDirectives, IfElseForAndStripMarkers) {
  EXPECT_EQ(Ok("Hello, %{if true}world%{else}nobody%{endif}!"), S("Hello, world!"));
  EXPECT_EQ(Ok("%{if 1 > 2}yes%{else}no%{endif}"), S("no"));
  EXPECT_EQ(Ok("%{if false}yes%{endif}"), S(""));
  EXPECT_EQ(Ok("%{for s in var.subnets}${s.id},%{endfor}"), S("s-1,s-2,s-3,"));
  EXPECT_EQ(Ok("%{for k, v in var.m}${k}=${v};%{endfor}"), S("x=one;y=two;"));
  EXPECT_EQ(Ok("%{for s in var.subnets}%{if s.public}${s.id} %{endif}%{endfor}"), S("s-1 s-3 "));
  EXPECT_EQ(Ok("a\n  %{~ if true ~}\n  b\n%{~ endif ~}\n"), S("ab"));
  EXPECT_EQ(Ok("100%%{literal}"), S("100%{literal}"));
  EXPECT_TRUE(Ok("x %{if var.u}a%{endif}").is_unknown());
  EXPECT_TRUE(Ok("%{for s in var.u}${s}%{endfor}").is_unknown());
  EXPECT_EQ(Ok("%{for i in [1, 2]}${i}%{endfor}"), S("12"));  // a directive alone is still a string
}

}  // namespace
}  // namespace infra::engine

// set(T), object({...}) with optional(T, default), tuple([...]): parsing,
// canonical text and Terraform's conversion rules.
#include <gtest/gtest.h>

#include "engine/lang/expr.h"
#include "engine/lang/type_spec.h"

namespace infra::engine {
namespace {

TypeSpec T(std::string_view text) {
  auto t = TypeSpec::Parse(text);
  EXPECT_TRUE(t) << text << ": " << t.error().message;
  return t ? *t : TypeSpec();
}

Value V(std::string_view expr) {
  auto e = ParseExpression(expr, SourceLoc{"v", 1, 1});
  EXPECT_TRUE(e) << e.error().message;
  return *Evaluate(**e, EmptyScope());
}

Value C(std::string_view type, std::string_view value) {
  auto c = Convert(V(value), T(type));
  EXPECT_TRUE(c) << type << " <- " << value << ": " << c.error().message;
  return c ? *c : Value::String("<error>");
}

std::string E(std::string_view type, std::string_view value) {
  auto c = Convert(V(value), T(type));
  EXPECT_FALSE(c) << type << " <- " << value;
  return c ? "<converted>" : c.error().message;
}

TEST(StructuralTypes, ParseAndPrint) {
  EXPECT_EQ(T("set(string)").ToString(), "set(string)");
  EXPECT_EQ(T("set").ToString(), "set(any)");
  EXPECT_EQ(T("object({name = string, port = optional(number, 80)})").ToString(),
            "object({name = string, port = optional(number, 80)})");
  EXPECT_EQ(T("object({\n  name: string\n  tags: optional(map(string), {})\n  env: optional(string, \"dev\")\n})").ToString(),
            "object({name = string, tags = optional(map(string), {}), env = optional(string, \"dev\")})");
  EXPECT_EQ(T("tuple([string, number, bool])").ToString(), "tuple([string, number, bool])");
  EXPECT_EQ(T("list(object({id = string}))").ToString(), "list(object({id = string}))");
  EXPECT_TRUE(T("set(number)") == TypeSpec::Set(TypeSpec::Number()));
  EXPECT_FALSE(T("set(number)") == TypeSpec::List(TypeSpec::Number()));
  EXPECT_FALSE(T("object({a = string})") == T("object({a = number})"));
}

TEST(StructuralTypes, ParseErrors) {
  EXPECT_EQ(TypeSpec::Parse("optional(string)").error().message,
            "type \"optional(string)\": optional(...) is only allowed for an attribute of an object type");
  EXPECT_EQ(TypeSpec::Parse("object({a = string, a = number})").error().message,
            "type \"object({a = string, a = number})\": attribute \"a\" is declared twice");
  EXPECT_NE(TypeSpec::Parse("object({port = optional(number, \"x\")})").error().message.find(
                "the default of \"port\" does not match number"),
            std::string::npos);
  EXPECT_FALSE(TypeSpec::Parse("object({a = string"));
  EXPECT_FALSE(TypeSpec::Parse("tuple([string"));
  EXPECT_FALSE(TypeSpec::Parse("object({a = strng})"));
}

TEST(StructuralTypes, SetsDropDuplicatesAndConvertElements) {
  EXPECT_EQ(C("set(string)", R"(["b", "a", "b"])"), V(R"(["a", "b"])"));
  EXPECT_EQ(C("set(number)", R"(["10", 2, 2])"), V("[2, 10]"));
  EXPECT_EQ(E("set(number)", R"(["x"])"), "[0]: expected number, got string \"x\" (not a number)");
  EXPECT_EQ(E("set(string)", "{a = 1}"), "expected set(string), got map");
}

TEST(StructuralTypes, ObjectsApplyOptionalDefaultsAndDropExtras) {
  const char* type = "object({name = string, port = optional(number, 80), tls = optional(bool)})";
  EXPECT_EQ(C(type, R"({name = "web"})"), V(R"({name = "web", port = 80, tls = null})"));
  EXPECT_EQ(C(type, R"({name = "web", port = "8080", tls = "true", extra = 1})"),
            V(R"({name = "web", port = 8080, tls = true})"));
  EXPECT_EQ(C(type, R"({name = "web", port = null})"), V(R"({name = "web", port = 80, tls = null})"));
  EXPECT_EQ(E(type, R"({port = 1})"), "attribute \"name\" is required by " + T(type).ToString());
  EXPECT_EQ(E(type, R"({name = "a", port = "x"})"), "port: expected number, got string \"x\" (not a number)");
  EXPECT_EQ(C("list(object({id = string, n = optional(number, 1)}))", R"([{id = "a"}, {id = "b", n = 2}])"),
            V(R"([{id = "a", n = 1}, {id = "b", n = 2}])"));
  EXPECT_EQ(E("list(object({id = string}))", R"([{id = "a"}, {idd = "b"}])"),
            "[1]: attribute \"id\" is required by object({id = string})");
}

TEST(StructuralTypes, TuplesHaveAFixedLength) {
  EXPECT_EQ(C("tuple([string, number])", R"([1, "2"])"), V(R"(["1", 2])"));
  EXPECT_EQ(E("tuple([string, number])", R"(["a"])"), "expected tuple([string, number]) (2 elements), got a list of 1");
  EXPECT_EQ(E("tuple([string, number])", R"(["a", "b"])"), "[1]: expected number, got string \"b\" (not a number)");
}

TEST(StructuralTypes, UnknownAndSensitiveSurvive) {
  EXPECT_TRUE(Convert(Value::Unknown(), T("object({a = string})"))->is_unknown());
  auto s = Convert(V(R"(["a", "a"])").WithSensitive(true), T("set(string)"));
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->sensitive());
  EXPECT_EQ(s->AsList().size(), 1u);
  auto cli = ParseCliValue(R"({name = "x"})", T("object({name = string, port = optional(number, 443)})"));
  ASSERT_TRUE(cli) << cli.error().message;
  EXPECT_EQ(*cli, V(R"({name = "x", port = 443})"));
}

}  // namespace
}  // namespace infra::engine

// TypeSpec parsing, Terraform-like conversions and CLI value parsing.
#include <gtest/gtest.h>

#include "engine/lang/type_spec.h"

namespace infra::engine {
namespace {

TypeSpec T(std::string_view text) {
  auto t = TypeSpec::Parse(text);
  EXPECT_TRUE(t) << text << ": " << t.error().message;
  return t ? *t : TypeSpec();
}

Value S(const char* s) { return Value::String(s); }
Value N(double n) { return Value::Number(n); }

TEST(TypeSpec, ParsesAndRenders) {
  EXPECT_EQ(T("string").ToString(), "string");
  EXPECT_EQ(T("number").ToString(), "number");
  EXPECT_EQ(T("bool").ToString(), "bool");
  EXPECT_EQ(T("any").ToString(), "any");
  EXPECT_EQ(T("list(string)").ToString(), "list(string)");
  EXPECT_EQ(T(" map( list( number ) ) ").ToString(), "map(list(number))");
  EXPECT_EQ(T("list").ToString(), "list(any)");
  EXPECT_EQ(T("map").ToString(), "map(any)");
  EXPECT_EQ(T("list(string)").kind(), TypeSpec::Kind::kList);
  EXPECT_EQ(T("list(string)").element(), TypeSpec::String());
  EXPECT_TRUE(T("map(bool)") == TypeSpec::Map(TypeSpec::Bool()));
  EXPECT_FALSE(T("map(bool)") == TypeSpec::Map(TypeSpec::String()));
}

TEST(TypeSpec, ParseErrors) {
  auto e = TypeSpec::Parse("strng");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, "InvalidType");
  EXPECT_EQ(e.error().message, "unknown type \"strng\"; valid types: string, number, bool, list(T), set(T), map(T), "
            "object({name = T, ...}), tuple([T, ...]), any");
  EXPECT_EQ(TypeSpec::Parse("list(string").error().message, "type \"list(string\": missing ')'");
  EXPECT_EQ(TypeSpec::Parse("string)").error().message, "type \"string)\": unexpected \")\"");
  EXPECT_FALSE(TypeSpec::Parse(""));
  std::string ells(100, 'l');
  ells += "(";
  EXPECT_FALSE(TypeSpec::Parse(ells));
  std::string deep;
  for (int i = 0; i < 50; ++i) deep += "list(";
  deep += "string";
  deep.append(50, ')');
  EXPECT_FALSE(TypeSpec::Parse(deep));
}

TEST(TypeSpec, ConvertsPrimitives) {
  EXPECT_EQ(*Convert(N(5), T("string")), S("5"));
  EXPECT_EQ(*Convert(N(2.5), T("string")), S("2.5"));
  EXPECT_EQ(*Convert(Value::Bool(true), T("string")), S("true"));
  EXPECT_EQ(*Convert(S("42"), T("number")), N(42));
  EXPECT_EQ(*Convert(S("-1.5e2"), T("number")), N(-150));
  EXPECT_EQ(*Convert(S("true"), T("bool")), Value::Bool(true));
  EXPECT_EQ(*Convert(S("false"), T("bool")), Value::Bool(false));
  EXPECT_EQ(*Convert(Value::Null(), T("number")), Value::Null());
  EXPECT_TRUE(Convert(Value::Unknown(), T("list(string)"))->is_unknown());
  EXPECT_EQ(*Convert(Value::MakeList({N(1)}), T("any")), Value::MakeList({N(1)}));
  EXPECT_TRUE(Convert(S("x").WithSensitive(), T("string"))->sensitive());
  EXPECT_TRUE(Convert(S("7").WithSensitive(), T("number"))->sensitive());
}

TEST(TypeSpec, ConversionErrorsNameTypes) {
  auto e = Convert(S("abc"), T("number"));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, "TypeMismatch");
  EXPECT_EQ(e.error().message, "expected number, got string \"abc\" (not a number)");
  EXPECT_EQ(Convert(S("yes"), T("bool")).error().message, "expected bool, got string \"yes\" (use true or false)");
  EXPECT_EQ(Convert(N(1), T("bool")).error().message, "expected bool, got number");
  EXPECT_EQ(Convert(Value::MakeList({}), T("string")).error().message, "expected string, got list");
  EXPECT_EQ(Convert(S("a"), T("list(string)")).error().message, "expected list(string), got string \"a\"");
  EXPECT_EQ(Convert(Value::MakeList({N(1), S("x")}), T("list(number)")).error().message,
            "[1]: expected number, got string \"x\" (not a number)");
  EXPECT_EQ(Convert(Value::MakeMap({{"k", Value::MakeList({})}}), T("map(string)")).error().message,
            "[\"k\"]: expected string, got list");
  // The text of a sensitive value is not repeated.
  EXPECT_EQ(Convert(S("hunter2").WithSensitive(), T("number")).error().message.find("hunter2"), std::string::npos);
}

TEST(TypeSpec, ConvertsCollections) {
  auto l = Convert(Value::MakeList({N(1), S("2")}), T("list(string)"));
  ASSERT_TRUE(l);
  EXPECT_EQ(*l, Value::MakeList({S("1"), S("2")}));
  auto m = Convert(Value::MakeMap({{"a", S("1")}}), T("map(number)"));
  ASSERT_TRUE(m);
  EXPECT_EQ(*m, Value::MakeMap({{"a", N(1)}}));
}

TEST(TypeSpec, ParsesCliValues) {
  EXPECT_EQ(*ParseCliValue("hello world", T("string")), S("hello world"));
  EXPECT_EQ(*ParseCliValue("[1]", T("string")), S("[1]"));
  EXPECT_EQ(*ParseCliValue("3", T("number")), N(3));
  EXPECT_EQ(*ParseCliValue("true", T("bool")), Value::Bool(true));
  EXPECT_EQ(*ParseCliValue("x", T("any")), S("x"));
  EXPECT_EQ(*ParseCliValue("[\"a\",\"b\"]", T("list(string)")), Value::MakeList({S("a"), S("b")}));
  EXPECT_EQ(ParseCliValue("[a, b]", T("list(string)")).error().message,
            "expected list(string) written as JSON or HCL with quoted strings: "
            "<value>:1:2: reference to 'a' is not allowed here");
  EXPECT_EQ(*ParseCliValue("{\"a\": 1, \"b\": 2}", T("map(number)")),
            Value::MakeMap({{"a", N(1)}, {"b", N(2)}}));
  EXPECT_EQ(*ParseCliValue("{a = \"x\"}", T("map(string)")), Value::MakeMap({{"a", S("x")}}));
  EXPECT_EQ(*ParseCliValue("[1, 2]", T("list(string)")), Value::MakeList({S("1"), S("2")}));
  auto bad = ParseCliValue("[1, 2", T("list(number)"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "TypeMismatch");
  EXPECT_EQ(bad.error().message,
            "expected list(number) written as JSON or HCL (e.g. [\"a\", \"b\"]), but parsing failed: "
            "<value>:1:6: expected ']' or ',', found end of input");
  EXPECT_EQ(ParseCliValue("{a = 1}", T("list(number)")).error().message, "expected list(number), got map");
  EXPECT_EQ(ParseCliValue("nope", T("bool")).error().message, "expected bool, got string \"nope\" (use true or false)");
}

}  // namespace
}  // namespace infra::engine

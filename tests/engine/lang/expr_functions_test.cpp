// Built-in functions: Terraform's documented examples, edge cases, unknown
// and sensitive handling, arity and type errors.
#include <gtest/gtest.h>

#include "engine/lang/expr.h"
#include "engine/lang/expr_functions.h"

namespace infra::engine {
namespace {

Result<Value> Call(std::string_view expr) {
  auto e = ParseExpression(expr, SourceLoc{"f.yaml", 1, 1});
  if (!e) return e.error();
  return Evaluate(**e, EmptyScope());
}

Value Ok(std::string_view expr) {
  auto v = Call(expr);
  EXPECT_TRUE(v) << expr << ": " << v.error().message;
  return v ? *v : Value::String("<error>");
}

std::string Err(std::string_view expr) {
  auto v = Call(expr);
  EXPECT_FALSE(v) << expr << " gave " << (v ? v->ToDisplay() : "");
  if (v) return "<no error>";
  EXPECT_EQ(v.error().code, "ExprFunction");
  return v.error().message;
}

Value S(const char* s) { return Value::String(s); }
Value N(double n) { return Value::Number(n); }
Value L(Value::List l) { return Value::MakeList(std::move(l)); }

TEST(ExprFunctions, CidrSubnet) {
  EXPECT_EQ(Ok("cidrsubnet(\"10.0.0.0/16\", 8, 2)"), S("10.0.2.0/24"));
  EXPECT_EQ(Ok("cidrsubnet(\"172.16.0.0/12\", 4, 2)"), S("172.18.0.0/16"));
  EXPECT_EQ(Ok("cidrsubnet(\"10.1.2.0/24\", 4, 15)"), S("10.1.2.240/28"));
  EXPECT_EQ(Ok("cidrsubnet(\"10.0.0.0/16\", 0, 0)"), S("10.0.0.0/16"));
  EXPECT_EQ(Ok("cidrsubnet(\"10.0.0.0/8\", 24, 16777215)"), S("10.255.255.255/32"));
  EXPECT_EQ(Ok("cidrsubnet(\"10.0.5.7/16\", 8, 1)"), S("10.0.1.0/24"));  // host bits are ignored
  EXPECT_EQ(Ok("cidrsubnet(\"10.0.0.0/16\", \"4\", \"3\")"), S("10.0.48.0/20"));  // numeric strings
  EXPECT_EQ(Err("cidrsubnet(\"10.0.0.0/16\", 17, 0)"),
            "f.yaml:1:1: cidrsubnet(): insufficient address space to extend prefix of 16 by 17");
  EXPECT_EQ(Err("cidrsubnet(\"10.0.0.0/16\", 8, 256)"),
            "f.yaml:1:1: cidrsubnet(): prefix extension of 8 does not accommodate a subnet numbered 256");
  EXPECT_EQ(Err("cidrsubnet(\"10.0.0.0/16\", 8, -1)"),
            "f.yaml:1:1: cidrsubnet(): prefix extension of 8 does not accommodate a subnet numbered -1");
  EXPECT_EQ(Err("cidrsubnet(\"10.0.0.0/16\", 1.5, 0)"),
            "f.yaml:1:1: cidrsubnet(): the second argument must be a whole number, not 1.5");
  EXPECT_EQ(Err("cidrsubnet(\"10.0.0/16\", 8, 0)"),
            "f.yaml:1:1: cidrsubnet(): \"10.0.0/16\" is not a valid IPv4 CIDR block: the address must be four "
            "decimal numbers 0..255 separated by dots");
  EXPECT_EQ(Err("cidrsubnet(\"fd00::/8\", 8, 0)"),
            "f.yaml:1:1: cidrsubnet(): \"fd00::/8\" is not a valid IPv4 CIDR block: IPv6 is not supported");
}

TEST(ExprFunctions, CidrHost) {
  EXPECT_EQ(Ok("cidrhost(\"10.12.112.0/20\", 16)"), S("10.12.112.16"));
  EXPECT_EQ(Ok("cidrhost(\"10.12.112.0/20\", 268)"), S("10.12.113.12"));
  EXPECT_EQ(Ok("cidrhost(\"10.12.112.0/20\", -1)"), S("10.12.127.255"));
  EXPECT_EQ(Ok("cidrhost(\"10.0.0.0/24\", -256)"), S("10.0.0.0"));
  EXPECT_EQ(Ok("cidrhost(\"10.0.0.5/32\", 0)"), S("10.0.0.5"));
  EXPECT_EQ(Err("cidrhost(\"10.0.0.0/24\", 256)"),
            "f.yaml:1:1: cidrhost(): prefix of 24 does not accommodate a host numbered 256");
  EXPECT_EQ(Err("cidrhost(\"10.0.0.0/24\", -257)"),
            "f.yaml:1:1: cidrhost(): prefix of 24 does not accommodate a host numbered -257");
}

TEST(ExprFunctions, JoinAndSplit) {
  EXPECT_EQ(Ok("join(\", \", [\"foo\", \"bar\", \"baz\"])"), S("foo, bar, baz"));
  EXPECT_EQ(Ok("join(\",\", [\"a\"], [\"b\", \"c\"])"), S("a,b,c"));
  EXPECT_EQ(Ok("join(\",\", [])"), S(""));
  EXPECT_EQ(Ok("join(\"-\", [1, true])"), S("1-true"));
  EXPECT_EQ(Err("join(\",\", \"a\")"), "f.yaml:1:1: join(): the second argument must be a list, not string");
  EXPECT_EQ(Err("join(\",\", [null])"), "f.yaml:1:1: join(): a list element is null");
  EXPECT_EQ(Err("join(\",\", [[1]])"), "f.yaml:1:1: join(): list elements must be strings, not list");
  EXPECT_EQ(Ok("split(\",\", \"foo,bar,baz\")"), L({S("foo"), S("bar"), S("baz")}));
  EXPECT_EQ(Ok("split(\",\", \"foo\")"), L({S("foo")}));
  EXPECT_EQ(Ok("split(\",\", \"\")"), L({S("")}));
  EXPECT_EQ(Ok("split(\",\", \"a,,b,\")"), L({S("a"), S(""), S("b"), S("")}));
  EXPECT_EQ(Ok("split(\"::\", \"a::b\")"), L({S("a"), S("b")}));
  EXPECT_EQ(Ok("split(\"\", \"a\\u00e9\")"), L({S("a"), S("\xc3\xa9")}));
}

TEST(ExprFunctions, Format) {
  EXPECT_EQ(Ok("format(\"Hello, %s!\", \"Ander\")"), S("Hello, Ander!"));
  EXPECT_EQ(Ok("format(\"There are %d lights\", 4)"), S("There are 4 lights"));
  EXPECT_EQ(Ok("format(\"%d\", \"12\")"), S("12"));
  EXPECT_EQ(Ok("format(\"%s %s\", 1.5, true)"), S("1.5 true"));
  EXPECT_EQ(Ok("format(\"%q\", \"a\\\"b\")"), S("\"a\\\"b\""));
  EXPECT_EQ(Ok("format(\"%v|%v|%v\", \"s\", 3, [1, \"a\"])"), S("s|3|[1,\"a\"]"));
  EXPECT_EQ(Ok("format(\"100%%\")"), S("100%"));
  EXPECT_EQ(Ok("format(\"%03d|%-4s|%5s|%.2f|%5.1f\", 7, \"ab\", \"cd\", 3.14159, 2.25)"),
            S("007|ab  |   cd|3.14|  2.2"));
  EXPECT_EQ(Ok("format(\"%t %x\", false, 255)"), S("false ff"));
  EXPECT_EQ(Ok("format(\"no verbs\")"), S("no verbs"));
  EXPECT_EQ(Err("format(\"%d\", 1.5)"), "f.yaml:1:1: format(): %d needs a whole number, not 1.5");
  EXPECT_EQ(Err("format(\"%d\", \"x\")"), "f.yaml:1:1: format(): %d needs a number, not string");
  EXPECT_EQ(Err("format(\"%s %s\", \"a\")"),
            "f.yaml:1:1: format(): not enough arguments: the format string needs more than 1");
  EXPECT_EQ(Err("format(\"%s\", \"a\", \"b\")"),
            "f.yaml:1:1: format(): too many arguments: the format string uses 1 but 2 were given");
  EXPECT_EQ(Err("format(\"%z\", 1)"),
            "f.yaml:1:1: format(): unsupported format verb '%z' (supported: %s %d %v %q %t %f %x %%)");
  EXPECT_EQ(Err("format(\"50%\")"), "f.yaml:1:1: format(): the format string ends with a lone '%'");
  EXPECT_EQ(Err("format(\"%s\", [1])"), "f.yaml:1:1: format(): %s needs a string, not list");
}

TEST(ExprFunctions, Lookup) {
  EXPECT_EQ(Ok("lookup({a = \"ay\", b = \"bee\"}, \"a\", \"what?\")"), S("ay"));
  EXPECT_EQ(Ok("lookup({a = \"ay\", b = \"bee\"}, \"c\", \"what?\")"), S("what?"));
  EXPECT_EQ(Ok("lookup({a = \"ay\"}, \"a\")"), S("ay"));
  EXPECT_EQ(Ok("lookup({a = 1}, \"b\", null)"), Value::Null());
  EXPECT_EQ(Err("lookup({abc = 1}, \"abd\")"),
            "f.yaml:1:1: lookup(): the map has no key \"abd\" and no default was given; did you mean \"abc\"?");
  EXPECT_EQ(Err("lookup([1], \"a\")"), "f.yaml:1:1: lookup(): the first argument must be a map, not list");
}

TEST(ExprFunctions, LengthConcatMergeElement) {
  EXPECT_EQ(Ok("length([])"), N(0));
  EXPECT_EQ(Ok("length([\"a\", \"b\"])"), N(2));
  EXPECT_EQ(Ok("length({a = \"b\"})"), N(1));
  EXPECT_EQ(Ok("length(\"hello\")"), N(5));
  EXPECT_EQ(Ok("length(\"\\u00e9t\\u00e9\")"), N(3));  // characters, not bytes
  EXPECT_EQ(Err("length(1)"), "f.yaml:1:1: length(): the argument must be a list, map or string, not number");
  EXPECT_EQ(Err("length(null)"), "f.yaml:1:1: length(): the first argument must not be null");
  EXPECT_EQ(Ok("concat([\"a\", \"\"], [\"b\", \"c\"])"), L({S("a"), S(""), S("b"), S("c")}));
  EXPECT_EQ(Ok("concat([])"), L({}));
  EXPECT_EQ(Err("concat([1], \"x\")"), "f.yaml:1:1: concat(): the second argument must be a list, not string");
  EXPECT_EQ(Err("concat()"), "f.yaml:1:1: concat(): expects at least 1 argument, got 0");
  EXPECT_EQ(Ok("merge({a = \"b\", c = \"d\"}, {e = \"f\", c = \"z\"})"),
            Value::MakeMap({{"a", S("b")}, {"c", S("z")}, {"e", S("f")}}));
  EXPECT_EQ(Ok("merge()"), Value::MakeMap({}));
  EXPECT_EQ(Ok("merge({a = 1}, null)"), Value::MakeMap({{"a", N(1)}}));
  EXPECT_EQ(Err("merge({}, [1])"), "f.yaml:1:1: merge(): the second argument must be a map, not list");
  EXPECT_EQ(Ok("element([\"a\", \"b\", \"c\"], 1)"), S("b"));
  EXPECT_EQ(Ok("element([\"a\", \"b\", \"c\"], 3)"), S("a"));  // wraps
  EXPECT_EQ(Ok("element([\"a\", \"b\", \"c\"], 7)"), S("b"));
  EXPECT_EQ(Err("element([], 0)"), "f.yaml:1:1: element(): cannot use element() with an empty list");
  EXPECT_EQ(Err("element([1], -1)"), "f.yaml:1:1: element(): cannot use element() with a negative index");
}

TEST(ExprFunctions, KeysValuesConversions) {
  EXPECT_EQ(Ok("keys({d = 3, a = 1, c = 2})"), L({S("a"), S("c"), S("d")}));
  EXPECT_EQ(Ok("values({d = 1, a = 3, c = 2})"), L({N(3), N(2), N(1)}));  // in key order
  EXPECT_EQ(Ok("keys({})"), L({}));
  EXPECT_EQ(Err("keys([1])"), "f.yaml:1:1: keys(): the first argument must be a map, not list");
  EXPECT_EQ(Ok("tostring(\"hello\")"), S("hello"));
  EXPECT_EQ(Ok("tostring(1)"), S("1"));
  EXPECT_EQ(Ok("tostring(2.5)"), S("2.5"));
  EXPECT_EQ(Ok("tostring(true)"), S("true"));
  EXPECT_EQ(Ok("tostring(null)"), Value::Null());
  EXPECT_EQ(Err("tostring([])"), "f.yaml:1:1: tostring(): cannot convert a list to a string");
  EXPECT_EQ(Ok("tonumber(1)"), N(1));
  EXPECT_EQ(Ok("tonumber(\"1\")"), N(1));
  EXPECT_EQ(Ok("tonumber(\"-2.5e1\")"), N(-25));
  EXPECT_EQ(Ok("tonumber(null)"), Value::Null());
  EXPECT_EQ(Err("tonumber(\"no\")"), "f.yaml:1:1: tonumber(): cannot convert string \"no\" to a number");
  EXPECT_EQ(Err("tonumber(true)"), "f.yaml:1:1: tonumber(): cannot convert a bool to a number");
}

TEST(ExprFunctions, UnknownArguments) {
  const Value u = Value::Unknown();
  EXPECT_TRUE(CallFunction("cidrsubnet", {u, N(8), N(1)})->is_unknown());
  EXPECT_TRUE(CallFunction("join", {S(","), L({S("a"), u})})->is_unknown());
  EXPECT_TRUE(CallFunction("format", {S("%s"), u})->is_unknown());
  EXPECT_TRUE(CallFunction("length", {u})->is_unknown());
  EXPECT_EQ(*CallFunction("length", {L({u, N(1)})}), N(2));
  auto c = CallFunction("concat", {L({u}), L({N(1)})});
  ASSERT_TRUE(c);
  ASSERT_EQ(c->kind(), ValueKind::kList);
  EXPECT_EQ(c->AsList().size(), 2u);
  EXPECT_TRUE(CallFunction("concat", {u, L({N(1)})})->is_unknown());
  EXPECT_EQ(*CallFunction("element", {L({u, N(1)}), N(1)}), N(1));
  EXPECT_TRUE(CallFunction("element", {L({N(1)}), u})->is_unknown());
  EXPECT_EQ(*CallFunction("keys", {Value::MakeMap({{"k", u}})}), L({S("k")}));
  EXPECT_EQ(*CallFunction("lookup", {Value::MakeMap({{"a", u}, {"b", N(2)}}), S("b")}), N(2));
  EXPECT_TRUE(CallFunction("lookup", {Value::MakeMap({{"a", N(1)}}), u})->is_unknown());
  EXPECT_TRUE(CallFunction("merge", {Value::MakeMap({}), u})->is_unknown());
}

TEST(ExprFunctions, SensitiveArgumentsMakeSensitiveResults) {
  const Value secret = S("s3cr3t").WithSensitive();
  EXPECT_TRUE(CallFunction("length", {secret})->sensitive());
  EXPECT_TRUE(CallFunction("keys", {Value::MakeMap({{"k", secret}})})->sensitive());
  EXPECT_TRUE(CallFunction("tostring", {secret})->sensitive());
  EXPECT_TRUE(CallFunction("join", {S(","), L({secret})})->sensitive());
  EXPECT_FALSE(CallFunction("join", {S(","), L({S("a")})})->sensitive());
  EXPECT_TRUE(ContainsSensitive(L({S("a"), secret})));
  EXPECT_FALSE(ContainsSensitive(L({S("a")})));
}

TEST(ExprFunctions, UnknownNamesAndArity) {
  EXPECT_EQ(Err("cidrsubnetz(\"10.0.0.0/16\", 1)"),
            "f.yaml:1:1: unknown function \"cidrsubnetz\"; did you mean \"cidrsubnet\"?");
  EXPECT_EQ(Err("jion(\",\", [])"), "f.yaml:1:1: unknown function \"jion\"; did you mean \"join\"?");
  std::string far = Err("frobnicate(1)");
  EXPECT_EQ(far.find("did you mean"), std::string::npos) << far;
  EXPECT_NE(far.find("available: abs, abspath, alltrue"), std::string::npos) << far;
  EXPECT_EQ(Err("lookup({})"), "f.yaml:1:1: lookup(): expects 2 to 3 arguments, got 1");
  EXPECT_EQ(Err("keys({}, {})"), "f.yaml:1:1: keys(): expects 1 argument, got 2");
  EXPECT_EQ(FunctionNames().size(), 77u);
  EXPECT_TRUE(std::is_sorted(FunctionNames().begin(), FunctionNames().end()));
}

}  // namespace
}  // namespace infra::engine

// The functions of issue 13 against Terraform's documented examples
// (developer.hashicorp.com/terraform/language/functions/<name>), one table
// row per example: the call and the expected value written as an expression.
// Then unknown and sensitive propagation, and the file functions' rules.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/lang/expr.h"
#include "engine/lang/expr_functions.h"
#include "support/temp_dir.h"

namespace infra::engine {
namespace {

Result<Value> Eval(std::string_view text, const EvalScope& scope) {
  auto e = ParseExpression(text, SourceLoc{"f.yaml", 1, 1});
  if (!e) return e.error();
  return Evaluate(**e, scope);
}

struct Case {
  const char* call;
  const char* want;  // an expression for the expected value
};

const Case kCases[] = {
    {R"(lower("HELLO"))", R"("hello")"},
    {R"(upper("hello"))", R"("HELLO")"},
    {R"(title("hello world"))", R"("Hello World")"},
    {R"(replace("1 + 2 + 3", "+", "-"))", R"("1 - 2 - 3")"},
    {R"(replace("hello world", "/w.*d/", "everybody"))", R"("hello everybody")"},
    {R"~(replace("hello world", "/(h)(e)/", "$2$1"))~", R"("ehllo world")"},
    {R"(regex("[a-z]+", "53453453.345345aaabbbccc23454"))", R"("aaabbbccc")"},
    {R"~(regex("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", "2019-02-01"))~", R"(["2019", "02", "01"])"},
    {R"(regexall("[a-z]+", "1234abcd5678efgh9"))", R"(["abcd", "efgh"])"},
    {R"(length(regexall("[a-z]+", "123456789")) > 0)", "false"},
    {R"(trimspace("  hello\n\n"))", R"("hello")"},
    {R"(trim("?!hello?!", "!?"))", R"("hello")"},
    {R"(trimprefix("helloworld", "hello"))", R"("world")"},
    {R"(trimprefix("helloworld", "cat"))", R"("helloworld")"},
    {R"(trimsuffix("helloworld", "world"))", R"("hello")"},
    {R"(substr("hello world", 1, 4))", R"("ello")"},
    {R"(substr("\U0001F914\U0001F937", 0, 1))", R"("\U0001F914")"},
    {R"(substr("hello world", -5, -1))", R"("world")"},
    {R"(substr("hello world", 6, 10))", R"("world")"},
    {R"(startswith("hello world", "hello"))", "true"},
    {R"(startswith("hello world", "world"))", "false"},
    {R"(endswith("hello world", "world"))", "true"},
    {R"(strrev("hello"))", R"("olleh")"},
    {R"(formatlist("Hello, %s!", ["Valentina", "Ander"]))", R"(["Hello, Valentina!", "Hello, Ander!"])"},
    {R"(formatlist("%s, %s!", "Salutations", ["Valentina", "Ander"]))",
     R"(["Salutations, Valentina!", "Salutations, Ander!"])"},
    {R"(index(["a", "b", "c"], "b"))", "1"},
    {R"(contains(["a", "b", "c"], "a"))", "true"},
    {R"(contains(["a", "b", "c"], "d"))", "false"},
    {R"(coalesce("a", "b"))", R"("a")"},
    {R"(coalesce("", "b"))", R"("b")"},
    {R"(coalesce(1, 2))", "1"},
    {R"(coalescelist(["a", "b"], ["c", "d"]))", R"(["a", "b"])"},
    {R"(coalescelist([], ["c", "d"]))", R"(["c", "d"])"},
    {"range(3)", "[0, 1, 2]"},
    {"range(1, 4)", "[1, 2, 3]"},
    {"range(1, 8, 2)", "[1, 3, 5, 7]"},
    {"range(1, 4, 0.5)", "[1, 1.5, 2, 2.5, 3, 3.5]"},
    {"range(4, 1)", "[4, 3, 2]"},
    {"range(10, 5, -2)", "[10, 8, 6]"},
    {"range(0)", "[]"},
    {R"(toset(["a", "b", "c", "b"]))", R"(["a", "b", "c"])"},
    {R"(tolist(["a", "b"]))", R"(["a", "b"])"},
    {R"(tomap({a = 1}))", "{a = 1}"},
    {R"(flatten([["a", "b"], [], ["c"]]))", R"(["a", "b", "c"])"},
    {R"(flatten([[["a", "b"], []], ["c"]]))", R"(["a", "b", "c"])"},
    {R"(distinct(["a", "b", "a", "c", "d", "b"]))", R"(["a", "b", "c", "d"])"},
    {R"(sort(["e", "d", "a", "x"]))", R"(["a", "d", "e", "x"])"},
    {"reverse([1, 2, 3])", "[3, 2, 1]"},
    {R"(slice(["a", "b", "c", "d"], 1, 3))", R"(["b", "c"])"},
    {R"(zipmap(["a", "b"], [1, 2]))", "{a = 1, b = 2}"},
    {R"(compact(["a", "", "b", null, "c"]))", R"(["a", "b", "c"])"},
    {R"(chunklist(["a", "b", "c", "d", "e"], 2))", R"([["a", "b"], ["c", "d"], ["e"]])"},
    {R"(chunklist(["a", "b", "c", "d", "e"], 1))", R"([["a"], ["b"], ["c"], ["d"], ["e"]])"},
    {R"(setunion(["a", "b"], ["b", "c"], ["d"]))", R"(["a", "b", "c", "d"])"},
    {R"(setintersection(["a", "b"], ["b", "c"], ["b", "d"]))", R"(["b"])"},
    {R"(setsubtract(["a", "b", "c"], ["a", "c"]))", R"(["b"])"},
    {R"(alltrue(["true", true]))", "true"},
    {"alltrue([true, false])", "false"},
    {"alltrue([])", "true"},
    {R"(anytrue(["true"]))", "true"},
    {"anytrue([true, false])", "true"},
    {"anytrue([])", "false"},
    {"one([])", "null"},
    {R"(one(["hello"]))", R"("hello")"},
    {"sum([10, 13, 6, 4.5])", "33.5"},
    {"min(12, 54, 3)", "3"},
    {"max(12, 54, 3)", "54"},
    {"abs(23)", "23"},
    {"abs(0)", "0"},
    {"abs(-12.4)", "12.4"},
    {"ceil(5)", "5"},
    {"ceil(5.1)", "6"},
    {"floor(5)", "5"},
    {"floor(4.9)", "4"},
    {"pow(3, 2)", "9"},
    {"pow(4, 0)", "1"},
    {R"(parseint("100", 10))", "100"},
    {R"(parseint("FF", 16))", "255"},
    {R"(parseint("-10", 16))", "-16"},
    {R"(parseint("1011111011101111", 2))", "48879"},
    {R"(parseint("aA", 62))", "656"},
    {R"(jsonencode({"hello" = "world"}))", R"("{\"hello\":\"world\"}")"},
    {R"(jsonencode({a = "<b>&"}))", R"("{\"a\":\"\\u003cb\\u003e\\u0026\"}")"},
    {R"(jsondecode("{\"hello\": \"world\"}"))", R"({hello = "world"})"},
    {R"(jsondecode("true"))", "true"},
    {R"(yamlencode({"a" = "b", "c" = "d"}))", R"("\"a\": \"b\"\n\"c\": \"d\"\n")"},
    {R"(yamlencode({"foo" = [1, 2, 3], "bar" = "baz"}))", R"("\"bar\": \"baz\"\n\"foo\":\n- 1\n- 2\n- 3\n")"},
    {R"(yamlencode({"foo" = [1, {"a" = "b", "c" = "d"}, 3], "bar" = "baz"}))",
     R"("\"bar\": \"baz\"\n\"foo\":\n- 1\n- \"a\": \"b\"\n  \"c\": \"d\"\n- 3\n")"},
    {R"(yamldecode("hello: world"))", R"({hello = "world"})"},
    {R"(yamldecode("true"))", "true"},
    {R"(yamldecode("{a: &foo [1, 2, 3], b: *foo}"))", "{a = [1, 2, 3], b = [1, 2, 3]}"},
    {R"(base64encode("Hello World"))", R"("SGVsbG8gV29ybGQ=")"},
    {R"(base64decode("SGVsbG8gV29ybGQ="))", R"("Hello World")"},
    {R"(md5("hello world"))", R"("5eb63bbbe01eeed093cb22bb8f5acdc3")"},
    {R"(sha1("hello world"))", R"("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed")"},
    {R"(sha256("hello world"))", R"("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")"},
    {R"(cidrsubnets("10.1.0.0/16", 4, 4, 8, 4))", R"(["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"])"},
    {R"(cidrnetmask("172.16.0.0/12"))", R"("255.240.0.0")"},
    {R"(try({a = 1}.b, "fallback"))", R"("fallback")"},
    {R"(try({a = 1}.a, "fallback"))", "1"},
    {"can({a = 1}.b)", "false"},
    {"can({a = 1}.a)", "true"},
};

TEST(TerraformFunctions, DocumentedExamples) {
  EmptyScope scope;
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.call);
    auto got = Eval(c.call, scope);
    ASSERT_TRUE(got) << got.error().message;
    auto want = Eval(c.want, scope);
    ASSERT_TRUE(want) << want.error().message;
    EXPECT_EQ(*got, *want) << got->ToDisplay() << " != " << want->ToDisplay();
  }
}

TEST(TerraformFunctions, DocumentedErrors) {
  EmptyScope scope;
  struct Bad {
    const char* call;
    const char* message;
  };
  const Bad kBad[] = {
      {R"(one(["hello", "goodbye"]))", "one(): the list must have at most one element, not 2"},
      {R"(parseint("12", 2))", "parseint(): cannot parse \"12\" as a base 2 integer"},
      {R"(index(["a"], "z"))", "index(): the list has no element \"z\""},
      {R"(regex("[0-9]+", "abc"))", "regex(): the pattern did not match any part of the given string"},
      {R"~(regex("(?P<y>\\d+)", "2019"))~", "regex(): named capture groups are not supported"},
      {R"(jsondecode("{nope"))", "jsondecode(): the argument is not valid JSON"},
      {R"(base64decode("abc"))", "base64decode(): the argument is not valid base64"},
      {R"(cidrsubnets("10.0.0.0/30", 1, 1, 1))", "cidrsubnets(): not enough remaining address space for a /31"},
      {R"(try({}.a, {}.b))", "try(): no argument could be evaluated"},
      {R"(file("x.txt"))", "file(): files can only be read from expressions in stack and module files"},
      {R"(slice([1, 2], 1, 3))", "slice(): start 1 and end 3 must satisfy 0 <= start <= end <= 2"},
  };
  for (const auto& b : kBad) {
    SCOPED_TRACE(b.call);
    auto got = Eval(b.call, scope);
    ASSERT_FALSE(got) << got->ToDisplay();
    EXPECT_NE(got.error().message.find(b.message), std::string::npos) << got.error().message;
    EXPECT_EQ(got.error().message.rfind("f.yaml:1:", 0), 0u) << got.error().message;
  }
}

/// var.u is unknown, var.s a sensitive string, var.l a list with an unknown element.
class MarkedScope : public EvalScope {
 public:
  Result<Resolved> Lookup(const Traversal& ref) const override {
    std::string n = ref.FirstAttr();
    if (n == "u") return Resolved{Value::Unknown(), 1};
    if (n == "s") return Resolved{Value::String("Secret").WithSensitive(true), 1};
    if (n == "l") return Resolved{Value::MakeList({Value::String("a"), Value::Unknown()}), 1};
    return MakeError(Error::Kind::kInvalid, "", "undefined");
  }
};

TEST(TerraformFunctions, UnknownAndSensitivePropagate) {
  MarkedScope scope;
  for (const char* unknown : {"upper(var.u)", "jsonencode({a = var.u})", "sha256(var.u)", "contains(var.l, \"b\")",
                              "flatten([var.u])", "cidrsubnets(var.u, 4)", "try(var.u, 1)", "can(var.u)",
                              "yamlencode(var.l)", "regexall(var.u, \"x\")", "sort(var.l)"}) {
    auto v = Eval(unknown, scope);
    ASSERT_TRUE(v) << unknown << ": " << v.error().message;
    EXPECT_TRUE(v->is_unknown()) << unknown << " gave " << v->ToDisplay();
  }
  EXPECT_EQ(*Eval("length(var.l)", scope), Value::Number(2));  // length of a known list is known
  for (const char* sensitive : {"lower(var.s)", "base64encode(var.s)", "md5(var.s)", "jsonencode([var.s])",
                                "replace(var.s, \"/e/\", \"3\")", "formatlist(\"%s!\", [var.s])", "try(var.s, 1)"}) {
    auto v = Eval(sensitive, scope);
    ASSERT_TRUE(v) << sensitive << ": " << v.error().message;
    bool marked = v->sensitive() || (v->kind() == ValueKind::kList && v->AsList()[0].sensitive());
    EXPECT_TRUE(marked) << sensitive;
    EXPECT_EQ(v->ToDisplay().find("Secret"), std::string::npos) << sensitive;
  }
}

TEST(TerraformFunctions, EveryListedFunctionExists) {
  const char* kListed[] = {
      "jsonencode", "jsondecode", "yamlencode", "yamldecode", "index", "contains", "lower", "upper", "title",
      "replace", "regex", "regexall", "trimspace", "trim", "trimprefix", "trimsuffix", "substr", "startswith",
      "endswith", "strrev", "coalesce", "coalescelist", "try", "can", "range", "toset", "tolist", "tomap",
      "flatten", "distinct", "sort", "reverse", "slice", "zipmap", "compact", "formatlist", "chunklist",
      "setunion", "setintersection", "setsubtract", "alltrue", "anytrue", "one", "sum", "min", "max", "abs",
      "ceil", "floor", "pow", "parseint", "base64encode", "base64decode", "md5", "sha1", "sha256",
      "filebase64sha256", "file", "fileexists", "templatefile", "abspath", "cidrsubnets", "cidrnetmask"};
  const auto& names = FunctionNames();
  for (const char* n : kListed) EXPECT_TRUE(std::binary_search(names.begin(), names.end(), n)) << n;
}

/// A scope like the stack's: file functions may read below `root`.
class FileScope : public EmptyScope {
 public:
  explicit FileScope(std::string root) : root_(std::move(root)) {}
  std::string FileRoot() const override { return root_; }

 private:
  std::string root_;
};

TEST(TerraformFunctions, FilesAreRelativeToTheStackDirectoryAndStayInsideTheRoot) {
  test::TempDir tmp("infra-fn-files");
  std::filesystem::create_directories(tmp.File("stack/mods/tpl"));
  std::ofstream(tmp.File("stack/mods/tpl/hello.tpl")) << "Hello, ${name}!%{for x in items} [${x}]%{endfor}";
  std::ofstream(tmp.File("stack/mods/policy.json")) << "{\"Version\": \"2012-10-17\"}";
  std::ofstream(tmp.File("secret.txt")) << "nope";
  FileScope scope(std::filesystem::canonical(tmp.File("stack")).string());
  auto at = [&](const std::string& file, const std::string& text) {
    auto e = ParseExpression(text, SourceLoc{tmp.File(file), 2, 3});
    EXPECT_TRUE(e) << e.error().message;
    return Evaluate(**e, scope);
  };
  auto t = at("stack/mods/net.yaml", R"(templatefile("mods/tpl/hello.tpl", {name = "web", items = ["a", "b"]}))");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(*t, Value::String("Hello, web! [a] [b]"));
  auto j = at("stack/mods/net.yaml", R"(jsondecode(file("mods/policy.json")).Version)");
  ASSERT_TRUE(j) << j.error().message;
  EXPECT_EQ(*j, Value::String("2012-10-17"));
  EXPECT_EQ(*at("stack/mods/net.yaml", R"(fileexists("nothing.txt"))"), Value::Bool(false));
  EXPECT_EQ(*at("stack/stack.yaml", R"(fileexists("mods/policy.json"))"), Value::Bool(true));
  auto h = at("stack/mods/net.yaml", R"(filebase64sha256("mods/policy.json"))");
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->AsString().size(), 44u);
  auto escape = at("stack/stack.yaml", R"(file("../secret.txt"))");
  ASSERT_FALSE(escape);
  EXPECT_NE(escape.error().message.find("is outside the stack's directory"), std::string::npos) << escape.error().message;
  EXPECT_FALSE(at("stack/stack.yaml", R"(file("/etc/passwd"))"));
  auto missing = at("stack/stack.yaml", R"(file("none.txt"))");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("no file \"none.txt\""), std::string::npos) << missing.error().message;
  // As Terraform: a module's "policy.json" is the stack directory's, not the module's.
  EXPECT_FALSE(at("stack/mods/net.yaml", R"(file("policy.json"))"));
  auto abs = at("stack/mods/net.yaml", R"(abspath("mods/tpl/../x"))");
  EXPECT_EQ(abs->AsString(), std::filesystem::canonical(tmp.File("stack")).string() + "/mods/x");
}

}  // namespace
}  // namespace infra::engine

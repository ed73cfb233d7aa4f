// Parser tests: grammar and precedence (via the canonical rendering),
// templates, traversals, reference collection and exact error locations.
#include <gtest/gtest.h>

#include "engine/lang/expr.h"

namespace infra::engine {
namespace {

SourceLoc At(int line, int col) { return SourceLoc{"stack.yaml", line, col}; }

std::string Parsed(std::string_view text) {
  auto e = ParseExpression(text, At(1, 1));
  if (!e) return "ERROR " + e.error().message;
  return (*e)->ToString();
}

std::string Tpl(std::string_view text) {
  auto e = ParseTemplate(text, At(1, 1));
  if (!e) return "ERROR " + e.error().message;
  return (*e)->ToString();
}

std::string ErrorOf(std::string_view text, SourceLoc start = At(1, 1)) {
  auto e = ParseTemplate(text, start);
  if (e) return "OK " + (*e)->ToString();
  EXPECT_EQ(e.error().code, "ExprSyntax");
  EXPECT_EQ(e.error().kind, Error::Kind::kInvalid);
  return e.error().message;
}

TEST(ExprParser, Literals) {
  EXPECT_EQ(Parsed("42"), "42");
  EXPECT_EQ(Parsed("1.5"), "1.5");
  EXPECT_EQ(Parsed("1e3"), "1000");
  EXPECT_EQ(Parsed("2.5E-1"), "0.25");
  EXPECT_EQ(Parsed("-7"), "-7");
  EXPECT_EQ(Parsed("true"), "true");
  EXPECT_EQ(Parsed("false"), "false");
  EXPECT_EQ(Parsed("null"), "null");
  EXPECT_EQ(Parsed("\"hi\""), "\"hi\"");
  EXPECT_EQ(Parsed("\"\""), "\"\"");
}

TEST(ExprParser, StringEscapes) {
  auto e = ParseExpression(R"("a\n\t\"\\\u00e9\U0001F600")", At(1, 1));
  ASSERT_TRUE(e) << e.error().message;
  ASSERT_EQ((*e)->kind, ExprKind::kLiteral);
  EXPECT_EQ((*e)->literal.AsString(), "a\n\t\"\\\xc3\xa9\xf0\x9f\x98\x80");
}

TEST(ExprParser, Precedence) {
  EXPECT_EQ(Parsed("1 + 2 * 3"), "(1 + (2 * 3))");
  EXPECT_EQ(Parsed("(1 + 2) * 3"), "((1 + 2) * 3)");
  EXPECT_EQ(Parsed("1 - 2 - 3"), "((1 - 2) - 3)");
  EXPECT_EQ(Parsed("8 / 4 % 3"), "((8 / 4) % 3)");
  EXPECT_EQ(Parsed("a.x < 1 + 2"), "(a.x < (1 + 2))");
  EXPECT_EQ(Parsed("a == b < c"), "(a == (b < c))");
  EXPECT_EQ(Parsed("a || b && c"), "(a || (b && c))");
  EXPECT_EQ(Parsed("a && b == c"), "(a && (b == c))");
  EXPECT_EQ(Parsed("!a && b"), "(!a && b)");
  EXPECT_EQ(Parsed("-a.n * 2"), "(-a.n * 2)");
  EXPECT_EQ(Parsed("a >= 1 != b <= 2"), "((a >= 1) != (b <= 2))");
  EXPECT_EQ(Parsed("a > 1 ? b : c"), "((a > 1) ? b : c)");
  EXPECT_EQ(Parsed("a ? b : c ? d : e"), "(a ? b : (c ? d : e))");
  EXPECT_EQ(Parsed("a ? b ? 1 : 2 : 3"), "(a ? (b ? 1 : 2) : 3)");
  EXPECT_EQ(Parsed("a || b ? 1 + 1 : 0"), "((a || b) ? (1 + 1) : 0)");
}

TEST(ExprParser, ListsMapsCalls) {
  EXPECT_EQ(Parsed("[]"), "[]");
  EXPECT_EQ(Parsed("[1, \"a\", [true],]"), "[1, \"a\", [true]]");
  EXPECT_EQ(Parsed("{}"), "{}");
  EXPECT_EQ(Parsed("{a = 1, \"b\": 2}"), "{\"a\" = 1, \"b\" = 2}");
  EXPECT_EQ(Parsed("{a = 1\n b = 2}"), "{\"a\" = 1, \"b\" = 2}");
  EXPECT_EQ(Parsed("{(var.k) = 1}"), "{var.k = 1}");
  EXPECT_EQ(Parsed("f()"), "f()");
  EXPECT_EQ(Parsed("join(\",\", [a.b, c])"), "join(\",\", [a.b, c])");
  EXPECT_EQ(Parsed("f(1,)"), "f(1)");
  EXPECT_EQ(Parsed("length(x)[0]"), "length(x)[0]");
  EXPECT_EQ(Parsed("f(x).attr"), "f(x).attr");
}

TEST(ExprParser, Traversals) {
  auto e = ParseExpression("module.net_primary.subnets[\"a\"].id", At(3, 10));
  ASSERT_TRUE(e) << e.error().message;
  ASSERT_EQ((*e)->kind, ExprKind::kReference);
  const Traversal& t = (*e)->traversal;
  EXPECT_EQ(t.root, "module");
  EXPECT_EQ(t.FirstAttr(), "net_primary");
  ASSERT_EQ(t.steps.size(), 4u);
  EXPECT_EQ(t.steps[2].kind, TraversalStep::Kind::kIndex);
  EXPECT_EQ(t.steps[2].key.AsString(), "a");
  EXPECT_EQ(t.loc, At(3, 10));
  EXPECT_EQ(t.steps[0].loc, At(3, 16));
  EXPECT_EQ(t.steps[2].loc, At(3, 36));
  EXPECT_EQ(t.ToString(), "module.net_primary.subnets[\"a\"].id");

  EXPECT_EQ(Parsed("public[0].id"), "public[0].id");
  EXPECT_EQ(Parsed("list.0"), "list[0]");
  EXPECT_EQ(Parsed("x[var.i].y"), "x[var.i].y");
  EXPECT_EQ(Parsed("count.index-1"), "(count.index - 1)");
  EXPECT_EQ(Parsed("my-res.id"), "my-res.id");
}

TEST(ExprParser, DynamicIndexEndsTraversal) {
  auto e = ParseExpression("x[var.i].y", At(1, 1));
  ASSERT_TRUE(e);
  EXPECT_EQ((*e)->kind, ExprKind::kGetAttr);
  EXPECT_EQ((*e)->name, "y");
  EXPECT_EQ((*e)->operands[0]->kind, ExprKind::kIndex);
}

TEST(ExprParser, Templates) {
  EXPECT_EQ(Tpl("plain text"), "\"plain text\"");
  EXPECT_EQ(Tpl(""), "\"\"");
  EXPECT_EQ(Tpl("${var.x}"), "var.x");
  EXPECT_EQ(Tpl("${ 1 + 2 }"), "(1 + 2)");
  EXPECT_EQ(Tpl("app-${var.env}-${region}"), "\"app-${var.env}-${region}\"");
  EXPECT_EQ(Tpl(" ${var.x}"), "\" ${var.x}\"");
  EXPECT_EQ(Tpl("$${literal}"), "\"$${literal}\"");
  EXPECT_EQ(Tpl("cost: $5 and $"), "\"cost: $5 and $\"");
  EXPECT_EQ(Tpl("${{a = \"}\"}}"), "{\"a\" = \"}\"}");
  EXPECT_EQ(Tpl("${var.on ? \"x-${region}\" : \"y\"}"), "(var.on ? \"x-${region}\" : \"y\")");
  auto e = ParseTemplate("$${x}", At(1, 1));
  ASSERT_TRUE(e);
  ASSERT_EQ((*e)->kind, ExprKind::kLiteral);
  EXPECT_EQ((*e)->literal.AsString(), "${x}");
  auto single = ParseTemplate("${true}", At(1, 1));
  ASSERT_TRUE(single);
  EXPECT_EQ((*single)->literal.kind(), ValueKind::kBool);  // keeps its type
}

TEST(ExprParser, CollectReferences) {
  auto e = ParseTemplate("${var.dr_active ? null : db_primary.arn}-${each.key}${f(count.index, {k = module.m.out})}",
                         At(5, 3));
  ASSERT_TRUE(e) << e.error().message;
  auto refs = CollectReferences(**e);
  ASSERT_EQ(refs.size(), 5u);
  EXPECT_EQ(refs[0].ToString(), "var.dr_active");
  EXPECT_EQ(refs[0].loc, At(5, 5));
  EXPECT_EQ(refs[1].ToString(), "db_primary.arn");
  EXPECT_EQ(refs[1].loc, At(5, 28));
  EXPECT_EQ(refs[2].ToString(), "each.key");
  EXPECT_EQ(refs[3].ToString(), "count.index");
  EXPECT_EQ(refs[4].root, "module");
  EXPECT_EQ(refs[4].FirstAttr(), "m");
  EXPECT_TRUE(CollectReferences(**ParseTemplate("no refs ${1 + 2}", At(1, 1))).empty());
}

TEST(ExprParser, IsConstant) {
  EXPECT_TRUE((*ParseExpression("[1, {a = \"x\"}]", At(1, 1)))->IsConstant());
  EXPECT_FALSE((*ParseExpression("[1, var.x]", At(1, 1)))->IsConstant());
  EXPECT_FALSE((*ParseExpression("length([])", At(1, 1)))->IsConstant());
}

TEST(ExprParser, NodeLocationsAcrossLines) {
  auto e = ParseTemplate("line one\n  ${vpc.id}", At(10, 7));
  ASSERT_TRUE(e);
  auto refs = CollectReferences(**e);
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].loc, At(11, 5));
}

TEST(ExprParser, ErrorLocations) {
  EXPECT_EQ(ErrorOf("${1 +}"), "stack.yaml:1:6: expected an expression, found '}'");
  EXPECT_EQ(ErrorOf("${a.}", At(4, 12)), "stack.yaml:4:16: expected an attribute name after '.', found '}'");
  EXPECT_EQ(ErrorOf("${var.x"), "stack.yaml:1:8: expected '}' to close the '${' at 1:1, found end of input");
  EXPECT_EQ(ErrorOf("ab ${x y}"), "stack.yaml:1:8: expected '}' to close the '${' at 1:4, found 'y'");
  EXPECT_EQ(ErrorOf("first\nsecond ${ @ }", At(2, 5)), "stack.yaml:3:11: expected an expression, found '@'");
  EXPECT_EQ(ErrorOf("${\"abc}"), "stack.yaml:1:3: unterminated string: missing closing '\"'");
  EXPECT_EQ(ErrorOf("${\"a\\qb\"}"), "stack.yaml:1:5: invalid escape sequence '\\q'; valid: \\n \\t \\r \\\" \\\\ \\uNNNN \\UNNNNNNNN");
  EXPECT_EQ(ErrorOf("${[1, 2}"), "stack.yaml:1:8: expected ']' or ',', found '}'");
  EXPECT_EQ(ErrorOf("${f(1 2)}"), "stack.yaml:1:7: expected ')' or ',', found '2'");
  EXPECT_EQ(ErrorOf("${a ? b}"), "stack.yaml:1:8: expected ':' of the conditional 'cond ? a : b', found '}'");
  EXPECT_EQ(ErrorOf("${{a 1}}"), "stack.yaml:1:6: expected '=' or ':' after a map key, found '1'");
  EXPECT_EQ(ErrorOf("${x[*.id}"), "stack.yaml:1:6: expected ']' after '[*', found '.'");
  EXPECT_EQ(ErrorOf("${[for s in x s]}"), "stack.yaml:1:15: expected ':' after 'for ... in <collection>', found 's'");
  EXPECT_EQ(ErrorOf("${[for s x]}"), "stack.yaml:1:10: expected 'in' after the names of a 'for', found 'x'");
  EXPECT_EQ(ErrorOf("${{for k, v in m : k v}}"), "stack.yaml:1:22: expected '=>' between the key and the value of a map 'for', found 'v'");
  EXPECT_EQ(ErrorOf("${[for s in x : s...]}"), "stack.yaml:1:18: '...' (grouping) is only allowed in a map 'for' expression");
  EXPECT_EQ(ErrorOf("a %{if x}b"), "stack.yaml:1:3: %{if} has no matching %{endif}");
  EXPECT_EQ(ErrorOf("a %{endif} b"), "stack.yaml:1:3: %{endif} without a matching %{if}");
  EXPECT_EQ(ErrorOf("%{for x in y}%{endif}"), "stack.yaml:1:14: unexpected %{endif} inside the %{for} at 1:1");
  EXPECT_EQ(ErrorOf("%{while x}"), "stack.yaml:1:3: unknown template directive at 'w'; valid: %{if}, %{else}, %{endif}, %{for}, %{endfor} (write %%{ for a literal '%{')");
  EXPECT_EQ(ErrorOf("${12abc}"), "stack.yaml:1:5: unexpected 'a' after a number");
  EXPECT_EQ(ErrorOf("${}"), "stack.yaml:1:3: expected an expression, found '}'");
  // Columns count characters, not UTF-8 bytes.
  EXPECT_EQ(ErrorOf("\xc3\xa9\xc3\xa9${+}"), "stack.yaml:1:5: expected an expression, found '+'");
}

TEST(ExprParser, BareExpressionRejectsTrailingInput) {
  auto e = ParseExpression("a b", At(1, 1));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().message, "stack.yaml:1:3: unexpected 'b' after the expression");
}

TEST(ExprParser, DeepNestingIsAnErrorNotACrash) {
  std::string deep(5000, '(');
  deep += "1";
  deep.append(5000, ')');
  auto e = ParseExpression(deep, At(1, 1));
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("nested too deeply"), std::string::npos);
  std::string brackets = "${";
  brackets.append(5000, '[');
  brackets += "}";
  EXPECT_FALSE(ParseTemplate(brackets, At(1, 1)));
  std::string nots = "${";
  nots.append(5000, '!');
  nots += "true}";
  EXPECT_FALSE(ParseTemplate(nots, At(1, 1)));
}

}  // namespace
}  // namespace infra::engine

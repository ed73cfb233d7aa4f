// YAML reader: locations of keys and values, scalar quoting, duplicate keys,
// tabs, syntax errors, aliases and their limits, file size limits.
#include "engine/lang/yaml_reader.h"

#include <gtest/gtest.h>

#include <fstream>

#include "engine/lang/diag.h"
#include "engine/lang/input_file.h"
#include "support/temp_dir.h"

namespace infra::engine {
namespace {

TEST(YamlReaderTest, KeepsOneBasedLocationsOfKeysAndValues) {
  Diagnostics d;
  auto root = ReadYamlString("a: 1\nb:\n  c: \"x\"\n  d: [p, q]\n", "f.yaml", d);
  ASSERT_TRUE(root);
  EXPECT_FALSE(d.has_errors());
  ASSERT_TRUE(root->is_map());
  const YamlEntry* b = root->GetEntry("b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->key_loc.ToString(), "f.yaml:2:1");
  const YamlNode* c = b->value.Get("c");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->quoted);
  EXPECT_EQ(c->scalar, "x");
  EXPECT_EQ(c->loc.line, 3);
  EXPECT_EQ(c->loc.column, 6);
  const YamlNode* list = b->value.Get("d");
  ASSERT_TRUE(list->is_sequence());
  EXPECT_EQ(list->items[1].loc.column, 10);
  EXPECT_FALSE(root->Get("a")->quoted);
}

TEST(YamlReaderTest, ReportsEveryDuplicateKeyWithBothPlaces) {
  Diagnostics d;
  auto root = ReadYamlString("a: 1\nb: 2\na: 3\nm: {x: 1, x: 2}\n", "f.yaml", d);
  ASSERT_TRUE(root);
  ASSERT_EQ(d.error_count(), 2u);
  EXPECT_EQ(d.items()[0].loc.ToString(), "f.yaml:3:1");
  EXPECT_NE(d.items()[0].summary.find("first defined at line 1, column 1"), std::string::npos);
  EXPECT_EQ(d.items()[1].loc.ToString(), "f.yaml:4:11");
  EXPECT_EQ(root->Get("a")->scalar, "1");  // the first value is kept
}

TEST(YamlReaderTest, TabsInIndentationAreErrorsAtTheTab) {
  Diagnostics d;
  auto root = ReadYamlString("a:\n  b: 1\n \tc: 2\nd: \"tab\tinside is fine\"\n", "f.yaml", d);
  EXPECT_FALSE(root);
  ASSERT_EQ(d.error_count(), 1u);
  EXPECT_EQ(d.items()[0].loc.ToString(), "f.yaml:3:2");
}

TEST(YamlReaderTest, SyntaxErrorHasLocationAndNoCrash) {
  Diagnostics d;
  EXPECT_FALSE(ReadYamlString("a: [1, 2\nb: 3\n", "f.yaml", d));
  ASSERT_TRUE(d.has_errors());
  EXPECT_EQ(d.items()[0].loc.file, "f.yaml");
  EXPECT_GT(d.items()[0].loc.line, 0);
  EXPECT_NE(d.items()[0].summary.find("invalid YAML"), std::string::npos);
}

TEST(YamlReaderTest, AliasesCopyTheAnchoredNode) {
  Diagnostics d;
  auto root = ReadYamlString("base: &b {x: 1}\nother: *b\n", "f.yaml", d);
  ASSERT_TRUE(root);
  ASSERT_TRUE(root->Get("other")->is_map());
  EXPECT_EQ(root->Get("other")->Get("x")->scalar, "1");
  EXPECT_EQ(root->Get("other")->loc.line, 2);
}

TEST(YamlReaderTest, EmptyDocumentIsNullAndMissingFileIsAnError) {
  Diagnostics d;
  auto root = ReadYamlString("", "f.yaml", d);
  ASSERT_TRUE(root);
  EXPECT_TRUE(root->is_null());
  EXPECT_FALSE(ReadYamlFile("/nonexistent/x.yaml", d, SourceLoc{"s.yaml", 4, 9}));
  ASSERT_TRUE(d.has_errors());
  EXPECT_EQ(d.items().back().loc.ToString(), "s.yaml:4:9");
}

// `levels` anchors, each a list of ten aliases of the one before: 10^levels
// nodes once expanded, from a few hundred bytes.
std::string NestedAliases(int levels, int fanout = 10) {
  std::string text = "l0: &a0 [x]\n";
  for (int i = 1; i <= levels; ++i) {
    text += "l" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < fanout; ++j) text += (j ? ", *a" : "*a") + std::to_string(i - 1);
    text += "]\n";
  }
  return text;
}

TEST(YamlReaderTest, AliasExpansionPastTheNodeLimitIsAnErrorAtTheAlias) {
  for (int levels : {7, 10}) {  // 2.4 GB and std::bad_alloc before the limit
    Diagnostics d;
    auto root = ReadYamlString(NestedAliases(levels), "bomb.yaml", d);
    EXPECT_FALSE(root) << levels;
    ASSERT_EQ(d.error_count(), 1u) << d.RenderAll();
    const Diagnostic& e = d.items().back();
    EXPECT_EQ(e.loc.file, "bomb.yaml");
    EXPECT_EQ(e.loc.line, 6) << d.RenderAll();  // 10^5 nodes are first passed on line 6 (level 5)
    EXPECT_NE(e.summary.find("more than 100000 nodes"), std::string::npos) << e.summary;
  }
}

TEST(YamlReaderTest, AliasesNestedPastTheDepthLimitAreAnErrorAtTheAlias) {
  Diagnostics d;
  auto root = ReadYamlString(NestedAliases(kMaxYamlAliasDepth + 1, 1), "deep.yaml", d);
  EXPECT_FALSE(root);
  ASSERT_EQ(d.error_count(), 1u) << d.RenderAll();
  EXPECT_EQ(d.items().back().loc.line, kMaxYamlAliasDepth + 2);
  EXPECT_NE(d.items().back().summary.find("nest more than 8 deep"), std::string::npos);
  Diagnostics ok;
  EXPECT_TRUE(ReadYamlString(NestedAliases(kMaxYamlAliasDepth, 1), "deep.yaml", ok)) << ok.RenderAll();
  Diagnostics wide;
  EXPECT_TRUE(ReadYamlString(NestedAliases(4), "wide.yaml", wide)) << wide.RenderAll();  // 10^4 nodes: fine
}

TEST(YamlReaderTest, DirectoryDeviceAndOversizedFilesAreErrorsNotHangs) {
  test::TempDir tmp("infra-yaml-reader");
  Diagnostics d;
  EXPECT_FALSE(ReadYamlFile(tmp.path(), d, SourceLoc{"s.yaml", 2, 3}));
  ASSERT_EQ(d.error_count(), 1u);
  EXPECT_NE(d.items().back().summary.find("is a directory"), std::string::npos) << d.RenderAll();
  EXPECT_EQ(d.items().back().loc.ToString(), "s.yaml:2:3");
  EXPECT_FALSE(ReadYamlFile("/dev/zero", d));
  ASSERT_EQ(d.error_count(), 2u);
  EXPECT_NE(d.items().back().summary.find("larger than 16 MiB"), std::string::npos) << d.RenderAll();
  std::string small = tmp.File("small.yaml");
  std::ofstream(small) << "a: 1234567890\n";
  auto limited = ReadInputFile(small, 8);
  ASSERT_FALSE(limited.ok());
  EXPECT_NE(limited.error().message.find("larger than 8 bytes"), std::string::npos) << limited.error().message;
  auto whole = ReadInputFile(small, 14);
  ASSERT_TRUE(whole.ok()) << whole.error().message;
  EXPECT_EQ(*whole, "a: 1234567890\n");
}

TEST(DiagnosticsTest, RendersHeadlineSourceLineAndCaret) {
  Diagnostics d;
  d.AddSource("s.yaml", "a: 1\n  cidr_blok: x\n");
  d.Error(SourceLoc{"s.yaml", 2, 3}, "aws_vpc.v", "unknown attribute 'cidr_blok'", "More words.");
  d.Error(SourceLoc{"s.yaml", 2, 3}, "aws_vpc.v", "unknown attribute 'cidr_blok'");  // same place+text: dropped
  EXPECT_EQ(d.error_count(), 1u);
  EXPECT_EQ(d.RenderAll(),
            "s.yaml:2:3: aws_vpc.v: unknown attribute 'cidr_blok'\n    cidr_blok: x\n    ^\n  More words.\n");
  d.Warning(SourceLoc{}, "", "just so");
  EXPECT_EQ(Diagnostics::Headline(d.items().back()), "warning: just so");
  EXPECT_EQ(d.error_count(), 1u);
}

}  // namespace
}  // namespace infra::engine

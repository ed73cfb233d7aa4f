// import: entries parsed from stack.yaml, their ids evaluated from
// variables and locals; an address not declared, a data source, a double
// import, an id known only after apply and a bad shape are errors at the
// entry's place.
#include <gtest/gtest.h>

#include <fstream>

#include "engine/lang/diag.h"
#include "engine/lang/stack.h"
#include "fakes/fake_provider.h"
#include "support/temp_dir.h"

namespace infra::engine {
namespace {

constexpr const char* kResources = R"(variables:
  suffix: {type: string}
locals:
  prefix: thing
resources:
  a: {type: fake_thing, name: a}
  b: {type: fake_thing, name: b}
)";
class StackImportsTest : public ::testing::Test {
 protected:
  StackImportsTest() { provider_.AddThing("fake_thing"); }
  Result<Stack> Load(const std::string& body, LoadMode mode = {}) {
    std::ofstream(tmp_.File("stack.yaml")) << "stack: i\nregions:\n  primary: eu-west-1\n" << kResources << body;
    VariableInputs in{{}, false};
    in.AddVar("suffix", "7");
    return LoadStack(tmp_.path(), in, provider_, diags_, mode);
  }
  bool Says(const std::string& text) const { return diags_.RenderAll().find(text) != std::string::npos; }
  test::TempDir tmp_{"infra-imports"};
  test::FakeProvider provider_;
  Diagnostics diags_;
};


TEST_F(StackImportsTest, IdsComeFromVariablesAndLocals) {
  auto s = Load(R"(import:
  - {to: fake_thing.a, id: "${local.prefix}-${var.suffix}"}
  - {to: fake_thing.b, id: plain-id}
)");
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  ASSERT_EQ(s->imports().size(), 2u);
  EXPECT_EQ(s->imports()[0].to, "fake_thing.a");
  EXPECT_EQ(s->imports()[0].id, "thing-7");
  EXPECT_EQ(s->imports()[1].id, "plain-id");
  EXPECT_EQ(s->imports()[0].loc.line, 12);
}

TEST_F(StackImportsTest, BadEntriesAreErrorsAtTheirPlace) {
  auto s = Load(R"(data:
  d: {type: fake_thing, name: d}
import:
  - {to: fake_thing.c, id: x}
  - {to: data.fake_thing.d, id: x}
  - {to: fake_thing.a, id: x}
  - {to: fake_thing.a, id: y}
  - {to: fake_thing.b, id: "${a.arn}"}
  - {to: fake_thing.b}
  - {to: fake_thing.b, id: x, ids: y}
)");
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(Says("stack.yaml:14:5: import to fake_thing.c: no such resource instance is declared in the stack; "
                   "did you mean fake_thing.a?")) << diags_.RenderAll();
  EXPECT_TRUE(Says("stack.yaml:15:5: import to data.fake_thing.d: a data source is read, not imported"))
      << diags_.RenderAll();
  EXPECT_TRUE(Says("stack.yaml:17:5: import to fake_thing.a: the address is imported twice")) << diags_.RenderAll();
  EXPECT_TRUE(Says("stack.yaml:18:5: import to fake_thing.b: the id must be a non-empty string known before apply"))
      << diags_.RenderAll();
  EXPECT_TRUE(Says("stack.yaml:19:5: an import entry needs 'id'")) << diags_.RenderAll();
  EXPECT_TRUE(Says("'ids'")) << diags_.RenderAll();
}

TEST_F(StackImportsTest, NotAListIsAnError) {
  auto s = Load("import: {to: fake_thing.a, id: x}\n");
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(Says("'import' must be a list of {to, id} maps")) << diags_.RenderAll();
}

}  // namespace
}  // namespace infra::engine

namespace infra::engine {
namespace {

class StackImportsForEachTest : public StackImportsTest {};

TEST_F(StackImportsForEachTest, ForEachMakesOneEntryPerElementWithEachInIdAndAddress) {
  auto s = Load(R"(  many:
    type: fake_thing
    for_each: {x: 1, "y z": 2}
    name: m-${each.key}
import:
  - for_each: {x: id-x, "y z": id-y}
    to: fake_thing.many[each.key]
    id: ${each.value}-${var.suffix}
)");
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  ASSERT_EQ(s->imports().size(), 2u);
  EXPECT_EQ(s->imports()[0].to, "fake_thing.many[\"x\"]");
  EXPECT_EQ(s->imports()[0].id, "id-x-7");
  EXPECT_EQ(s->imports()[1].to, "fake_thing.many[\"y z\"]");
  EXPECT_EQ(s->imports()[1].id, "id-y-7");
}

TEST_F(StackImportsForEachTest, AnElementImportingAnAddressAgainIsAnError) {
  auto s = Load(R"(  many:
    type: fake_thing
    for_each: {x: 1}
    name: m-${each.key}
import:
  - {for_each: {x: id-x}, to: "fake_thing.many[each.key]", id: "${each.value}"}
  - {for_each: ["a"], to: 'fake_thing.many["x"]', id: "${each.value}"}
)");
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(Says("import to fake_thing.many[\"x\"]: the address is imported twice")) << diags_.RenderAll();
}

TEST_F(StackImportsForEachTest, BadForEachAndKeysAreErrorsAtTheEntry) {
  auto s = Load(R"(  many:
    type: fake_thing
    for_each: {x: 1}
    name: m-${each.key}
import:
  - {for_each: "${var.suffix}", to: "fake_thing.many[each.key]", id: x}
  - {for_each: {q: 1}, to: "fake_thing.many[each.key]", id: x}
  - {for_each: [1], to: "fake_thing.many[each.key]", id: x}
)");
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(Says("for_each must be a map or a set of strings, got string")) << diags_.RenderAll();
  EXPECT_TRUE(Says("import to fake_thing.many[\"q\"]: no such resource instance")) << diags_.RenderAll();
  EXPECT_TRUE(Says("for_each over a list needs strings")) << diags_.RenderAll();
  EXPECT_TRUE(Says("stack.yaml:16:")) << diags_.RenderAll();
}

}  // namespace
}  // namespace infra::engine

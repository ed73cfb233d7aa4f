// Every ```yaml example in docs/stack-language.md is extracted and checked,
// so the documentation cannot drift from the language: each must be valid
// YAML, and each is loaded as a stack (validate mode: unset variables are
// unknown). A block whose first line is `# path/file.yaml` is written to
// that path of one scratch directory shared by the whole document (a
// module file, then the stack that uses it); `# name.vars.yaml` blocks are
// variable files (YAML only); blocks with `stack:` are complete stacks; any
// other block is a fragment, loaded under a two-region header. `# (error)` marks an example that shows
// an error on purpose: it must fail to load.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/lang/diag.h"
#include "engine/lang/stack.h"
#include "engine/lang/yaml_reader.h"
#include "engine/cli/providers.h"
#include "providers/provider.h"
#include "support/temp_dir.h"
#include "test_paths.h"

namespace infra::engine {
namespace {
namespace fs = std::filesystem;

struct Block {
  int line = 0;  // of the first line inside the fence
  std::string text;
};

std::vector<Block> YamlBlocks(const std::string& path) {
  std::ifstream in(path);
  std::vector<Block> out;
  std::string line;
  int n = 0;
  bool inside = false;
  while (std::getline(in, line)) {
    ++n;
    if (!inside && line == "```yaml") {
      inside = true;
      out.push_back(Block{n + 1, ""});
    } else if (inside && line == "```") {
      inside = false;
    } else if (inside) {
      out.back().text += line + "\n";
    }
  }
  return out;
}

TEST(DocsExamples, EveryYamlExampleIsValid) {
  std::string doc = test::SourceDir() + "/docs/stack-language.md";
  auto blocks = YamlBlocks(doc);
  ASSERT_GE(blocks.size(), 15u);
  auto provider = engine::NewProviders({});
  test::TempDir tmp("infra-docs");
  LoadMode mode;
  mode.unset_as_unknown = true;
  for (const auto& b : blocks) {
    SCOPED_TRACE(doc + ":" + std::to_string(b.line));
    Diagnostics yaml_diags;
    auto root = ReadYamlString(b.text, "example.yaml", yaml_diags);
    ASSERT_TRUE(root && !yaml_diags.has_errors()) << yaml_diags.RenderAll() << b.text;
    std::string first = b.text.substr(0, b.text.find('\n'));
    bool error_example = b.text.find("# (error)") != std::string::npos;
    // "# modules/x.yaml ..." names a module file; "# x.vars.yaml ..." a variable file.
    std::string named = first.rfind("# ", 0) == 0 ? first.substr(2, first.find_first_of(" :,", 2) - 2) : "";
    if (named.size() > 10 && named.compare(named.size() - 10, 10, ".vars.yaml") == 0) continue;  // YAML only
    std::string target = named.find('/') != std::string::npos ? named : "stack.yaml";
    std::string text = b.text;
    bool module_file = target != "stack.yaml";
    fs::path dir = fs::path(tmp.path()) / ("block" + std::to_string(b.line));
    if (module_file) dir = fs::path(tmp.path()) / "shared";
    else if (root->is_map() && root->Get("modules")) dir = fs::path(tmp.path()) / "shared";
    fs::create_directories((dir / target).parent_path());
    if (!module_file && root->is_map() && !root->Get("stack"))
      text = (root->Get("regions") ? "stack: doc\n" : "stack: doc\nregions:\n  primary: eu-central-1\n  dr: eu-west-1\n") + text;
    std::ofstream(dir / target) << text;
    if (module_file) continue;  // loaded through the stack that uses it
    Diagnostics diags;
    auto stack = LoadStack(dir.string(), VariableInputs{{}, false}, *provider, diags, mode);
    if (error_example)
      EXPECT_FALSE(stack.ok()) << "an example marked (error) loaded cleanly:\n" << b.text;
    else
      EXPECT_TRUE(stack.ok()) << diags.RenderAll() << text;
    fs::remove(dir / "stack.yaml");
  }
}

}  // namespace
}  // namespace infra::engine

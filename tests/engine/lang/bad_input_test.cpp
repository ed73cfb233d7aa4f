// The bad-input corpus: every tests/data/bad/<case>/ holds a stack.yaml
// (plus modules) and expect.txt naming the location ("location: FILE:L:C",
// FILE relative to the case folder), a substring of the message ("message:")
// and optionally the address ("address:"). One table-driven test loads each
// case as `infra validate` does and requires a matching diagnostic; a few
// cases are also run through the built `infra` binary.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "providers/aws/aws_provider.h"
#include "engine/lang/diag.h"
#include "engine/graph/graph.h"
#include "engine/lang/stack.h"
#include "providers/provider.h"
#include "test_paths.h"

namespace infra::engine {
namespace {
namespace fs = std::filesystem;

struct Expectation {
  std::string location, message, address;
};

Expectation ReadExpectation(const fs::path& file) {
  Expectation e;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    auto take = [&](const char* key, std::string& out) {
      std::string k = std::string(key) + ": ";
      if (line.rfind(k, 0) == 0) out = line.substr(k.size());
    };
    take("location", e.location);
    take("message", e.message);
    take("address", e.address);
  }
  return e;
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> out;
  for (const auto& d : fs::directory_iterator(test::DataDir() + "/bad"))
    if (d.is_directory()) out.push_back(d.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(BadInputTest, CorpusHasAtLeastFortyCases) { EXPECT_GE(CaseNames().size(), 40u); }

TEST(BadInputTest, EveryCaseReportsItsErrorAtItsLocation) {
  auto provider = aws::NewAwsProvider({});
  for (const auto& name : CaseNames()) {
    SCOPED_TRACE(name);
    fs::path dir = fs::path(test::DataDir()) / "bad" / name;
    ASSERT_TRUE(fs::exists(dir / "expect.txt")) << "missing expect.txt";
    Expectation want = ReadExpectation(dir / "expect.txt");
    ASSERT_FALSE(want.message.empty());
    Diagnostics diags;
    VariableInputs in;
    in.read_environment = false;
    auto stack = LoadStack(dir.string(), in, *provider, diags);
    if (stack.ok()) {
      Graph graph(*stack);
      CheckAcyclic(graph, diags);
    }
    EXPECT_TRUE(diags.has_errors());
    bool found = false;
    for (const auto& d : diags.items()) {
      std::string loc = d.loc.ToString();
      std::string prefix = dir.string() + "/";
      if (loc.rfind(prefix, 0) == 0) loc = loc.substr(prefix.size());
      if (loc == want.location && d.summary.find(want.message) != std::string::npos &&
          (want.address.empty() || d.address == want.address))
        found = true;
    }
    EXPECT_TRUE(found) << "wanted " << want.location << ": " << want.address << ": " << want.message << "\ngot:\n"
                       << diags.RenderAll();
  }
}

struct RunResult {
  int exit_code = -1;
  std::string output;
};

RunResult RunInfra(const std::string& args) {
  RunResult r;
  std::string cmd = test::InfraBinary() + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(BadInputTest, ValidateBinaryExitsOneWithLocatedMessages) {
  for (const char* name : {"unknown_attribute", "cycle_through_module", "tab_indentation", "module_recursion_self"}) {
    SCOPED_TRACE(name);
    fs::path dir = fs::path(test::DataDir()) / "bad" / name;
    Expectation want = ReadExpectation(dir / "expect.txt");
    RunResult r = RunInfra("validate " + dir.string());
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find(dir.string() + "/" + want.location + ": "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find(want.message), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("Success!"), std::string::npos);
  }
}

TEST(BadInputTest, ValidateBinaryAcceptsAGoodStack) {
  RunResult r = RunInfra("validate " + test::DataDir() + "/stacks/basic");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Success! The stack is valid."), std::string::npos) << r.output;
  RunResult via_c = RunInfra("-C " + test::DataDir() + "/stacks/basic validate -var replicas=20");
  EXPECT_EQ(via_c.exit_code, 1) << via_c.output;
  EXPECT_NE(via_c.output.find("replicas must be between 0 and 9"), std::string::npos) << via_c.output;
}

}  // namespace
}  // namespace infra::engine

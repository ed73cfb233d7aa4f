// Graph: edges from references and depends_on, deterministic topological
// order, shortest-cycle reporting (with locations, <= 10 lines), DOT/JSON.
#include "providers/aws/aws_provider.h"
#include "engine/graph/graph.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/lang/diag.h"
#include "engine/lang/stack.h"
#include "providers/provider.h"
#include "support/temp_dir.h"
#include "test_paths.h"

namespace infra::engine {
namespace {

class GraphTest : public ::testing::Test {
 protected:
  Result<Stack> LoadText(const std::string& text) {
    std::string dir = tmp_.File("stack_" + std::to_string(counter_++));
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/stack.yaml") << text;
    return LoadStack(dir, VariableInputs{{}, false}, *provider_, diags_);
  }
  std::unique_ptr<provider::Provider> provider_ = aws::NewAwsProvider({});
  Diagnostics diags_;
  test::TempDir tmp_{"infra-graph-test"};
  int counter_ = 0;
};

const char* kHeader = "stack: g\nregions:\n  primary: eu-central-1\n  dr: eu-west-1\nresources:\n";

std::string SecurityGroup(const std::string& name, const std::string& description) {
  return "  " + name + ":\n    type: aws_security_group\n    description: " + description + "\n";
}

TEST_F(GraphTest, TopologicalOrderPutsDependenciesFirst) {
  auto s = LoadStack(test::DataDir() + "/stacks/basic", VariableInputs{{}, false}, *provider_, diags_);
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  Graph g(*s);
  auto order = g.TopologicalOrder();
  ASSERT_TRUE(order.ok()) << order.error().message;
  ASSERT_EQ(order->size(), s->resources().size());
  std::vector<size_t> pos(order->size());
  for (size_t i = 0; i < order->size(); ++i) pos[(*order)[i]] = i;
  for (size_t n = 0; n < g.size(); ++n)
    for (const auto& d : g.dependencies(n)) EXPECT_LT(pos[d.node], pos[n]) << g.address(n);
  // gw depends on both subnets explicitly and on the vpc by reference.
  size_t gw = *s->IndexOf("aws_internet_gateway.gw");
  EXPECT_EQ(g.dependencies(gw).size(), 3u);
  EXPECT_EQ(g.dependencies(gw)[0].attribute, "id");
  EXPECT_TRUE(g.dependencies(gw)[1].explicit_dep);
  auto again = Graph(*s).TopologicalOrder();
  EXPECT_EQ(*order, *again);
}

TEST_F(GraphTest, ReportsShortestCycleWithLocations) {
  // a -> b -> c -> a plus a shortcut b -> a: the shortest loop is a <-> b.
  auto s = LoadText(std::string(kHeader) + SecurityGroup("a", "${b.id}") + SecurityGroup("b", "${join(c.id, a.id)}") +
                    SecurityGroup("c", "${a.id}"));
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  Graph g(*s);
  auto cycle = g.FindCycle();
  ASSERT_EQ(cycle.size(), 2u);
  EXPECT_EQ(g.address(cycle[0].from), "aws_security_group.a");
  EXPECT_EQ(g.address(cycle[0].to), "aws_security_group.b");
  EXPECT_EQ(cycle[0].via.loc.line, 8);
  EXPECT_EQ(g.address(cycle[1].to), "aws_security_group.a");
  auto order = g.TopologicalOrder();
  ASSERT_FALSE(order.ok());
  EXPECT_EQ(order.error().code, "DependencyCycle");
  EXPECT_NE(order.error().message.find("aws_security_group.b -> aws_security_group.a"), std::string::npos)
      << order.error().message;
  Diagnostics d;
  EXPECT_FALSE(CheckAcyclic(g, d));
  EXPECT_EQ(d.error_count(), 1u);
}

TEST_F(GraphTest, LongCycleRendersInAtMostTenLines) {
  std::string text = kHeader;
  const int n = 30;
  for (int i = 0; i < n; ++i) text += SecurityGroup("s" + std::to_string(i), "${s" + std::to_string((i + 1) % n) + ".id}");
  auto s = LoadText(text);
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  Graph g(*s);
  auto cycle = g.FindCycle();
  ASSERT_EQ(cycle.size(), static_cast<size_t>(n));
  std::string rendered = g.RenderCycle(cycle);
  EXPECT_LE(std::count(rendered.begin(), rendered.end(), '\n'), 10);
  EXPECT_NE(rendered.find("between 30 resources"), std::string::npos);
}

TEST_F(GraphTest, LongChainHasNoCycleAndNoRecursionLimit) {
  std::string text = kHeader;
  text += SecurityGroup("s0", "root");
  for (int i = 1; i < 20000; ++i)
    text += SecurityGroup("s" + std::to_string(i), "${s" + std::to_string(i - 1) + ".id}");
  auto s = LoadText(text);
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  Graph g(*s);
  EXPECT_TRUE(g.FindCycle().empty());
  auto order = g.TopologicalOrder();
  ASSERT_TRUE(order.ok());
  EXPECT_EQ(order->front(), 0u);
  EXPECT_EQ(order->back(), 19999u);
}

TEST_F(GraphTest, DotHasClusterPerRegionAndJsonListsEdges) {
  auto s = LoadStack(test::DataDir() + "/stacks/basic", VariableInputs{{}, false}, *provider_, diags_);
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  Graph g(*s);
  std::string dot = g.ToDot();
  EXPECT_NE(dot.find("subgraph \"cluster_primary\""), std::string::npos);
  EXPECT_NE(dot.find("subgraph \"cluster_dr\""), std::string::npos);
  EXPECT_NE(dot.find("\"aws_subnet.subnet[\\\"a\\\"]\" -> \"aws_vpc.vpc\";"), std::string::npos) << dot;
  EXPECT_NE(dot.find("[style=dashed]"), std::string::npos);
  auto j = nlohmann::json::parse(g.ToJson());
  EXPECT_EQ(j["nodes"].size(), s->resources().size());
  EXPECT_EQ(j["edges"].size(), g.edge_count());
  EXPECT_EQ(j["nodes"][5]["region"], "dr");
}

}  // namespace
}  // namespace infra::engine

// The shared graph algorithms: reachability (closures) and the stable
// topological order, on small hand-drawn graphs.
#include "engine/graph/adjacency.h"

#include <gtest/gtest.h>

namespace infra::engine {
namespace {

using V = std::vector<size_t>;

TEST(AdjacencyTest, ReversedTurnsEveryEdgeAround) {
  Adjacency g{{1, 2}, {2}, {}};
  EXPECT_EQ(Reversed(g), (Adjacency{{}, {0}, {0, 1}}));
}

TEST(AdjacencyTest, ReachableExcludesStartsUnlessAPathLeadsBack) {
  Adjacency g{{1}, {2}, {}, {0}};
  EXPECT_EQ(Reachable(g, {0}), (V{1, 2}));
  EXPECT_EQ(Reachable(g, {3}), (V{0, 1, 2}));
  EXPECT_EQ(Reachable(g, {2}), V{});
  Adjacency loop{{1}, {0}};
  EXPECT_EQ(Reachable(loop, {0}), (V{0, 1}));
}

TEST(AdjacencyTest, ReachableFromSeveralStartsIsTheirUnion) {
  Adjacency g{{2}, {3}, {}, {}, {}};
  EXPECT_EQ(Reachable(g, {0, 1}), (V{2, 3}));
  EXPECT_EQ(Reachable(g, {7}), V{});  // out of range: ignored
}

TEST(AdjacencyTest, ReachableOnADeepChainDoesNotRecurse) {
  Adjacency chain(100000);
  for (size_t i = 0; i + 1 < chain.size(); ++i) chain[i] = {i + 1};
  EXPECT_EQ(Reachable(chain, {0}).size(), chain.size() - 1);
}

TEST(AdjacencyTest, TopologicalOrderPutsNeedsFirstAndKeepsIndexOrderOtherwise) {
  // 0 needs 2; 1 needs nothing; 2 needs nothing; 3 needs 0 and 1.
  Adjacency needs{{2}, {}, {}, {0, 1}};
  bool acyclic = false;
  EXPECT_EQ(StableTopologicalOrder(needs, &acyclic), (V{1, 2, 0, 3}));
  EXPECT_TRUE(acyclic);
}

TEST(AdjacencyTest, TopologicalOrderIgnoresSelfAndDuplicateEdges) {
  Adjacency needs{{0, 1, 1}, {}};
  EXPECT_EQ(StableTopologicalOrder(needs), (V{1, 0}));
}

TEST(AdjacencyTest, CycleMembersComeLastAndAreReported) {
  Adjacency needs{{1}, {0}, {}, {0}};
  bool acyclic = true;
  EXPECT_EQ(StableTopologicalOrder(needs, &acyclic), (V{2, 0, 1, 3}));
  EXPECT_FALSE(acyclic);
}

}  // namespace
}  // namespace infra::engine

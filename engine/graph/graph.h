// The resource graph: one node per stack instance (same index as
// Stack::resources()), an edge from each instance to every instance it
// references or depends_on. Deterministic topological order, and cycles
// reported as one shortest loop with the file:line of each edge.
// Everything here is linear in nodes + edges.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "engine/lang/source_loc.h"

namespace infra::engine {

class Diagnostics;
class Stack;

/// An edge from a node to something it needs first.
struct Dependency {
  size_t node = 0;         // the instance needed first
  std::string attribute;   // referenced attribute ("" for depends_on or a whole-resource reference)
  SourceLoc loc;           // where the reference / depends_on entry is written
  bool explicit_dep = false;  // from depends_on
};

/// One step of a cycle: `from` needs `to` because of `via`.
struct CycleStep {
  size_t from = 0;
  size_t to = 0;
  Dependency via;
};

/// Immutable dependency graph of a Stack. Keeps a pointer to the stack,
/// which must outlive it.
class Graph {
 public:
  /// Builds the graph; references/depends_on to unknown addresses (not
  /// possible for a stack LoadStack accepted) are ignored. Self-references
  /// are kept (they are one-node cycles). O(nodes + edges).
  explicit Graph(const Stack& stack);

  size_t size() const { return deps_.size(); }
  const Stack& stack() const { return *stack_; }
  /// What `node` needs first: one entry per distinct target, the first
  /// reference/depends_on that made it (data references before depends_on).
  const std::vector<Dependency>& dependencies(size_t node) const { return deps_[node]; }
  /// Who needs `node`, ascending.
  const std::vector<size_t>& dependents(size_t node) const { return rdeps_[node]; }
  const std::string& address(size_t node) const;
  size_t edge_count() const { return edges_; }

  /// Every node, dependencies before dependents; among nodes that are
  /// ready at the same time, stack order. Error (kInvalid, "DependencyCycle")
  /// with the rendered cycle if there is one.
  Result<std::vector<size_t>> TopologicalOrder() const;

  /// One shortest cycle through the first (in stack order) node that lies on
  /// any cycle, or empty if the graph is acyclic. Tarjan SCC + one BFS.
  std::vector<CycleStep> FindCycle() const;

  /// "dependency cycle between N resources:" then one line per edge,
  /// `a -> b (file:line:col, references b.attr)`, at most 10 lines in all.
  std::string RenderCycle(const std::vector<CycleStep>& cycle) const;

  /// Graphviz DOT: a cluster per region (declared order), nodes labelled by
  /// address, edges from dependent to dependency (dashed for depends_on).
  std::string ToDot() const;
  /// {"nodes":[{"address","type","region","module"}...],"edges":[{"from","to","attribute","explicit","loc"}...]}
  std::string ToJson() const;

 private:
  const Stack* stack_;
  std::vector<std::vector<Dependency>> deps_;
  std::vector<std::vector<size_t>> rdeps_;
  size_t edges_ = 0;
};

/// Reports a cycle (if any) to `diags` at the first edge's location, the
/// loop in the detail. Returns false if there is a cycle.
bool CheckAcyclic(const Graph& graph, Diagnostics& diags);

}  // namespace infra::engine

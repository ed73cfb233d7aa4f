// Graph algorithms over a plain adjacency list (node -> its neighbours, by
// index), shared by the planner (target scope, inherited
// create_before_destroy, planning order) and the executor (skipping the
// dependents of a failure, cross-region descendants). No stack, no threads.
#pragma once
#include <cstddef>
#include <vector>

namespace infra::engine {

/// `edges[n]` lists the neighbours of node n (indices < edges.size()).
using Adjacency = std::vector<std::vector<size_t>>;

/// The same nodes with every edge turned around; neighbour lists ascending.
Adjacency Reversed(const Adjacency& edges);

/// Every node reachable from `starts` by one or more edges, ascending. A
/// start is in the result only if a path leads back to it. Iterative (no
/// recursion), O(nodes + edges); out-of-range indices are ignored.
std::vector<size_t> Reachable(const Adjacency& edges, const std::vector<size_t>& starts);

/// Nodes ordered so that each comes after every node it `needs` (needs[n]
/// lists what n needs first); among nodes ready at the same time the lower
/// index first (stable). Nodes on a cycle (and what needs them) are appended
/// last in index order; `acyclic` (may be null) says whether there were none.
std::vector<size_t> StableTopologicalOrder(const Adjacency& needs, bool* acyclic = nullptr);

}  // namespace infra::engine

// Closures by an explicit stack and Kahn's algorithm with a min-heap on the
// node index, so results never depend on hash order.
#include "engine/graph/adjacency.h"

#include <algorithm>
#include <functional>
#include <queue>

namespace infra::engine {

Adjacency Reversed(const Adjacency& edges) {
  Adjacency out(edges.size());
  for (size_t n = 0; n < edges.size(); ++n)
    for (size_t m : edges[n])
      if (m < edges.size()) out[m].push_back(n);
  return out;  // n ascends in the outer loop, so each list is ascending
}

std::vector<size_t> Reachable(const Adjacency& edges, const std::vector<size_t>& starts) {
  std::vector<bool> seen(edges.size(), false);
  std::vector<size_t> stack;
  for (size_t s : starts)
    if (s < edges.size()) stack.insert(stack.end(), edges[s].begin(), edges[s].end());
  while (!stack.empty()) {
    size_t n = stack.back();
    stack.pop_back();
    if (n >= edges.size() || seen[n]) continue;
    seen[n] = true;
    stack.insert(stack.end(), edges[n].begin(), edges[n].end());
  }
  std::vector<size_t> out;
  for (size_t n = 0; n < seen.size(); ++n)
    if (seen[n]) out.push_back(n);
  return out;
}

std::vector<size_t> StableTopologicalOrder(const Adjacency& needs, bool* acyclic) {
  const size_t n = needs.size();
  std::vector<size_t> pending(n, 0);
  Adjacency dependents(n);
  for (size_t i = 0; i < n; ++i) {
    std::vector<size_t> distinct = needs[i];
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    for (size_t d : distinct) {
      if (d >= n || d == i) continue;
      ++pending[i];
      dependents[d].push_back(i);
    }
  }
  std::priority_queue<size_t, std::vector<size_t>, std::greater<size_t>> ready;
  for (size_t i = 0; i < n; ++i)
    if (pending[i] == 0) ready.push(i);
  std::vector<size_t> order;
  order.reserve(n);
  std::vector<bool> done(n, false);
  while (!ready.empty()) {
    size_t i = ready.top();
    ready.pop();
    done[i] = true;
    order.push_back(i);
    for (size_t d : dependents[i])
      if (--pending[d] == 0) ready.push(d);
  }
  if (acyclic) *acyclic = order.size() == n;
  for (size_t i = 0; i < n; ++i)
    if (!done[i]) order.push_back(i);
  return order;
}

}  // namespace infra::engine

// Graph construction, Kahn topological order, Tarjan SCC + BFS for one
// shortest cycle, and DOT/JSON rendering. All passes are O(nodes + edges);
// recursion is avoided so deep chains cannot overflow the stack.
#include "engine/graph/graph.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <nlohmann/json.hpp>

#include "engine/lang/diag.h"
#include "engine/lang/stack.h"

namespace infra::engine {

Graph::Graph(const Stack& stack) : stack_(&stack) {
  const auto& rs = stack.resources();
  deps_.resize(rs.size());
  rdeps_.resize(rs.size());
  std::vector<size_t> stamp(rs.size(), SIZE_MAX);  // last node that added an edge to this target
  for (size_t i = 0; i < rs.size(); ++i) {
    auto add = [&](const std::string& address, Dependency d) {
      auto j = stack.IndexOf(address);
      if (!j || stamp[*j] == i) return;
      stamp[*j] = i;
      d.node = *j;
      deps_[i].push_back(std::move(d));
      rdeps_[*j].push_back(i);
      ++edges_;
    };
    for (const auto& r : rs[i].references) add(r.address, Dependency{0, r.attribute, r.loc, false});
    const auto& dl = rs[i].depends_on_locs;
    for (size_t k = 0; k < rs[i].depends_on.size(); ++k)
      add(rs[i].depends_on[k], Dependency{0, "", k < dl.size() ? dl[k] : rs[i].loc, true});
  }
}

const std::string& Graph::address(size_t node) const { return stack_->resources()[node].address; }

Result<std::vector<size_t>> Graph::TopologicalOrder() const {
  std::vector<size_t> remaining(size());
  std::deque<size_t> ready;
  for (size_t i = 0; i < size(); ++i) {
    remaining[i] = deps_[i].size();
    if (remaining[i] == 0) ready.push_back(i);
  }
  std::vector<size_t> order;
  order.reserve(size());
  while (!ready.empty()) {
    size_t u = ready.front();
    ready.pop_front();
    order.push_back(u);
    for (size_t v : rdeps_[u])
      if (--remaining[v] == 0) ready.push_back(v);
  }
  if (order.size() != size())
    return MakeError(Error::Kind::kInvalid, "DependencyCycle", RenderCycle(FindCycle()));
  return order;
}

std::vector<CycleStep> Graph::FindCycle() const {
  // Iterative Tarjan: component id per node.
  const size_t n = size();
  constexpr size_t kUnset = SIZE_MAX;
  std::vector<size_t> index(n, kUnset), low(n, 0), comp(n, kUnset), comp_size;
  std::vector<bool> on_stack(n, false);
  std::vector<size_t> scc_stack;
  std::vector<std::pair<size_t, size_t>> call;  // node, next edge
  size_t counter = 0;
  for (size_t root = 0; root < n; ++root) {
    if (index[root] != kUnset) continue;
    index[root] = low[root] = counter++;
    scc_stack.push_back(root);
    on_stack[root] = true;
    call.emplace_back(root, 0);
    while (!call.empty()) {
      auto& [u, e] = call.back();
      if (e < deps_[u].size()) {
        size_t w = deps_[u][e++].node;
        if (index[w] == kUnset) {
          index[w] = low[w] = counter++;
          scc_stack.push_back(w);
          on_stack[w] = true;
          call.emplace_back(w, 0);
        } else if (on_stack[w]) {
          low[u] = std::min(low[u], index[w]);
        }
        continue;
      }
      size_t done = u;
      call.pop_back();
      if (!call.empty()) low[call.back().first] = std::min(low[call.back().first], low[done]);
      if (low[done] != index[done]) continue;
      size_t id = comp_size.size(), count = 0, w;
      do {
        w = scc_stack.back();
        scc_stack.pop_back();
        on_stack[w] = false;
        comp[w] = id;
        ++count;
      } while (w != done);
      comp_size.push_back(count);
    }
  }
  // The first node on a cycle, then BFS inside its component back to it.
  for (size_t s = 0; s < n; ++s) {
    bool self = false;
    for (const auto& d : deps_[s]) self = self || d.node == s;
    if (comp_size[comp[s]] < 2 && !self) continue;
    std::vector<size_t> parent(n, kUnset);
    std::vector<const Dependency*> via(n, nullptr);
    std::deque<size_t> q{s};
    parent[s] = s;
    while (!q.empty()) {
      size_t u = q.front();
      q.pop_front();
      for (const auto& d : deps_[u]) {
        if (d.node == s) {  // closed the loop: walk back to s
          std::vector<CycleStep> out{CycleStep{u, s, d}};
          for (size_t v = u; v != s; v = parent[v]) out.push_back(CycleStep{parent[v], v, *via[v]});
          std::reverse(out.begin(), out.end());
          return out;
        }
        if (comp[d.node] != comp[s] || parent[d.node] != kUnset) continue;
        parent[d.node] = u;
        via[d.node] = &d;
        q.push_back(d.node);
      }
    }
  }
  return {};
}

std::string Graph::RenderCycle(const std::vector<CycleStep>& cycle) const {
  if (cycle.empty()) return "";
  auto line = [&](const CycleStep& c) {
    std::string why = c.via.explicit_dep ? "depends_on"
                      : c.via.attribute.empty()
                          ? "references " + stack_->resources()[c.to].name
                          : fmt::format("references {}.{}", stack_->resources()[c.to].name, c.via.attribute);
    return fmt::format("  {} -> {}  ({}: {})\n", address(c.from), address(c.to), c.via.loc.ToString(), why);
  };
  std::string out = cycle.size() == 1 ? fmt::format("dependency cycle: {} depends on itself\n", address(cycle[0].from))
                                      : fmt::format("dependency cycle between {} resources:\n", cycle.size());
  if (cycle.size() <= 9) {
    for (const auto& c : cycle) out += line(c);
  } else {  // header + 7 edges + "..." + last edge = 10 lines
    for (size_t i = 0; i < 7; ++i) out += line(cycle[i]);
    out += fmt::format("  ... {} more edges ...\n", cycle.size() - 8);
    out += line(cycle.back());
  }
  return out;
}

bool CheckAcyclic(const Graph& graph, Diagnostics& diags) {
  auto cycle = graph.FindCycle();
  if (cycle.empty()) return true;
  std::string text = graph.RenderCycle(cycle);
  size_t nl = text.find('\n');
  std::string detail = text.substr(nl + 1);
  while (!detail.empty() && detail.back() == '\n') detail.pop_back();
  if (detail.size() > 2) detail = detail.substr(2);  // Render indents the first line itself
  diags.Error(cycle[0].via.loc, graph.address(cycle[0].from), text.substr(0, nl), detail);
  return false;
}

namespace {
std::string DotQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}
}  // namespace

std::string Graph::ToDot() const {
  const auto& rs = stack_->resources();
  std::string out = fmt::format("digraph {} {{\n  rankdir=LR;\n  node [shape=box];\n", DotQuote(stack_->name()));
  for (const auto& region : stack_->regions()) {
    out += fmt::format("  subgraph {} {{\n    label={};\n", DotQuote("cluster_" + region.alias),
                       DotQuote(region.alias + " (" + region.name + ")"));
    for (const auto& r : rs)
      if (r.region_alias == region.alias) out += fmt::format("    {};\n", DotQuote(r.address));
    out += "  }\n";
  }
  for (size_t i = 0; i < size(); ++i)
    for (const auto& d : deps_[i])
      out += fmt::format("  {} -> {}{};\n", DotQuote(rs[i].address), DotQuote(rs[d.node].address),
                         d.explicit_dep ? " [style=dashed]" : "");
  return out + "}\n";
}

std::string Graph::ToJson() const {
  const auto& rs = stack_->resources();
  nlohmann::json nodes = nlohmann::json::array(), edges = nlohmann::json::array();
  for (const auto& r : rs)
    nodes.push_back({{"address", r.address}, {"type", r.type}, {"region", r.region_alias},
                     {"region_name", r.region}, {"module", r.module_path}});
  for (size_t i = 0; i < size(); ++i)
    for (const auto& d : deps_[i])
      edges.push_back({{"from", rs[i].address}, {"to", rs[d.node].address}, {"attribute", d.attribute},
                       {"explicit", d.explicit_dep}, {"loc", d.loc.ToString()}});
  return nlohmann::json{{"stack", stack_->name()}, {"nodes", nodes}, {"edges", edges}}.dump(2) + "\n";
}

}  // namespace infra::engine

// Depth-first search over local -> local references (see local_cycles.h).
#include "engine/lang/local_cycles.h"

#include <fmt/format.h>

#include <map>

#include "engine/lang/diag.h"

namespace infra::engine {
namespace {

struct Edge {
  size_t to;
  SourceLoc loc;
};

std::vector<std::vector<Edge>> LocalEdges(const ModuleFile& file) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < file.locals.size(); ++i) index.emplace(file.locals[i].name, i);
  std::vector<std::vector<Edge>> out(file.locals.size());
  for (size_t i = 0; i < file.locals.size(); ++i)
    for (const auto& t : CollectReferences(*file.locals[i].expr)) {
      if (t.root != "local" || t.steps.empty() || t.steps[0].kind != TraversalStep::Kind::kAttr) continue;
      auto it = index.find(t.steps[0].name);
      if (it != index.end()) out[i].push_back(Edge{it->second, t.loc});
    }
  return out;
}

}  // namespace

bool CheckLocalCycles(const ModuleFile& file, Diagnostics& diags) {
  auto edges = LocalEdges(file);
  const size_t n = edges.size();
  enum Color { kWhite, kGrey, kBlack };
  std::vector<Color> color(n, kWhite);
  std::vector<std::pair<size_t, size_t>> path;  // node, index of the edge being followed
  for (size_t root = 0; root < n; ++root) {
    if (color[root] != kWhite) continue;
    path.emplace_back(root, 0);
    color[root] = kGrey;
    while (!path.empty()) {
      auto& [u, e] = path.back();
      if (e == edges[u].size()) {
        color[u] = kBlack;
        path.pop_back();
        continue;
      }
      size_t w = edges[u][e++].to;
      if (color[w] == kWhite) {
        color[w] = kGrey;
        path.emplace_back(w, 0);
        continue;
      }
      if (color[w] != kGrey) continue;
      // A loop: from w's place on the path back round to w.
      size_t start = 0;
      while (path[start].first != w) ++start;
      std::string detail;
      const Edge* first = nullptr;
      for (size_t i = start; i < path.size(); ++i) {
        const Edge& edge = edges[path[i].first][path[i].second - 1];
        if (!first) first = &edge;
        const std::string& from = file.locals[path[i].first].name;
        const std::string& to = file.locals[edge.to].name;
        detail += fmt::format("{}local.{} -> local.{}  ({}: references local.{})", detail.empty() ? "" : "\n", from,
                              to, edge.loc.ToString(), to);
      }
      size_t count = path.size() - start;
      std::string summary = count == 1 ? fmt::format("dependency cycle: local.{} refers to itself", file.locals[w].name)
                                       : fmt::format("dependency cycle between {} locals:", count);
      diags.Error(first->loc, "local." + file.locals[w].name, summary, detail);
      return false;
    }
  }
  return true;
}

}  // namespace infra::engine

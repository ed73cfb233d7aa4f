// Building the operation graph: nodes per action (a replacement is two
// nodes), then the forward edges (create/update order) and the reverse ones
// (delete order, old objects last), then cross-region descendants.
#include "engine/apply/op_graph.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace infra::engine {

const char* Verb(OpKind k) {
  switch (k) {
    case OpKind::kCreate: return "create";
    case OpKind::kUpdate: return "update";
    case OpKind::kDelete: return "delete";
    case OpKind::kRead: return "read";
  }
  return "read";
}

Adjacency OpGraph::Dependents() const {
  Adjacency out(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) out[i] = ops[i].dependents;
  return out;
}

namespace {

class OpGraphBuilder {
 public:
  OpGraphBuilder(const Plan& plan, bool reverse) : plan_(plan), reverse_(reverse) {}

  OpGraph Build() {
    for (size_t i = 0; i < plan_.changes.size(); ++i) AddNodes(i);
    AddForwardEdges();
    AddDeleteEdges();
    AddEarlierDescendants();
    return std::move(graph_);
  }

 private:
  size_t AddOp(size_t change, OpKind kind, bool deposed) {
    const ResourceChange& c = plan_.changes[change];
    OpNode op;
    op.change = change;
    op.kind = kind;
    op.deposed = deposed;
    auto it = std::find(plan_.regions.begin(), plan_.regions.end(), c.region_alias);
    int rank = it == plan_.regions.end() ? 0 : static_cast<int>(it - plan_.regions.begin());
    op.rank = std::max(0, reverse_ ? static_cast<int>(plan_.regions.size()) - 1 - rank : rank);
    graph_.ops.push_back(std::move(op));
    return graph_.ops.size() - 1;
  }

  void Edge(size_t before, size_t after) {
    if (before == after) return;
    graph_.ops[after].deps.push_back(before);
    graph_.ops[before].dependents.push_back(after);
  }

  void AddNodes(size_t i) {
    const ResourceChange& c = plan_.changes[i];
    for (const auto& d : c.depends_on) dependents_of_[d].insert(c.address);
    switch (c.action) {
      case Action::kNoOp: break;
      case Action::kCreate:
        forward_[c.address] = AddOp(i, OpKind::kCreate, false);
        graph_.ops.back().fresh = true;
        break;
      case Action::kUpdate: forward_[c.address] = AddOp(i, OpKind::kUpdate, false); break;
      case Action::kDelete:
        if (!c.deposed.empty())
          deposed_[c.address].push_back(AddOp(i, OpKind::kDelete, true));
        else
          del_[c.address] = AddOp(i, OpKind::kDelete, false);
        break;
      case Action::kRead: {
        size_t r = AddOp(i, OpKind::kRead, false);
        // A data source's read comes after what it depends on, and before
        // what depends on it, as a create would.
        if (IsDataAddress(c.address)) {
          forward_[c.address] = r;
          graph_.ops[r].fresh = true;
        }
        break;
      }
      case Action::kDeleteThenCreate: {
        size_t d = AddOp(i, OpKind::kDelete, false);
        size_t cr = AddOp(i, OpKind::kCreate, false);
        Edge(d, cr);
        del_[c.address] = d;
        forward_[c.address] = cr;
        break;
      }
      case Action::kCreateThenDelete: {
        size_t cr = AddOp(i, OpKind::kCreate, false);
        size_t d = AddOp(i, OpKind::kDelete, true);
        Edge(cr, d);
        forward_[c.address] = cr;
        deposed_[c.address].push_back(d);
        break;
      }
    }
  }

  // create/update after the creates/updates of what it references.
  void AddForwardEdges() {
    for (const auto& c : plan_.changes) {
      addresses_.insert(c.address);
      auto f = forward_.find(c.address);
      if (f == forward_.end() || !c.deposed.empty()) continue;
      for (const auto& d : c.depends_on)
        if (auto df = forward_.find(d); df != forward_.end()) Edge(df->second, f->second);
    }
  }

  const std::vector<size_t>& DeposedOf(const std::string& a) const {
    static const std::vector<size_t> kNone;
    auto it = deposed_.find(a);
    return it == deposed_.end() ? kNone : it->second;
  }

  // Delete before what it depends on is deleted; an old object (this run's
  // create_before_destroy, or deposed in state) after its dependents moved
  // off it (a deposed object from state serves nothing, so unlike this
  // run's replacement it need not wait for the new object).
  void AddDeleteEdges() {
    for (const auto& a : addresses_) {
      auto dl = del_.find(a);
      const auto& dp = DeposedOf(a);
      for (const auto& y : dependents_of_[a]) {
        auto ydel = del_.find(y);
        auto yfwd = forward_.find(y);
        if (dl != del_.end()) {
          if (ydel != del_.end()) Edge(ydel->second, dl->second);
          for (size_t yd : DeposedOf(y)) Edge(yd, dl->second);
        }
        for (size_t d : dp) {
          if (ydel != del_.end()) Edge(ydel->second, d);
          if (yfwd != forward_.end()) Edge(yfwd->second, d);
          for (size_t yd : DeposedOf(y)) Edge(yd, d);
        }
      }
    }
  }

  // An op of rank r waits for the earlier regions' ops, except those that
  // wait (transitively) on any op of rank r or later: those cannot finish
  // first. Excluding only the op's own descendants deadlocks when two ops
  // of a later region each have an earlier-region dependent (a peering
  // waiting on the DR VPC, a bucket replication on the DR bucket): each
  // would wait for the other's.
  void AddEarlierDescendants() {
    Adjacency dependents = graph_.Dependents();
    int ranks = 0;
    for (const auto& op : graph_.ops) ranks = std::max(ranks, op.rank + 1);
    std::vector<std::vector<size_t>> waiting_on_rank(ranks);  // per r: earlier ops downstream of rank >= r
    for (int r = 1; r < ranks; ++r) {
      std::vector<size_t> from;
      for (size_t i = 0; i < graph_.ops.size(); ++i)
        if (graph_.ops[i].rank >= r) from.push_back(i);
      for (size_t n : Reachable(dependents, from))
        if (graph_.ops[n].rank < r) waiting_on_rank[r].push_back(n);
      std::sort(waiting_on_rank[r].begin(), waiting_on_rank[r].end());
    }
    for (auto& op : graph_.ops)
      if (op.rank > 0) op.earlier_desc = waiting_on_rank[op.rank];
  }

  const Plan& plan_;
  bool reverse_;
  OpGraph graph_;
  std::map<std::string, size_t> forward_, del_;
  std::map<std::string, std::vector<size_t>> deposed_;  // old objects: this run's replacements and state's
  std::map<std::string, std::set<std::string>> dependents_of_;
  std::set<std::string> addresses_;
};

}  // namespace

OpGraph BuildOpGraph(const Plan& plan, bool reverse_regions) {
  return OpGraphBuilder(plan, reverse_regions).Build();
}

}  // namespace infra::engine

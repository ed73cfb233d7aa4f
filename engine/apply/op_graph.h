// The operation graph of one apply, built from a Plan without threads or a
// provider (as ninja's Plan is built before its Builder runs): one node per
// provider call sequence (create, update, delete, read), edges that say
// which must finish first, and each node's region rank in rollout order.
#pragma once
#include <cstddef>
#include <string_view>
#include <vector>

#include "engine/graph/adjacency.h"
#include "engine/plan/plan.h"

namespace infra::engine {

enum class OpKind { kCreate, kUpdate, kDelete, kRead };
/// "create", "update", "delete", "read" (the journal's operation names).
const char* Verb(OpKind kind);

/// One operation: what it does to which change, and where it stands in the graph.
struct OpNode {
  size_t change = 0;     // index in Plan::changes
  OpKind kind = OpKind::kCreate;
  bool deposed = false;  // deletes an old object (create_before_destroy, or deposed in state)
  int rank = 0;          // region position in rollout order (reversed for destroy)
  std::vector<size_t> deps;          // must finish first
  std::vector<size_t> dependents;    // wait for this one
  /// Ops of earlier regions that (transitively) depend on an op of this
  /// region or a later one: they must not hold it back, or cross-region
  /// edges would deadlock.
  std::vector<size_t> earlier_desc;
  /// A create of a new resource (not a replacement's) or a data read:
  /// nothing that exists is touched, so `rollout: parallel` does not hold it
  /// back for earlier regions.
  bool fresh = false;
};

/// The graph. Node order: the plan's change order, a replacement's two
/// halves in the order they run.
struct OpGraph {
  std::vector<OpNode> ops;
  /// `dependents` of every op, for closures (engine/graph/adjacency.h).
  Adjacency Dependents() const;
};

/// Builds the graph of `plan`: create/update after the creates/updates of
/// what it depends on; a delete before the deletes of what it depends on;
/// an old object deleted after its dependents moved off it (and, for this
/// run's create_before_destroy, after its new object exists). No-op
/// changes get no node. Never fails.
OpGraph BuildOpGraph(const Plan& plan, bool reverse_regions);

}  // namespace infra::engine

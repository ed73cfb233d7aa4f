// `moved:` applied to state before planning: each recorded address that a
// move's `from` names (exactly, or as a prefix: a module, a whole counted
// resource) is renamed to its `to`, chains followed, so the plan diffs the
// object under its new address and nothing is destroyed.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "engine/lang/stack.h"
#include "engine/plan/state_port.h"

namespace infra::engine {

/// True if `address` is `prefix` or lies under it (`prefix.` / `prefix[`).
bool AddressUnder(const std::string& address, const std::string& prefix);

/// `state` with `moved` applied; `previous` gets new address -> old for
/// every renamed object. Errors (kInvalid, naming the moved entry's place):
/// two moves from the same address; a `from` still declared in the stack
/// (`declared`); a target that state already holds; a loop of moves.
Result<StateSnapshot> ApplyMoves(const StateSnapshot& state, const std::vector<MoveDecl>& moved,
                                 const std::vector<std::string>& declared, std::map<std::string, std::string>* previous);

}  // namespace infra::engine

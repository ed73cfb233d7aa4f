// ApplyMoves: a rename per state row, each move tried until none applies
// (a chain A -> B -> C takes two steps; more steps than moves is a loop).
#include "engine/plan/moves.h"

#include <fmt/format.h>

#include <set>

namespace infra::engine {

bool AddressUnder(const std::string& address, const std::string& prefix) {
  if (address == prefix) return true;
  if (address.size() <= prefix.size() || address.compare(0, prefix.size(), prefix) != 0) return false;
  char next = address[prefix.size()];
  return next == '.' || next == '[';
}

namespace {
Error MoveError(const MoveDecl& m, const std::string& message) {
  return MakeError(Error::Kind::kInvalid, "MoveInvalid",
                   fmt::format("{}: moved {} -> {}: {}", m.loc.ToString(), m.from, m.to, message));
}
}  // namespace

Result<StateSnapshot> ApplyMoves(const StateSnapshot& state, const std::vector<MoveDecl>& moved,
                                 const std::vector<std::string>& declared, std::map<std::string, std::string>* previous) {
  std::map<std::string, const MoveDecl*> by_from;
  for (const auto& m : moved) {
    auto [it, fresh] = by_from.emplace(m.from, &m);
    if (!fresh)
      return MoveError(m, fmt::format("{} is also moved to {} at {}; an address can move to one place only", m.from,
                                      it->second->to, it->second->loc.ToString()));
    for (const auto& d : declared)
      if (d == m.from)
        return MoveError(m, fmt::format("{} is still declared in the stack; remove it (its new address is {})", m.from,
                                        m.to));
  }
  StateSnapshot out = state;
  std::set<std::string> recorded;
  for (const auto& r : state.resources) recorded.insert(r.address);
  auto rename = [&](std::string address, const MoveDecl** used) -> Result<std::string> {
    for (size_t step = 0; step <= moved.size(); ++step) {
      const MoveDecl* hit = nullptr;
      for (const auto& m : moved)
        if (AddressUnder(address, m.from) && (!hit || m.from.size() > hit->from.size())) hit = &m;
      if (!hit) return address;
      *used = hit;
      address = hit->to + address.substr(hit->from.size());
    }
    return MoveError(**used, "the moves form a loop");
  };
  std::map<std::string, std::string> renamed;  // old -> new
  std::set<std::string> taken;                 // new addresses of current objects
  for (auto* list : {&out.resources, &out.deposed})
    for (auto& r : *list) {
      const MoveDecl* used = nullptr;
      auto to = rename(r.address, &used);
      if (!to.ok()) return to.error();
      if (*to == r.address) continue;
      if (list == &out.resources && (recorded.count(*to) || !taken.insert(*to).second))
        return MoveError(*used, fmt::format("state already holds {}; `infra state rm` one of them first", *to));
      renamed[r.address] = *to;
      if (list == &out.resources) (*previous)[*to] = r.address;
      r.address = *to;
    }
  for (auto* list : {&out.resources, &out.deposed})
    for (auto& r : *list)
      for (auto& d : r.depends_on)
        if (auto it = renamed.find(d); it != renamed.end()) d = it->second;
  return out;
}

}  // namespace infra::engine

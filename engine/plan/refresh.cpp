// Batched refresh: one Read per (type, region), or per type for a global
// one. Groups are independent, so they run on a few threads; each thread
// takes the next group from a shared index.
#include "engine/plan/refresh.h"

#include <fmt/format.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "common/log.h"
#include "providers/provider.h"

namespace infra::engine {
namespace {
struct Group {
  std::string type;
  std::string region;
  std::vector<const StateResource*> members;
  Result<std::map<std::string, nlohmann::json>> got = std::map<std::string, nlohmann::json>{};
};
}  // namespace

Result<RefreshResult> Refresh(const provider::Provider& provider, const StateSnapshot& state,
                              const std::function<bool(const StateResource&)>& wanted, int max_parallel_groups) {
  std::map<std::pair<std::string, std::string>, Group> by_key;
  for (const auto& r : state.resources) {
    if (IsDataAddress(r.address)) continue;  // data sources are read by the planner, not refreshed
    if (wanted && !wanted(r)) continue;
    // A global type (IAM, Route 53) is the same from every region: one Read
    // for the whole stack, made with its first member's region (the
    // provider signs global calls for the service's home region anyway).
    const provider::ResourceType* type = provider.Find(r.type);
    bool global = type != nullptr && type->schema().scope == provider::Scope::kGlobal;
    auto& g = by_key[{r.type, global ? std::string() : r.region}];
    g.type = r.type;
    if (g.members.empty()) g.region = r.region;
    g.members.push_back(&r);
  }
  std::vector<Group*> groups;
  for (auto& [k, g] : by_key) groups.push_back(&g);
  for (auto* g : groups)
    if (!provider.Find(g->type))
      return MakeError(Error::Kind::kInvalid, "UnknownType",
                       fmt::format("state holds {} of type {}, which this infra does not know",
                                   g->members.front()->address, g->type));

  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < groups.size(); i = next++) {
      Group* g = groups[i];
      std::vector<std::string> ids;
      for (const auto* m : g->members)
        if (!m->id.empty()) ids.push_back(m->id);
      log::Debug("refresh: {} in {} ({} ids, one Read)", g->type, g->region, ids.size());
      g->got = provider.Find(g->type)->Read(g->region, ids);
    }
  };
  int n = std::max(1, std::min<int>(max_parallel_groups, static_cast<int>(groups.size())));
  std::vector<std::thread> threads;
  for (int i = 1; i < n; ++i) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();

  RefreshResult out;
  out.read_calls = static_cast<int>(groups.size());
  for (auto* g : groups) {
    if (!g->got.ok()) {
      Error e = g->got.error();
      e.message = fmt::format("refreshing {} in {}: {}", g->type, g->region, e.message);
      return e;
    }
    for (const auto* m : g->members) {
      auto it = g->got->find(m->id);
      if (it == g->got->end())
        out.current[m->address] = std::nullopt;
      else
        out.current[m->address] = it->second;
    }
  }
  return out;
}

}  // namespace infra::engine

// The `history` table: one row per apply, destroy, import and state
// command. Free functions over a connection the caller owns; inserts run
// inside the caller's write transaction. Internal to state/.
#pragma once
#include <cstdint>
#include <vector>

#include "common/result.h"
#include "state/store.h"

namespace infra::state {

class Database;

/// Inserts `entry` with `serial`; empty started_at/user/host are filled
/// with now and this process's identity, an empty finished_at with now
/// when the result is not "running". Returns the row id.
Result<int64_t> InsertHistory(Database& db, const HistoryEntry& entry, int64_t serial);
/// Sets finished_at (now), result and changes of row `id`
/// (StateNoSuchHistory if there is none).
Status FinishHistory(Database& db, int64_t id, const std::string& result, const nlohmann::json& changes);
/// Rows newest first; `limit` 0 = all.
Result<std::vector<HistoryEntry>> ListHistory(Database& db, int limit);

}  // namespace infra::state

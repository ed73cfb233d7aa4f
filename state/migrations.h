// Schema of the state database, one step per version: step N builds
// version N from version N-1 (step 1 builds v1 from an empty file). A new
// database runs every step; an old one runs the missing ones.
#pragma once
#include <cstdint>

#include "common/result.h"

namespace infra::state {

class Database;

/// PRAGMA application_id of an infra state ("infr").
constexpr int64_t kApplicationId = 0x696E6672;
/// The newest schema version this build writes (StateStore::kSchemaVersion).
int LatestSchemaVersion();

/// Runs the steps that take `db` from `from` to `to` (inclusive of `to`),
/// each in the caller's transaction, and sets PRAGMA user_version = `to`.
/// The caller opens and commits the transaction.
Status Migrate(Database& db, int from, int to);

}  // namespace infra::state

// The `meta` table: what identifies a state (format marker, lineage, stack
// name, key check value) and its serial. Free functions over a connection
// the caller owns (and, for writes, holds a transaction on). Internal to state/.
#pragma once
#include <cstdint>
#include <string>

#include "common/result.h"

namespace infra::state {

class Database;

/// The fixed identity of a state, read once at open.
struct StateIdentity {
  std::string lineage{};  // random UUID fixed at creation
  std::string stack{};    // stack name recorded at creation; may be ""
};

/// The value of meta key `key`, "" when absent.
Result<std::string> ReadMeta(Database& db, const char* key);
/// Inserts or replaces meta key `key`.
Status WriteMeta(Database& db, const char* key, const std::string& value);
/// Lineage and stack name.
Result<StateIdentity> ReadIdentity(Database& db);
/// The serial (0 when never set).
Result<int64_t> ReadSerial(Database& db);
/// Adds one to the serial inside the caller's transaction; returns the new serial.
Result<int64_t> BumpSerial(Database& db);

}  // namespace infra::state

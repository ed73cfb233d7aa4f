// The `resources` table: one row per object infra manages, keyed by
// (address, deposed): deposed is "" for the current object of an address
// and the old object's key for a deposed one (create_before_destroy). Free
// functions over a connection the caller owns; writes run inside the
// caller's write transaction. Internal to state/.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "state/resource_codec.h"

namespace infra::state {

class Database;

/// Every row ordered by address, then deposed key ("" first). Without
/// `with_attributes` the attribute object and the secrets are not read
/// (attributes "null", no blob).
Result<std::vector<ResourceRow>> ReadResourceRows(Database& db, bool with_attributes);
/// The row (address, deposed) or nullopt.
Result<std::optional<ResourceRow>> FindResourceRow(Database& db, const std::string& address,
                                                   const std::string& deposed);
/// Inserts or replaces the row with `row`'s (address, deposed).
Status UpsertResourceRow(Database& db, const ResourceRow& row);
/// Deletes row (address, deposed); true if there was one.
Result<bool> DeleteResourceRow(Database& db, const std::string& address, const std::string& deposed);
/// Deletes every deposed row of `address`.
Status DeleteDeposedRows(Database& db, const std::string& address);
/// Renames every row of `from` (current and deposed) to `to` and rewrites
/// the dependency lists that name `from`. The caller checks `to` is free.
Status RenameResourceRows(Database& db, const std::string& from, const std::string& to);

/// The resource type an address names: "aws_subnet" for
/// `module.net["a.b"].aws_subnet.public["x"]`; "" when it names none.
std::string ResourceTypeOfAddress(const std::string& address);

}  // namespace infra::state

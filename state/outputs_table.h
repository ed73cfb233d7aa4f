// The `outputs` table: the stack's outputs by name, a sensitive one stored
// only as an AES-256-GCM blob. Free functions over a connection the caller
// owns; ReplaceOutputRows runs inside the caller's write transaction.
// Internal to state/.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "state/resource_codec.h"
#include "state/store.h"

namespace infra::state {

class Database;

/// Every output by name (`name` nullopt), or the one called `name`;
/// sensitive values decrypted with `key` (its aad binds them to the lineage).
Result<std::vector<OutputRecord>> ReadOutputRows(Database& db, const CodecKey& key,
                                                 const std::optional<std::string>& name);
/// Replaces the whole set of outputs.
Status ReplaceOutputRows(Database& db, const CodecKey& key, const std::vector<OutputRecord>& outputs);

}  // namespace infra::state

// The key a state's secrets are sealed with: resolved at open from
// INFRA_STATE_KEY or the key file (state/crypto.h), checked against the key
// check value in `meta`, and recorded there by the first writer. Internal
// to state/.
#pragma once
#include <memory>
#include <string>

#include "common/result.h"

namespace infra::state {

class Cipher;
class Database;

/// The outcome of resolving a state's key. Without a key (`cipher` null)
/// the state is still usable until a secret must be read or written.
struct StateKey {
  std::unique_ptr<Cipher> cipher;  // null: no key; `error` says why
  std::string error{};
  std::string description{};  // "INFRA_STATE_KEY", the key file path, or "(no key)"
};

/// Resolves the key for the state at `path` (`key_file` "" = `path` with
/// ".key"). A state with a key check refuses a key that does not match it
/// (StateKeyMismatch); a writable state without one gets the check of the
/// resolved key (creating the key file if there is none). `read_only`
/// writes nothing.
Result<StateKey> LoadStateKey(Database& db, const std::string& path, const std::string& key_file, bool read_only);

}  // namespace infra::state

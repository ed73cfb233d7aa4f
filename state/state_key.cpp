// Key resolution and the key check value, including the race of two
// processes creating one state with different keys.
#include "state/state_key.h"

#include <fmt/format.h>

#include <filesystem>

#include "state/crypto.h"
#include "state/database.h"
#include "state/identity_table.h"

namespace infra::state {
namespace {

std::string DefaultKeyFile(const std::string& path) {
  std::filesystem::path p(path);
  p.replace_extension(".key");
  return p.string();
}

Status CheckMatches(const Cipher& cipher, const std::string& check, const std::string& path,
                    const std::string& description) {
  auto raw = Base64Decode(check);
  if (raw && cipher.MatchesKeyCheck(*raw)) return {};
  return MakeError(Error::Kind::kAuth, "StateKeyMismatch",
                   fmt::format("{}: the state key from {} does not match the key this state was encrypted with",
                               path, description));
}

// Insert-if-absent, then verify: of two processes opening a new state with
// different keys at once, the second is refused, not mixed in.
Status RecordKeyCheck(Database& db, const Cipher& cipher, const std::string& path, const std::string& description) {
  auto made = cipher.MakeKeyCheck();
  if (!made) return made.error();
  auto stmt = db.Prepare("INSERT INTO meta(key, value) VALUES('key_check', ?1) ON CONFLICT(key) DO NOTHING");
  if (!stmt) return stmt.error();
  if (auto s = stmt->Bind(1, Base64Encode(*made)).Run(); !s) return s;
  auto stored = ReadMeta(db, "key_check");
  if (!stored) return stored.error();
  return CheckMatches(cipher, *stored, path, description);
}

}  // namespace

Result<StateKey> LoadStateKey(Database& db, const std::string& path, const std::string& key_file, bool read_only) {
  auto check = ReadMeta(db, "key_check");
  if (!check) return check.error();
  bool has_check = !check->empty();
  StateKey out;
  auto key = ResolveKey(key_file.empty() ? DefaultKeyFile(path) : key_file, !has_check && !read_only);
  if (!key) {
    if (key.error().code != "StateKeyMissing") return key.error();
    out.error = key.error().message;  // fine until a secret must be read or written
    out.description = "(no key)";
    return out;
  }
  out.description = key->description;
  if (has_check) {
    if (auto s = CheckMatches(key->cipher, *check, path, key->description); !s) return s.error();
  } else if (!read_only) {
    if (auto s = RecordKeyCheck(db, key->cipher, path, key->description); !s) return s.error();
  }
  out.cipher = std::make_unique<Cipher>(key->cipher);
  return out;
}

}  // namespace infra::state

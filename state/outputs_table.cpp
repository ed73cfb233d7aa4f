// Output rows: plain JSON, or NULL plus the encrypted JSON when sensitive.
#include "state/outputs_table.h"

#include <fmt/format.h>

#include "state/crypto.h"
#include "state/database.h"
#include "state/json_reader.h"

namespace infra::state {
namespace {

Error KeyMissing(const CodecKey& key) { return MakeError(Error::Kind::kAuth, "StateKeyMissing", key.key_error); }

Result<OutputRecord> DecodeOutput(const Statement& row, const CodecKey& key) {
  OutputRecord o;
  o.name = row.Text(0);
  o.sensitive = row.Int(3) != 0;
  std::string text;
  if (o.sensitive) {
    if (!key.cipher) return KeyMissing(key);
    auto plain = key.cipher->Decrypt(row.Text(2), key.aad);
    if (!plain) {
      plain.error().message = fmt::format("{}: output {}: {}", key.path, o.name, plain.error().message);
      return plain.error();
    }
    text = std::move(*plain);
  } else {
    text = row.Text(1);
  }
  o.value = ParseJsonOrDiscard(text);
  if (o.value.is_discarded())
    return MakeError(Error::Kind::kInvalid, "StateCorrupt",
                     fmt::format("{}: output {}: stored value is not valid JSON", key.path, o.name));
  return o;
}

}  // namespace

Result<std::vector<OutputRecord>> ReadOutputRows(Database& db, const CodecKey& key,
                                                 const std::optional<std::string>& name) {
  auto stmt = db.Prepare(!name
                             ? "SELECT name, value, value_encrypted, sensitive FROM outputs ORDER BY name"
                             : "SELECT name, value, value_encrypted, sensitive FROM outputs WHERE name = ?1");
  if (!stmt) return stmt.error();
  if (name) stmt->Bind(1, *name);
  std::vector<OutputRecord> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) break;
    auto o = DecodeOutput(*stmt, key);
    if (!o) return o.error();
    out.push_back(std::move(*o));
  }
  return out;
}

Status ReplaceOutputRows(Database& db, const CodecKey& key, const std::vector<OutputRecord>& outputs) {
  if (auto s = db.Exec("DELETE FROM outputs"); !s) return s;
  auto stmt = db.Prepare("INSERT INTO outputs(name, value, value_encrypted, sensitive) VALUES(?1, ?2, ?3, ?4)");
  if (!stmt) return stmt.error();
  for (const auto& o : outputs) {
    stmt->Bind(1, o.name).Bind(4, int64_t{o.sensitive});
    if (o.sensitive) {
      if (!key.cipher) return KeyMissing(key);
      auto blob = key.cipher->Encrypt(DumpJson(o.value), key.aad);
      if (!blob) return blob.error();
      stmt->BindNull(2).BindBlob(3, *blob);
    } else {
      stmt->Bind(2, DumpJson(o.value)).BindNull(3);
    }
    if (auto s = stmt->Run(); !s) return s;
  }
  return {};
}

}  // namespace infra::state

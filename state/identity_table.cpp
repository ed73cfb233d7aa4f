// The meta table's rows: lineage, stack, serial.
#include "state/identity_table.h"

#include <string>

#include "state/database.h"

namespace infra::state {

Result<std::string> ReadMeta(Database& db, const char* key) {
  auto stmt = db.Prepare("SELECT value FROM meta WHERE key = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, std::string_view(key));
  auto row = stmt->Step();
  if (!row) return row.error();
  return *row ? stmt->Text(0) : std::string();
}

Status WriteMeta(Database& db, const char* key, const std::string& value) {
  auto stmt = db.Prepare("INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2");
  if (!stmt) return stmt.error();
  return stmt->Bind(1, std::string_view(key)).Bind(2, value).Run();
}

Result<StateIdentity> ReadIdentity(Database& db) {
  auto lineage = ReadMeta(db, "lineage");
  if (!lineage) return lineage.error();
  auto stack = ReadMeta(db, "stack");
  if (!stack) return stack.error();
  return StateIdentity{std::move(*lineage), std::move(*stack)};
}

Result<int64_t> ReadSerial(Database& db) {
  auto v = ReadMeta(db, "serial");
  if (!v) return v.error();
  if (v->empty()) return int64_t{0};
  try {
    return static_cast<int64_t>(std::stoll(*v));
  } catch (const std::exception&) {
    return MakeError(Error::Kind::kInvalid, "StateCorrupt",
                     "state database " + db.path() + ": serial '" + *v + "' is not a number");
  }
}

Result<int64_t> BumpSerial(Database& db) {
  auto serial = ReadSerial(db);
  if (!serial) return serial.error();
  int64_t next = *serial + 1;
  if (auto s = WriteMeta(db, "serial", std::to_string(next)); !s) return s.error();
  return next;
}

}  // namespace infra::state

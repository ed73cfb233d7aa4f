// Resource rows. The attributes column is last in the row (schema v3) so a
// read that skips it does not touch its overflow pages.
#include "state/resources_table.h"

#include <algorithm>

#include "state/database.h"
#include "state/json_reader.h"

namespace infra::state {
namespace {

constexpr std::string_view kDeposedMark = " (deposed ";

#define INFRA_SELECT_RESOURCES                                                                    \
  "SELECT address, deposed, type, region, region_alias, physical_id, attributes, sensitive_names, " \
  "sensitive_blob, dependencies, schema_version FROM resources"
constexpr const char* kSelectAll = INFRA_SELECT_RESOURCES " ORDER BY address, deposed";
constexpr const char* kSelectOne = INFRA_SELECT_RESOURCES " WHERE address = ?1 AND deposed = ?2";
#undef INFRA_SELECT_RESOURCES
// Same columns; the attribute object and the secrets are not even read.
constexpr const char* kSelectAllWithoutAttributes =
    "SELECT address, deposed, type, region, region_alias, physical_id, 'null', sensitive_names, NULL, "
    "dependencies, schema_version FROM resources ORDER BY address, deposed";

ResourceRow ReadRow(const Statement& row) {
  return ResourceRow{row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4), row.Text(5),
                     row.Text(6), row.Text(7), row.Text(8), row.Text(9), row.Int(10)};
}

}  // namespace

Result<std::vector<ResourceRow>> ReadResourceRows(Database& db, bool with_attributes) {
  auto stmt = db.Prepare(with_attributes ? kSelectAll : kSelectAllWithoutAttributes);
  if (!stmt) return stmt.error();
  std::vector<ResourceRow> rows;
  for (;;) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) break;
    rows.push_back(ReadRow(*stmt));
  }
  return rows;
}

Result<std::optional<ResourceRow>> FindResourceRow(Database& db, const std::string& address,
                                                   const std::string& deposed) {
  auto stmt = db.Prepare(kSelectOne);
  if (!stmt) return stmt.error();
  auto row = stmt->Bind(1, address).Bind(2, deposed).Step();
  if (!row) return row.error();
  if (!*row) return std::optional<ResourceRow>();
  return std::optional<ResourceRow>(ReadRow(*stmt));
}

Status UpsertResourceRow(Database& db, const ResourceRow& row) {
  auto stmt = db.Prepare(
      "INSERT INTO resources(address, deposed, type, region, region_alias, physical_id, attributes, "
      "sensitive_names, sensitive_blob, dependencies, schema_version) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
      "ON CONFLICT(address, deposed) DO UPDATE SET type = ?3, region = ?4, region_alias = ?5, physical_id = ?6, "
      "attributes = ?7, sensitive_names = ?8, sensitive_blob = ?9, dependencies = ?10, schema_version = ?11");
  if (!stmt) return stmt.error();
  stmt->Bind(1, row.address).Bind(2, row.deposed).Bind(3, row.type).Bind(4, row.region);
  stmt->Bind(5, row.region_alias).Bind(6, row.physical_id).Bind(7, row.attributes).Bind(8, row.sensitive_names);
  if (row.sensitive_blob.empty()) stmt->BindNull(9);
  else stmt->BindBlob(9, row.sensitive_blob);
  return stmt->Bind(10, row.dependencies).Bind(11, row.schema_version).Run();
}

Result<bool> DeleteResourceRow(Database& db, const std::string& address, const std::string& deposed) {
  auto stmt = db.Prepare("DELETE FROM resources WHERE address = ?1 AND deposed = ?2");
  if (!stmt) return stmt.error();
  if (auto s = stmt->Bind(1, address).Bind(2, deposed).Run(); !s) return s.error();
  return db.Changes() > 0;
}

Status DeleteDeposedRows(Database& db, const std::string& address) {
  auto stmt = db.Prepare("DELETE FROM resources WHERE address = ?1 AND deposed != ''");
  if (!stmt) return stmt.error();
  return stmt->Bind(1, address).Run();
}

// Dependencies are JSON arrays of addresses: rewrite the rows that name `from`.
Status RenameResourceRows(Database& db, const std::string& from, const std::string& to) {
  auto move = db.Prepare("UPDATE resources SET address = ?2 WHERE address = ?1");
  if (!move) return move.error();
  if (auto s = move->Bind(1, from).Bind(2, to).Run(); !s) return s;
  auto select = db.Prepare(
      "SELECT rowid, dependencies FROM resources WHERE EXISTS "
      "(SELECT 1 FROM json_each(resources.dependencies) WHERE value = ?1)");
  auto update = db.Prepare("UPDATE resources SET dependencies = ?1 WHERE rowid = ?2");
  if (!select) return select.error();
  if (!update) return update.error();
  select->Bind(1, from);
  std::vector<std::pair<int64_t, std::string>> rewrites;
  for (;;) {
    auto row = select->Step();
    if (!row) return row.error();
    if (!*row) break;
    auto deps = ReadStringList(select->Text(1));
    std::replace(deps.begin(), deps.end(), from, to);
    rewrites.emplace_back(select->Int(0), DumpJson(deps));
  }
  for (auto& [rowid, deps] : rewrites)
    if (auto s = update->Bind(1, deps).Bind(2, rowid).Run(); !s) return s;
  return {};
}

// Splits at the dots outside brackets and quotes; the type is the
// second-to-last segment (module.m[k].TYPE.NAME[k]).
std::string ResourceTypeOfAddress(const std::string& address) {
  std::vector<std::string> parts(1);
  int depth = 0;
  bool quoted = false;
  for (size_t i = 0; i < address.size(); ++i) {
    char c = address[i];
    if (quoted) {
      if (c == '\\' && i + 1 < address.size()) ++i;
      else if (c == '"') quoted = false;
      continue;
    }
    if (c == '"') quoted = true;
    else if (c == '[') ++depth;
    else if (c == ']') --depth;
    else if (c == '.' && depth == 0) {
      parts.emplace_back();
      continue;
    }
    if (depth == 0 && c != ']') parts.back() += c;
  }
  return parts.size() >= 2 ? parts[parts.size() - 2] : "";
}

std::string DisplayAddress(const std::string& address, const std::string& deposed) {
  return deposed.empty() ? address : address + std::string(kDeposedMark) + deposed + ")";
}

void ParseDisplayAddress(const std::string& text, std::string* address, std::string* deposed) {
  *address = text;
  deposed->clear();
  if (text.empty() || text.back() != ')') return;
  size_t pos = text.rfind(kDeposedMark);
  if (pos == std::string::npos || pos == 0) return;
  std::string key = text.substr(pos + kDeposedMark.size(), text.size() - 1 - pos - kDeposedMark.size());
  if (key.empty()) return;
  *address = text.substr(0, pos);
  *deposed = std::move(key);
}

}  // namespace infra::state

// Schema steps. v1: meta, resources (no region, no schema version), outputs,
// history, lock. v2: resources gain region (backfilled from the "region"
// attribute or the ARN), region_alias and schema_version; the operation
// journal appears. v3: deposed objects get their own column (they were
// resource rows addressed "<address> (deposed <key>)"), rows are keyed by
// (address, deposed), and the big attributes column moves last.
#include "state/migrations.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <tuple>
#include <vector>

#include "state/database.h"
#include "state/store.h"

namespace infra::state {
namespace {

constexpr const char* kV1 = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE resources(
  address TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  physical_id TEXT NOT NULL DEFAULT '',
  attributes TEXT NOT NULL,               -- JSON object, sensitive attributes removed
  sensitive_names TEXT NOT NULL DEFAULT '[]',
  sensitive_blob BLOB,                    -- AES-256-GCM of {name: value} for those names
  dependencies TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE outputs(
  name TEXT PRIMARY KEY,
  value TEXT,                             -- JSON, NULL when sensitive
  value_encrypted BLOB,                   -- AES-256-GCM of the JSON when sensitive
  sensitive INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE history(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL DEFAULT '',
  user TEXT NOT NULL DEFAULT '',
  host TEXT NOT NULL DEFAULT '',
  command TEXT NOT NULL DEFAULT '',
  plan_digest TEXT NOT NULL DEFAULT '',
  changes TEXT NOT NULL DEFAULT '{}',
  result TEXT NOT NULL DEFAULT 'running',
  serial INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE lock(
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  id TEXT NOT NULL,
  user TEXT NOT NULL,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  command TEXT NOT NULL,
  since TEXT NOT NULL,
  expires_unix_ms INTEGER NOT NULL
);
)sql";

constexpr const char* kV2 = R"sql(
ALTER TABLE resources ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE resources ADD COLUMN region_alias TEXT NOT NULL DEFAULT '';
ALTER TABLE resources ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX resources_type_region ON resources(type, region);
CREATE TABLE journal(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  address TEXT NOT NULL,
  operation TEXT NOT NULL,
  token TEXT NOT NULL,
  type TEXT NOT NULL DEFAULT '',
  region TEXT NOT NULL DEFAULT '',
  payload_encrypted BLOB,                 -- AES-256-GCM of the payload JSON
  started_at TEXT NOT NULL,
  finished INTEGER NOT NULL DEFAULT 0,
  ok INTEGER NOT NULL DEFAULT 0,
  physical_id TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '',
  finished_at TEXT NOT NULL DEFAULT '',
  resolved INTEGER NOT NULL DEFAULT 0,
  resolution TEXT NOT NULL DEFAULT ''
);
CREATE INDEX journal_unresolved ON journal(resolved, id);
)sql";

// The table is rebuilt: SQLite cannot drop the UNIQUE(address) constraint.
constexpr const char* kV3 = R"sql(
CREATE TABLE resources_v3(
  address TEXT NOT NULL,
  deposed TEXT NOT NULL DEFAULT '',       -- '' = the current object; else the deposed object's key
  type TEXT NOT NULL,
  region TEXT NOT NULL DEFAULT '',
  region_alias TEXT NOT NULL DEFAULT '',
  physical_id TEXT NOT NULL DEFAULT '',
  schema_version INTEGER NOT NULL DEFAULT 0,
  dependencies TEXT NOT NULL DEFAULT '[]',
  sensitive_names TEXT NOT NULL DEFAULT '[]',
  sensitive_blob BLOB,                    -- AES-256-GCM of {name: value} for those names
  attributes TEXT NOT NULL,               -- JSON object, sensitive attributes removed; last (big)
  UNIQUE(address, deposed)
);
INSERT INTO resources_v3(address, deposed, type, region, region_alias, physical_id, schema_version, dependencies,
                         sensitive_names, sensitive_blob, attributes)
  SELECT address, '', type, region, region_alias, physical_id, schema_version, dependencies, sensitive_names,
         sensitive_blob, attributes FROM resources;
DROP TABLE resources;
ALTER TABLE resources_v3 RENAME TO resources;
CREATE INDEX resources_type_region ON resources(type, region);
)sql";

// v2 kept a deposed object under "<address> (deposed <key>)": split it.
Status SplitDeposedAddresses(Database& db) {
  auto select = db.Prepare("SELECT rowid, address FROM resources WHERE address LIKE '%)'");
  auto update = db.Prepare("UPDATE resources SET address = ?1, deposed = ?2 WHERE rowid = ?3");
  if (!select) return select.error();
  if (!update) return update.error();
  std::vector<std::tuple<int64_t, std::string, std::string>> splits;
  for (;;) {
    auto row = select->Step();
    if (!row) return row.error();
    if (!*row) break;
    std::string address, deposed;
    ParseDisplayAddress(select->Text(1), &address, &deposed);
    if (!deposed.empty()) splits.emplace_back(select->Int(0), std::move(address), std::move(deposed));
  }
  for (auto& [rowid, address, deposed] : splits)
    if (auto s = update->Bind(1, address).Bind(2, deposed).Bind(3, rowid).Run(); !s) return s;
  return {};
}

// "arn:aws:ec2:eu-west-1:123:vpc/vpc-1" -> "eu-west-1"; "" if not an ARN.
std::string RegionFromArn(const std::string& arn) {
  if (arn.rfind("arn:", 0) != 0) return "";
  size_t pos = 0;
  for (int i = 0; i < 3; ++i) {
    pos = arn.find(':', pos);
    if (pos == std::string::npos) return "";
    ++pos;
  }
  size_t end = arn.find(':', pos);
  return end == std::string::npos ? "" : arn.substr(pos, end - pos);
}

// v1 kept no region column: recover it from the attributes.
Status BackfillRegions(Database& db) {
  auto select = db.Prepare("SELECT rowid, attributes FROM resources");
  auto update = db.Prepare("UPDATE resources SET region = ?1 WHERE rowid = ?2");
  if (!select) return select.error();
  if (!update) return update.error();
  for (;;) {
    auto row = select->Step();
    if (!row) return row.error();
    if (!*row) break;
    auto attrs = nlohmann::json::parse(select->Text(1), nullptr, false);
    std::string region;
    if (attrs.is_object()) {
      if (attrs.contains("region") && attrs["region"].is_string()) region = attrs["region"];
      else if (attrs.contains("arn") && attrs["arn"].is_string()) region = RegionFromArn(attrs["arn"]);
    }
    if (region.empty()) continue;
    if (auto s = update->Bind(1, region).Bind(2, select->Int(0)).Run(); !s) return s;
  }
  return {};
}

Status Step(Database& db, int version) {
  switch (version) {
    case 1:
      return db.Exec(kV1);
    case 2:
      if (auto s = db.Exec(kV2); !s) return s;
      return BackfillRegions(db);
    case 3:
      if (auto s = db.Exec(kV3); !s) return s;
      return SplitDeposedAddresses(db);
    default:
      return MakeError(Error::Kind::kInternal, "StateStorage",
                       fmt::format("no migration to schema v{} [this is a bug]", version));
  }
}

}  // namespace

int LatestSchemaVersion() { return 3; }

Status Migrate(Database& db, int from, int to) {
  for (int v = from + 1; v <= to; ++v)
    if (auto s = Step(db, v); !s) return s;
  if (auto s = db.Exec(fmt::format("PRAGMA application_id = {}", kApplicationId)); !s) return s;
  return db.Exec(fmt::format("PRAGMA user_version = {}", to));
}

}  // namespace infra::state

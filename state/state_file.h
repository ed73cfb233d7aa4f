// The state file on disk before StateStore trusts it: header checks that
// refuse non-SQLite, empty and truncated files without touching them,
// identity checks (application id, format, schema version), creation by
// temp-file-and-link, and migration with a backup copy. Internal to state/.
#pragma once
#include <cstdint>
#include <string>

#include "common/result.h"

namespace infra::state {

class Database;

/// Reads the 100-byte SQLite header of `path`: StateCorrupt when the file is
/// empty, not SQLite, or shorter than the page count its header declares.
Status InspectStateFile(const std::string& path);

/// Runs PRAGMA quick_check on `db` (best on a read-only connection, so a
/// damaged file is refused before anything writes to it): StateCorrupt
/// naming `path` and SQLite's first complaint when the file is damaged.
Status QuickCheckStateFile(Database& db, const std::string& path);

/// Creates the missing folders of `dir` with mode 0700 (state folders hold
/// keys and secrets). Existing folders keep their mode.
Status CreatePrivateDirectories(const std::string& dir);

/// Checks an open connection is an infra state this build can read: another
/// program's database -> StateForeign, newer schema -> StateTooNew, missing
/// meta -> StateCorrupt. Returns the schema version. Writes nothing.
Result<int64_t> CheckStateIdentity(Database& db, const std::string& path);

/// Builds a new state (latest schema, fresh lineage, serial 0, mode 0600;
/// missing folders 0700) in a temporary file beside `path` and links it
/// into place. If another process
/// created `path` meanwhile, theirs is kept and this returns success.
Status CreateStateFile(const std::string& path, const std::string& stack);

/// Copies the database to `<path>.backup-v<from>` (VACUUM INTO, consistent
/// even in WAL mode; a numbered suffix if that name exists), then migrates
/// to the latest schema in one transaction.
Status MigrateWithBackup(Database& db, const std::string& path, int from);

}  // namespace infra::state

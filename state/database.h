// Database and Statement: a thin RAII layer over one sqlite3 connection,
// mapping SQLite failures to infra::Error (corruption -> StateCorrupt).
// Internal to state/; other folders use StateStore.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace infra::state {

/// One prepared statement; reset and rebound for each use.
class Statement {
 public:
  Statement(Statement&& o) noexcept;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view text);
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindNull(int index);
  /// Advances; true if a row is available, false when done.
  Result<bool> Step();
  /// Runs to completion (for statements returning no rows).
  Status Run();
  void Reset();

  int64_t Int(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;
  sqlite3_stmt* raw() { return stmt_; }

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

/// One connection. Not thread-safe by itself: the owner serialises use.
class Database {
 public:
  /// Opens an existing file (create=false) or creates it. `read_only`
  /// opens with SQLITE_OPEN_READONLY. Sets a busy timeout.
  static Result<std::unique_ptr<Database>> Open(const std::string& path, bool create, bool read_only);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);
  /// Single integer from a query such as "PRAGMA user_version".
  Result<int64_t> QueryInt(std::string_view sql);
  int64_t Changes() const;
  int64_t LastInsertId() const;
  /// Maps the connection's last failure to an Error (StateCorrupt for
  /// SQLITE_CORRUPT/NOTADB, StateBusy for BUSY/LOCKED, else StateStorage).
  Error LastError(std::string_view what) const;
  sqlite3* raw() { return db_; }
  const std::string& path() const { return path_; }

 private:
  Database() = default;
  sqlite3* db_ = nullptr;
  std::string path_;
};

/// BEGIN IMMEDIATE ... COMMIT; rolls back in the destructor unless
/// committed. Immediate so writers queue on the busy timeout up front.
class Transaction {
 public:
  static Result<std::unique_ptr<Transaction>> Begin(Database& db);
  Status Commit();
  ~Transaction();

 private:
  explicit Transaction(Database& db) : db_(db) {}
  Database& db_;
  bool done_ = false;
};

/// Maps an SQLite result code to an Error with `what` as context.
Error SqliteError(int code, std::string_view what, std::string_view detail);

}  // namespace infra::state

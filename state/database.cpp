// SQLite connection, statement and transaction wrappers.
#include "state/database.h"

#include <fmt/format.h>
#include <sqlite3.h>

namespace infra::state {

Error SqliteError(int code, std::string_view what, std::string_view detail) {
  int primary = code & 0xff;
  std::string message = fmt::format("{}: {}", what, detail.empty() ? sqlite3_errstr(code) : detail);
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    return MakeError(Error::Kind::kInvalid, "StateCorrupt", message);
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    return MakeError(Error::Kind::kConflict, "StateBusy", message);
  if (primary == SQLITE_READONLY)
    return MakeError(Error::Kind::kInvalid, "StateReadOnly", message);
  return MakeError(Error::Kind::kOther, "StateStorage", message);
}

Statement::Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(rc, "state database", sqlite3_errmsg(db_));
}

Status Statement::Run() {
  for (;;) {
    auto more = Step();
    if (!more) return more.error();
    if (!*more) break;
  }
  Reset();
  return {};
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::Text(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);
  return data ? std::string(static_cast<const char*>(data), static_cast<size_t>(size)) : std::string();
}

bool Statement::IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

namespace {

// "file:" URI of `path` with the characters URIs reserve escaped.
std::string FileUri(const std::string& path, const char* query) {
  std::string uri = "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#') uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    else uri += c;
  }
  return uri + "?" + query;
}

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, bool create, bool read_only) {
  int flags = SQLITE_OPEN_FULLMUTEX;
  flags |= read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (create && !read_only) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<Database> db(new Database());
  db->db_ = raw;
  db->path_ = path;
  if (rc != SQLITE_OK)
    return SqliteError(rc, fmt::format("cannot open state database {}", path), raw ? sqlite3_errmsg(raw) : "");
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 10000);
  if (!read_only) return db;
  // A reader of a WAL database needs its -shm file; in a folder it may not
  // write, with no writer around (no -shm yet), SQLite cannot make one.
  // Then the file is read as immutable: reads never write (docs/state.md).
  rc = sqlite3_exec(raw, "PRAGMA schema_version", nullptr, nullptr, nullptr);
  if ((rc & 0xff) != SQLITE_READONLY && (rc & 0xff) != SQLITE_CANTOPEN) return db;
  sqlite3_close_v2(raw);
  db->db_ = nullptr;
  rc = sqlite3_open_v2(FileUri(path, "immutable=1").c_str(), &db->db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
                                                                          SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK)
    return SqliteError(rc, fmt::format("cannot open state database {}", path), db->db_ ? sqlite3_errmsg(db->db_) : "");
  sqlite3_extended_result_codes(db->db_, 1);
  return db;
}

Database::~Database() {
  if (db_) sqlite3_close_v2(db_);
}

Status Database::Exec(std::string_view sql) {
  char* err = nullptr;
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return {};
  std::string detail = err ? err : "";
  sqlite3_free(err);
  return SqliteError(rc, fmt::format("state database {}", path_), detail);
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(rc, fmt::format("state database {}", path_), sqlite3_errmsg(db_));
  return Statement(db_, stmt);
}

Result<int64_t> Database::QueryInt(std::string_view sql) {
  auto stmt = Prepare(sql);
  if (!stmt) return stmt.error();
  auto row = stmt->Step();
  if (!row) return row.error();
  return *row ? stmt->Int(0) : 0;
}

int64_t Database::Changes() const { return sqlite3_changes64(db_); }
int64_t Database::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }

Error Database::LastError(std::string_view what) const {
  return SqliteError(sqlite3_extended_errcode(db_), what, sqlite3_errmsg(db_));
}

Result<std::unique_ptr<Transaction>> Transaction::Begin(Database& db) {
  if (auto s = db.Exec("BEGIN IMMEDIATE"); !s) return s.error();
  return std::unique_ptr<Transaction>(new Transaction(db));
}

Status Transaction::Commit() {
  if (auto s = db_.Exec("COMMIT"); !s) return s;
  done_ = true;
  return {};
}

Transaction::~Transaction() {
  if (!done_) (void)db_.Exec("ROLLBACK");
}

}  // namespace infra::state

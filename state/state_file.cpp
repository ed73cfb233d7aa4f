// Header inspection, identity checks, creation and migration of state files.
#include "state/state_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/log.h"
#include "state/database.h"
#include "state/migrations.h"
#include "state/store.h"

namespace infra::state {
namespace {

constexpr char kMagic[] = "SQLite format 3";  // followed by a NUL: 16 bytes

Error Corrupt(const std::string& path, const std::string& why) {
  return MakeError(Error::Kind::kInvalid, "StateCorrupt",
                   fmt::format("{}: {}; refusing to use it (it was not modified). Restore it from a backup or "
                               "version history, or move it aside to start a new state",
                               path, why));
}

uint32_t BigEndian(const unsigned char* p, int n) {
  uint32_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

Status InspectStateFile(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return MakeError(Error::Kind::kOther, "StateStorage", fmt::format("{}: {}", path, ec.message()));
  if (size == 0) return Corrupt(path, "the file is empty, not an infra state");
  unsigned char header[100] = {};
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(header), sizeof(header));
  if (in.gcount() < 100 || std::memcmp(header, kMagic, 16) != 0)
    return Corrupt(path, "not an infra state database (not an SQLite file)");
  uint32_t page_size = BigEndian(header + 16, 2);
  if (page_size == 1) page_size = 65536;
  uint32_t change_counter = BigEndian(header + 24, 4);
  uint32_t page_count = BigEndian(header + 28, 4);
  uint32_t valid_for = BigEndian(header + 92, 4);
  if (page_size < 512 || (page_size & (page_size - 1)) != 0) return Corrupt(path, "the SQLite header is damaged");
  if (change_counter == valid_for && uint64_t{page_count} * page_size > size)
    return Corrupt(path, fmt::format("the file is truncated ({} bytes; its header says {})", size,
                                     uint64_t{page_count} * page_size));
  return {};
}

Status QuickCheckStateFile(Database& db, const std::string& path) {
  auto stmt = db.Prepare("PRAGMA quick_check(1)");
  if (!stmt) return Corrupt(path, stmt.error().message);
  auto row = stmt->Step();
  if (!row) return Corrupt(path, row.error().message);
  if (!*row || stmt->Text(0) == "ok") return {};
  return Corrupt(path, "the database is damaged (PRAGMA quick_check: " + stmt->Text(0) + ")");
}

Status CreatePrivateDirectories(const std::string& dir) {
  if (dir.empty()) return {};
  std::error_code ec;
  std::filesystem::path path(dir);
  if (std::filesystem::is_directory(path, ec)) return {};
  if (path.has_parent_path() && path.parent_path() != path)
    if (auto s = CreatePrivateDirectories(path.parent_path().string()); !s) return s;
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return MakeError(Error::Kind::kOther, "StateStorage",
                     fmt::format("cannot create folder {}: {}", dir, std::strerror(errno)));
  return {};
}

Result<int64_t> CheckStateIdentity(Database& db, const std::string& path) {
  auto app = db.QueryInt("PRAGMA application_id");
  if (!app) {
    if (app.error().code == "StateCorrupt") return Corrupt(path, app.error().message);
    return app.error();
  }
  if (*app != kApplicationId)
    return MakeError(Error::Kind::kInvalid, "StateForeign",
                     fmt::format("{}: this is an SQLite database but not an infra state (application id {:#x}); "
                                 "refusing to use it (it was not modified)",
                                 path, *app));
  auto version = db.QueryInt("PRAGMA user_version");
  if (!version) return version.error();
  if (*version > LatestSchemaVersion())
    return MakeError(Error::Kind::kInvalid, "StateTooNew",
                     fmt::format("{}: this state was written by a newer infra (schema v{}; this build reads up to "
                                 "v{}). Upgrade infra; the file was not modified",
                                 path, *version, LatestSchemaVersion()));
  auto format = db.Prepare("SELECT value FROM meta WHERE key = 'format'");
  if (!format) return Corrupt(path, "the meta table is missing");
  auto row = format->Step();
  if (!row) return Corrupt(path, row.error().message);
  if (!*row || format->Text(0) != "infra-state") return Corrupt(path, "the meta table does not name an infra state");
  return *version;
}

Status CreateStateFile(const std::string& path, const std::string& stack) {
  std::error_code ec;
  if (auto s = CreatePrivateDirectories(std::filesystem::path(path).parent_path().string()); !s) return s;
  std::string tmp = fmt::format("{}.tmp-{}", path, getpid());
  std::filesystem::remove(tmp, ec);
  // An empty file is a new database to SQLite; creating it ourselves sets
  // its mode, which SQLite gives the -wal and -shm files too.
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return MakeError(Error::Kind::kOther, "StateStorage",
                     fmt::format("cannot create state database {}: {}", tmp, std::strerror(errno)));
  ::close(fd);
  {
    auto db = Database::Open(tmp, true, false);
    if (!db) return db.error();
    Status s = (*db)->Exec("PRAGMA journal_mode = WAL");
    auto tx = s ? Transaction::Begin(**db) : Result<std::unique_ptr<Transaction>>(s.error());
    if (!tx) return tx.error();
    if (s = Migrate(**db, 0, LatestSchemaVersion()); !s) return s;
    auto meta = (*db)->Prepare("INSERT INTO meta(key, value) VALUES(?1, ?2)");
    if (!meta) return meta.error();
    const std::pair<const char*, std::string> rows[] = {
        {"format", "infra-state"}, {"lineage", NewUuid()}, {"serial", "0"}, {"stack", stack},
        {"created_at", NowIso8601()}};
    for (const auto& [k, v] : rows)
      if (s = meta->Bind(1, std::string_view(k)).Bind(2, v).Run(); !s) return s;
    if (s = (*tx)->Commit(); !s) return s;
  }  // closing the last connection checkpoints and removes the WAL
  int rc = ::link(tmp.c_str(), path.c_str());
  int link_errno = errno;
  std::filesystem::remove(tmp, ec);
  if (rc != 0 && link_errno != EEXIST)
    return MakeError(Error::Kind::kOther, "StateStorage",
                     fmt::format("cannot create state database {}: {}", path, std::strerror(link_errno)));
  return {};
}

Status MigrateWithBackup(Database& db, const std::string& path, int from) {
  std::string backup = fmt::format("{}.backup-v{}", path, from);
  std::error_code ec;
  for (int n = 2; std::filesystem::exists(backup, ec); ++n) backup = fmt::format("{}.backup-v{}.{}", path, from, n);
  auto stmt = db.Prepare("VACUUM INTO ?1");
  if (!stmt) return stmt.error();
  if (auto s = stmt->Bind(1, backup).Run(); !s) return s;
  auto tx = Transaction::Begin(db);
  if (!tx) return tx.error();
  // Another process may have migrated while we made the backup.
  auto now = db.QueryInt("PRAGMA user_version");
  if (!now) return now.error();
  if (*now >= LatestSchemaVersion()) return {};
  if (auto s = Migrate(db, static_cast<int>(*now), LatestSchemaVersion()); !s) return s;
  if (auto s = (*tx)->Commit(); !s) return s;
  log::Warn("{}: migrated state schema v{} -> v{}; the previous file is kept as {}", path, from,
            LatestSchemaVersion(), backup);
  return {};
}

}  // namespace infra::state

// The local backend: snapshots out through VACUUM INTO, in through an
// attached copy whose rows replace ours in one fenced transaction.
#include "state/backend_local.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "state/database.h"
#include "state/identity_table.h"
#include "state/lock_record.h"
#include "state/store.h"

namespace infra::state {
namespace {

// The tables a snapshot carries; the lock stays with the live file.
constexpr const char* kSnapshotTables[] = {"meta", "resources", "outputs", "history", "journal"};

// A private temporary file (never beside the state: reads must not write
// there), removed when this goes out of scope.
class ScratchFile {
 public:
  // Created empty with mode 0600 (a snapshot holds sealed secrets); VACUUM
  // INTO accepts an empty file.
  ScratchFile() : path_((std::filesystem::temp_directory_path() / ("infra-snapshot-" + NewUuid())).string()) {
    int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
  }
  ~ScratchFile() {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string Quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

Error SnapshotError(const char* code, std::string message) {
  return MakeError(Error::Kind::kConflict, code, std::move(message));
}

}  // namespace

std::string LocalSnapshotVersion(const std::string& lineage, int64_t serial) {
  return fmt::format("{}:{}", lineage, serial);
}

LocalBackend::LocalBackend(StateStore& store) : store_(store), journal_(store) {}

std::string LocalBackend::Location() const { return store_.path(); }

Result<std::optional<Snapshot>> LocalBackend::ReadSnapshot() {
  ScratchFile copy;
  Snapshot snap;
  Status s = store_.Read([&](Database& db) -> Status {
    auto serial = ReadSerial(db);
    if (!serial) return serial.error();
    snap.serial = *serial;
    return db.Exec("VACUUM INTO " + Quoted(copy.path()));
  });
  if (!s) return s.error();
  std::ifstream in(copy.path(), std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  snap.bytes = bytes.str();
  snap.lineage = store_.lineage();
  snap.version = LocalSnapshotVersion(snap.lineage, snap.serial);
  return std::optional<Snapshot>(std::move(snap));
}

Status LocalBackend::WriteSnapshot(const Snapshot& next, const std::string& previous_version) {
  return Write(next, previous_version, true);
}

Status LocalBackend::ReplaceSnapshot(const Snapshot& next, const std::string& previous_version) {
  return Write(next, previous_version, false);
}

// `ordered`: the snapshot must have this state's lineage and a higher serial.
Status LocalBackend::Write(const Snapshot& next, const std::string& previous_version, bool ordered) {
  ScratchFile file;
  {
    std::ofstream out(file.path(), std::ios::binary | std::ios::trunc);
    out << next.bytes;
    if (!out.flush())
      return MakeError(Error::Kind::kOther, "StateStorage", fmt::format("cannot write {}", file.path()));
  }
  // Refuses what is not a state this build reads, without writing to it.
  // Ordered: a copy of this state, whose key check value must be ours.
  // Unordered (--force, maybe another state): opened with our key, which
  // refuses one sealed with another (key check values differ per state).
  std::string key_file = ordered ? "/dev/null/none"
                                 : std::filesystem::path(store_.path()).replace_extension(".key").string();
  auto incoming = StateStore::Open(file.path(), {.create = false, .read_only = true, .key_file = key_file});
  if (!incoming) return incoming.error();
  std::string lineage = (*incoming)->lineage();
  int64_t serial = (*incoming)->serial();
  if (auto s = (*incoming)->Close(); !s) return s;
  if (ordered && lineage != store_.lineage())
    return SnapshotError("StateLineageMismatch",
                         fmt::format("{}: the snapshot has lineage {}, this state {}: it is another state",
                                     store_.path(), lineage, store_.lineage()));
  if (auto s = store_.Read([&](Database& db) { return db.Exec("ATTACH " + Quoted(file.path()) + " AS snap"); }); !s)
    return s;
  Status copied = store_.Write([&](Database& db) -> Status {
    auto current = ReadSerial(db);
    if (!current) return current.error();
    if (LocalSnapshotVersion(store_.lineage(), *current) != previous_version)
      return SnapshotError("StateConflict", fmt::format("{}: the state changed (serial {}) since version {} was read",
                                                        store_.path(), *current, previous_version));
    if (ordered && serial <= *current)
      return SnapshotError("StateSerialStale",
                           fmt::format("{}: the snapshot's serial {} is not newer than the state's serial {}",
                                       store_.path(), serial, *current));
    if (ordered) {
      auto check = db.Prepare("SELECT (SELECT value FROM main.meta WHERE key = 'key_check') IS "
                              "(SELECT value FROM snap.meta WHERE key = 'key_check')");
      if (!check) return check.error();
      auto same = check->Step();
      if (!same) return same.error();
      if (!*same || check->Int(0) == 0)
        return MakeError(Error::Kind::kAuth, "StateKeyMismatch",
                         fmt::format("{}: the snapshot's secrets are sealed with another key than this state's",
                                     store_.path()));
    }
    for (const char* table : kSnapshotTables)
      if (auto s = db.Exec(fmt::format("DELETE FROM main.{0}; INSERT INTO main.{0} SELECT * FROM snap.{0}", table));
          !s)
        return s;
    return {};
  });
  Status detached = store_.Read([](Database& db) { return db.Exec("DETACH snap"); });
  if (!copied) return copied;
  return detached;
}

Result<std::unique_ptr<LockRecord>> LocalBackend::OpenLockRecord() {
  auto db = Database::Open(store_.path(), false, false);
  if (!db) return db.error();
  if (auto s = (*db)->Exec("PRAGMA synchronous = NORMAL"); !s) return s.error();
  return std::unique_ptr<LockRecord>(std::make_unique<SqliteLockRecord>(std::move(*db)));
}

}  // namespace infra::state

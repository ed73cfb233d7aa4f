// StateStore: opening (refusal of foreign/corrupt/newer files, creation by
// rename, migration with backup, key check), the one write path Write(fn)
// with its fence, and the table operations composed into transactions. The
// tables themselves live in state/*_table.cpp; open-time file checks in
// state/state_file.cpp; the key in state/state_key.cpp.
#include "state/store.h"

#include <fmt/format.h>

#include <filesystem>

#include "state/crypto.h"
#include "state/database.h"
#include "state/history_table.h"
#include "state/identity_table.h"
#include "state/json_reader.h"
#include "state/outputs_table.h"
#include "state/resource_codec.h"
#include "state/resources_table.h"
#include "state/state_file.h"
#include "state/state_key.h"
#include "state/write_fence.h"

namespace infra::state {
namespace {

// Connection settings. WAL + synchronous=NORMAL: a commit is durable against
// a crash of this process (kill -9) because the WAL is in the OS page cache;
// only an OS crash or power loss can drop the last transactions, never
// corrupt the file. That is the trade Terraform users already accept with
// local state, and it keeps one PutResource well under a millisecond.
Status ConfigureConnection(Database& db, bool read_only) {
  if (!read_only)
    if (auto s = db.Exec("PRAGMA journal_mode = WAL"); !s) return s;
  return db.Exec("PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY");
}

Status ResolveJournal(Database& db, int64_t journal_id) {
  if (journal_id == 0) return {};
  auto stmt = db.Prepare("UPDATE journal SET resolved = 1 WHERE id = ?1");
  if (!stmt) return stmt.error();
  return stmt->Bind(1, journal_id).Run();
}

}  // namespace

// ---------------------------------------------------------------- opening

StateStore::StateStore() = default;
StateStore::~StateStore() { (void)Close(); }

Result<std::unique_ptr<StateStore>> StateStore::Open(const std::string& path, const OpenOptions& options) {
  std::unique_ptr<StateStore> store(new StateStore());
  store->path_ = path;
  store->read_only_ = options.read_only;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (!options.create || options.read_only)
      return MakeError(Error::Kind::kNotFound, "StateNotFound", fmt::format("{}: no state database here", path));
    if (auto s = CreateStateFile(path, options.stack); !s) return s.error();
  }
  if (auto s = store->Initialise(options); !s) return s.error();
  return store;
}

Status StateStore::Initialise(const OpenOptions& options) {
  if (auto s = InspectStateFile(path_); !s) return s;
  auto db = Database::Open(path_, false, read_only_);
  if (!db) return db.error();
  db_ = std::move(*db);
  auto version = CheckStateIdentity(*db_, path_);
  if (!version) return version.error();
  if (*version < kSchemaVersion) {
    if (read_only_)
      return MakeError(Error::Kind::kInvalid, "StateTooOld",
                       fmt::format("{}: state schema v{} needs migrating to v{}; run a command that writes state "
                                   "(a backup is kept)",
                                   path_, *version, kSchemaVersion));
    if (auto s = MigrateWithBackup(*db_, path_, static_cast<int>(*version)); !s) return s;
  }
  if (auto s = ConfigureConnection(*db_, read_only_); !s) return s;
  auto identity = ReadIdentity(*db_);
  if (!identity) return identity.error();
  lineage_ = identity->lineage;
  stack_ = identity->stack;
  auto key = LoadStateKey(*db_, path_, options.key_file, read_only_);
  if (!key) return key.error();
  cipher_ = std::move(key->cipher);
  key_error_ = key->error;
  key_description_ = key->description;
  return {};
}

Status StateStore::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!db_) return {};
  Status s;
  if (!read_only_) s = db_->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db_.reset();
  if (!s && s.error().code == "StateBusy") return {};  // another process has it open: fine
  return s;
}

std::string StateStore::lineage() const { return lineage_; }
std::string StateStore::stack() const { return stack_; }
std::string StateStore::key_description() const { return key_description_; }

int64_t StateStore::serial() const {
  int64_t serial = 0;
  (void)Read([&](Database& db) {
    auto v = ReadSerial(db);
    if (v) serial = *v;
    return Status{};
  });
  return serial;
}

Status StateStore::CheckOpen() const {
  if (!db_)
    return MakeError(Error::Kind::kInternal, "StateStorage", fmt::format("{}: state is closed [this is a bug]", path_));
  if (read_only_)
    return MakeError(Error::Kind::kInvalid, "StateReadOnly", fmt::format("{}: state was opened read-only", path_));
  return {};
}

// ---------------------------------------------------------------- writing

Status StateStore::Write(const std::function<Status(Database&)>& fn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto s = CheckOpen(); !s) return s;
  auto tx = Transaction::Begin(*db_);
  if (!tx) return tx.error();
  if (fence_)
    if (auto s = fence_->Check(*db_); !s) return s;
  if (auto s = fn(*db_); !s) return s;
  return (*tx)->Commit();
}

Status StateStore::Read(const std::function<Status(Database&)>& fn) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!db_)
    return MakeError(Error::Kind::kInternal, "StateStorage", fmt::format("{}: state is closed [this is a bug]", path_));
  return fn(*db_);
}

void StateStore::FenceWrites(const std::string& lock_id) {
  std::lock_guard<std::mutex> lock(mu_);
  fence_ = lock_id.empty() ? nullptr : LockRowFence(lock_id, path_);
}

// Bumps the serial and records `who` (succeeded) with `changes` after
// `change`, all in one fenced transaction; returns the new serial.
Result<int64_t> StateStore::CommitRun(const HistoryEntry& who, const nlohmann::json& changes,
                                      const std::function<Status(Database&)>& change) {
  int64_t serial = 0;
  Status s = Write([&](Database& db) -> Status {
    if (auto c = change(db); !c) return c;
    auto next = BumpSerial(db);
    if (!next) return next.error();
    serial = *next;
    HistoryEntry entry = who;
    if (entry.result == "running") entry.result = "succeeded";
    entry.changes = changes;
    if (auto id = InsertHistory(db, entry, serial); !id) return id.error();
    return {};
  });
  if (!s) return s.error();
  return serial;
}

// ---------------------------------------------------------------- secrets

Result<const Cipher*> StateStore::RequireCipher() const {
  if (!cipher_) return MakeError(Error::Kind::kAuth, "StateKeyMissing", key_error_);
  return cipher_.get();
}

CodecKey StateStore::ResourceKey() const { return CodecKey{cipher_.get(), key_error_, lineage_ + "/resource", path_}; }
CodecKey StateStore::OutputKey() const { return CodecKey{cipher_.get(), key_error_, lineage_ + "/output", path_}; }

Result<std::string> StateStore::Seal(const nlohmann::json& value, const std::string& purpose) const {
  auto cipher = RequireCipher();
  if (!cipher) return cipher.error();
  return (*cipher)->Encrypt(DumpJson(value), lineage_ + "/" + purpose);
}

Result<nlohmann::json> StateStore::Unseal(const std::string& blob, const std::string& purpose) const {
  auto cipher = RequireCipher();
  if (!cipher) return cipher.error();
  auto plain = (*cipher)->Decrypt(blob, lineage_ + "/" + purpose);
  if (!plain) return plain.error();
  auto value = nlohmann::json::parse(*plain, nullptr, false);
  if (value.is_discarded())
    return MakeError(Error::Kind::kInvalid, "StateCorrupt", fmt::format("{}: a decrypted {} is not JSON", path_, purpose));
  return value;
}

// ---------------------------------------------------------------- resources

Result<std::vector<ResourceRecord>> StateStore::LoadResourcesLocked(bool redact, AttributeDecoding decoding) {
  std::vector<ResourceRow> rows;
  Status s = Read([&](Database& db) -> Status {
    auto read = ReadResourceRows(db, decoding != AttributeDecoding::kSkipped);
    if (!read) return read.error();
    rows = std::move(*read);
    return {};
  });
  if (!s) return s.error();
  return DecodeResources(std::move(rows), ResourceKey(), redact, decoding);
}

Result<std::vector<ResourceRecord>> StateStore::LoadResources(AttributeDecoding decoding) {
  return LoadResourcesLocked(false, decoding);
}

Result<std::vector<ResourceRecord>> StateStore::LoadResourcesRedacted(AttributeDecoding decoding) {
  return LoadResourcesLocked(true, decoding);
}

Result<std::optional<ResourceRecord>> StateStore::GetResource(const std::string& address, bool redact,
                                                              const std::string& deposed) {
  std::optional<ResourceRow> row;
  Status s = Read([&](Database& db) -> Status {
    auto found = FindResourceRow(db, address, deposed);
    if (!found) return found.error();
    row = std::move(*found);
    return {};
  });
  if (!s) return s.error();
  if (!row) return std::optional<ResourceRecord>();
  auto r = DecodeResource(std::move(*row), ResourceKey(), redact, AttributeDecoding::kFull);
  if (!r) return r.error();
  return std::optional<ResourceRecord>(std::move(*r));
}

Status StateStore::PutResource(const ResourceRecord& record, int64_t resolve_journal_id) {
  return PutResources({record}, resolve_journal_id);
}

Status StateStore::PutResources(const std::vector<ResourceRecord>& records, int64_t resolve_journal_id) {
  std::vector<ResourceRow> rows;  // encrypted outside the lock
  for (const auto& record : records) {
    auto row = EncodeResource(record, ResourceKey());
    if (!row) return row.error();
    rows.push_back(std::move(*row));
  }
  return Write([&](Database& db) -> Status {
    for (const auto& row : rows)
      if (auto s = UpsertResourceRow(db, row); !s) return s;
    return ResolveJournal(db, resolve_journal_id);
  });
}

Status StateStore::DeleteResource(const std::string& address, int64_t resolve_journal_id,
                                  const std::string& deposed) {
  return Write([&](Database& db) -> Status {
    if (auto gone = DeleteResourceRow(db, address, deposed); !gone) return gone.error();
    return ResolveJournal(db, resolve_journal_id);
  });
}

Result<int64_t> StateStore::RemoveResources(const std::vector<std::string>& addresses, const HistoryEntry& who) {
  return CommitRun(who, {{"removed", addresses}}, [&](Database& db) -> Status {
    for (const auto& text : addresses) {
      std::string address, deposed;
      ParseDisplayAddress(text, &address, &deposed);
      auto gone = DeleteResourceRow(db, address, deposed);
      if (!gone) return gone.error();
      if (!*gone)
        return MakeError(Error::Kind::kNotFound, "StateNoSuchResource",
                         fmt::format("{}: no resource {} in state; nothing was removed", path_, text));
      if (deposed.empty())  // forgetting a resource forgets its deposed objects too
        if (auto s = DeleteDeposedRows(db, address); !s) return s;
    }
    return {};
  });
}

Result<int64_t> StateStore::MoveResource(const std::string& from, const std::string& to, const HistoryEntry& who) {
  return CommitRun(who, {{"moved", {{"from", from}, {"to", to}}}}, [&](Database& db) -> Status {
    auto taken = FindResourceRow(db, to, "");
    if (!taken) return taken.error();
    if (*taken)
      return MakeError(Error::Kind::kConflict, "StateAddressTaken",
                       fmt::format("{}: {} is already in state; remove it first or choose another address", path_, to));
    auto current = FindResourceRow(db, from, "");
    if (!current) return current.error();
    if (!*current)
      return MakeError(Error::Kind::kNotFound, "StateNoSuchResource",
                       fmt::format("{}: no resource {} in state", path_, from));
    if (std::string type = ResourceTypeOfAddress(to); type != (*current)->type)
      return MakeError(Error::Kind::kInvalid, "StateTypeMismatch",
                       fmt::format("{}: cannot move {} (a {}) to {}: {}; state mv renames, it does not change the "
                                   "type",
                                   path_, from, (*current)->type, to,
                                   type.empty() ? "that is not a resource address" : "that address is a " + type));
    return RenameResourceRows(db, from, to);
  });
}

// ---------------------------------------------------------------- outputs

Result<std::vector<OutputRecord>> StateStore::LoadOutputs() {
  std::vector<OutputRecord> out;
  Status s = Read([&](Database& db) -> Status {
    auto rows = ReadOutputRows(db, OutputKey(), std::nullopt);
    if (!rows) return rows.error();
    out = std::move(*rows);
    return {};
  });
  if (!s) return s.error();
  return out;
}

Result<std::optional<OutputRecord>> StateStore::GetOutput(const std::string& name) {
  std::optional<OutputRecord> out;
  Status s = Read([&](Database& db) -> Status {
    auto rows = ReadOutputRows(db, OutputKey(), name);
    if (!rows) return rows.error();
    if (!rows->empty()) out = std::move(rows->front());
    return {};
  });
  if (!s) return s.error();
  return out;
}

Status StateStore::ReplaceOutputs(const std::vector<OutputRecord>& outputs) {
  return Write([&](Database& db) { return ReplaceOutputRows(db, OutputKey(), outputs); });
}

// ---------------------------------------------------------------- history

Result<int64_t> StateStore::BeginApply(const HistoryEntry& entry) {
  int64_t id = 0;
  Status s = Write([&](Database& db) -> Status {
    auto serial = BumpSerial(db);
    if (!serial) return serial.error();
    HistoryEntry running = entry;
    running.result = "running";
    auto inserted = InsertHistory(db, running, *serial);
    if (!inserted) return inserted.error();
    id = *inserted;
    return {};
  });
  if (!s) return s.error();
  return id;
}

// Not fenced: it only closes this run's own history row, which a new holder
// never writes (docs/state.md "Lock").
Status StateStore::FinishApply(int64_t history_id, const std::string& result, const nlohmann::json& changes) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto s = CheckOpen(); !s) return s;
  return FinishHistory(*db_, history_id, result, changes);
}

Result<std::vector<HistoryEntry>> StateStore::History(int limit) {
  std::vector<HistoryEntry> out;
  Status s = Read([&](Database& db) -> Status {
    auto rows = ListHistory(db, limit);
    if (!rows) return rows.error();
    out = std::move(*rows);
    return {};
  });
  if (!s) return s.error();
  return out;
}

Result<std::string> StateStore::IntegrityCheck() {
  std::string report;
  Status s = Read([&](Database& db) -> Status {
    auto stmt = db.Prepare("PRAGMA integrity_check");
    if (!stmt) return stmt.error();
    for (;;) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) break;
      if (!report.empty()) report += "\n";
      report += stmt->Text(0);
    }
    return {};
  });
  if (!s) return s.error();
  return report;
}

}  // namespace infra::state

// StateStore: opening (refusal of foreign/corrupt/newer files, creation by
// rename, migration with backup, key check) and the resource, output and
// history tables. Open-time file checks live in state/state_file.cpp.
#include "state/store.h"

#include <fmt/format.h>
#include <openssl/rand.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>

#include "common/log.h"
#include "state/crypto.h"
#include "state/database.h"
#include "state/json_reader.h"
#include "state/lock.h"
#include "state/migrations.h"
#include "state/resource_codec.h"
#include "state/state_file.h"

namespace infra::state {
namespace {

constexpr const char* kFormat = "infra-state";

Error ReadOnlyError(const std::string& path) {
  return MakeError(Error::Kind::kInvalid, "StateReadOnly", fmt::format("{}: state was opened read-only", path));
}

std::string ResourceAad(const std::string& lineage) { return lineage + "/resource"; }
std::string OutputAad(const std::string& lineage) { return lineage + "/output"; }

Result<std::string> MetaValue(Database& db, const char* key) {
  auto stmt = db.Prepare("SELECT value FROM meta WHERE key = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, std::string_view(key));
  auto row = stmt->Step();
  if (!row) return row.error();
  return *row ? stmt->Text(0) : std::string();
}

Status SetMeta(Database& db, const char* key, const std::string& value) {
  auto stmt = db.Prepare("INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2");
  if (!stmt) return stmt.error();
  return stmt->Bind(1, std::string_view(key)).Bind(2, value).Run();
}

std::string DefaultKeyFile(const std::string& path) {
  std::filesystem::path p(path);
  p.replace_extension(".key");
  return p.string();
}

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

}  // namespace

std::string NowIso8601() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string NewUuid() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof(b)) != 1) {
    // RAND_bytes failing is near impossible; fall back to time + pid.
    auto n = std::chrono::steady_clock::now().time_since_epoch().count();
    for (int i = 0; i < 16; ++i) b[i] = static_cast<unsigned char>((n >> (i % 8 * 8)) ^ (getpid() >> (i % 4)));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  return fmt::format("{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
                     b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                     b[15]);
}

ProcessIdentity ProcessIdentity::Current() {
  ProcessIdentity id;
  id.pid = static_cast<int64_t>(getpid());
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) == 0) id.host = host;
  if (const char* u = std::getenv("USER"); u && *u) {
    id.user = u;
  } else if (const passwd* pw = getpwuid(getuid())) {
    id.user = pw->pw_name;
  } else {
    id.user = fmt::format("uid {}", getuid());
  }
  return id;
}

// ---------------------------------------------------------------- opening

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
  auto header = InspectStateFile(path_);
  if (!header) return header.error();
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
  auto lineage = MetaValue(*db_, "lineage");
  auto stack = MetaValue(*db_, "stack");
  if (!lineage) return lineage.error();
  if (!stack) return stack.error();
  lineage_ = *lineage;
  stack_ = *stack;
  return LoadKey(options);
}

Status StateStore::LoadKey(const OpenOptions& options) {
  std::string key_file = options.key_file.empty() ? DefaultKeyFile(path_) : options.key_file;
  auto check = MetaValue(*db_, "key_check");
  if (!check) return check.error();
  bool has_check = !check->empty();
  auto key = ResolveKey(key_file, !has_check && !read_only_);
  if (!key) {
    if (key.error().code != "StateKeyMissing") return key.error();
    key_error_ = key.error().message;  // fine until a secret must be read or written
    key_description_ = "(no key)";
    return {};
  }
  key_description_ = key->description;
  if (has_check) {
    auto raw = Base64Decode(*check);
    if (!raw || !key->cipher.MatchesKeyCheck(*raw))
      return MakeError(Error::Kind::kAuth, "StateKeyMismatch",
                       fmt::format("{}: the state key from {} does not match the key this state was encrypted with",
                                   path_, key->description));
  } else if (!read_only_) {
    // Insert-if-absent, then verify: of two processes opening a new state
    // with different keys at once, the second is refused, not mixed in.
    auto made = key->cipher.MakeKeyCheck();
    if (!made) return made.error();
    auto stmt = db_->Prepare("INSERT INTO meta(key, value) VALUES('key_check', ?1) ON CONFLICT(key) DO NOTHING");
    if (!stmt) return stmt.error();
    if (auto s = stmt->Bind(1, Base64Encode(*made)).Run(); !s) return s;
    auto stored = MetaValue(*db_, "key_check");
    if (!stored) return stored.error();
    auto raw = Base64Decode(*stored);
    if (!raw || !key->cipher.MatchesKeyCheck(*raw))
      return MakeError(Error::Kind::kAuth, "StateKeyMismatch",
                       fmt::format("{}: the state key from {} does not match the key this state was encrypted with",
                                   path_, key->description));
  }
  cipher_ = std::make_unique<Cipher>(key->cipher);
  return {};
}

StateStore::~StateStore() { (void)Close(); }

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
  std::lock_guard<std::mutex> lock(mu_);
  if (!db_) return 0;
  auto v = MetaValue(*db_, "serial");
  return v && !v->empty() ? std::stoll(*v) : 0;
}

Status StateStore::CheckOpen() const {
  if (!db_)
    return MakeError(Error::Kind::kInternal, "StateStorage", fmt::format("{}: state is closed [this is a bug]", path_));
  if (read_only_) return ReadOnlyError(path_);
  return {};
}

void StateStore::FenceWrites(const std::string& lock_id) {
  std::lock_guard<std::mutex> lock(mu_);
  fence_lock_id_ = lock_id;
}

Status StateStore::CheckFenceLocked() {
  if (fence_lock_id_.empty()) return {};
  auto holder = ReadLockRow(*db_);
  if (!holder) return holder.error();
  if (*holder && (*holder)->id == fence_lock_id_) return {};
  std::string now = *holder ? "it is now " + (*holder)->Describe() : "nobody holds it now (force-unlocked)";
  return MakeError(Error::Kind::kConflict, "StateLockLost",
                   fmt::format("{}: this process lost the state lock {}: {}; nothing more is written to state by "
                               "this run", path_, fence_lock_id_, now));
}

Result<std::unique_ptr<Transaction>> StateStore::BeginWriteLocked() {
  auto tx = Transaction::Begin(*db_);
  if (!tx) return tx.error();
  if (auto s = CheckFenceLocked(); !s) return s.error();
  return tx;
}

Result<const Cipher*> StateStore::RequireCipher() const {
  if (!cipher_) return MakeError(Error::Kind::kAuth, "StateKeyMissing", key_error_);
  return cipher_.get();
}

Result<int64_t> StateStore::BumpSerialLocked() {
  auto v = MetaValue(*db_, "serial");
  if (!v) return v.error();
  int64_t next = (v->empty() ? 0 : std::stoll(*v)) + 1;
  if (auto s = SetMeta(*db_, "serial", std::to_string(next)); !s) return s.error();
  return next;
}

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

namespace {
constexpr const char* kSelectResource =
    "SELECT address, type, region, physical_id, attributes, sensitive_names, sensitive_blob, dependencies, "
    "schema_version, region_alias FROM resources";
// Same columns; the attribute object and the secrets are not even read.
constexpr const char* kSelectResourceWithoutAttributes =
    "SELECT address, type, region, physical_id, 'null', sensitive_names, NULL, dependencies, "
    "schema_version, region_alias FROM resources";

ResourceRow ReadRow(const Statement& row) {
  return ResourceRow{row.Text(0), row.Text(1), row.Text(2), row.Text(9), row.Text(3),
                     row.Text(4), row.Text(5), row.Text(6), row.Text(7), row.Int(8)};
}
}  // namespace

CodecKey StateStore::ResourceKey() const { return CodecKey{cipher_.get(), key_error_, ResourceAad(lineage_), path_}; }

Result<std::vector<ResourceRecord>> StateStore::LoadResourcesLocked(bool redact, AttributeDecoding decoding) {
  if (!db_) return CheckOpen().error();
  auto stmt = db_->Prepare(decoding == AttributeDecoding::kSkipped ? std::string(kSelectResourceWithoutAttributes) + " ORDER BY address"
                                                                     : std::string(kSelectResource) + " ORDER BY address");
  if (!stmt) return stmt.error();
  std::vector<ResourceRow> rows;
  for (;;) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) break;
    rows.push_back(ReadRow(*stmt));
  }
  return DecodeResources(std::move(rows), ResourceKey(), redact, decoding);
}

Result<std::vector<ResourceRecord>> StateStore::LoadResources(AttributeDecoding decoding) {
  std::lock_guard<std::mutex> lock(mu_);
  return LoadResourcesLocked(false, decoding);
}

Result<std::vector<ResourceRecord>> StateStore::LoadResourcesRedacted(AttributeDecoding decoding) {
  std::lock_guard<std::mutex> lock(mu_);
  return LoadResourcesLocked(true, decoding);
}

Result<std::optional<ResourceRecord>> StateStore::GetResource(const std::string& address, bool redact) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!db_) return CheckOpen().error();
  auto stmt = db_->Prepare(std::string(kSelectResource) + " WHERE address = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, address);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return std::optional<ResourceRecord>();
  auto r = DecodeResource(ReadRow(*stmt), ResourceKey(), redact, AttributeDecoding::kFull);
  if (!r) return r.error();
  return std::optional<ResourceRecord>(std::move(*r));
}

Status StateStore::WriteResourceLocked(const ResourceRecord& record) {
  auto row = EncodeResource(record, ResourceKey());
  if (!row) return row.error();
  auto stmt = db_->Prepare(
      "INSERT INTO resources(address, type, region, physical_id, attributes, sensitive_names, sensitive_blob, "
      "dependencies, schema_version, region_alias) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
      "ON CONFLICT(address) DO UPDATE SET type = ?2, region = ?3, physical_id = ?4, attributes = ?5, "
      "sensitive_names = ?6, sensitive_blob = ?7, dependencies = ?8, schema_version = ?9, region_alias = ?10");
  if (!stmt) return stmt.error();
  stmt->Bind(1, row->address).Bind(2, row->type).Bind(3, row->region).Bind(4, row->physical_id);
  stmt->Bind(5, row->attributes).Bind(6, row->sensitive_names);
  if (row->sensitive_blob.empty()) stmt->BindNull(7);
  else stmt->BindBlob(7, row->sensitive_blob);
  stmt->Bind(8, row->dependencies).Bind(9, row->schema_version).Bind(10, row->region_alias);
  return stmt->Run();
}

Status StateStore::ResolveJournalLocked(int64_t journal_id) {
  if (journal_id == 0) return {};
  auto stmt = db_->Prepare("UPDATE journal SET resolved = 1 WHERE id = ?1");
  if (!stmt) return stmt.error();
  return stmt->Bind(1, journal_id).Run();
}

Status StateStore::PutResource(const ResourceRecord& record, int64_t resolve_journal_id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto s = CheckOpen(); !s) return s;
  auto tx = BeginWriteLocked();
  if (!tx) return tx.error();
  if (auto s = WriteResourceLocked(record); !s) return s;
  if (auto s = ResolveJournalLocked(resolve_journal_id); !s) return s;
  return (*tx)->Commit();
}

Status StateStore::PutResources(const std::vector<ResourceRecord>& records, int64_t resolve_journal_id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto s = CheckOpen(); !s) return s;
  auto tx = BeginWriteLocked();
  if (!tx) return tx.error();
  for (const auto& record : records)
    if (auto s = WriteResourceLocked(record); !s) return s;
  if (auto s = ResolveJournalLocked(resolve_journal_id); !s) return s;
  return (*tx)->Commit();
}

Status StateStore::DeleteResource(const std::string& address, int64_t resolve_journal_id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto s = CheckOpen(); !s) return s;
  auto tx = BeginWriteLocked();
  if (!tx) return tx.error();
  auto stmt = db_->Prepare("DELETE FROM resources WHERE address = ?1");
  if (!stmt) return stmt.error();
  if (auto s = stmt->Bind(1, address).Run(); !s) return s;
  if (auto s = ResolveJournalLocked(resolve_journal_id); !s) return s;
  return (*tx)->Commit();
}

Result<int64_t> StateStore::RemoveResources(const std::vector<std::string>& addresses, const HistoryEntry& who) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto s = CheckOpen(); !s) return s.error();
  auto tx = BeginWriteLocked();
  if (!tx) return tx.error();
  auto stmt = db_->Prepare("DELETE FROM resources WHERE address = ?1");
  if (!stmt) return stmt.error();
  for (const auto& address : addresses) {
    if (auto s = stmt->Bind(1, address).Run(); !s) return s.error();
    if (db_->Changes() == 0)
      return MakeError(Error::Kind::kNotFound, "StateNoSuchResource",
                       fmt::format("{}: no resource {} in state; nothing was removed", path_, address));
  }
  auto serial = BumpSerialLocked();
  if (!serial) return serial.error();
  HistoryEntry entry = who;
  if (entry.result == "running") entry.result = "succeeded";
  entry.changes = {{"removed", addresses}};
  if (auto id = InsertHistoryLocked(entry, *serial); !id) return id.error();
  if (auto s = (*tx)->Commit(); !s) return s.error();
  return *serial;
}

Result<int64_t> StateStore::MoveResource(const std::string& from, const std::string& to, const HistoryEntry& who) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto s = CheckOpen(); !s) return s.error();
  auto tx = BeginWriteLocked();
  if (!tx) return tx.error();
  auto taken = db_->Prepare("SELECT 1 FROM resources WHERE address = ?1");
  if (!taken) return taken.error();
  auto exists = taken->Bind(1, to).Step();
  if (!exists) return exists.error();
  if (*exists)
    return MakeError(Error::Kind::kConflict, "StateAddressTaken",
                     fmt::format("{}: {} is already in state; remove it first or choose another address", path_, to));
  taken->Reset();
  auto move = db_->Prepare("UPDATE resources SET address = ?2 WHERE address = ?1");
  if (!move) return move.error();
  if (auto s = move->Bind(1, from).Bind(2, to).Run(); !s) return s.error();
  if (db_->Changes() == 0)
    return MakeError(Error::Kind::kNotFound, "StateNoSuchResource",
                     fmt::format("{}: no resource {} in state", path_, from));
  if (auto s = RenameDependencies(from, to); !s) return s.error();
  auto serial = BumpSerialLocked();
  if (!serial) return serial.error();
  HistoryEntry entry = who;
  if (entry.result == "running") entry.result = "succeeded";
  entry.changes = {{"moved", {{"from", from}, {"to", to}}}};
  if (auto id = InsertHistoryLocked(entry, *serial); !id) return id.error();
  if (auto s = (*tx)->Commit(); !s) return s.error();
  return *serial;
}

// Dependencies are JSON arrays of addresses: rewrite the rows that name `from`.
Status StateStore::RenameDependencies(const std::string& from, const std::string& to) {
  auto select = db_->Prepare(
      "SELECT rowid, dependencies FROM resources WHERE EXISTS "
      "(SELECT 1 FROM json_each(resources.dependencies) WHERE value = ?1)");
  auto update = db_->Prepare("UPDATE resources SET dependencies = ?1 WHERE rowid = ?2");
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

// ---------------------------------------------------------------- outputs

Result<OutputRecord> StateStore::DecodeOutput(Statement& row) const {
  OutputRecord o;
  o.name = row.Text(0);
  o.sensitive = row.Int(3) != 0;
  std::string text;
  if (o.sensitive) {
    auto cipher = RequireCipher();
    if (!cipher) return cipher.error();
    auto plain = (*cipher)->Decrypt(row.Text(2), OutputAad(lineage_));
    if (!plain) {
      plain.error().message = fmt::format("{}: output {}: {}", path_, o.name, plain.error().message);
      return plain.error();
    }
    text = std::move(*plain);
  } else {
    text = row.Text(1);
  }
  o.value = ParseJsonOrDiscard(text);
  if (o.value.is_discarded())
    return MakeError(Error::Kind::kInvalid, "StateCorrupt",
                     fmt::format("{}: output {}: stored value is not valid JSON", path_, o.name));
  return o;
}

Result<std::vector<OutputRecord>> StateStore::LoadOutputs() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!db_) return CheckOpen().error();
  auto stmt = db_->Prepare("SELECT name, value, value_encrypted, sensitive FROM outputs ORDER BY name");
  if (!stmt) return stmt.error();
  std::vector<OutputRecord> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) break;
    auto o = DecodeOutput(*stmt);
    if (!o) return o.error();
    out.push_back(std::move(*o));
  }
  return out;
}

Result<std::optional<OutputRecord>> StateStore::GetOutput(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!db_) return CheckOpen().error();
  auto stmt = db_->Prepare("SELECT name, value, value_encrypted, sensitive FROM outputs WHERE name = ?1");
  if (!stmt) return stmt.error();
  auto row = stmt->Bind(1, name).Step();
  if (!row) return row.error();
  if (!*row) return std::optional<OutputRecord>();
  auto o = DecodeOutput(*stmt);
  if (!o) return o.error();
  return std::optional<OutputRecord>(std::move(*o));
}

Status StateStore::ReplaceOutputs(const std::vector<OutputRecord>& outputs) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto s = CheckOpen(); !s) return s;
  auto tx = BeginWriteLocked();
  if (!tx) return tx.error();
  if (auto s = db_->Exec("DELETE FROM outputs"); !s) return s;
  auto stmt = db_->Prepare("INSERT INTO outputs(name, value, value_encrypted, sensitive) VALUES(?1, ?2, ?3, ?4)");
  if (!stmt) return stmt.error();
  for (const auto& o : outputs) {
    stmt->Bind(1, o.name).Bind(4, int64_t{o.sensitive});
    if (o.sensitive) {
      auto cipher = RequireCipher();
      if (!cipher) return cipher.error();
      auto blob = (*cipher)->Encrypt(DumpJson(o.value), OutputAad(lineage_));
      if (!blob) return blob.error();
      stmt->BindNull(2).BindBlob(3, *blob);
    } else {
      stmt->Bind(2, DumpJson(o.value)).BindNull(3);
    }
    if (auto s = stmt->Run(); !s) return s;
  }
  return (*tx)->Commit();
}

// ---------------------------------------------------------------- history

Result<int64_t> StateStore::InsertHistoryLocked(const HistoryEntry& entry, int64_t serial) {
  ProcessIdentity me = ProcessIdentity::Current();
  auto stmt = db_->Prepare(
      "INSERT INTO history(started_at, finished_at, user, host, command, plan_digest, changes, result, serial) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!stmt) return stmt.error();
  bool done = entry.result != "running";
  std::string now = NowIso8601();
  stmt->Bind(1, entry.started_at.empty() ? now : entry.started_at);
  stmt->Bind(2, entry.finished_at.empty() && done ? now : entry.finished_at);
  stmt->Bind(3, entry.user.empty() ? me.user : entry.user).Bind(4, entry.host.empty() ? me.host : entry.host);
  stmt->Bind(5, entry.command).Bind(6, entry.plan_digest);
  stmt->Bind(7, DumpJson(entry.changes.is_null() ? nlohmann::json::object() : entry.changes));
  stmt->Bind(8, entry.result).Bind(9, serial);
  if (auto s = stmt->Run(); !s) return s.error();
  return db_->LastInsertId();
}

Result<int64_t> StateStore::BeginApply(const HistoryEntry& entry) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto s = CheckOpen(); !s) return s.error();
  auto tx = BeginWriteLocked();
  if (!tx) return tx.error();
  auto serial = BumpSerialLocked();
  if (!serial) return serial.error();
  HistoryEntry running = entry;
  running.result = "running";
  auto id = InsertHistoryLocked(running, *serial);
  if (!id) return id.error();
  if (auto s = (*tx)->Commit(); !s) return s.error();
  return *id;
}

Status StateStore::FinishApply(int64_t history_id, const std::string& result, const nlohmann::json& changes) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto s = CheckOpen(); !s) return s;
  auto stmt = db_->Prepare("UPDATE history SET finished_at = ?1, result = ?2, changes = ?3 WHERE id = ?4");
  if (!stmt) return stmt.error();
  stmt->Bind(1, NowIso8601()).Bind(2, result).Bind(3, DumpJson(changes.is_null() ? nlohmann::json::object() : changes));
  if (auto s = stmt->Bind(4, history_id).Run(); !s) return s;
  if (db_->Changes() == 0)
    return MakeError(Error::Kind::kNotFound, "StateNoSuchHistory",
                     fmt::format("{}: no history entry {} [this is a bug]", path_, history_id));
  return {};
}

Result<std::vector<HistoryEntry>> StateStore::History(int limit) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!db_) return CheckOpen().error();
  auto stmt = db_->Prepare(
      "SELECT id, started_at, finished_at, user, host, command, plan_digest, changes, result, serial FROM history "
      "ORDER BY id DESC LIMIT ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, int64_t{limit > 0 ? limit : -1});
  std::vector<HistoryEntry> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) break;
    HistoryEntry h;
    h.id = stmt->Int(0);
    h.started_at = stmt->Text(1);
    h.finished_at = stmt->Text(2);
    h.user = stmt->Text(3);
    h.host = stmt->Text(4);
    h.command = stmt->Text(5);
    h.plan_digest = stmt->Text(6);
    h.changes = nlohmann::json::parse(stmt->Text(7), nullptr, false);
    if (h.changes.is_discarded()) h.changes = nlohmann::json::object();
    h.result = stmt->Text(8);
    h.serial = stmt->Int(9);
    out.push_back(std::move(h));
  }
  return out;
}

Result<std::string> StateStore::IntegrityCheck() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!db_) return CheckOpen().error();
  auto stmt = db_->Prepare("PRAGMA integrity_check");
  if (!stmt) return stmt.error();
  std::string report;
  for (;;) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) break;
    if (!report.empty()) report += "\n";
    report += stmt->Text(0);
  }
  return report;
}

}  // namespace infra::state

// StateStore: the SQLite database that holds what infra manages for one
// stack (resources, outputs, serial + lineage, apply history). Every write is
// one transaction through Write(fn); the file runs in WAL mode. Each table
// has its own file (state/*_table.h); lock and journal live in the same
// database (state/lock.h, state/journal.h). DESIGN.md §5.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace infra::state {

class Database;
class Statement;
class Cipher;
class WriteFence;
struct CodecKey;

/// One managed resource as stored. `attributes` is the full attribute object
/// in memory (plaintext). The top-level attribute names listed in
/// `sensitive_attributes` are stored encrypted (AES-256-GCM) and never
/// reach the file in plaintext; list every attribute the schema marks
/// sensitive AND every attribute whose value derives from a sensitive
/// variable. Nested secrets: list the top-level attribute that holds them.
struct ResourceRecord {
  std::string address{};                           // module.net.aws_subnet.public["a"]
  /// "" for the current object of `address`; for a deposed object (the old
  /// object of a create_before_destroy replacement, kept until its delete
  /// is recorded) its key, the old physical id (docs/state.md).
  std::string deposed{};
  std::string type{};                              // aws_subnet
  std::string region{};                            // AWS region name, eu-west-1
  std::string region_alias{};                      // the stack's alias, "dr"; may be ""
  std::string id{};                                // physical id, "" if unknown
  nlohmann::json attributes = nlohmann::json::object();
  /// Only from a load with AttributeDecoding::kDeferred: the attribute
  /// object as JSON text, secrets already merged in (decrypted, or
  /// "(sensitive value)" when redacted), and `attributes` null until
  /// DecodeAttributes. Empty otherwise. A write of a record that still has
  /// it parses it first.
  std::string attributes_json{};
  std::vector<std::string> sensitive_attributes{};  // top-level names, sorted on load
  std::vector<std::string> dependencies{};         // addresses this one depends on
  int schema_version = 0;                        // the provider's schema version
};

/// How much of each resource a load parses. Building the JSON trees of
/// every attribute object is nearly all the cost of loading a big state
/// (bench/README.md); commands that only need addresses, ids or a few
/// resources (`state list`, `state show`) defer it, as Terraform keeps
/// attributes as JSON until a schema needs them.
enum class AttributeDecoding {
  kFull,      // `attributes` parsed (what plan and apply need)
  kDeferred,  // `attributes_json` filled, `attributes` null; see DecodeAttributes
  kSkipped,   // attributes not read at all (null; `attributes_json` empty): addresses, ids, dependencies only
};

/// Parses `record.attributes_json` (from a deferred load) into
/// `record.attributes` and clears the text; a no-op when it is empty.
/// StateCorrupt if the text is not a JSON object.
Status DecodeAttributes(ResourceRecord& record);

/// A stack output. A sensitive value is stored encrypted.
struct OutputRecord {
  std::string name{};
  nlohmann::json value{};
  bool sensitive = false;
};

/// One row of the history of applies and state changes. Times are ISO 8601
/// UTC ("2026-11-21T22:30:00Z"). `result` is "running" until finished, then
/// whatever the caller says ("succeeded", "failed", "cancelled"...).
struct HistoryEntry {
  int64_t id = 0;
  std::string started_at{};
  std::string finished_at{};
  std::string user{};
  std::string host{};
  std::string command{};      // "apply", "destroy", "import", "state rm", ...
  std::string plan_digest{};  // sha256 of the saved/computed plan, "" if none
  nlohmann::json changes = nlohmann::json::object();  // summary, e.g. {"create":3,"update":1}
  std::string result = "running";
  int64_t serial = 0;       // the state serial this run produced
};

/// How to open a state database.
struct OpenOptions {
  /// Create the database (and its parent folder) if the file does not
  /// exist. A new database is built in a temporary file and renamed into
  /// place, so `path` never holds a half-initialised state.
  bool create = true;
  /// Open without writing anything (no migration, no key file creation).
  /// Write calls then fail with code "StateReadOnly".
  bool read_only = false;
  /// Stack name recorded in a new database (informational).
  std::string stack{};
  /// Key file for encrypting sensitive values; "" = `path` with its
  /// extension replaced by ".key" (default `.infra/<stack>.key`).
  /// INFRA_STATE_KEY (base64 or hex of 32 bytes) takes precedence. With
  /// neither, a writable open creates the key file (mode 0600) and says so
  /// on stderr.
  std::string key_file{};
};

/// The state of one stack. Thread-safe: every public call takes an internal
/// mutex, so executor workers may record results concurrently. Errors use
/// codes "StateCorrupt", "StateForeign", "StateTooNew", "StateNotFound",
/// "StateKeyMismatch", "StateKeyMissing", "StateReadOnly", "StateStorage",
/// "StateNoSuchResource", "StateAddressTaken", "StateTypeMismatch",
/// "StateLockLost".
class StateStore {
 public:
  /// Current schema version written by this build.
  static constexpr int kSchemaVersion = 3;

  /// Opens (or creates, per options) the database at `path`. Refuses,
  /// without modifying the file, a file that is not SQLite, is truncated or
  /// corrupt (StateCorrupt), is another program's SQLite database
  /// (StateForeign) or was written by a newer infra (StateTooNew). An older
  /// schema is migrated after copying the file to `<path>.backup-v<N>`.
  static Result<std::unique_ptr<StateStore>> Open(const std::string& path, const OpenOptions& options = {});
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  /// Checkpoints the WAL and closes the file; later calls fail. Idempotent.
  Status Close();

  const std::string& path() const { return path_; }
  /// False after Close().
  bool is_open() const { return db_ != nullptr; }
  /// Random UUID fixed when the state was created.
  std::string lineage() const;
  /// Incremented by BeginApply and by every state-changing command
  /// (rm/mv). Not by PutResource/DeleteResource.
  int64_t serial() const;
  /// Stack name recorded at creation ("" if none).
  std::string stack() const;
  /// Where the encryption key was found or created (for messages).
  std::string key_description() const;

  // --- resources (state/resources_table.h) ------------------------------
  /// Every object, current and deposed, ordered by address then deposed
  /// key ("" first). Decrypts sensitive attributes
  /// (StateKeyMismatch/StateKeyMissing if that is impossible).
  Result<std::vector<ResourceRecord>> LoadResources(AttributeDecoding decoding = AttributeDecoding::kFull);
  /// Like LoadResources but sensitive attributes are replaced by the string
  /// "(sensitive value)" and no key is needed. For display.
  Result<std::vector<ResourceRecord>> LoadResourcesRedacted(AttributeDecoding decoding = AttributeDecoding::kFull);
  /// The current object of `address` (`deposed` "") or its deposed object
  /// with that key, or nullopt; `redact` as in LoadResourcesRedacted.
  Result<std::optional<ResourceRecord>> GetResource(const std::string& address, bool redact = false,
                                                    const std::string& deposed = "");
  /// Inserts or replaces one object (keyed by address and deposed) in one
  /// durable transaction. If `resolve_journal_id` is non-zero the journal
  /// entry is resolved in the same transaction (state/journal.h).
  Status PutResource(const ResourceRecord& record, int64_t resolve_journal_id = 0);
  /// Like PutResource for several records in ONE transaction (all or
  /// none): e.g. the new object of a replacement and the old one kept as
  /// deposed (docs/state.md).
  Status PutResources(const std::vector<ResourceRecord>& records, int64_t resolve_journal_id = 0);
  /// Removes one object: the current one of `address` (`deposed` "") or a
  /// deposed one (absent is fine); journal resolution as above.
  Status DeleteResource(const std::string& address, int64_t resolve_journal_id = 0, const std::string& deposed = "");
  /// `infra state rm`: removes all of `addresses` (display addresses, see
  /// DisplayAddress; each must exist, else StateNoSuchResource and nothing
  /// changes), bumps the serial and records a history row, all in one
  /// transaction. Removing an address removes its deposed objects too.
  /// Returns the new serial.
  Result<int64_t> RemoveResources(const std::vector<std::string>& addresses, const HistoryEntry& who);
  /// `infra state mv`: renames `from` to `to`, with its deposed objects
  /// (StateNoSuchResource / StateAddressTaken; StateTypeMismatch when `to`
  /// names another resource type), rewrites dependencies that named
  /// `from`, bumps the serial and records history, in one transaction.
  /// Returns the new serial.
  Result<int64_t> MoveResource(const std::string& from, const std::string& to, const HistoryEntry& who);

  // --- outputs (state/outputs_table.h) -----------------------------------
  /// All outputs by name, sensitive values decrypted.
  Result<std::vector<OutputRecord>> LoadOutputs();
  /// One output or nullopt; decrypted.
  Result<std::optional<OutputRecord>> GetOutput(const std::string& name);
  /// Replaces the whole set of outputs in one transaction.
  Status ReplaceOutputs(const std::vector<OutputRecord>& outputs);

  // --- history (state/history_table.h) -----------------------------------
  /// Starts a run: increments the serial and inserts a history row with
  /// result "running" (started_at/user/host filled if empty). Returns the
  /// history id. `entry.serial` is ignored; the new serial is stored.
  Result<int64_t> BeginApply(const HistoryEntry& entry);
  /// Finishes run `history_id`: sets finished_at, result and changes.
  Status FinishApply(int64_t history_id, const std::string& result, const nlohmann::json& changes);
  /// History, newest first; `limit` 0 = all.
  Result<std::vector<HistoryEntry>> History(int limit = 0);

  // --- encryption for other state tables (journal payloads) ----------
  /// Encrypts `value` with the state key, bound to this lineage and
  /// `purpose`. StateKeyMissing if no key is available. Thread-safe (the
  /// key is fixed at Open).
  Result<std::string> Seal(const nlohmann::json& value, const std::string& purpose) const;
  /// Reverses Seal (StateKeyMismatch / StateKeyMissing / StateCorrupt).
  Result<nlohmann::json> Unseal(const std::string& blob, const std::string& purpose) const;

  // --- writing -----------------------------------------------------------
  /// THE write path: takes the store's mutex, opens one BEGIN IMMEDIATE
  /// transaction, checks the write fence inside it, runs `fn` and commits
  /// when `fn` succeeds (rolls back otherwise). Every write of the store and
  /// the journal goes through here. StateReadOnly on a read-only store.
  Status Write(const std::function<Status(Database&)>& fn);
  /// Runs `fn` under the store's mutex on the open connection, without a
  /// transaction (reads). StateStorage when the store is closed.
  Status Read(const std::function<Status(Database&)>& fn) const;

  // --- lock fencing (state/write_fence.h) -------------------------------
  /// From now on every write (resources, outputs, serial, journal) checks,
  /// inside its own transaction, that the lock row still carries `lock_id`,
  /// and fails with StateLockLost, writing nothing, when it does not: a
  /// process whose lease was taken over (e.g. it was stopped for longer
  /// than the lease) or force-unlocked can never overwrite what the new
  /// holder writes. StateLock::Acquire sets it and Unlock clears it; "" =
  /// no fence (commands that take no lock). FinishApply, which only closes
  /// this run's own history row, is not fenced.
  void FenceWrites(const std::string& lock_id);

  // --- integrity -------------------------------------------------------
  /// Runs PRAGMA integrity_check; returns "ok" or SQLite's report.
  Result<std::string> IntegrityCheck();

  /// For state/lock.cpp: the open connection. Callers must hold mutex()
  /// while using it.
  Database& database() { return *db_; }
  std::mutex& mutex() { return mu_; }

 private:
  StateStore();
  Status Initialise(const OpenOptions& options);
  Status CheckOpen() const;
  Result<const Cipher*> RequireCipher() const;
  Result<std::vector<ResourceRecord>> LoadResourcesLocked(bool redact, AttributeDecoding decoding);
  CodecKey ResourceKey() const;
  CodecKey OutputKey() const;
  Result<int64_t> CommitRun(const HistoryEntry& who, const nlohmann::json& changes,
                            const std::function<Status(Database&)>& change);

  std::string path_{};
  bool read_only_ = false;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Cipher> cipher_;
  std::string key_error_{};        // why cipher_ is null, if it is
  std::string key_description_{};
  std::string lineage_{};
  std::string stack_{};
  std::unique_ptr<WriteFence> fence_;  // FenceWrites; guarded by mu_; null = none
  mutable std::mutex mu_;
};

/// The name `state list` shows for an object, and `state rm`/`state show`
/// take: its address, or "<address> (deposed <key>)" for a deposed object.
std::string DisplayAddress(const std::string& address, const std::string& deposed);
/// Reverses DisplayAddress; an ordinary address gives `deposed` "". No
/// resource address ends in ')', so the two never collide.
void ParseDisplayAddress(const std::string& text, std::string* address, std::string* deposed);

/// "user@host"-style identity of this process, used by history and lock.
struct ProcessIdentity {
  std::string user{};
  std::string host{};
  int64_t pid = 0;
  static ProcessIdentity Current();
};

/// Current UTC time as ISO 8601 with seconds ("2026-11-21T22:30:00Z").
std::string NowIso8601();
/// A random version-4 UUID ("1b4e28ba-2fa1-41d2-883f-0016d3cca427").
std::string NewUuid();

}  // namespace infra::state

// S3Backend: a stack's state in S3 + DynamoDB (DESIGN.md §5,
// docs/state.md "Remote backend"). S3 (versioned bucket) holds every
// snapshot, the whole SQLite database as the local store writes it
// (secrets already sealed by the state key; SSE-KMS on top when a key is
// set). One DynamoDB table holds the lease lock, the write-ahead journal
// and the *pointer*: the item naming the current snapshot (S3 version id,
// lineage, serial, SHA-256). A snapshot is current only once the pointer
// names it, and the pointer moves by a conditional write on the version it
// had, fenced by the lease in the same transaction: never a lost update.
#pragma once
#include <memory>
#include <string>

#include "backends/s3/dynamo_journal.h"
#include "backends/s3/dynamo_table.h"
#include "state/backend.h"

namespace infra::aws {
class AwsClient;
}

namespace infra::state::remote {

/// `backend: {type: s3, ...}` of a stack, after command-line and
/// environment overrides.
struct S3BackendConfig {
  std::string bucket{};
  std::string key{};
  std::string region{};
  std::string dynamodb_table{};
  std::string kms_key_id{};  // "" = the bucket's default encryption
};

/// "" when usable, else what is wrong ("bucket is missing", a key with
/// characters outside [A-Za-z0-9/._=-]).
std::string CheckConfig(const S3BackendConfig& config);

class S3Backend final : public Backend {
 public:
  S3Backend(std::shared_ptr<aws::AwsClient> client, S3BackendConfig config);
  /// "s3://bucket/key".
  std::string Location() const override;
  /// The snapshot the pointer names (its bytes checked against the
  /// pointer's SHA-256: StateCorrupt otherwise); nullopt when no pointer.
  Result<std::optional<Snapshot>> ReadSnapshot() override;
  /// PutObject (a new S3 version), then moves the pointer to it in one
  /// transaction conditional on the pointer's version being
  /// `previous_version` ("" = no pointer yet), its lineage the same and its
  /// serial lower, and on the lease (when Fence was called). A refused
  /// move leaves the uploaded version unreferenced (harmless) and fails
  /// with StateConflict / StateLineageMismatch / StateSerialStale /
  /// StateLockLost.
  Status WriteSnapshot(const Snapshot& next, const std::string& previous_version) override;
  /// The same without the lineage and serial conditions (`state push
  /// --force`): still conditional on `previous_version` and the lease, so
  /// never a lost update.
  Status ReplaceSnapshot(const Snapshot& next, const std::string& previous_version);
  /// The lock item "<bucket>/<key>".
  Result<std::unique_ptr<LockRecord>> OpenLockRecord() override;
  JournalLog& journal() override { return journal_; }
  DynamoJournal& remote_journal() { return journal_; }

  /// Fences the journal and snapshot writes with lease `lock_id` and seals
  /// journal payloads with `seal`.
  void Fence(const std::string& lock_id, PayloadSeal seal);
  /// The bucket exists and has versioning Enabled; the table is ACTIVE.
  /// Errors name what is missing and how to create it (stacks/backend).
  Status Check() const;
  const S3BackendConfig& config() const { return config_; }

 private:
  Status Write(const Snapshot& next, const std::string& previous_version, bool ordered);
  std::shared_ptr<aws::AwsClient> client_;
  S3BackendConfig config_;
  DynamoTable table_;
  std::string lock_key_, pointer_key_;
  std::string lease_;
  DynamoJournal journal_;
};

}  // namespace infra::state::remote

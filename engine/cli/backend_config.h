// Which backend holds a stack's state: `backend:` of stack.yaml, overridden
// by INFRA_BACKEND_<FIELD> environment variables and then by
// `-backend-config key=value` (so one stack serves several accounts), and
// the record of the backend the local working copy was last used with
// (.infra/<stack>.backend), which tells a changed backend from a new one.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "backends/s3/s3_backend.h"
#include "common/result.h"

namespace infra::cli {

struct BackendChoice {
  std::string type = "local";  // "local" | "s3"
  state::remote::S3BackendConfig s3{};
  /// "s3://bucket/key (table T, region R)" or "local".
  std::string Describe() const;
  /// The record's JSON ({"type": ..., "bucket": ...}).
  std::string ToJson() const;
  bool SameAs(const BackendChoice& other) const;
};

/// The backend of the stack in `directory` (a folder with stack.yaml, or
/// the file). Errors name the file (file:line:col) or the override.
Result<BackendChoice> ResolveBackend(const std::string& directory, const std::vector<std::string>& overrides);

/// The record next to the local state `db_path` ("<db without .db>.backend"),
/// nullopt when there is none.
std::optional<BackendChoice> ReadBackendRecord(const std::string& db_path);
Status WriteBackendRecord(const std::string& db_path, const BackendChoice& choice);

/// Refuses (BackendChanged, naming both and the `infra init` command to
/// run) a working copy recorded with another backend, and a local state
/// never migrated to the remote backend the stack now names.
Status CheckBackendUnchanged(const std::string& db_path, const BackendChoice& choice);

}  // namespace infra::cli

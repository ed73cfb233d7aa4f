// The seams between plan/apply and the rest: what the planner needs to know
// about the configuration (ConfigResource + an evaluator), what it sees of
// state (StateSnapshot), and what the executor writes back (StatePort).
// Adapters to engine/stack.h and state/store.h live in engine/stack_source
// and engine/store_port; tests use in-memory fakes.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "engine/lang/stack.h"  // Lifecycle
#include "engine/lang/value.h"

namespace infra::engine {

/// One resource instance of the configuration, as the planner needs it.
struct ConfigResource {
  std::string address;       // module.net.aws_subnet.public["a"]
  std::string type;          // aws_subnet
  std::string region_alias;  // primary
  std::string region;        // eu-central-1
  bool data = false;         // a data source (read, never created): IsDataAddress(address)
  std::vector<std::string> depends_on;  // every address it references or depends on
  Lifecycle lifecycle;
  OperationTimeouts timeouts;  // `timeouts:`; zero: the type's default
  std::string location;      // "stacks/x/stack.yaml:12:3" for messages; may be empty
};

/// Attribute values of resources already known (from state or from
/// completed operations), keyed by address; each value is a map.
using KnownValues = std::unordered_map<std::string, Value>;

/// Evaluates the desired attributes of one resource given the values known
/// so far; references to resources absent from `known` evaluate to unknown.
using AttributeEvaluator =
    std::function<Result<Value::Map>(const ConfigResource& resource, const KnownValues& known)>;

/// Evaluates the stack's root outputs, name -> Value, given the values known
/// so far (absent resources evaluate to unknown); secrets come back marked
/// sensitive.
using OutputEvaluator = std::function<Result<Value::Map>(const KnownValues& known)>;

/// One resource as recorded in state.
struct StateResource {
  std::string address;
  std::string type;
  std::string region;        // AWS region name
  std::string region_alias;
  std::string id;            // physical id
  nlohmann::json attributes = nlohmann::json::object();  // full attribute object incl. "id"
  std::vector<std::string> depends_on;
  /// Top-level attributes holding secrets beyond what the schema marks
  /// (values derived from sensitive variables); stored encrypted.
  std::vector<std::string> sensitive_attributes;
  /// Non-empty for a deposed object: the old object of a
  /// create_before_destroy replacement whose delete has not happened yet
  /// (kept so an interrupted replacement orphans nothing). The key is
  /// DeposedKey(id); `address` is the resource's own address.
  std::string deposed;
  /// The type's ResourceSchema::version the attributes were written under
  /// (older ones are upgraded on load: ResourceType::UpgradeState).
  int schema_version = 0;
};

/// The key of a deposed object: its physical id (unique within an address,
/// and the same whoever deposes it, so writing it twice is harmless).
inline std::string DeposedKey(const std::string& id) { return id; }

/// The state a plan is made against.
struct StateSnapshot {
  std::string lineage;
  int64_t serial = 0;
  std::vector<StateResource> resources;  // current objects, one per address
  std::vector<StateResource> deposed;    // deposed objects (`deposed` set), by address then key
  /// Root outputs as the last apply recorded them; secrets marked sensitive.
  std::map<std::string, Value> outputs;
};

/// An unfinished journal entry: a mutating call whose outcome is unknown.
struct PendingIntent {
  int64_t id = 0;
  std::string address;
  std::string type;
  std::string region;
  std::string operation;   // "create", "update", "delete"
  std::string token;
  nlohmann::json payload;  // desired attributes (create) or prior (update/delete)
};

/// Where the executor and the recovery write. Every call is durable when it
/// returns. Implementations are called from one thread at a time.
class StatePort {
 public:
  virtual ~StatePort() = default;
  /// Inserts or replaces one resource; a non-zero `resolve_intent` marks
  /// that journal entry resolved in the same transaction.
  virtual Status PutResource(const StateResource& resource, int64_t resolve_intent = 0) = 0;
  /// Removes one resource (absent is success); journal as above.
  virtual Status RemoveResource(const std::string& address, int64_t resolve_intent = 0) = 0;
  /// Inserts or replaces several resources (current and/or deposed) in ONE
  /// durable transaction; journal as above. The executor records the new
  /// object of a create_before_destroy replacement together with the old
  /// one as deposed, so no crash can lose track of either. The default
  /// writes them one by one (not atomic); real stores override it.
  virtual Status PutResources(const std::vector<StateResource>& resources, int64_t resolve_intent = 0);
  /// Removes the deposed object `key` of `address` (absent is success);
  /// journal as above. The default fails: a port without deposed objects
  /// cannot run create_before_destroy replacements safely.
  virtual Status RemoveDeposed(const std::string& address, const std::string& key, int64_t resolve_intent = 0);
  /// Journal: records the intent before a mutating call; returns its id.
  virtual Result<int64_t> RecordIntent(const PendingIntent& intent) = 0;
  /// Journal: records the outcome of an intent.
  virtual Status RecordOutcome(int64_t intent_id, bool succeeded, const std::string& detail) = 0;
  /// Journal: intents not yet resolved (after a crash: the call may or may
  /// not have happened, or its result was not saved).
  virtual Result<std::vector<PendingIntent>> Unfinished() = 0;
  /// Journal: marks an unfinished intent reconciled.
  virtual Status Resolve(int64_t intent_id, const std::string& resolution) = 0;
  /// Stack outputs after apply (sensitive ones flagged).
  virtual Status PutOutputs(const std::map<std::string, Value>& outputs) = 0;
};

inline Status StatePort::PutResources(const std::vector<StateResource>& resources, int64_t resolve_intent) {
  for (size_t i = 0; i < resources.size(); ++i)
    if (Status st = PutResource(resources[i], i + 1 == resources.size() ? resolve_intent : 0); !st.ok()) return st;
  return {};
}

inline Status StatePort::RemoveDeposed(const std::string& address, const std::string& key, int64_t) {
  return MakeError(Error::Kind::kInternal, "NoDeposedObjects",
                   address + ": this state port cannot remove the deposed object " + key + " [this is a bug]");
}

}  // namespace infra::engine

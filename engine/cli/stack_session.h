// StackSession: what plan, apply, destroy and import share — the loaded
// and checked stack, the AWS provider, the state database (default
// <stack dir>/.infra/<stack>.db) under its lock, and journal recovery.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "engine/lang/stack.h"
#include "engine/plan/state_port.h"
#include "engine/cli/store_port.h"

namespace infra::provider {
class Provider;
}
namespace infra::state {
class StateStore;
class StateLock;
}

namespace infra::engine {
class DataReadCache;
}

namespace infra::cli {

struct GlobalOptions;
class RemoteSession;

/// Flags shared by the commands that open a stack and its state.
struct SessionArgs {
  engine::VariableInputs vars;
  std::string state_path;    // --state; "" = default
  std::string lock_timeout = "0s";  // --lock-timeout
  bool lock = true;                 // -lock=false: do not take the state lock
  /// False (plan without --out): a missing state file is "no state": nothing
  /// is created (no folder, database or key), nothing is locked, and the
  /// session has no store, lock or port, only an empty snapshot.
  bool create_state = true;
  /// --new-stack: start a state under this stack's name although the state
  /// folder holds other stacks' states (a renamed `stack:` otherwise).
  bool new_stack = false;
};

struct StackSession {
  std::unique_ptr<provider::Provider> provider;
  std::optional<engine::Stack> stack;
  std::string stack_dir;
  std::unique_ptr<state::StateStore> store;
  std::unique_ptr<state::StateLock> lock;
  std::unique_ptr<engine::StorePort> port;
  std::unordered_map<std::string, engine::ConfigResource> config;
  std::vector<engine::ConfigResource> resources;
  engine::StateSnapshot snapshot;
  /// Set when the stack's backend is remote (engine/cli/remote_session.h):
  /// it holds the lock instead of `lock`, and Unlock writes the snapshot.
  std::unique_ptr<RemoteSession> remote;
  /// False once writing the remote snapshot failed (the command fails).
  bool saved = true;
  /// Data source results of this command, shared by the stack's expansion
  /// and the planner (engine/plan/data_read_cache.h).
  std::unique_ptr<engine::DataReadCache> data_reads;

  ~StackSession();
  /// Reloads `snapshot` from the store.
  Status Reload();
  /// Writes the remote snapshot (when remote and changed), then releases
  /// the lock (idempotent).
  void Unlock();
};

/// Loads the stack in the -C directory (diagnostics to stderr), opens its
/// state (see SessionArgs::create_state), takes the lock for `command` (unless args.lock is false), reconciles unfinished journal
/// entries (printing what it did), and loads the snapshot. On failure it
/// prints the error and returns nullptr.
std::unique_ptr<StackSession> OpenSession(const GlobalOptions& globals, const SessionArgs& args,
                                          const std::string& command);

/// "30s", "2m", "500ms", "10" (seconds) -> milliseconds; -1 if malformed.
long long ParseDurationMs(const std::string& text);
/// Colour on stdout: a TTY, no --no-color, no NO_COLOR.
bool UseColor(const GlobalOptions& globals);

}  // namespace infra::cli

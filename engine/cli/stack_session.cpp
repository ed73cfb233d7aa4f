// StackSession: load, open, lock, recover. Every error is printed here as
// "Error: ..." so commands only decide exit codes.
#include "engine/cli/providers.h"
#include "engine/cli/stack_session.h"

#include "engine/plan/data_read_cache.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "common/log.h"
#include "engine/cli/cli.h"
#include "engine/lang/diag.h"
#include "engine/cli/interrupt.h"
#include "engine/cli/stack_checks.h"
#include "engine/apply/recovery.h"
#include "engine/cli/stack_source.h"
#include "engine/cli/backend_config.h"
#include "engine/cli/remote_session.h"
#include "engine/cli/data_reader.h"
#include "engine/cli/variable_flags.h"
#include "engine/plan/schema_lookup.h"
#include "providers/provider.h"
#include "state/lock.h"
#include "state/store.h"

namespace infra::cli {
namespace {
namespace fs = std::filesystem;

void PrintError(const Error& e) { std::cerr << "Error: " << e.ToString() << "\n"; }

// Debug-log lines "<what> in N ms" for the phases of opening a session.
class PhaseClock {
 public:
  template <class... Args>
  void Lap(fmt::format_string<Args...> what, Args&&... args) {
    auto now = std::chrono::steady_clock::now();
    if (log::Enabled(log::Level::kDebug))
      log::Debug("{} in {} ms", fmt::format(what, std::forward<Args>(args)...),
                 std::chrono::duration_cast<std::chrono::milliseconds>(now - last_).count());
    last_ = now;
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};
// The logger redacts every secret attribute state holds (log.h AddSecret).
void AddSecretLeaves(const nlohmann::json& v) {
  if (v.is_string()) log::AddSecret(v.get<std::string>());
  else if (v.is_number()) log::AddSecret(v.dump());
  else if (v.is_structured())
    for (const auto& e : v) AddSecretLeaves(e);
}
void RegisterStateSecrets(const engine::StateSnapshot& snapshot, const provider::Provider& provider) {
  for (const auto* list : {&snapshot.resources, &snapshot.deposed})
    for (const auto& r : *list) {
      if (!r.attributes.is_object()) continue;
      std::vector<std::string> secret = r.sensitive_attributes;
      if (const auto* schema = engine::SchemaFor(provider, r.type, r.address))
        for (const auto& a : schema->attributes)
          if (a.sensitive) secret.push_back(a.name);
      for (const auto& name : secret)
        if (r.attributes.contains(name)) AddSecretLeaves(r.attributes[name]);
    }
}
}  // namespace

StackSession::~StackSession() { Unlock(); }

Status StackSession::Reload() {
  auto snap = engine::LoadSnapshot(*store, provider.get());
  if (!snap.ok()) return snap.error();
  snapshot = std::move(*snap);
  return {};
}

void StackSession::Unlock() {
  if (remote) {
    if (store)
      if (Status st = remote->Finish(*store); !st.ok()) {
        std::cerr << "Error: the state was not saved to " << remote->backend().Location() << ": "
                  << st.error().ToString() << " (the remote journal keeps this run's changes for the next run)\n";
        saved = false;
      }
    if (Status st = remote->Release(); !st.ok())
      std::cerr << "Warning: could not release the state lock: " << st.error().ToString() << "\n";
    remote.reset();
  }
  if (lock) {
    Status st = lock->Unlock();
    if (!st.ok()) std::cerr << "Warning: could not release the state lock: " << st.error().ToString() << "\n";
    lock.reset();
  }
}

long long ParseDurationMs(const std::string& text) {
  if (text.empty()) return -1;
  size_t pos = 0;
  long long n = 0;
  try {
    n = std::stoll(text, &pos);
  } catch (...) {
    return -1;
  }
  std::string unit = text.substr(pos);
  if (unit.empty() || unit == "s") return n * 1000;
  if (unit == "ms") return n;
  if (unit == "m") return n * 60000;
  return -1;
}

bool UseColor(const GlobalOptions& globals) {
  return !globals.no_color && isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
}

// A renamed `stack:` finds no state under its new name, so its plan would
// create every object again beside the ones the old name's state holds.
// Plan (which writes nothing) warns; what would create the state refuses
// unless --new-stack.
static Status CheckNotRenamed(const std::string& path, const SessionArgs& args) {
  std::error_code ec;
  fs::path folder = fs::path(path).parent_path();
  std::vector<std::string> others;
  for (const auto& e : fs::directory_iterator(folder, ec))
    if (e.path().extension() == ".db") others.push_back("'" + e.path().stem().string() + "'");
  if (others.empty() || args.new_stack) return {};
  std::sort(others.begin(), others.end());
  std::string what = fmt::format(
      "{} holds the state of stack {} but this stack is named '{}' (stack: in stack.yaml), so every object would be "
      "planned as new. If you renamed the stack, rename its state: mv {}/{}.db {} (and its .key file); if this "
      "really is another stack, pass --new-stack",
      folder.string(), fmt::join(others, ", "), fs::path(path).stem().string(), folder.string(),
      others.size() == 1 ? others[0].substr(1, others[0].size() - 2) : "<old>", path);
  if (!args.create_state) {
    std::cerr << "Warning: " << what << ".\n\n";
    return {};
  }
  return MakeError(Error::Kind::kConflict, "StackRenamed", what + ".");
}

std::unique_ptr<StackSession> OpenSession(const GlobalOptions& globals, const SessionArgs& args,
                                          const std::string& command) {
  auto s = std::make_unique<StackSession>();
  PhaseClock clock;
  s->provider = engine::NewProviders({.stop = engine::Interrupt::StopFlag()});
  engine::Diagnostics diags;
  engine::VariableInputs vars = args.vars;
  ResolveVarFiles(globals, &vars);
  engine::LoadMode mode;
  s->data_reads = std::make_unique<engine::DataReadCache>();
  mode.read_data = ProviderDataReader(*s->provider, s->data_reads.get());  // for_each/count over a data source's result
  auto stack = engine::LoadStack(globals.directory, vars, *s->provider, diags, mode);
  if (stack.ok()) {
    CheckStack(*stack, diags);
    clock.Lap("loaded the stack ({} resources)", stack->resources().size());
  }
  std::cerr << diags.RenderAll();
  if (!stack.ok() || diags.has_errors()) {
    size_t n = diags.error_count();
    std::cerr << "Error: the stack is not valid (" << n << (n == 1 ? " error" : " errors") << ").\n";
    return nullptr;
  }
  s->stack = std::move(*stack);
  for (const auto& secret : s->stack->SensitiveStrings()) log::AddSecret(secret);
  fs::path file(s->stack->file());
  s->stack_dir = file.has_parent_path() ? file.parent_path().string() : ".";
  s->resources = engine::ConfigResources(*s->stack);
  for (const auto& r : s->resources) s->config[r.address] = r;

  std::string path = args.state_path.empty()
                         ? (fs::path(s->stack_dir) / ".infra" / (s->stack->name() + ".db")).string()
                         : InDirectory(globals, args.state_path);
  std::error_code ec;
  auto backend = ResolveBackend(s->stack->file(), globals.backend_config);
  if (!backend.ok()) {
    PrintError(backend.error());
    return nullptr;
  }
  if (Status st = CheckBackendUnchanged(path, *backend); !st.ok()) {
    PrintError(st.error());
    return nullptr;
  }
  if (backend->type != "s3" && args.state_path.empty() && !fs::exists(path, ec)) {
    if (Status st = CheckNotRenamed(path, args); !st.ok()) {
      PrintError(st.error());
      return nullptr;
    }
  }
  if (backend->type == "s3") {
    state::LockOptions lo;
    lo.command = command;
    lo.timeout = std::chrono::milliseconds(std::max(0LL, ParseDurationMs(args.lock_timeout)));
    ApplyLeaseFromEnvironment(lo);
    auto remote = RemoteSession::Open(backend->s3, path, lo, args.lock);
    if (!remote.ok()) {
      PrintError(remote.error());
      return nullptr;
    }
    s->remote = std::move(*remote);
    clock.Lap("locked and pulled {}", s->remote->backend().Location());
  }
  if (!args.create_state && !fs::exists(path, ec)) {
    log::Debug("no state at {}: planning from an empty state, creating nothing", path);
    return s;
  }
  state::OpenOptions open;
  open.stack = s->stack->name();
  auto store = state::StateStore::Open(path, open);
  if (!store.ok()) {
    PrintError(store.error());
    return nullptr;
  }
  s->store = std::move(*store);
  long long timeout = ParseDurationMs(args.lock_timeout);
  if (timeout < 0) {
    std::cerr << "Error: --lock-timeout " << args.lock_timeout << " is not a duration (e.g. 30s, 2m, 500ms)\n";
    return nullptr;
  }
  if (s->remote) {
    auto imported = s->remote->Attach(*s->store);
    if (!imported.ok()) {
      PrintError(imported.error());
      return nullptr;
    }
    if (*imported > 0)
      std::cerr << "Replaying " << *imported << " journal entries of an earlier run from "
                << s->remote->backend().Location() << "\n";
    if (Status st = WriteBackendRecord(path, *backend); !st.ok()) {
      PrintError(st.error());
      return nullptr;
    }
  } else if (args.lock) {
    state::LockOptions lo;
    lo.command = command;
    lo.timeout = std::chrono::milliseconds(timeout);
    auto lock = state::StateLock::Acquire(*s->store, lo);
    if (!lock.ok()) {
      PrintError(lock.error());
      return nullptr;
    }
    s->lock = std::move(*lock);
  }  // -lock=false: the user runs without the lock, at their own risk (as in Terraform)
  clock.Lap("opened {} the state {}", args.lock ? "and locked" : "(not locked)", path);
  s->port = std::make_unique<engine::StorePort>(*s->store, *s->provider);
  if (s->remote) s->port->UseJournal(&s->remote->journal());
  if (Status st = s->Reload(); !st.ok()) {
    PrintError(st.error());
    return nullptr;
  }
  clock.Lap("loaded the state ({} resources)", s->snapshot.resources.size());
  RegisterStateSecrets(s->snapshot, *s->provider);
  auto rec = engine::Reconcile(*s->port, *s->provider, s->stack->name(), s->snapshot, s->config);
  if (!rec.ok()) {
    PrintError(rec.error());
    return nullptr;
  }
  for (const auto& note : rec->notes) std::cerr << "Recovered: " << note << "\n";
  if (!rec->notes.empty())
    if (Status st = s->Reload(); !st.ok()) {
      PrintError(st.error());
      return nullptr;
    }
  return s;
}

}  // namespace infra::cli

// `infra init [-migrate-state] [-reconfigure]`: checks the stack's backend
// (bucket reachable and versioned, DynamoDB table active) and moves the
// state when the backend changed (local -> s3, s3 -> local, s3 -> s3),
// byte for byte, so lineage and serial are kept. docs/state.md.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "engine/cli/backend_config.h"
#include "engine/cli/cli.h"
#include "engine/cli/interrupt.h"
#include "engine/cli/remote_session.h"
#include "engine/cli/state_path.h"
#include "providers/aws/sdk/aws_client.h"
#include "state/backend_local.h"
#include "state/store.h"

namespace infra::cli {
namespace {
namespace fs = std::filesystem;
using state::remote::S3Backend;

struct InitArgs {
  bool migrate = false;
  bool reconfigure = false;
  std::string state_path;
};

int Fail(const Error& e) {
  std::cerr << "Error: " << e.ToString() << "\n";
  return 1;
}

std::unique_ptr<S3Backend> NewBackend(const BackendChoice& c) {
  return std::make_unique<S3Backend>(ClientForState(), c.s3);
}

Result<std::unique_ptr<state::StateLock>> LockRemote(S3Backend& backend) {
  state::LockOptions lo;
  lo.command = "init";
  ApplyLeaseFromEnvironment(lo);
  auto record = backend.OpenLockRecord();
  if (!record.ok()) return record.error();
  return state::StateLock::Acquire(std::move(*record), backend.Location(), lo);
}

// The state as the previous backend holds it (nullopt: none).
Result<std::optional<state::Snapshot>> ReadFrom(const BackendChoice& from, const std::string& path) {
  if (from.type == "s3") {
    auto backend = NewBackend(from);
    auto lock = LockRemote(*backend);
    if (!lock.ok()) return lock.error();
    return backend->ReadSnapshot();
  }
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::optional<state::Snapshot>();
  auto store = state::StateStore::Open(path, {.create = false, .read_only = true});
  if (!store.ok()) return store.error();
  return state::LocalBackend(**store).ReadSnapshot();
}

Status WriteTo(const BackendChoice& to, const std::string& path, const state::Snapshot& snap) {
  if (to.type != "s3") return WriteStateFile(path, snap.bytes);
  auto backend = NewBackend(to);
  auto lock = LockRemote(*backend);
  if (!lock.ok()) return lock.error();
  backend->Fence((*lock)->info().id, {});
  auto there = backend->ReadSnapshot();
  if (!there.ok()) return there.error();
  if (*there) {
    if ((*there)->lineage == snap.lineage && (*there)->serial == snap.serial) return {};  // already there
    return MakeError(Error::Kind::kConflict, "BackendNotEmpty",
                     fmt::format("{} already holds a state (lineage {}, serial {}); nothing was migrated (pull it "
                                 "with a local backend first, or choose another key)",
                                 backend->Location(), (*there)->lineage, (*there)->serial));
  }
  return backend->WriteSnapshot(snap, "");
}

int RunInit(const GlobalOptions& g, const InitArgs& a) {
  auto path = ResolveStatePath(g, a.state_path);
  if (!path) return Fail(path.error());
  auto choice = ResolveBackend(g.directory, g.backend_config);
  if (!choice) return Fail(choice.error());
  if (choice->type == "s3") {
    if (Status st = NewBackend(*choice)->Check(); !st.ok()) return Fail(st.error());
    std::cout << "Backend " << choice->Describe() << ": bucket reachable and versioned, table active.\n";
  }
  std::error_code ec;
  auto record = ReadBackendRecord(*path);
  BackendChoice previous;  // what holds the state now
  bool has_previous = true;
  if (record)
    previous = *record;
  else if (!fs::exists(*path, ec))
    has_previous = false;  // a new stack, or a fresh checkout of a remote one
  if (!has_previous || previous.SameAs(*choice) || a.reconfigure) {
    if (Status st = WriteBackendRecord(*path, *choice); !st.ok()) return Fail(st.error());
    std::cout << "Initialised: state in " << choice->Describe() << (a.reconfigure ? " (reconfigured, nothing moved)" : "")
              << ".\n";
    return 0;
  }
  if (!a.migrate)
    return Fail(MakeError(Error::Kind::kInvalid, "BackendChanged",
                          "the state is in " + previous.Describe() + " but the stack's backend is " + choice->Describe() +
                              ": run `infra init -migrate-state` to move it (or `infra init -reconfigure` to use the "
                              "new backend as it is)"));
  auto snap = ReadFrom(previous, *path);
  if (!snap) return Fail(snap.error());
  if (*snap) {
    if (Status st = WriteTo(*choice, *path, **snap); !st.ok()) return Fail(st.error());
    std::cout << fmt::format("Migrated the state (lineage {}, serial {}) from {} to {}.\n", (*snap)->lineage,
                             (*snap)->serial, previous.Describe(), choice->Describe());
  } else {
    std::cout << "No state in " << previous.Describe() << ": nothing to migrate.\n";
  }
  if (Status st = WriteBackendRecord(*path, *choice); !st.ok()) return Fail(st.error());
  return 0;
}

}  // namespace

void RegisterInitCommands(CLI::App& app, GlobalOptions& globals, int* exit_code) {
  auto args = std::make_shared<InitArgs>();
  auto* init = app.add_subcommand("init", "Check the stack's backend and move the state when it changed");
  init->add_flag("--migrate-state", args->migrate, "Copy the state from the previous backend to the new one");
  init->add_flag("--reconfigure", args->reconfigure, "Use the stack's backend as it is, moving nothing");
  init->add_option("--state", args->state_path, "The local state file (default .infra/<stack>.db)");
  init->callback([&globals, args, exit_code] { *exit_code = RunInit(globals, *args); });
}

}  // namespace infra::cli

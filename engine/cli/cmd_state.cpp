// `infra state list|show|rm|mv|history|pull|push` and `infra force-unlock`:
// read and edit the state: the local database, or with a remote backend
// its current snapshot (engine/cli/remote_state.h). rm, mv and push take
// the state lock; the others only read (sensitive values are shown as
// (sensitive value), and no key is needed to list or show).
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/cli/cli.h"
#include "engine/cli/remote_state.h"
#include "engine/cli/stack_session.h"
#include "engine/cli/state_path.h"
#include "state/backend_local.h"
#include "state/lock.h"
#include "state/store.h"

namespace infra::cli {
namespace {

struct StateArgs {
  std::string state_path;
  std::string lock_timeout = "0s";
  std::string type;
  std::string region;
  std::string address;
  std::vector<std::string> addresses;
  std::string from, to;
  std::string file;     // state push FILE
  std::string lock_id;  // force-unlock LOCK_ID
  int limit = 0;
  bool json = false;
  bool force = false;
};

int Fail(const Error& e) {
  std::cerr << "Error: " << e.ToString() << "\n";
  return 1;
}

Result<std::chrono::milliseconds> LockTimeout(const StateArgs& a) {
  long long timeout = ParseDurationMs(a.lock_timeout);
  if (timeout < 0)
    return MakeError(Error::Kind::kInvalid, "BadFlag",
                     "--lock-timeout " + a.lock_timeout + " is not a duration (e.g. 30s, 2m, 500ms)");
  return std::chrono::milliseconds(timeout);
}

// Opens the state for reading: the local file, or the remote's current
// snapshot (engine/cli/remote_state.h).
Result<std::unique_ptr<ReadOnlyState>> OpenForRead(const GlobalOptions& g, const StateArgs& a) {
  auto where = LocateState(g, a.state_path);
  if (!where) return where.error();
  return ReadOnlyState::Open(*where);
}

// Opens the state for writing and takes its lock (remote: the lease lock,
// and the change is written back as one conditional snapshot by Commit).
Result<std::unique_ptr<LockedState>> OpenForWrite(const GlobalOptions& g, const StateArgs& a,
                                                  const std::string& command) {
  auto timeout = LockTimeout(a);
  if (!timeout) return timeout.error();
  auto where = LocateState(g, a.state_path);
  if (!where) return where.error();
  return LockedState::Open(*where, command, *timeout);
}

// Writes a remote change back (a no-op locally but for the unlock); the
// change is lost, and said so, when the snapshot write is refused.
int Committed(LockedState& locked, int ok_code) {
  if (Status st = locked.Commit(); !st) {
    std::cerr << "Error: " << st.error().ToString() << "\n"
              << (locked.remote() ? "The change was not saved to the remote state.\n" : "");
    return 1;
  }
  return ok_code;
}

std::string Display(const nlohmann::json& v) { return v.dump(); }

bool IsSensitive(const state::ResourceRecord& r, const std::string& name) {
  return std::find(r.sensitive_attributes.begin(), r.sensitive_attributes.end(), name) !=
         r.sensitive_attributes.end();
}

int List(const GlobalOptions& g, const StateArgs& a) {
  auto opened = OpenForRead(g, a);
  if (!opened && opened.error().code == "StateNotFound") {
    std::cerr << "No state yet (" << opened.error().message << ").\n";
    return 0;
  }
  if (!opened) return Fail(opened.error());
  // Addresses only: attribute objects are not even read.
  auto all = (*opened)->store().LoadResourcesRedacted(state::AttributeDecoding::kSkipped);
  if (!all) return Fail(all.error());
  for (const auto& r : *all) {
    if (!a.type.empty() && r.type != a.type) continue;
    if (!a.region.empty() && r.region != a.region && r.region_alias != a.region) continue;
    std::cout << state::DisplayAddress(r.address, r.deposed) << "\n";
  }
  return 0;
}

nlohmann::json RecordJson(const state::ResourceRecord& r) {
  return {{"address", r.address},     {"deposed", r.deposed},    {"type", r.type},
          {"region", r.region},       {"region_alias", r.region_alias},
          {"id", r.id},               {"schema_version", r.schema_version},
          {"dependencies", r.dependencies}, {"sensitive_attributes", r.sensitive_attributes},
          {"attributes", r.attributes}};
}

int Show(const GlobalOptions& g, const StateArgs& a) {
  auto opened = OpenForRead(g, a);
  if (!opened) return Fail(opened.error());
  std::string address, deposed;  // `state show 'aws_vpc.main (deposed vpc-1)'` shows a deposed object
  state::ParseDisplayAddress(a.address, &address, &deposed);
  auto r = (*opened)->store().GetResource(address, /*redact=*/true, deposed);
  if (!r) return Fail(r.error());
  if (!r->has_value())
    return Fail(MakeError(Error::Kind::kNotFound, "StateNoSuchResource", "no resource " + a.address + " in state"));
  const state::ResourceRecord& rec = **r;
  if (a.json) {
    std::cout << RecordJson(rec).dump(2) << "\n";
    return 0;
  }
  std::cout << "# " << state::DisplayAddress(rec.address, rec.deposed) << "\n";
  std::cout << "type           = " << rec.type << "\n";
  std::cout << "region         = " << rec.region << (rec.region_alias.empty() ? "" : " (" + rec.region_alias + ")")
            << "\n";
  std::cout << "id             = " << rec.id << "\n";
  std::cout << "schema_version = " << rec.schema_version << "\n";
  std::cout << "depends_on     = " << nlohmann::json(rec.dependencies).dump() << "\n\n";
  size_t width = 0;
  for (auto& [k, v] : rec.attributes.items()) width = std::max(width, k.size());
  for (auto& [k, v] : rec.attributes.items())
    std::cout << fmt::format("  {:<{}} = {}\n", k, width, IsSensitive(rec, k) ? "(sensitive value)" : Display(v));
  return 0;
}

state::HistoryEntry Who(const std::string& command) {
  state::HistoryEntry who;
  who.command = command;
  return who;
}

int Remove(const GlobalOptions& g, const StateArgs& a) {
  auto locked = OpenForWrite(g, a, "state rm");
  if (!locked) return Fail(locked.error());
  auto serial = (*locked)->store().RemoveResources(a.addresses, Who("state rm"));
  if (!serial) return Fail(serial.error());
  int code = Committed(**locked, 0);
  if (code != 0) return code;
  for (const auto& address : a.addresses) std::cout << "Removed " << address << "\n";
  std::cout << fmt::format(
      "Removed {} resource(s) from state (serial {}). They still exist in AWS; infra no longer manages them.\n",
      a.addresses.size(), *serial);
  return 0;
}

int Move(const GlobalOptions& g, const StateArgs& a) {
  auto locked = OpenForWrite(g, a, "state mv");
  if (!locked) return Fail(locked.error());
  auto serial = (*locked)->store().MoveResource(a.from, a.to, Who("state mv"));
  if (!serial) return Fail(serial.error());
  if (int code = Committed(**locked, 0); code != 0) return code;
  std::cout << fmt::format("Moved {} to {} (serial {}).\n", a.from, a.to, *serial);
  return 0;
}

std::string ChangesSummary(const nlohmann::json& changes) {
  if (!changes.is_object() || changes.empty()) return "-";
  std::string out;
  for (auto& [k, v] : changes.items()) {
    std::string value = v.is_number() ? v.dump() : v.is_array() ? std::to_string(v.size()) : v.dump();
    out += (out.empty() ? "" : ", ") + k + " " + value;
  }
  return out;
}

// "sha256:0123456789abcdef..." -> "0123456789ab" (the table's PLAN column;
// --json has it whole); "-" when the row has no plan.
std::string ShortDigest(const std::string& digest) {
  if (digest.empty()) return "-";
  auto colon = digest.find(':');
  return digest.substr(colon == std::string::npos ? 0 : colon + 1, 12);
}

int History(const GlobalOptions& g, const StateArgs& a) {
  auto opened = OpenForRead(g, a);
  if (!opened) return Fail(opened.error());
  auto rows = (*opened)->store().History(a.limit);
  if (!rows) return Fail(rows.error());
  if (a.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& h : *rows)
      out.push_back({{"id", h.id}, {"started_at", h.started_at}, {"finished_at", h.finished_at}, {"user", h.user},
                     {"host", h.host}, {"command", h.command}, {"plan_digest", h.plan_digest},
                     {"changes", h.changes}, {"result", h.result}, {"serial", h.serial}});
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  size_t command_width = 10;  // "apply --refresh-only" is wider than the header
  for (const auto& h : *rows) command_width = std::max(command_width, h.command.size());
  constexpr const char* kRow = "{:>4}  {:<20}  {:<20}  {:<24}  {:<{}}  {:<9}  {:>6}  {:<12}  {}\n";
  std::cout << fmt::format(kRow, "ID", "STARTED", "FINISHED", "WHO", "COMMAND", command_width, "RESULT", "SERIAL",
                           "PLAN", "CHANGES");
  for (const auto& h : *rows)
    std::cout << fmt::format(kRow, h.id, h.started_at, h.finished_at.empty() ? "-" : h.finished_at,
                             h.user + "@" + h.host, h.command, command_width, h.result, h.serial,
                             ShortDigest(h.plan_digest), ChangesSummary(h.changes));
  return 0;
}

// `infra state pull`: the whole state database, as bytes, on stdout (the
// remote's current snapshot as stored).
int Pull(const GlobalOptions& g, const StateArgs& a) {
  auto opened = OpenForRead(g, a);
  if (!opened) return Fail(opened.error());
  if (PulledState* pulled = (*opened)->pulled()) {
    std::cout.write(pulled->bytes().data(), static_cast<std::streamsize>(pulled->bytes().size()));
    std::cout.flush();
    return 0;
  }
  auto snap = state::LocalBackend((*opened)->store()).ReadSnapshot();
  if (!snap) return Fail(snap.error());
  if (!*snap) return Fail(MakeError(Error::Kind::kNotFound, "StateNotFound", "no state"));
  std::cout.write((*snap)->bytes.data(), static_cast<std::streamsize>((*snap)->bytes.size()));
  std::cout.flush();
  return 0;
}

// `infra state push FILE`: replaces the state with FILE (a pulled state)
// if it has the same lineage and a higher serial (--force: whatever they
// are), its secrets sealed with the same key; under the lock. Remote: one
// new snapshot, conditional on the one read.
int Push(const GlobalOptions& g, const StateArgs& a) {
  std::string file = InDirectory(g, a.file);
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return Fail(MakeError(Error::Kind::kNotFound, "BadFile", fmt::format("{}: cannot read the file", a.file)));
  std::stringstream bytes;
  bytes << in.rdbuf();
  auto locked = OpenForWrite(g, a, "state push");
  if (!locked) return Fail(locked.error());
  state::StateStore& store = (*locked)->store();  // gone after a remote ForcePush
  std::string where = (*locked)->remote() ? (*locked)->remote()->session().backend().Location() : store.path();
  int64_t serial = store.serial();
  state::Snapshot next;
  next.bytes = bytes.str();
  auto incoming = InspectStateBytes(next.bytes, store.path());  // a state, sealed with our key?
  if (!incoming) {
    Error e = incoming.error();
    e.message = a.file + ": " + e.message;
    return Fail(e);
  }
  std::string version = state::LocalSnapshotVersion(store.lineage(), serial);
  Status pushed = {};
  if (a.force && (*locked)->remote())
    pushed = (*locked)->remote()->ForcePush(next.bytes);
  else if (a.force)
    pushed = state::LocalBackend(store).ReplaceSnapshot(next, version);
  else  // remote too: into the working copy, which Commit writes back
    pushed = state::LocalBackend(store).WriteSnapshot(next, version);
  if (!pushed) {
    Error e = pushed.error();
    e.message = a.file + ": " + e.message;
    if (!a.force && (e.code == "StateLineageMismatch" || e.code == "StateSerialStale"))
      e.message += " (--force pushes it anyway)";
    return Fail(e);
  }
  if (int code = Committed(**locked, 0); code != 0) return code;
  std::cout << fmt::format("Pushed {} to {} (serial {} -> {}).\n", a.file, where, serial, incoming->serial);
  return 0;
}

// Asks on a terminal; anything but "yes" declines.
bool Confirmed(const std::string& question) {
  std::cout << question << "\n  Only 'yes' will be accepted to confirm.\n\n  Enter a value: " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "yes";
}

int ForceUnlockCommand(const GlobalOptions& g, const StateArgs& a) {
  auto where = LocateState(g, a.state_path);
  if (!where) return Fail(where.error());
  std::unique_ptr<state::StateStore> store;
  if (!where->remote) {
    auto opened = state::StateStore::Open(where->path, {.create = false});
    if (!opened) return Fail(opened.error());
    store = std::move(*opened);
  }
  if (!a.force && ::isatty(0) &&
      !Confirmed(fmt::format("Do you really want to force-unlock the state {}?\n  infra will remove its lock: "
                             "other infra commands may then change this state even if the lock's holder is "
                             "still using it.",
                             where->Describe()))) {
    std::cerr << "force-unlock cancelled.\n";
    return 1;
  }
  auto removed = where->remote ? ForceUnlockRemote(*where->remote, a.lock_id, a.force)
                               : state::ForceUnlock(*store, a.lock_id, a.force);
  if (!removed) return Fail(removed.error());
  if (!removed->lapsed.empty()) {
    std::cout << "Removed " << removed->holder.Describe() << ": " << removed->lapsed
              << ", so its holder had already stopped (killed, or its machine gone).\n";
    return 0;
  }
  std::cout << "Removed " << removed->holder.Describe() << ".\n"
            << "If that process is still running, its next write to the state fails (StateLockLost) and it "
               "stops.\n";
  return 0;
}

void AddStateFlag(CLI::App* cmd, StateArgs* a) {
  cmd->add_option("--state", a->state_path, "State database (default: <stack dir>/.infra/<stack>.db)");
}

}  // namespace

void RegisterStateCommands(CLI::App& app, GlobalOptions& globals, int* exit_code) {
  auto a = std::make_shared<StateArgs>();
  auto* state = app.add_subcommand("state", "Inspect and edit the state database");
  state->require_subcommand(1);

  auto* list = state->add_subcommand("list", "List the resource addresses in state");
  AddStateFlag(list, a.get());
  list->add_option("--type", a->type, "Only resources of this type (aws_subnet)");
  list->add_option("--region", a->region, "Only resources in this region (name or alias)");
  list->callback([&globals, a, exit_code] { *exit_code = List(globals, *a); });

  auto* show = state->add_subcommand("show", "Show one resource; sensitive values are shown as (sensitive value)");
  AddStateFlag(show, a.get());
  show->add_option("ADDRESS", a->address, "Resource address")->required();
  show->add_flag("--json", a->json, "Machine-readable output");
  show->callback([&globals, a, exit_code] { *exit_code = Show(globals, *a); });

  auto* rm = state->add_subcommand("rm", "Forget resources (they stay in AWS); takes the lock");
  AddStateFlag(rm, a.get());
  rm->add_option("--lock-timeout", a->lock_timeout, "How long to wait for the state lock (default 0s)");
  rm->add_option("ADDRESS", a->addresses, "Resource addresses")->required();
  rm->callback([&globals, a, exit_code] { *exit_code = Remove(globals, *a); });

  auto* mv = state->add_subcommand("mv", "Rename a resource in state; takes the lock");
  AddStateFlag(mv, a.get());
  mv->add_option("--lock-timeout", a->lock_timeout, "How long to wait for the state lock (default 0s)");
  mv->add_option("FROM", a->from, "Current address")->required();
  mv->add_option("TO", a->to, "New address")->required();
  mv->callback([&globals, a, exit_code] { *exit_code = Move(globals, *a); });

  auto* history = state->add_subcommand("history", "Applies and state changes, newest first");
  AddStateFlag(history, a.get());
  history->add_option("--limit", a->limit, "Show at most N entries");
  history->add_flag("--json", a->json, "Machine-readable output");
  history->callback([&globals, a, exit_code] { *exit_code = History(globals, *a); });

  auto* pull = state->add_subcommand("pull", "Write the whole state database to stdout (infra state pull > copy.db)");
  AddStateFlag(pull, a.get());
  pull->callback([&globals, a, exit_code] { *exit_code = Pull(globals, *a); });

  auto* push = state->add_subcommand(
      "push", "Replace the state with FILE (same lineage, higher serial; secrets sealed with the same key)");
  AddStateFlag(push, a.get());
  push->add_option("--lock-timeout", a->lock_timeout, "How long to wait for the state lock (default 0s)");
  push->add_option("FILE", a->file, "A state database, e.g. from infra state pull")->required();
  push->add_flag("--force", a->force, "Push even if FILE has another lineage or a serial not above the state's");
  push->callback([&globals, a, exit_code] { *exit_code = Push(globals, *a); });

  auto* unlock = app.add_subcommand("force-unlock", "Remove the state lock LOCK_ID (named in the lock error)");
  unlock->add_option("LOCK_ID", a->lock_id, "The id of the lock to remove")->required();
  AddStateFlag(unlock, a.get());
  unlock->add_flag("--force", a->force,
                   "Do not ask, and remove the lock even if its holder is alive on this host");
  unlock->callback([&globals, a, exit_code] { *exit_code = ForceUnlockCommand(globals, *a); });
}

}  // namespace infra::cli

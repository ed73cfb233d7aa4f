// `infra plan`, `infra apply`, `infra destroy` and `infra import`: open the
// stack session (stack, state, lock, recovery), plan, show, ask, execute,
// record outputs and history. Exit codes: 0 ok, 1 error, 2 (plan
// --detailed-exitcode) changes present.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <set>
#include <sstream>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "common/log.h"
#include "engine/cli/check_report.h"
#include "engine/cli/cli.h"
#include "engine/cli/crash_hook.h"
#include "engine/cli/data_reader.h"
#include "engine/cli/plan_markdown.h"
#include "engine/cli/saved_plan.h"
#include "engine/lang/diag.h"
#include "engine/cli/stack_session.h"
#include "engine/cli/variable_flags.h"
#include "engine/lang/input_file.h"
#include "engine/apply/executor.h"
#include "engine/cli/interrupt.h"
#include "engine/plan/outputs.h"
#include "engine/plan/plan_json.h"
#include "engine/plan/plan_render.h"
#include "engine/plan/planner.h"
#include "engine/apply/progress.h"
#include "engine/cli/stack_source.h"
#include "providers/provider.h"
#include "state/store.h"

namespace infra::cli {
namespace {
namespace fs = std::filesystem;

struct PlanArgs {
  SessionArgs session;
  std::string refresh = "true";
  bool refresh_only = false;
  bool destroy = false;
  std::vector<std::string> targets;
  std::vector<std::string> replace;
  std::string region;
  // plan
  std::string out;
  bool json = false;
  std::string markdown;  // --markdown FILE: the plan as Markdown (engine/cli/plan_markdown.h)
  bool detailed_exitcode = false;
  // apply / destroy
  std::string plan_file;
  bool auto_approve = false;
  int parallelism = 256;
  std::string rollout;  // --rollout waves|parallel ("" = the stack's, else parallel)
};

void AddSessionFlags(CLI::App* cmd, SessionArgs* s) {
  AddVariableFlags(cmd, &s->vars);
  cmd->add_option("--state", s->state_path, "State database (default: <stack dir>/.infra/<stack>.db)");
  cmd->add_option("--lock-timeout", s->lock_timeout, "How long to wait for the state lock (e.g. 30s; default 0s)");
  AddLockFlag(cmd, &s->lock);
  cmd->add_flag("--new-stack", s->new_stack,
                "Start a new state although .infra/ holds another stack's (after renaming stack:, rename its "
                "state file instead)");
}

void AddPlanningFlags(CLI::App* cmd, PlanArgs* a, bool with_destroy_modes) {
  AddSessionFlags(cmd, &a->session);
  cmd->add_option("--refresh", a->refresh, "Read current values from AWS first (true|false)")
      ->check(CLI::IsMember({"true", "false"}));
  cmd->add_option("--target", a->targets, "Only this resource (and what it depends on); repeatable");
  cmd->add_option("--region", a->region, "Only resources in this region alias");
  if (with_destroy_modes) {
    cmd->add_flag("--refresh-only", a->refresh_only, "Only bring state up to date with AWS (drift)");
    cmd->add_option("--replace", a->replace, "Replace this resource even if unchanged; repeatable");
  }
}

Result<void> CheckRegion(const engine::Stack& stack, const std::string& alias) {
  if (alias.empty()) return {};
  for (const auto& r : stack.regions())
    if (r.alias == alias) return {};
  return MakeError(Error::Kind::kInvalid, "UnknownRegion", "--region " + alias + " is not a region alias of the stack");
}

Result<engine::Plan> MakeSessionPlan(StackSession& s, const PlanArgs& a, engine::PlanMode mode,
                                     engine::PlanStats* stats) {
  if (auto st = CheckRegion(*s.stack, a.region); !st.ok()) return st.error();
  engine::PlanRequest req;
  req.stack = s.stack->name();
  for (const auto& r : s.stack->regions()) req.regions.push_back(r.alias);
  req.resources = s.resources;
  req.evaluate = engine::StackEvaluator(*s.stack);
  req.evaluate_outputs = engine::StackOutputEvaluator(*s.stack);
  req.state = &s.snapshot;
  req.provider = s.provider.get();
  req.data_reads = s.data_reads.get();
  req.mode = mode;
  req.refresh = a.refresh == "true";
  req.targets = a.targets;
  req.replace = a.replace;
  req.only_region = a.region;
  if (mode != engine::PlanMode::kDestroy) {
    req.moved = s.stack->moved();
    req.removed = s.stack->removed();
    req.imports = s.stack->imports();
  }
  auto plan = engine::MakePlan(req, stats);
  if (plan.ok() && mode == engine::PlanMode::kNormal)
    if (auto failed = FailedPostconditions(*s.stack, PlannedValues(*plan)); !failed.empty()) {
      std::string all = failed.front();
      for (size_t i = 1; i < failed.size(); ++i) all += "\n" + failed[i];
      return MakeError(Error::Kind::kInvalid, "PostconditionFailed", all);
    }
  if (plan.ok() && !a.targets.empty()) WarnTargeting(std::cerr);
  return plan;
}

engine::PlanMode ModeOf(const PlanArgs& a) {
  if (a.destroy) return engine::PlanMode::kDestroy;
  if (a.refresh_only) return engine::PlanMode::kRefreshOnly;
  return engine::PlanMode::kNormal;
}

// Plan files hold sealed secrets and the shape of the stack: 0600 from the
// first byte (the temporary file is created so), then renamed into place.
Status WriteFileAtomically(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return MakeError(Error::Kind::kOther, "WriteFailed", "could not create " + tmp + ": " + std::strerror(errno));
  bool ok = ::fchmod(fd, 0600) == 0;  // an existing file keeps its mode on O_CREAT
  for (size_t done = 0; ok && done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    ::unlink(tmp.c_str());
    return MakeError(Error::Kind::kOther, "WriteFailed", "could not write " + tmp);
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return MakeError(Error::Kind::kOther, "WriteFailed", "could not rename " + tmp + ": " + ec.message());
  return {};
}

// The plan as JSON with the stack's checks against its planned values (a
// destroy plan has none): what `plan --json` prints, a saved plan holds
// and the digest is taken over.
nlohmann::json PlanDocument(const engine::Stack& stack, const engine::Plan& plan) {
  nlohmann::json doc = engine::PlanToJson(plan);
  if (plan.mode != engine::PlanMode::kDestroy) doc["checks"] = ChecksToJson(stack, PlannedValues(plan));
  return doc;
}

std::string PlanPath(const GlobalOptions& g, const std::string& file) {
  return InDirectory(g, file);
}

int RunPlan(const GlobalOptions& g, const PlanArgs& a) {
  SessionArgs session = a.session;
  // A plan shown is made against no state when there is none; a saved plan
  // is sealed with the state's key and bound to its lineage, so --out
  // creates the state as apply would.
  session.create_state = !a.out.empty();
  auto s = OpenSession(g, session, "plan");
  if (!s) return 1;
  engine::PlanStats stats;
  auto plan = MakeSessionPlan(*s, a, ModeOf(a), &stats);
  s->Unlock();
  if (!plan.ok()) {
    std::cerr << "Error: " << plan.error().message << "\n";
    return 1;
  }
  log::Info("plan: {} Read calls refreshed {} resources", stats.refresh_calls, stats.refreshed);
  if (a.json)
    std::cout << PlanDocument(*s->stack, *plan).dump(2) << "\n";
  else
    std::cout << engine::RenderPlan(*plan, {UseColor(g)});
  if (plan->mode != engine::PlanMode::kDestroy)
    ReportChecks(*s->stack, PlannedValues(*plan), false, a.json ? std::cerr : std::cout);
  if (!a.markdown.empty())
    if (Status st = WriteFileAtomically(PlanPath(g, a.markdown), RenderPlanMarkdown(*plan)); !st.ok()) {
      std::cerr << "Error: " << st.error().message << "\n";
      return 1;
    }
  if (!a.out.empty()) {
    std::string path = PlanPath(g, a.out);
    nlohmann::json doc = PlanDocument(*s->stack, *plan);
    auto saved = SavedSection(*plan, *s->stack, *s->store);
    if (!saved.ok()) {
      std::cerr << "Error: the plan was not saved: " << saved.error().ToString() << "\n";
      return 1;
    }
    doc["saved"] = std::move(*saved);
    if (Status st = WriteFileAtomically(path, engine::CanonicalPlanText(doc)); !st.ok()) {
      std::cerr << "Error: " << st.error().message << "\n";
      return 1;
    }
    if (!a.json)
      std::cout << "\nSaved the plan to " << a.out << " (" << engine::PlanDigest(doc)
                << "). Apply exactly it with: infra apply " << a.out << "\n";
  }
  if (a.detailed_exitcode && plan->HasChanges()) return 2;
  return 0;
}

// `apply FILE` applies what the file says: flags that would change it are
// refused, as Terraform refuses them.
Result<void> CheckSavedPlanFlags(const PlanArgs& a) {
  std::vector<std::string> given;
  if (a.session.vars.Has(false)) given.push_back("-var");
  if (a.session.vars.Has(true)) given.push_back("-var-file");
  if (!a.targets.empty()) given.push_back("--target");
  if (!a.replace.empty()) given.push_back("--replace");
  if (a.refresh_only) given.push_back("--refresh-only");
  if (!a.region.empty()) given.push_back("--region");
  if (given.empty()) return {};
  std::string list;
  for (const auto& f : given) list += (list.empty() ? "" : ", ") + f;
  return MakeError(Error::Kind::kInvalid, "PlanFileFlags",
                   fmt::format("{} cannot be used with a saved plan: the plan file already holds the variables, "
                               "targets and mode it was made with. Make a new plan with them instead.",
                               list));
}

Result<nlohmann::json> ReadPlanDocument(const std::string& path) {
  auto text = engine::ReadInputFile(path);  // bounded; a directory is an error, not an abort
  if (!text.ok()) return MakeError(Error::Kind::kInvalid, "PlanFile", "the plan file: " + text.error().message);
  nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
  if (doc.is_discarded()) return MakeError(Error::Kind::kInvalid, "PlanFile", path + " is not a plan (not JSON)");
  return doc;
}

Error InstancesDiffer(const std::string& what) {
  return MakeError(Error::Kind::kConflict, "PlanStale",
                   "the stack's instances differ from the plan's (" + what +
                       "; a data source a for_each or count uses answers otherwise now). Make a new plan.");
}

// `digest` receives the plan's digest (of the document as read).
Result<engine::Plan> LoadSavedPlan(const nlohmann::json& doc, const StackSession& s, const nlohmann::json& secrets,
                                   std::string* digest) {
  auto plan = engine::PlanFromJson(doc);
  if (!plan.ok()) return plan.error();
  *digest = engine::PlanDigest(doc);
  if (plan->stack != s.stack->name())
    return MakeError(Error::Kind::kInvalid, "PlanStale",
                     "the plan is for stack " + plan->stack + ", not " + s.stack->name());
  if (plan->state_lineage != s.snapshot.lineage || plan->state_serial != s.snapshot.serial)
    return MakeError(Error::Kind::kConflict, "PlanStale",
                     fmt::format("the state changed since this plan was made (plan: lineage {} serial {}; state now: "
                                 "lineage {} serial {}). Make a new plan.",
                                 plan->state_lineage, plan->state_serial, s.snapshot.lineage, s.snapshot.serial));
  // The stack files are the plan's (checked by digest), but the instances
  // of a for_each/count over a data source follow what AWS answers now: a
  // change that needs its instance's configuration must still find it (an
  // instance the plan does not know is simply not applied, as planned).
  for (const auto& c : plan->changes) {
    bool needs_config = c.action != engine::Action::kDelete && c.action != engine::Action::kNoOp;
    if (c.deposed.empty() && needs_config && !s.config.count(c.address))
      return InstancesDiffer(c.address + " is in the plan but no longer in the stack");
  }
  engine::RestorePlanSecrets(secrets, &*plan);
  return plan;
}

void PrintError(const Error& e) { std::cerr << "Error: " << e.ToString() << "\n"; }

// Opens the session of a saved plan: the stack is loaded with the plan's
// variables (the secrets unsealed with the state key once the state is
// open) and must be byte for byte the stack the plan was made from. Prints
// the error and returns nullptr on failure.
std::unique_ptr<StackSession> OpenSavedPlan(const GlobalOptions& g, const PlanArgs& a,
                                            std::optional<engine::Plan>* plan, std::string* digest) {
  if (auto st = CheckSavedPlanFlags(a); !st.ok()) return PrintError(st.error()), nullptr;
  std::string path = PlanPath(g, a.plan_file);
  auto doc = ReadPlanDocument(path);
  if (!doc.ok()) return PrintError(doc.error()), nullptr;
  auto saved = ReadSavedSection(*doc);
  if (!saved.ok()) {
    Error e = saved.error();
    e.message = path + ": " + e.message;
    return PrintError(e), nullptr;
  }
  SessionArgs args = a.session;
  args.vars.read_environment = false;
  args.vars.saved = saved->variables;  // secrets still unknown: the state key is not open yet
  const auto mode_it = doc->find("mode");  // compared, never converted: a number there is not a bug
  auto s = OpenSession(g, args, mode_it != doc->end() && *mode_it == "destroy" ? "destroy" : "apply");
  if (!s) return nullptr;
  // Another stack's plan is refused by name before its secrets are tried
  // with this state's key (which would only say "wrong key").
  const auto stack_it = doc->find("stack");
  if (stack_it != doc->end() && stack_it->is_string() && stack_it->get<std::string>() != s->stack->name())
    return PrintError(MakeError(Error::Kind::kInvalid, "PlanStale",
                                path + ": the plan is for stack " + stack_it->get<std::string>() + ", not " +
                                    s->stack->name())),
           nullptr;
  if (Status st = Unseal(*s->store, &*saved); !st.ok()) {
    Error e = st.error();
    e.message = path + ": " + e.message;
    return PrintError(e), nullptr;
  }
  args.vars.saved = saved->variables;
  engine::Diagnostics diags;
  ResolveVarFiles(g, &args.vars);
  engine::LoadMode mode;
  // Data sources a for_each/count uses are read again: if AWS answers
  // otherwise now, the instances differ and the plan's changes are refused
  // below as not matching the stack, never applied to other instances.
  mode.read_data = ProviderDataReader(*s->provider);
  auto stack = engine::LoadStack(g.directory, args.vars, *s->provider, diags, mode);
  if (!stack.ok()) {
    std::cerr << diags.RenderAll();
    return PrintError(stack.error()), nullptr;
  }
  s->stack = std::move(*stack);
  for (const auto& secret : s->stack->SensitiveStrings()) log::AddSecret(secret);  // the unsealed ones
  s->resources = engine::ConfigResources(*s->stack);
  s->config.clear();
  for (const auto& r : s->resources) s->config[r.address] = r;
  auto now = StackDigest(*s->stack);
  if (!now.ok()) return PrintError(now.error()), nullptr;
  if (*now != saved->stack_digest) {
    std::cerr << "Error: the stack files changed since this plan was made (plan: " << saved->stack_digest
              << ", now: " << *now << "). Make a new plan.\n";
    return nullptr;
  }
  auto loaded = LoadSavedPlan(*doc, *s, saved->plan_secrets, digest);
  if (!loaded.ok()) {
    Error e = loaded.error();
    e.message = path + ": " + e.message;
    return PrintError(e), nullptr;
  }
  *plan = std::move(*loaded);
  return s;
}

// Asks for "yes" on a terminal. `-input=false` means never prompt: without
// --auto-approve that is a refusal, as Terraform's.
bool Approve(bool destroy, const GlobalOptions& g) {
  if (g.input == "false") {
    std::cerr << "Error: refusing to " << (destroy ? "destroy" : "apply")
              << " without confirmation: -input=false forbids asking for it. Add -auto-approve to "
              << (destroy ? "destroy" : "apply") << " without a question.\n";
    return false;
  }
  if (!isatty(STDIN_FILENO)) {
    std::cerr << "Error: refusing to " << (destroy ? "destroy" : "apply")
              << " without confirmation: stdin is not a terminal. Use --auto-approve in CI.\n";
    return false;
  }
  std::cout << "\nDo you want to perform these actions?\n  Only 'yes' will be accepted to approve.\n\n"
            << "  Enter a value: " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  if (answer == "yes") return true;
  std::cout << "\n" << (destroy ? "Destroy" : "Apply") << " cancelled.\n";
  return false;
}

void PrintOutputs(const engine::Value::Map& outputs) {
  if (outputs.empty()) return;
  std::cout << "\nOutputs:\n\n";
  for (const auto& [name, v] : outputs) std::cout << name << " = " << v.ToDisplay() << "\n";
}

// The apply/destroy main path: plan (or load the saved one), confirm,
// execute under signal handling, then outputs and history.
// Reads the object `id` with the type's Import (which tags it infra:stack /
// infra:address, as a create would) into a state row for `address`.
Result<engine::StateResource> ImportObject(StackSession& s, const std::string& address, const std::string& type_name,
                                           const std::string& region, const std::string& region_alias,
                                           const std::vector<std::string>& depends_on, const std::string& id) {
  auto* type = s.provider->Find(type_name);
  if (!type) return MakeError(Error::Kind::kInvalid, "UnknownType", "unknown resource type " + type_name);
  provider::OperationContext ctx{s.stack->name(), address, region, "", nullptr};
  auto got = type->Import(ctx, id);
  if (!got.ok()) {
    Error e = got.error();
    e.message = address + ": " + e.message;
    return e;
  }
  engine::StateResource r;
  r.address = address;
  r.type = type_name;
  r.region = region;
  r.region_alias = region_alias;
  r.attributes = *got;
  r.id = got->value("id", id);
  r.depends_on = depends_on;
  r.schema_version = type->schema().version;
  return r;
}

int RunApply(const GlobalOptions& g, const PlanArgs& a, bool destroy) {  // NOLINT(readability-function-size)
  engine::Interrupt interrupt;
  std::string digest;
  std::optional<engine::Plan> plan;
  std::unique_ptr<StackSession> s;
  if (a.plan_file.empty()) {
    s = OpenSession(g, a.session, destroy ? "destroy" : "apply");
    if (!s) return 1;
    auto made = MakeSessionPlan(*s, a, destroy ? engine::PlanMode::kDestroy : ModeOf(a), nullptr);
    if (!made.ok()) {
      std::cerr << "Error: " << made.error().message << "\n";
      return 1;
    }
    plan = std::move(*made);
  } else {
    s = OpenSavedPlan(g, a, &plan, &digest);
    if (!s) return 1;
  }
  if (digest.empty()) digest = engine::PlanDigest(PlanDocument(*s->stack, *plan));
  if (plan->mode == engine::PlanMode::kDestroy) destroy = true;  // a saved destroy plan
  bool color = UseColor(g);
  std::cout << engine::RenderPlan(*plan, {color});
  if (interrupt.stop()->load()) {
    std::cerr << "Interrupted before anything was changed.\n";
    return 1;
  }
  bool changes = plan->HasChanges();
  if (changes && !a.auto_approve && a.plan_file.empty() && !Approve(destroy, g)) return 1;

  state::HistoryEntry h;
  h.command = destroy ? "destroy" : plan->mode == engine::PlanMode::kRefreshOnly ? "apply --refresh-only" : "apply";
  h.plan_digest = digest;
  auto history = s->store->BeginApply(h);
  if (!history.ok()) {
    std::cerr << "Error: " << history.error().ToString() << "\n";
    return 1;
  }
  // `moved:` first: each object is renamed in state (one transaction each),
  // so what follows acts on it under its new address.
  bool state_changed = false;
  for (const auto& c : plan->changes) {
    if (c.moved_from.empty()) continue;
    state::HistoryEntry who;
    who.command = "apply (moved)";
    if (auto st = s->store->MoveResource(c.moved_from, c.address, who); !st.ok()) {
      std::cerr << "Error: moving " << c.moved_from << " to " << c.address << ": " << st.error().ToString() << "\n";
      (void)s->store->FinishApply(*history, "failed", nlohmann::json::object());
      return 1;
    }
    std::cout << c.moved_from << ": moved to " << c.address << "\n";
    state_changed = true;
  }
  // `import:` next: each object is read and tagged by the type's Import and
  // recorded (a new serial each), so an update planned for it finds it in
  // state. Import is idempotent: a run killed here imports again next time.
  for (const auto& c : plan->changes) {
    if (c.imported_id.empty()) continue;
    auto r = ImportObject(*s, c.address, c.type, c.region, c.region_alias, c.depends_on, c.imported_id);
    Status st = r.ok() ? s->port->PutResource(*r) : Status(r.error());
    if (!st.ok()) {
      std::cerr << "Error: importing " << c.address << " (id " << c.imported_id << "): " << st.error().ToString()
                << "\n";
      (void)s->store->FinishApply(*history, "failed", nlohmann::json::object());
      return 1;
    }
    std::cout << c.address << ": Import complete [id=" << r->id << "]\n";
    state_changed = true;
  }
  if (state_changed)
    if (Status st = s->Reload(); !st.ok()) {
      std::cerr << "Error: " << st.error().ToString() << "\n";
      return 1;
    }
  engine::Progress progress(&std::cout, color);
  engine::ExecutorOptions o;
  o.stack = s->stack->name();
  o.nonce = engine::NewNonce();
  o.parallelism = std::max(1, a.parallelism);
  o.config = s->config;
  if (!destroy) o.evaluate = engine::StackEvaluator(*s->stack);
  o.state = &s->snapshot;
  o.progress = &progress;
  o.stop = interrupt.stop();
  o.cancel = interrupt.cancel();
  o.reverse_regions = destroy;
  // --rollout over the stack's `rollout:`; parallel when neither says.
  std::string rollout = !a.rollout.empty() ? a.rollout : s->stack->rollout();
  o.rollout = rollout == "waves" ? engine::Rollout::kWaves : engine::Rollout::kParallel;
  o.checkpoint = CrashHookFromEnvironment();  // tests only: INFRA_TEST_CRASH_AT
  if (changes) std::cout << "\n";
  auto report = engine::Execute(*plan, *s->provider, *s->port, o);
  if (!report.ok()) {
    std::cerr << "Error: " << report.error().ToString() << "\n";
    (void)s->store->FinishApply(*history, "failed", nlohmann::json::object());
    return 1;
  }
  engine::Value::Map outputs;
  std::ostringstream checks;
  bool postcondition_failed = false;
  if (!destroy) {
    // Written on every apply, also when no resource changed: an
    // outputs-only plan is applied exactly here.
    auto values = engine::ValuesForOutputs(report->values, s->snapshot, *s->provider);
    for (const auto& f : FailedPostconditions(*s->stack, values)) {
      std::cerr << "Error: " << f << "\n";
      postcondition_failed = true;
    }
    ReportChecks(*s->stack, values, true, checks);
    auto recorded =
        engine::RecordOutputs(engine::StackOutputEvaluator(*s->stack), values, s->snapshot.outputs, *s->port);
    if (recorded.ok())
      outputs = std::move(*recorded);
    else
      std::cerr << "Warning: outputs not saved: " << recorded.error().ToString() << "\n";
  } else if (report->ok()) {
    (void)s->port->PutOutputs(engine::OutputsAfterDestroy(*plan, s->snapshot.outputs));
  }
  nlohmann::json summary = {{"added", report->added},   {"changed", report->changed},
                            {"destroyed", report->destroyed}, {"failed", report->failed},
                            {"skipped", report->skipped}, {"not_started", report->not_started}};
  std::string result = report->ok() && !postcondition_failed ? "succeeded"
                       : report->interrupted                    ? "interrupted"
                                                                : "failed";
  (void)s->store->FinishApply(*history, result, summary);
  s->Unlock();
  std::cout << "\n" << (report->ok() || !changes ? report->Summary(destroy) : "");
  if (!report->ok()) std::cerr << report->Summary(destroy);
  if (report->ok()) PrintOutputs(outputs);
  if (!checks.str().empty()) std::cout << "\n" << checks.str();
  return report->ok() && !postcondition_failed ? 0 : 1;
}

int RunImport(const GlobalOptions& g, const SessionArgs& args, const std::string& address, const std::string& id) {
  auto s = OpenSession(g, args, "import");
  if (!s) return 1;
  const engine::ResourceInstance* inst = s->stack->Find(address);
  if (!inst) {
    std::cerr << "Error: " << address << " is not declared in the stack; add it first, then import.\n";
    return 1;
  }
  if (inst->data) {
    std::cerr << "Error: " << address << " is a data source: it is read by every plan, not imported.\n";
    return 1;
  }
  for (const auto& r : s->snapshot.resources)
    if (r.address == address) {
      std::cerr << "Error: " << address << " is already managed (id " << r.id
                << "); `infra state rm` it first to import another object.\n";
      return 1;
    }
  auto r = ImportObject(*s, address, inst->type, inst->region, inst->region_alias, s->config[address].depends_on, id);
  if (!r.ok()) {
    std::cerr << "Error: " << r.error().ToString() << "\n";
    return 1;
  }
  // A state change like any other: a new serial (so a plan saved before is
  // refused) and a history row.
  auto run = s->store->BeginApply({.command = "import"});
  Status st = run ? s->port->PutResource(*r) : Status(run.error());
  if (run) (void)s->store->FinishApply(*run, st ? "succeeded" : "failed", {{"imported", {address}}});
  if (!st.ok()) {
    std::cerr << "Error: " << st.error().ToString() << "\n";
    return 1;
  }
  std::cout << address << ": Import complete [id=" << r->id << "]\n\nImport successful! The resource is now managed; "
            << "run `infra plan` to compare it with the stack.\n";
  return 0;
}

}  // namespace

void RegisterPlanCommands(CLI::App& app, GlobalOptions& globals, int* exit_code) {
  auto pa = std::make_shared<PlanArgs>();
  auto* plan = app.add_subcommand("plan", "Show what apply would change");
  AddPlanningFlags(plan, pa.get(), true);
  plan->add_flag("--destroy", pa->destroy, "Plan to destroy everything in state");
  plan->add_option("--out", pa->out, "Save the plan to FILE for `infra apply FILE`");
  plan->add_flag("--json", pa->json, "Print the plan as JSON (docs/plan-json.md)");
  plan->add_option("--markdown", pa->markdown, "Also write the plan as Markdown to FILE (a PR comment / step summary)");
  plan->add_flag("--detailed-exitcode", pa->detailed_exitcode, "Exit 0 no changes, 1 error, 2 changes");
  plan->callback([&globals, pa, exit_code] { *exit_code = RunPlan(globals, *pa); });

  auto aa = std::make_shared<PlanArgs>();
  auto* apply = app.add_subcommand("apply", "Make AWS match the stack (or apply a saved plan)");
  AddPlanningFlags(apply, aa.get(), true);
  apply->add_option("plan", aa->plan_file, "A plan saved by `infra plan --out FILE`");
  apply->add_flag("--auto-approve", aa->auto_approve, "Do not ask for confirmation (CI)");
  apply->add_option("--rollout", aa->rollout,
                    "waves: creates also wait for earlier regions; parallel: only for their dependencies "
                    "(default: the stack's rollout:, else parallel)")
      ->check(CLI::IsMember({"waves", "parallel"}));
  apply->add_option("--parallelism", aa->parallelism, "At most N AWS calls at once (default 256)")
      ->check(CLI::Range(1, 100000));
  apply->callback([&globals, aa, exit_code] { *exit_code = RunApply(globals, *aa, false); });

  auto da = std::make_shared<PlanArgs>();
  da->destroy = true;
  auto* destroy = app.add_subcommand("destroy", "Delete everything the stack manages");
  AddPlanningFlags(destroy, da.get(), false);
  destroy->add_flag("--auto-approve", da->auto_approve, "Do not ask for confirmation (CI)");
  destroy->add_option("--parallelism", da->parallelism, "At most N AWS calls at once (default 256)")
      ->check(CLI::Range(1, 100000));
  destroy->callback([&globals, da, exit_code] { *exit_code = RunApply(globals, *da, true); });

  auto ia = std::make_shared<SessionArgs>();
  auto address = std::make_shared<std::string>();
  auto id = std::make_shared<std::string>();
  auto* import = app.add_subcommand("import", "Bring an existing AWS object under management: import ADDRESS ID");
  AddSessionFlags(import, ia.get());
  import->add_option("address", *address, "Resource address in the stack")->required();
  import->add_option("id", *id, "Physical id in AWS (vpc-..., subnet-...)")->required();
  import->callback([&globals, ia, address, id, exit_code] { *exit_code = RunImport(globals, *ia, *address, *id); });
}

}  // namespace infra::cli

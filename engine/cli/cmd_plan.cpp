// `infra plan`, `infra apply`, `infra destroy` and `infra import`: open the
// stack session (stack, state, lock, recovery), plan, show, ask, execute,
// record outputs and history. Exit codes: 0 ok, 1 error, 2 (plan
// --detailed-exitcode) changes present.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "common/log.h"
#include "engine/cli/cli.h"
#include "engine/cli/crash_hook.h"
#include "engine/cli/stack_session.h"
#include "engine/cli/variable_flags.h"
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
  bool detailed_exitcode = false;
  // apply / destroy
  std::string plan_file;
  bool auto_approve = false;
  int parallelism = 256;
};

void AddSessionFlags(CLI::App* cmd, SessionArgs* s) {
  AddVariableFlags(cmd, &s->vars);
  cmd->add_option("--state", s->state_path, "State database (default: <stack dir>/.infra/<stack>.db)");
  cmd->add_option("--lock-timeout", s->lock_timeout, "How long to wait for the state lock (e.g. 30s; default 0s)");
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
  req.mode = mode;
  req.refresh = a.refresh == "true";
  req.targets = a.targets;
  req.replace = a.replace;
  req.only_region = a.region;
  return engine::MakePlan(req, stats);
}

engine::PlanMode ModeOf(const PlanArgs& a) {
  if (a.destroy) return engine::PlanMode::kDestroy;
  if (a.refresh_only) return engine::PlanMode::kRefreshOnly;
  return engine::PlanMode::kNormal;
}

Status WriteFileAtomically(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << text;
    f.flush();
    if (!f) return MakeError(Error::Kind::kOther, "WriteFailed", "could not write " + tmp);
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return MakeError(Error::Kind::kOther, "WriteFailed", "could not rename " + tmp + ": " + ec.message());
  return {};
}

int RunPlan(const GlobalOptions& g, const PlanArgs& a) {
  auto s = OpenSession(g, a.session, "plan");
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
    std::cout << engine::PlanToJson(*plan).dump(2) << "\n";
  else
    std::cout << engine::RenderPlan(*plan, {UseColor(g)});
  if (!a.out.empty()) {
    std::string path = fs::path(a.out).is_absolute() ? a.out : (fs::path(g.directory) / a.out).string();
    nlohmann::json doc = engine::PlanToJson(*plan);
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

// `digest` receives the plan's digest (of the document as read).
Result<engine::Plan> LoadSavedPlan(const GlobalOptions& g, const std::string& file, const StackSession& s,
                                   std::string* digest) {
  std::string path = fs::path(file).is_absolute() ? file : (fs::path(g.directory) / file).string();
  std::ifstream f(path);
  if (!f) return MakeError(Error::Kind::kInvalid, "PlanFile", "cannot read the plan file " + path);
  nlohmann::json doc = nlohmann::json::parse(f, nullptr, false);
  if (doc.is_discarded()) return MakeError(Error::Kind::kInvalid, "PlanFile", path + " is not a plan (not JSON)");
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
  return plan;
}

bool Approve(bool destroy) {
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
int RunApply(const GlobalOptions& g, const PlanArgs& a, bool destroy) {  // NOLINT(readability-function-size)
  engine::Interrupt interrupt;
  auto s = OpenSession(g, a.session, destroy ? "destroy" : "apply");
  if (!s) return 1;
  std::string digest;
  Result<engine::Plan> plan = a.plan_file.empty()
                                  ? MakeSessionPlan(*s, a, destroy ? engine::PlanMode::kDestroy : ModeOf(a), nullptr)
                                  : LoadSavedPlan(g, a.plan_file, *s, &digest);
  if (!plan.ok()) {
    std::cerr << "Error: " << plan.error().message << "\n";
    return 1;
  }
  if (digest.empty()) digest = engine::PlanDigest(engine::PlanToJson(*plan));
  if (plan->mode == engine::PlanMode::kDestroy) destroy = true;  // a saved destroy plan
  bool color = UseColor(g);
  std::cout << engine::RenderPlan(*plan, {color});
  if (interrupt.stop()->load()) {
    std::cerr << "Interrupted before anything was changed.\n";
    return 1;
  }
  bool changes = plan->HasChanges();
  if (changes && !a.auto_approve && a.plan_file.empty() && !Approve(destroy)) return 1;

  state::HistoryEntry h;
  h.command = destroy ? "destroy" : plan->mode == engine::PlanMode::kRefreshOnly ? "apply --refresh-only" : "apply";
  h.plan_digest = digest;
  auto history = s->store->BeginApply(h);
  if (!history.ok()) {
    std::cerr << "Error: " << history.error().ToString() << "\n";
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
  o.checkpoint = CrashHookFromEnvironment();  // tests only: INFRA_TEST_CRASH_AT
  if (changes) std::cout << "\n";
  auto report = engine::Execute(*plan, *s->provider, *s->port, o);
  if (!report.ok()) {
    std::cerr << "Error: " << report.error().ToString() << "\n";
    (void)s->store->FinishApply(*history, "failed", nlohmann::json::object());
    return 1;
  }
  engine::Value::Map outputs;
  if (!destroy) {
    // Written on every apply, also when no resource changed: an
    // outputs-only plan is applied exactly here.
    auto values = engine::ValuesForOutputs(report->values, s->snapshot, *s->provider);
    auto recorded =
        engine::RecordOutputs(engine::StackOutputEvaluator(*s->stack), values, s->snapshot.outputs, *s->port);
    if (recorded.ok())
      outputs = std::move(*recorded);
    else
      std::cerr << "Warning: outputs not saved: " << recorded.error().ToString() << "\n";
  } else if (report->ok()) {
    (void)s->port->PutOutputs({});
  }
  nlohmann::json summary = {{"added", report->added},   {"changed", report->changed},
                            {"destroyed", report->destroyed}, {"failed", report->failed},
                            {"skipped", report->skipped}, {"not_started", report->not_started}};
  std::string result = report->ok() ? "succeeded" : report->interrupted ? "interrupted" : "failed";
  (void)s->store->FinishApply(*history, result, summary);
  s->Unlock();
  std::cout << "\n" << (report->ok() || !changes ? report->Summary(destroy) : "");
  if (!report->ok()) std::cerr << report->Summary(destroy);
  if (report->ok()) PrintOutputs(outputs);
  return report->ok() ? 0 : 1;
}

int RunImport(const GlobalOptions& g, const SessionArgs& args, const std::string& address, const std::string& id) {
  auto s = OpenSession(g, args, "import");
  if (!s) return 1;
  const engine::ResourceInstance* inst = s->stack->Find(address);
  if (!inst) {
    std::cerr << "Error: " << address << " is not declared in the stack; add it first, then import.\n";
    return 1;
  }
  for (const auto& r : s->snapshot.resources)
    if (r.address == address) {
      std::cerr << "Error: " << address << " is already managed (id " << r.id
                << "); `infra state rm` it first to import another object.\n";
      return 1;
    }
  auto* type = s->provider->Find(inst->type);
  if (!type) {
    std::cerr << "Error: unknown resource type " << inst->type << "\n";
    return 1;
  }
  provider::OperationContext ctx{s->stack->name(), address, inst->region, "", nullptr};
  auto got = type->Import(ctx, id);
  if (!got.ok()) {
    std::cerr << "Error: " << address << ": " << got.error().ToString() << "\n";
    return 1;
  }
  engine::StateResource r;
  r.address = address;
  r.type = inst->type;
  r.region = inst->region;
  r.region_alias = inst->region_alias;
  r.attributes = *got;
  r.id = got->value("id", id);
  r.depends_on = s->config[address].depends_on;
  // A state change like any other: a new serial (so a plan saved before is
  // refused) and a history row.
  auto run = s->store->BeginApply({.command = "import"});
  Status st = run ? s->port->PutResource(r) : Status(run.error());
  if (run) (void)s->store->FinishApply(*run, st ? "succeeded" : "failed", {{"imported", {address}}});
  if (!st.ok()) {
    std::cerr << "Error: " << st.error().ToString() << "\n";
    return 1;
  }
  std::cout << address << ": Import complete [id=" << r.id << "]\n\nImport successful! The resource is now managed; "
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
  plan->add_flag("--detailed-exitcode", pa->detailed_exitcode, "Exit 0 no changes, 1 error, 2 changes");
  plan->callback([&globals, pa, exit_code] { *exit_code = RunPlan(globals, *pa); });

  auto aa = std::make_shared<PlanArgs>();
  auto* apply = app.add_subcommand("apply", "Make AWS match the stack (or apply a saved plan)");
  AddPlanningFlags(apply, aa.get(), true);
  apply->add_option("plan", aa->plan_file, "A plan saved by `infra plan --out FILE`");
  apply->add_flag("--auto-approve", aa->auto_approve, "Do not ask for confirmation (CI)");
  apply->add_option("--parallelism", aa->parallelism, "At most N AWS calls at once (default 256)");
  apply->callback([&globals, aa, exit_code] { *exit_code = RunApply(globals, *aa, false); });

  auto da = std::make_shared<PlanArgs>();
  da->destroy = true;
  auto* destroy = app.add_subcommand("destroy", "Delete everything the stack manages");
  AddPlanningFlags(destroy, da.get(), false);
  destroy->add_flag("--auto-approve", da->auto_approve, "Do not ask for confirmation (CI)");
  destroy->add_option("--parallelism", da->parallelism, "At most N AWS calls at once (default 256)");
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

// `infra show [PLANFILE] [-json]`: a saved plan rendered as `infra plan`
// shows it (or its JSON, docs/plan-json.md), or, without a file, the state:
// every resource with its attributes and the outputs. Read-only; sensitive
// values are shown as (sensitive value) and left out of the JSON.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "engine/cli/cli.h"
#include "engine/cli/plan_markdown.h"
#include "engine/cli/stack_session.h"
#include "engine/cli/remote_state.h"
#include "engine/cli/state_path.h"
#include "engine/lang/input_file.h"
#include "engine/plan/plan_json.h"
#include "engine/plan/plan_render.h"
#include "state/store.h"

namespace infra::cli {
namespace {
namespace fs = std::filesystem;

constexpr const char* kHidden = "(sensitive value)";

struct ShowArgs {
  std::string plan_file;
  std::string state_path;
  bool json = false;
  bool markdown = false;
};

int Fail(const Error& e) {
  std::cerr << "Error: " << e.ToString() << "\n";
  return 1;
}

int ShowPlan(const GlobalOptions& g, const ShowArgs& a) {
  std::string path = InDirectory(g, a.plan_file);
  auto text = engine::ReadInputFile(path);
  if (!text.ok()) return Fail(text.error());
  nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
  if (doc.is_discarded())
    return Fail(MakeError(Error::Kind::kInvalid, "PlanFile", path + " is not a plan file (not JSON)"));
  auto plan = engine::PlanFromJson(doc);
  if (!plan.ok()) return Fail(plan.error());
  if (a.json) {
    nlohmann::json shown = engine::PlanToJson(*plan);
    if (doc.contains("checks")) shown["checks"] = doc["checks"];  // as evaluated when the plan was made
    std::cout << shown.dump(2) << "\n";
  } else if (a.markdown)
    std::cout << RenderPlanMarkdown(*plan);
  else
    std::cout << engine::RenderPlan(*plan, {UseColor(g)});
  return 0;
}

bool IsSensitive(const state::ResourceRecord& r, const std::string& name) {
  return std::find(r.sensitive_attributes.begin(), r.sensitive_attributes.end(), name) !=
         r.sensitive_attributes.end();
}

nlohmann::json ResourceJson(const state::ResourceRecord& r) {
  nlohmann::json values = nlohmann::json::object();
  nlohmann::json hidden = nlohmann::json::object();
  for (auto& [k, v] : r.attributes.items()) {
    bool secret = IsSensitive(r, k);
    values[k] = secret ? nlohmann::json() : v;
    if (secret) hidden[k] = true;
  }
  nlohmann::json j = {{"address", r.address}, {"type", r.type},      {"region", r.region},        {"id", r.id},
          {"values", values},     {"sensitive_values", hidden}, {"depends_on", r.dependencies}};
  if (!r.deposed.empty()) j["deposed_key"] = r.deposed;
  return j;
}

void PrintResource(const state::ResourceRecord& r) {
  std::cout << "# " << r.address << (r.deposed.empty() ? "" : " (deposed object " + r.deposed + ")") << ":\n"
            << "resource \"" << r.type << "\" in " << r.region
            << (r.region_alias.empty() ? "" : " (" + r.region_alias + ")") << " {\n";
  size_t width = 0;
  for (auto& [k, v] : r.attributes.items()) width = std::max(width, k.size());
  for (auto& [k, v] : r.attributes.items())
    std::cout << fmt::format("    {:<{}} = {}\n", k, width, IsSensitive(r, k) ? kHidden : v.dump());
  std::cout << "}\n\n";
}

int ShowState(const GlobalOptions& g, const ShowArgs& a) {
  auto where = LocateState(g, a.state_path);  // remote: the current snapshot
  if (!where) return Fail(where.error());
  auto opened = ReadOnlyState::Open(*where);
  if (!opened && opened.error().code == "StateNotFound") {
    if (a.json) std::cout << nlohmann::json{{"format_version", "1.0"}}.dump(2) << "\n";
    else std::cout << "No state.\n";
    return 0;
  }
  if (!opened) return Fail(opened.error());
  state::StateStore& store = (*opened)->store();
  auto resources = store.LoadResourcesRedacted();
  if (!resources) return Fail(resources.error());
  auto outputs = store.LoadOutputs();  // decrypted only to be hidden here
  if (!outputs) return Fail(outputs.error());
  if (a.json) {
    nlohmann::json rs = nlohmann::json::array(), os = nlohmann::json::object();
    for (const auto& r : *resources) rs.push_back(ResourceJson(r));
    for (const auto& o : *outputs)
      os[o.name] = {{"sensitive", o.sensitive}, {"value", o.sensitive ? nlohmann::json() : o.value}};
    nlohmann::json doc = {{"format_version", "1.0"},
                          {"lineage", store.lineage()},
                          {"serial", store.serial()},
                          {"values", {{"outputs", os}, {"resources", rs}}}};
    std::cout << doc.dump(2) << "\n";
    return 0;
  }
  if (resources->empty() && outputs->empty()) std::cout << "The state is empty. No resources are managed.\n";
  for (const auto& r : *resources) PrintResource(r);
  if (!outputs->empty()) std::cout << "Outputs:\n\n";
  for (const auto& o : *outputs) std::cout << o.name << " = " << (o.sensitive ? kHidden : o.value.dump()) << "\n";
  return 0;
}

}  // namespace

void RegisterShowCommands(CLI::App& app, GlobalOptions& globals, int* exit_code) {
  auto a = std::make_shared<ShowArgs>();
  auto* show = app.add_subcommand("show", "Show a saved plan (infra show PLANFILE) or the state");
  show->add_option("PLANFILE", a->plan_file, "A plan saved by `infra plan --out FILE` (default: show the state)");
  show->add_option("--state", a->state_path, "State database (default: <stack dir>/.infra/<stack>.db)");
  show->add_flag("--json", a->json, "Machine-readable output");
  show->add_flag("--markdown", a->markdown, "A saved plan as Markdown (a PR comment / step summary)");
  show->callback([&globals, a, exit_code] {
    *exit_code = a->plan_file.empty() ? ShowState(globals, *a) : ShowPlan(globals, *a);
  });
}

}  // namespace infra::cli

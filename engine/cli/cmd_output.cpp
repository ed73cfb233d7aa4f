// `infra output [NAME] [--json|--raw]`, from the local state or the remote
// backend's current snapshot.
// Outputs follow Terraform: the list hides sensitive values as
// (sensitive value); only naming one (or -raw NAME) prints its value
// (strings raw, for scripts). `--json` without NAME also hides sensitive
// values (value null, "sensitive": true).
#include <CLI/CLI.hpp>

#include <iostream>
#include <nlohmann/json.hpp>

#include "engine/cli/cli.h"
#include "engine/cli/remote_state.h"
#include "state/store.h"

namespace infra::cli {
namespace {

struct OutputArgs {
  std::string state_path;
  std::string name;
  bool json = false;
  bool raw = false;  // -raw NAME: the bare value, no newline (strings, numbers, bools)
};

int Fail(const Error& e) {
  std::cerr << "Error: " << e.ToString() << "\n";
  return 1;
}

int PrintRaw(const std::string& name, const nlohmann::json& v) {
  if (v.is_string()) std::cout << v.get<std::string>();
  else if (v.is_number() || v.is_boolean()) std::cout << v.dump();
  else
    return Fail(MakeError(Error::Kind::kInvalid, "RawNotScalar",
                          "output " + name + " is a " + v.type_name() +
                              "; -raw prints only strings, numbers and bools (use -json)"));
  return 0;
}

int OneOutput(state::StateStore& store, const OutputArgs& a) {
  auto out = store.GetOutput(a.name);
  if (!out) return Fail(out.error());
  if (!out->has_value())
    return Fail(MakeError(Error::Kind::kNotFound, "NoSuchOutput",
                          "no output named " + a.name + " in state (run `infra output` to list them)"));
  const nlohmann::json& v = (*out)->value;
  if (a.raw) return PrintRaw(a.name, v);
  if (a.json) std::cout << v.dump(2) << "\n";
  else std::cout << (v.is_string() ? v.get<std::string>() : v.dump(2)) << "\n";
  return 0;
}

int AllOutputs(state::StateStore& store, const OutputArgs& a) {
  // Redaction happens here, so the values are decrypted only to be dropped;
  // fine: they never leave this function.
  auto all = store.LoadOutputs();
  if (!all) return Fail(all.error());
  if (a.json) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& o : *all)
      out[o.name] = {{"sensitive", o.sensitive}, {"value", o.sensitive ? nlohmann::json() : o.value}};
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  for (const auto& o : *all) std::cout << o.name << " = " << (o.sensitive ? "(sensitive value)" : o.value.dump()) << "\n";
  return 0;
}

int Output(const GlobalOptions& g, const OutputArgs& a) {
  if (a.raw && (a.name.empty() || a.json))
    return Fail(MakeError(Error::Kind::kInvalid, "BadFlag", "-raw needs an output NAME and does not go with -json"));
  auto where = LocateState(g, a.state_path);
  if (!where) return Fail(where.error());
  // Remote: the current snapshot's outputs; secrets unsealed here, with the state key.
  auto opened = ReadOnlyState::Open(*where);
  if (!opened && opened.error().code == "StateNotFound") {
    std::cerr << "No outputs: nothing has been applied yet (" << opened.error().message << ").\n";
    return a.name.empty() ? 0 : 1;
  }
  if (!opened) return Fail(opened.error());
  if (a.raw && a.name.empty())
    return Fail(MakeError(Error::Kind::kInvalid, "OutputNotRaw", "-raw needs the name of one output"));
  return a.name.empty() ? AllOutputs((*opened)->store(), a) : OneOutput((*opened)->store(), a);
}

}  // namespace

void RegisterOutputCommands(CLI::App& app, GlobalOptions& globals, int* exit_code) {
  auto a = std::make_shared<OutputArgs>();
  auto* output = app.add_subcommand("output", "Show stack outputs from state");
  output->add_option("NAME", a->name, "One output: print its value (even if sensitive)");
  output->add_option("--state", a->state_path, "State database (default: <stack dir>/.infra/<stack>.db)");
  output->add_flag("--json", a->json, "Machine-readable output");
  output->add_flag("--raw", a->raw, "Print NAME's value as is, without quotes or newline (for scripts)");
  output->callback([&globals, a, exit_code] { *exit_code = Output(globals, *a); });
}

}  // namespace infra::cli

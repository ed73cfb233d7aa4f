// The flags shared by several commands: -var / -var-file (validate, graph,
// plan, apply, destroy, import, console), -lock, and the targeting warning.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace infra::engine {
struct VariableInputs;
}

namespace infra::cli {

struct GlobalOptions;

/// Adds `-var name=value` (repeatable; also --var) and `-var-file FILE`
/// (repeatable; also --var-file) to `cmd`, filling `*inputs` when parsed.
/// A -var without '=' is a parse error naming the flag. `inputs` must
/// outlive parsing. CLI11 sees "-var" as "--var" (engine/cli/command_line.h).
void AddVariableFlags(CLI::App* cmd, engine::VariableInputs* inputs);

/// Rewrites each relative -var-file path of `*inputs` against the -C
/// directory (InDirectory, engine/cli/cli.h).
void ResolveVarFiles(const GlobalOptions& g, engine::VariableInputs* inputs);

/// Adds `-lock=true|false` (default true) to `cmd`, setting `*lock`.
void AddLockFlag(CLI::App* cmd, bool* lock);

/// Terraform's warning for a plan narrowed by --target, written to `out`.
void WarnTargeting(std::ostream& out);

}  // namespace infra::cli

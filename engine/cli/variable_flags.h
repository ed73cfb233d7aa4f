// The -var / -var-file flags shared by validate, graph, plan and apply.
#pragma once
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace infra::engine {
struct VariableInputs;
}

namespace infra::cli {

/// Adds `-var name=value` (repeatable; also --var) and `-var-file FILE`
/// (repeatable; also --var-file) to `cmd`, filling `*inputs` when parsed.
/// A -var without '=' is a parse error naming the flag. `inputs` must
/// outlive parsing. CLI11 sees "-var" as "--var" (see NormalizeTerraformFlags).
void AddVariableFlags(CLI::App* cmd, engine::VariableInputs* inputs);

/// Terraform spells long flags with one dash (-var, -var-file, -out): CLI11
/// would read those as bundles of short flags, so Run() rewrites the
/// single-dash spellings of multi-letter flags in `kLongFlags` to "--".
std::vector<std::string> NormalizeTerraformFlags(int argc, char** argv);

}  // namespace infra::cli

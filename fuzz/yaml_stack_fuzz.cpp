// Fuzz target: the YAML stack reader and parser. The input is one stack
// file: read with locations (ReadYamlString), parsed as a root stack, a
// module and a part file, diagnostics rendered; then loaded whole
// (LoadStack: variables, expansion, validation against the providers'
// schemas; see fuzz/CMakeLists.txt) from a temporary stack directory.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#ifdef FUZZ_WITH_AWS_SCHEMAS
#include "providers/aws/aws_provider.h"
#endif
#include "providers/archive/archive_provider.h"
#include "providers/provider_set.h"
#include "providers/random/random_provider.h"
#include "engine/lang/diag.h"
#include "engine/lang/stack.h"
#include "engine/lang/stack_parser.h"
#include "engine/lang/yaml_reader.h"

namespace {
std::unique_ptr<infra::provider::Provider> g_providers;
std::filesystem::path g_dir;
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("AWS_ACCESS_KEY_ID", "fuzz", 1);  // the provider is built, never called
  setenv("AWS_SECRET_ACCESS_KEY", "fuzz", 1);
  setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  std::vector<std::unique_ptr<infra::provider::Provider>> all;
#ifdef FUZZ_WITH_AWS_SCHEMAS
  all.push_back(infra::aws::NewAwsProvider({}));
#endif
  all.push_back(infra::random::NewRandomProvider());
  all.push_back(infra::archive::NewArchiveProvider());
  g_providers = std::make_unique<infra::provider::ProviderSet>(std::move(all));
  g_dir = std::filesystem::temp_directory_path() / ("infra-fuzz-stack-" + std::to_string(getpid()));
  std::filesystem::create_directories(g_dir);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace infra::engine;
  std::string text(reinterpret_cast<const char*>(data), size);
  {
    Diagnostics diags;
    auto root = ReadYamlString(text, "stack.yaml", diags);
    if (root) {
      ParseModuleFile(*root, "stack.yaml", true, diags);
      ParseModuleFile(*root, "module.yaml", false, diags);
      ParseModuleFile(*root, "part.yaml", true, diags, true);
    }
    (void)diags.RenderAll();
  }
  {
    std::ofstream(g_dir / "stack.yaml", std::ios::binary | std::ios::trunc) << text;
    Diagnostics diags;
    VariableInputs inputs;
    inputs.read_environment = false;
    auto stack = LoadStack(g_dir.string(), inputs, *g_providers, diags);
    (void)diags.RenderAll();
  }
  return 0;
}

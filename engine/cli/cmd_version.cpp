// `infra version [-json]` and `infra --version`: the program's version, the
// git commit it was built from (both baked in at configure time,
// packaging/version.cmake) and the platform, as `terraform version` prints them.
#include <CLI/CLI.hpp>
#include <sys/utsname.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "engine/cli/cli.h"
#include "infra_version.h"

namespace infra::cli {
namespace {

constexpr const char* kVersion = INFRA_VERSION;
constexpr const char* kCommit = INFRA_GIT_COMMIT;

std::string Platform() {
  utsname u{};
  if (uname(&u) != 0) return "unknown";
  std::string os = u.sysname;
  for (char& c : os) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string arch = u.machine;
  if (arch == "x86_64") arch = "amd64";
  if (arch == "aarch64") arch = "arm64";
  return os + "_" + arch;
}

}  // namespace

std::string VersionText() {
  return std::string("infra v") + kVersion + "\ncommit " + kCommit + "\non " + Platform();
}

void RegisterVersionCommands(CLI::App& app, GlobalOptions&, int* exit_code) {
  auto json = std::make_shared<bool>(false);
  auto* version = app.add_subcommand("version", "Show the infra version");
  version->add_flag("--json", *json, "Machine-readable output");
  version->callback([json, exit_code] {
    if (*json)
      std::cout << nlohmann::json{{"infra_version", kVersion}, {"commit", kCommit}, {"platform", Platform()}}.dump(2) << "\n";
    else
      std::cout << VersionText() << "\n";
    *exit_code = 0;
  });
}

}  // namespace infra::cli

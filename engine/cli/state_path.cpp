// Reads just `stack:` from stack.yaml to name the default state file.
#include "engine/cli/state_path.h"

#include "engine/cli/cli.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>

namespace infra::cli {
namespace fs = std::filesystem;

Result<std::string> ResolveStatePath(const GlobalOptions& g, const std::string& override_path) {
  if (!override_path.empty()) return InDirectory(g, override_path);
  const std::string& directory = g.directory;
  std::error_code ec;
  fs::path file = fs::is_directory(directory, ec) ? fs::path(directory) / "stack.yaml" : fs::path(directory);
  if (!fs::exists(file, ec))
    return MakeError(Error::Kind::kNotFound, "NoStack",
                     file.string() + ": no stack here; run in a stack directory, use -C DIR, or pass --state PATH");
  std::string name;
  try {
    YAML::Node root = YAML::LoadFile(file.string());
    if (root.IsMap() && root["stack"] && root["stack"].IsScalar()) name = root["stack"].as<std::string>();
  } catch (const YAML::Exception& e) {
    return MakeError(Error::Kind::kInvalid, "BadStack",
                     file.string() + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                         ": " + e.msg);
  }
  if (name.empty() || name.find('/') != std::string::npos || name.find("..") != std::string::npos)
    return MakeError(Error::Kind::kInvalid, "BadStack",
                     file.string() + ": needs a `stack: <name>` key (letters, digits, - and _) to locate its state");
  return (file.parent_path() / ".infra" / (name + ".db")).string();
}

}  // namespace infra::cli

// Stack directory layout rules and merging of stack files (stack_files.h).
#include "engine/lang/stack_files.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "engine/lang/diag.h"

namespace infra::engine {
namespace fs = std::filesystem;

bool IsVariableFileName(const std::string& f) {
  auto ends = [&](const char* s) {
    std::string_view suffix(s);
    return f.size() >= suffix.size() && f.compare(f.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends(".vars.yaml") || ends(".vars.yml");
}

std::string CanonicalKey(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(path, ec);
  return ec ? path : p.string();
}

std::vector<std::string> YamlFilesIn(const std::string& dir, const std::string& skip) {
  std::vector<std::string> out;
  std::error_code ec;
  std::string skip_key = skip.empty() ? "" : CanonicalKey(skip);
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    std::string ext = e.path().extension().string();
    if ((ext != ".yaml" && ext != ".yml") || !e.is_regular_file(ec) || IsVariableFileName(name)) continue;
    if (!skip_key.empty() && CanonicalKey(e.path().string()) == skip_key) continue;
    out.push_back((fs::path(dir) / name).lexically_normal().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::set<std::string> ModuleSourcesOf(const YamlNode& root, const std::string& dir) {
  std::set<std::string> out;
  const YamlNode* mods = root.is_map() ? root.Get("modules") : nullptr;
  if (!mods || !mods->is_map()) return out;
  for (const auto& e : mods->entries) {
    const YamlNode* src = e.value.is_map() ? e.value.Get("source") : nullptr;
    if (src && src->is_scalar()) out.insert(CanonicalKey((fs::path(dir) / src->scalar).lexically_normal().string()));
  }
  return out;
}

bool LooksLikeStackFile(const YamlNode& root) {
  if (!root.is_map() || root.Get("inputs")) return false;
  for (const char* k : {"variables", "locals", "modules", "resources", "outputs"})
    if (root.Get(k)) return true;
  return false;
}

namespace {

template <class T>
void MergeNamed(std::vector<T>& into, std::vector<T>& from, const char* what, Diagnostics& diags) {
  std::map<std::string, SourceLoc> seen;
  for (const auto& d : into) seen.emplace(d.name, d.loc);
  for (auto& d : from) {
    auto [it, fresh] = seen.emplace(d.name, d.loc);
    if (!fresh) {
      diags.Error(d.loc, "", fmt::format("duplicate {} '{}': it is also declared at {}", what, d.name, it->second.ToString()),
                  "Every name must be declared once across all the stack's files.");
      continue;
    }
    into.push_back(std::move(d));
  }
}

}  // namespace

void MergeFile(ModuleFile& into, ModuleFile& part, Diagnostics& diags) {
  MergeNamed(into.variables, part.variables, into.is_root ? "variable" : "input", diags);
  MergeNamed(into.locals, part.locals, "local value", diags);
  MergeNamed(into.resources, part.resources, "resource", diags);
  MergeNamed(into.data, part.data, "data source", diags);
  MergeNamed(into.modules, part.modules, "module", diags);
  MergeNamed(into.outputs, part.outputs, "output", diags);
  MergeNamed(into.checks, part.checks, "check", diags);
}

}  // namespace infra::engine

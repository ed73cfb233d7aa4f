// LoadStack (read files, follow module sources, resolve variables, expand,
// validate) and the Stack accessors and evaluation entry points.
#include "engine/lang/stack.h"

#include <fmt/format.h>

#include <atomic>
#include <filesystem>
#include <optional>
#include <set>
#include <thread>

#include "engine/lang/diag.h"
#include "engine/lang/local_cycles.h"
#include "engine/lang/stack_defs.h"
#include "engine/lang/stack_expander.h"
#include "engine/lang/stack_files.h"
#include "engine/lang/stack_imports.h"
#include "engine/lang/stack_parser.h"
#include "engine/lang/stack_scope.h"
#include "engine/lang/stack_validator.h"
#include "engine/lang/variables.h"
#include "engine/lang/yaml_reader.h"

namespace infra::engine {
namespace fs = std::filesystem;
namespace {

/// Reads module files, each once, and reports includes that loop. The YAML
/// of a file's child modules is read on all cores before they are resolved
/// one by one (yaml-cpp's scanner is the costliest part of loading a big
/// stack); diagnostics still come out in declaration order.
class FileLoader {
 public:
  /// `merge_directory`: the root was given as a directory, whose other
  /// .yaml files belong to the stack.
  FileLoader(StackData& data, Diagnostics& diags, bool merge_directory)
      : data_(data), diags_(diags), merge_directory_(merge_directory) {}

  ModuleFile* Load(const std::string& path, bool is_root, const SourceLoc& from, const std::string& address) {
    std::string key = Key(path);
    std::optional<YamlNode> root;
    if (auto it = prefetched_.find(key); it != prefetched_.end()) {
      diags_.Merge(it->second.diags);
      root = std::move(it->second.root);
      prefetched_.erase(it);
    } else {
      root = ReadYamlFile(path, diags_, from, address);
    }
    if (!root) return nullptr;
    data_.files.push_back(ParseModuleFile(*root, path, is_root, diags_));
    ModuleFile* file = data_.files.back().get();
    if (is_root && merge_directory_) MergeStackDirectory(*root, *file);
    CheckLocalCycles(*file, diags_);
    loaded_[key] = file;
    chain_.push_back(key);
    Prefetch(*file);
    for (auto& call : file->modules) Resolve(*file, call);
    chain_.pop_back();
    return file;
  }

 private:
  struct Read {
    std::string path;
    SourceLoc from;
    std::string address;
    std::optional<YamlNode> root;
    Diagnostics diags;
  };

  // The other *.yaml files next to stack.yaml: module files (named by some
  // module call's source) are kept for their calls, stack files are merged
  // into `file`, anything else is an error (never silently ignored: a
  // forgotten file would make the plan destroy what it declares).
  void MergeStackDirectory(const YamlNode& root, ModuleFile& file) {
    fs::path parent = fs::path(file.path).parent_path();
    const std::string dir = parent.empty() ? std::string(".") : parent.string();
    std::vector<std::pair<std::string, std::optional<YamlNode>>> others;
    for (const auto& p : YamlFilesIn(dir, file.path)) others.emplace_back(p, ReadYamlFile(p, diags_));
    std::set<std::string> module_files = ModuleSourcesOf(root, dir);
    for (const auto& [p, r] : others)
      if (r) module_files.merge(ModuleSourcesOf(*r, dir));
    for (auto& [p, r] : others) {
      if (!r) continue;  // unreadable YAML: reported
      std::string key = Key(p);
      if (module_files.count(key)) {
        prefetched_.emplace(key, Read{p, {}, "", std::move(r), {}});
      } else if (LooksLikeStackFile(*r)) {
        auto part = ParseModuleFile(*r, p, true, diags_, /*part=*/true);
        MergeFile(file, *part, diags_);
      } else {
        // Often a misnamed variable file: its line may hold a secret, so it
        // is not quoted.
        std::string name = fs::path(p).filename().string();
        diags_.Add({Severity::kError, fmt::format("{} is neither a stack file nor a variable file", name),
                    fmt::format("Every .yaml file in a stack directory is read: a stack file (variables, locals, "
                                "modules, resources, outputs), a variable file named *.vars.yaml (infra.vars.yaml "
                                "is read automatically), or a module file named by a module's source. Rename, move "
                                "or delete {}.",
                                name),
                    r->loc.line > 0 ? r->loc : SourceLoc{p, 1, 1}, "", false});
      }
    }
  }

  // Reads the YAML of every child module file not read yet, in parallel.
  void Prefetch(const ModuleFile& parent) {
    std::vector<std::pair<std::string, Read>> todo;
    std::set<std::string> seen;
    for (const auto& call : parent.modules) {
      std::string path = CallPath(parent, call);
      std::string key = Key(path);
      std::error_code ec;
      if (loaded_.count(key) || prefetched_.count(key) || !seen.insert(key).second || !fs::is_regular_file(path, ec))
        continue;
      todo.emplace_back(key, Read{path, call.source.loc, "module." + call.name, std::nullopt, {}});
    }
    size_t threads = std::min<size_t>(todo.size(), std::max(1u, std::thread::hardware_concurrency()));
    if (threads < 2) return;
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i; (i = next++) < todo.size();) {
        Read& r = todo[i].second;
        r.root = ReadYamlFile(r.path, r.diags, r.from, r.address);
      }
    };
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    for (auto& [key, read] : todo) prefetched_.emplace(key, std::move(read));
  }

  static std::string Key(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(path, ec);
    return ec ? path : p.string();
  }

  // `source` is relative to the file that declares the module.
  static std::string CallPath(const ModuleFile& parent, const ModuleCallDef& call) {
    return (fs::path(parent.path).parent_path() / call.source.name).lexically_normal().string();
  }

  void Resolve(const ModuleFile& parent, ModuleCallDef& call) {
    call.path = CallPath(parent, call);
    std::string key = Key(call.path);
    std::string address = "module." + call.name;
    for (size_t i = 0; i < chain_.size(); ++i) {
      if (chain_[i] != key) continue;
      std::string loop;
      for (size_t j = i; j < chain_.size(); ++j) loop += fs::path(chain_[j]).filename().string() + " -> ";
      diags_.Error(call.source.loc, address,
                   fmt::format("module recursion: {}{} includes itself", loop, fs::path(key).filename().string()),
                   "A module cannot include itself, directly or through other modules.");
      return;
    }
    std::error_code ec;
    if (fs::is_directory(call.path, ec)) {
      auto it = loaded_.find(key);
      call.file = it != loaded_.end() ? it->second : LoadDirectory(call, key, address);
      return;
    }
    if (!fs::is_regular_file(call.path, ec)) {
      diags_.Error(call.source.loc, address,
                   fmt::format("module source '{}' not found (looked for {})", call.source.name, call.path),
                   "'source' is relative to the file that declares the module.");
      return;
    }
    auto it = loaded_.find(key);
    call.file = it != loaded_.end() ? it->second : Load(call.path, false, call.source.loc, address);
  }

  // A module source that is a directory: its *.yaml files merged into one module.
  ModuleFile* LoadDirectory(const ModuleCallDef& call, const std::string& key, const std::string& address) {
    std::vector<std::string> files = YamlFilesIn(call.path);
    if (files.empty()) {
      diags_.Error(call.source.loc, address,
                   fmt::format("module source '{}' is a directory without .yaml files", call.source.name));
      return nullptr;
    }
    std::vector<std::unique_ptr<ModuleFile>> parts;
    for (const auto& f : files) {
      auto root = ReadYamlFile(f, diags_, call.source.loc, address);
      if (root) parts.push_back(ParseModuleFile(*root, f, false, diags_));
    }
    if (parts.empty()) return nullptr;
    for (size_t i = 1; i < parts.size(); ++i) MergeFile(*parts[0], *parts[i], diags_);
    data_.files.push_back(std::move(parts[0]));
    ModuleFile* file = data_.files.back().get();
    loaded_[key] = file;
    CheckLocalCycles(*file, diags_);
    chain_.push_back(key);
    Prefetch(*file);
    for (auto& c : file->modules) Resolve(*file, c);
    chain_.pop_back();
    return file;
  }

  StackData& data_;
  Diagnostics& diags_;
  bool merge_directory_;
  std::map<std::string, ModuleFile*> loaded_;
  std::map<std::string, Read> prefetched_;  // read ahead, not parsed yet
  std::vector<std::string> chain_;
};

std::string StackFilePath(const std::string& dir_or_file) {
  std::error_code ec;
  if (fs::is_directory(dir_or_file, ec)) return (fs::path(dir_or_file) / "stack.yaml").lexically_normal().string();
  return dir_or_file;
}

}  // namespace

bool IsDataAddress(std::string_view address) {
  // Top-level segments (a key in [...] may hold dots and brackets in quotes).
  std::vector<std::string_view> segments;
  size_t start = 0;
  int depth = 0;
  bool quoted = false;
  for (size_t i = 0; i < address.size(); ++i) {
    char c = address[i];
    if (quoted) {
      if (c == '\\') ++i;
      else if (c == '"') quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == '[') {
      ++depth;
    } else if (c == ']') {
      --depth;
    } else if (c == '.' && depth == 0) {
      segments.push_back(address.substr(start, i - start));
      start = i + 1;
    }
  }
  segments.push_back(address.substr(start));
  size_t i = 0;
  while (i + 1 < segments.size() && segments[i] == "module") i += 2;
  return i + 2 < segments.size() && segments[i] == "data";
}

ResourceValues NoResourceValues() {
  return [](const std::string&) -> std::optional<Value> { return std::nullopt; };
}

Result<Stack> LoadStack(const std::string& dir_or_file, const VariableInputs& inputs,
                        const provider::Provider& schemas, Diagnostics& diags) {
  return LoadStack(dir_or_file, inputs, schemas, diags, LoadMode{});
}

Result<Stack> LoadStack(const std::string& dir_or_file, const VariableInputs& inputs,
                        const provider::Provider& schemas, Diagnostics& diags, const LoadMode& mode) {
  auto data = std::make_shared<StackData>();
  data->file = StackFilePath(dir_or_file);
  data->unset_as_unknown = mode.unset_as_unknown;
  data->read_data = mode.read_data;
  std::string default_var_file;
  std::error_code ec;
  if (fs::is_directory(dir_or_file, ec) && fs::is_regular_file(fs::path(dir_or_file) / kDefaultVarFile, ec))
    default_var_file = (fs::path(dir_or_file) / kDefaultVarFile).lexically_normal().string();
  size_t errors_before = diags.error_count();
  FileLoader loader(*data, diags, fs::is_directory(dir_or_file, ec));
  const ModuleFile* root = loader.Load(data->file, true, SourceLoc{}, "");
  if (root) {
    data->name = root->stack_name;
    data->regions = root->regions;
    data->rollout = root->rollout;
    for (const auto& o : root->outputs) data->outputs.push_back(OutputDecl{o.name, o.sensitive, o.description, o.loc});
    data->moved = root->moved;
    data->removed = root->removed;
    data->variables =
        ResolveVariables(root->variables, inputs, data->file, diags, default_var_file, mode.unset_as_unknown);
    if (!data->regions.empty()) {
      ModuleInstance m;
      m.file = root;
      m.region_alias = data->regions[0].alias;
      m.region = data->regions[0].name;
      data->modules.push_back(std::move(m));
      ExpandStack(*data, schemas, diags);
      ResolveEdges(*data, diags);
      ValidateInstances(*data, diags);
      ResolveImports(*root, *data, diags);
    }
  }
  size_t errors = diags.error_count() - errors_before;
  if (errors > 0 || !root)
    return MakeError(Error::Kind::kInvalid, "StackInvalid",
                     fmt::format("{}: {} error{} found", data->file, errors, errors == 1 ? "" : "s"));
  Stack stack;
  stack.data_ = std::move(data);
  return stack;
}

const std::string& Stack::name() const { return data_->name; }
const std::vector<RegionDecl>& Stack::regions() const { return data_->regions; }
const std::string& Stack::rollout() const { return data_->rollout; }
const std::vector<ResourceInstance>& Stack::resources() const { return data_->resources; }
const std::vector<OutputDecl>& Stack::outputs() const { return data_->outputs; }
const std::vector<MoveDecl>& Stack::moved() const { return data_->moved; }
const std::vector<RemovedDecl>& Stack::removed() const { return data_->removed; }
const std::vector<ImportDecl>& Stack::imports() const { return data_->imports; }
const std::string& Stack::file() const { return data_->file; }
std::vector<std::string> Stack::SourceFiles() const {
  std::set<std::string> paths;
  for (const auto& f : data_->files) paths.insert(f->path);
  return {paths.begin(), paths.end()};
}

const std::map<std::string, Value>& Stack::variables() const { return data_->variables; }

std::optional<size_t> Stack::IndexOf(std::string_view address) const {
  auto it = data_->by_address.find(std::string(address));
  if (it == data_->by_address.end()) return std::nullopt;
  return it->second;
}

const ResourceInstance* Stack::Find(std::string_view address) const {
  auto i = IndexOf(address);
  return i ? &data_->resources[*i] : nullptr;
}

Result<Value::Map> Stack::EvaluateAttributes(const ResourceInstance& instance, const ResourceValues& values) const {
  const auto& rs = data_->resources;
  std::optional<size_t> index;
  if (!rs.empty() && &instance >= rs.data() && &instance < rs.data() + rs.size())
    index = static_cast<size_t>(&instance - rs.data());
  else
    index = IndexOf(instance.address);
  if (!index)
    return MakeError(Error::Kind::kInternal, "StackEval",
                     fmt::format("{} is not a resource of this stack [this is a bug]", instance.address));
  return EvaluateInstance(*data_, *index, values, nullptr);
}

Result<Value::Map> Stack::EvaluateOutputs(const ResourceValues& values) const {
  Value::Map out;
  RepeatContext none;
  StackScope scope(*data_, 0, none, values);
  for (const auto& o : data_->modules[0].file->outputs) {
    auto v = scope.OutputValue(0, o.name);
    if (!v.ok())
      return MakeError(Error::Kind::kInvalid, "StackEval", fmt::format("output '{}': {}", o.name, v.error().message));
    if (std::string why = UndeclaredSecretOutput(o, *v); !why.empty())
      return MakeError(Error::Kind::kInvalid, "StackEval", fmt::format("{}: {}", o.value->loc.ToString(), why));
    out.emplace(o.name, *v);
  }
  return out;
}

namespace {

// Evaluates assertions in `scope`: each false one adds its message (or why
// it could not be evaluated) to `failures`, and its place to `places` when
// given. True if some were not known.
bool EvaluateAsserts(const std::vector<AssertDef>& asserts, const StackScope& scope, std::vector<std::string>* failures,
                     std::vector<SourceLoc>* places = nullptr) {
  bool unknown = false;
  for (const AssertDef& a : asserts) {
    auto fail = [&](std::string text) {
      failures->push_back(std::move(text));
      if (places) places->push_back(a.loc);
    };
    auto cond = Evaluate(*a.condition, scope);
    if (!cond.ok()) {
      fail(fmt::format("{}: the condition cannot be evaluated: {}", a.loc.ToString(), cond.error().message));
      continue;
    }
    if (!cond->is_wholly_known()) {
      unknown = true;
      continue;
    }
    if (cond->kind() == ValueKind::kBool && cond->AsBool()) continue;
    if (cond->kind() != ValueKind::kBool) {
      fail(fmt::format("{}: the condition is a {}, not a bool", a.loc.ToString(), cond->KindName()));
      continue;
    }
    auto msg = Evaluate(*a.error_message, scope);
    if (!msg.ok())
      fail(fmt::format("{}: the condition is false, and its error_message cannot be evaluated: {}", a.loc.ToString(),
                       msg.error().message));
    else
      fail(msg->sensitive() ? "(sensitive value)" : msg->ToInterpolated());
  }
  return unknown;
}

}  // namespace

std::vector<std::string> Stack::FailedConditions(const ResourceInstance& instance, bool post,
                                                 const ResourceValues& values, const Value* self) const {
  auto index = IndexOf(instance.address);
  if (!index) return {};
  const InstanceData& d = data_->instances[*index];
  const auto& asserts = post ? d.def->postconditions : d.def->preconditions;
  if (asserts.empty()) return {};
  RepeatContext repeat = d.repeat;
  if (self) repeat.self = *self;
  StackScope scope(*data_, d.module, repeat, values);
  std::vector<std::string> failures;
  std::vector<SourceLoc> places;
  EvaluateAsserts(asserts, scope, &failures, &places);
  for (size_t i = 0; i < failures.size(); ++i)
    failures[i] = fmt::format("{}: {}: {} failed: {}", places[i].ToString(), instance.address,
                              post ? "postcondition" : "precondition", failures[i]);
  return failures;
}

bool Stack::HasPostconditions(const ResourceInstance& instance) const {
  auto index = IndexOf(instance.address);
  return index && !data_->instances[*index].def->postconditions.empty();
}

std::vector<CheckResult> Stack::EvaluateChecks(const ResourceValues& values) const {
  std::vector<CheckResult> out;
  RepeatContext none;
  for (size_t mi = 0; mi < data_->modules.size(); ++mi) {
    const ModuleInstance& m = data_->modules[mi];
    StackScope scope(*data_, mi, none, values);
    for (const CheckDef& c : m.file->checks) {
      CheckResult r;
      r.name = m.path.empty() ? c.name : m.path + "." + c.name;
      r.loc = c.loc;
      bool unknown = EvaluateAsserts(c.asserts, scope, &r.failures);
      r.status = !r.failures.empty() ? CheckResult::Status::kFailed
                 : unknown           ? CheckResult::Status::kUnknown
                                     : CheckResult::Status::kPassed;
      out.push_back(std::move(r));
    }
  }
  return out;
}

namespace {
// A StackScope that owns what it refers to (the console keeps it for many lines).
class OwningStackScope : public EvalScope {
 public:
  OwningStackScope(std::shared_ptr<const StackData> data, size_t module, RepeatContext repeat, ResourceValues values)
      : data_(std::move(data)), repeat_(std::move(repeat)), values_(std::move(values)),
        scope_(*data_, module, repeat_, values_) {}
  Result<Resolved> Lookup(const Traversal& ref) const override { return scope_.Lookup(ref); }
  std::string FileRoot() const override { return scope_.FileRoot(); }

 private:
  std::shared_ptr<const StackData> data_;
  RepeatContext repeat_;
  ResourceValues values_;
  StackScope scope_;
};
}  // namespace

Result<std::unique_ptr<EvalScope>> Stack::ExpressionScope(ResourceValues values, std::string_view instance) const {
  size_t module = 0;
  RepeatContext repeat;
  if (!instance.empty()) {
    auto index = IndexOf(instance);
    if (!index)
      return MakeError(Error::Kind::kInvalid, "StackEval",
                       fmt::format("{} is not a resource instance of the stack", instance));
    module = data_->instances[*index].module;
    repeat = data_->instances[*index].repeat;
    if (repeat.region.empty()) repeat.region = data_->resources[*index].region;
  }
  return std::unique_ptr<EvalScope>(std::make_unique<OwningStackScope>(data_, module, std::move(repeat), std::move(values)));
}

std::vector<std::string> Stack::SensitiveStrings() const {
  std::vector<std::string> out;
  std::function<void(const Value&)> add = [&](const Value& v) {
    if (v.kind() == ValueKind::kList) {
      for (const auto& e : v.AsList()) add(e);
    } else if (v.kind() == ValueKind::kMap) {
      for (const auto& [k, e] : v.AsMap()) add(e);
    } else if (!v.is_null() && !v.is_unknown()) {
      std::string s = v.ToInterpolated();
      if (!s.empty()) out.push_back(s);
    }
  };
  for (const auto& [name, v] : data_->variables)
    if (v.sensitive()) add(v);
  return out;
}

}  // namespace infra::engine

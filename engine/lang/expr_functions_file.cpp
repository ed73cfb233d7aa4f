// File functions: file, fileexists, templatefile, filebase64sha256 and
// abspath. A relative path is relative to the stack's directory, as
// Terraform's are to the directory it runs in (a module reads its own files
// as "${path.module}/policy.json"); the path must stay inside the stack's
// root directory or the calling file's own directory, so a stack cannot
// read /etc/passwd or ~/.aws/credentials into an attribute.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/lang/expr.h"
#include "engine/lang/expr_function_kit.h"

namespace infra::engine {
namespace {
namespace fs = std::filesystem;

bool Inside(const fs::path& path, const fs::path& dir) {
  if (dir.empty()) return false;
  auto p = path.begin();
  for (auto d = dir.begin(); d != dir.end(); ++d, ++p) {
    if (d->empty()) continue;  // a trailing separator
    if (p == path.end() || *p != *d) return false;
  }
  return true;
}

// The absolute, symlink-resolved path `arg` names, or an error when file
// access is not allowed here or the path leaves the allowed directories.
Result<fs::path> Resolve(const Fn& f, size_t i) {
  auto s = f.Str(i);
  if (!s) return s.error();
  if (!f.context || f.context->file_root.empty())
    return FnError(f.name, "files can only be read from expressions in stack and module files");
  std::error_code ec;
  fs::path caller_dir = fs::absolute(fs::path(f.context->caller_file).parent_path(), ec).lexically_normal();
  fs::path p = fs::path(*s).is_absolute() ? fs::path(*s) : fs::path(f.context->file_root) / *s;
  fs::path resolved = fs::weakly_canonical(p, ec);
  if (ec) resolved = p.lexically_normal();
  fs::path root = fs::weakly_canonical(f.context->file_root, ec);
  fs::path own = fs::weakly_canonical(caller_dir, ec);
  if (!Inside(resolved, root) && !Inside(resolved, own))
    return FnError(f.name, fmt::format("\"{}\" is outside the stack's directory {}; files are read only below the "
                                       "stack's root or the calling file's directory",
                                       *s, root.string()));
  return resolved;
}

Result<std::string> ReadAll(const Fn& f, const fs::path& p, const std::string& as_written) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return FnError(f.name, fmt::format("no file \"{}\" (looked for {})", as_written, p.string()));
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (!in && !in.eof()) return FnError(f.name, fmt::format("cannot read {}", p.string()));
  return ss.str();
}

Result<Value> FileFn(const Fn& f) {
  auto p = Resolve(f, 0);
  if (!p) return p.error();
  auto text = ReadAll(f, *p, f.args[0].ToInterpolated());
  if (!text) return text.error();
  return Value::String(std::move(*text));
}

Result<Value> FileExistsFn(const Fn& f) {
  auto p = Resolve(f, 0);
  if (!p) return p.error();
  std::error_code ec;
  return Value::Bool(fs::is_regular_file(*p, ec));
}

Result<Value> FileBase64Sha256Fn(const Fn& f) {
  auto p = Resolve(f, 0);
  if (!p) return p.error();
  auto text = ReadAll(f, *p, f.args[0].ToInterpolated());
  if (!text) return text.error();
  std::string raw;
  DigestHex("SHA256", *text, &raw);
  return Value::String(Base64Encode(raw));
}

Result<Value> AbsPathFn(const Fn& f) {
  auto s = f.Str(0);
  if (!s) return s.error();
  std::error_code ec;
  fs::path base = f.context && !f.context->file_root.empty() ? fs::absolute(f.context->file_root, ec)
                                                             : fs::current_path(ec);
  fs::path p = fs::path(*s).is_absolute() ? fs::path(*s) : base / *s;
  std::string out = p.lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return Value::String(out);
}

/// A template file's scope: only the variables passed to templatefile().
class TemplateVarsScope : public EvalScope {
 public:
  explicit TemplateVarsScope(const Value::Map& vars) : vars_(vars) {}
  Result<Resolved> Lookup(const Traversal& ref) const override {
    auto it = vars_.find(ref.root);
    if (it != vars_.end()) return Resolved{it->second, 0};
    return MakeError(Error::Kind::kInvalid, "ExprReference",
                     fmt::format("'{}' is not one of the variables passed to templatefile()", ref.root));
  }

 private:
  const Value::Map& vars_;
};

Result<Value> TemplateFileFn(const Fn& f) {
  auto p = Resolve(f, 0);
  if (!p) return p.error();
  auto vars = f.Map(1);
  if (!vars) return vars.error();
  auto text = ReadAll(f, *p, f.args[0].ToInterpolated());
  if (!text) return text.error();
  auto expr = ParseTemplate(*text, SourceLoc{p->string(), 1, 1});
  if (!expr) return FnError(f.name, expr.error().message);
  TemplateVarsScope scope(**vars);
  auto v = Evaluate(**expr, scope);
  if (!v) return FnError(f.name, v.error().message);
  if (v->is_unknown() || v->kind() == ValueKind::kString) return *v;
  return Value::String(v->ToInterpolated());
}

}  // namespace

const std::vector<FunctionDef>& FileFunctionDefs() {
  static const std::vector<FunctionDef> defs = {
      {"abspath", 1, 1, UnknownRule::kAnyUnknown, false, AbsPathFn},
      {"file", 1, 1, UnknownRule::kAnyUnknown, false, FileFn},
      {"filebase64sha256", 1, 1, UnknownRule::kAnyUnknown, false, FileBase64Sha256Fn},
      {"fileexists", 1, 1, UnknownRule::kAnyUnknown, false, FileExistsFn},
      {"templatefile", 2, 2, UnknownRule::kShallow, false, TemplateFileFn},
  };
  return defs;
}

}  // namespace infra::engine

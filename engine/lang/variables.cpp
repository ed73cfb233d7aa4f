// Variable resolution and validation conditions (see variables.h).
#include "engine/lang/variables.h"

#include <fmt/format.h>

#include <cstdlib>

#include "engine/lang/diag.h"
#include "engine/lang/nearest_name.h"
#include "engine/lang/stack_parser.h"
#include "engine/lang/yaml_reader.h"

namespace infra::engine {
namespace {

/// A validation condition sees only its own variable.
class SingleVarScope : public EvalScope {
 public:
  SingleVarScope(const std::string& name, const Value& value) : name_(name), value_(value) {}
  Result<Resolved> Lookup(const Traversal& ref) const override {
    if (ref.root == "var" && !ref.steps.empty() && ref.steps[0].kind == TraversalStep::Kind::kAttr &&
        ref.steps[0].name == name_)
      return Resolved{value_, 1};
    return MakeError(Error::Kind::kInvalid, "ExprReference",
                     fmt::format("a validation condition can only refer to var.{}, not '{}'", name_, ref.ToString()));
  }

 private:
  const std::string& name_;
  const Value& value_;
};

std::vector<std::string> Names(const std::vector<VariableDef>& decls) {
  std::vector<std::string> out;
  for (const auto& d : decls) out.push_back(d.name);
  return out;
}

std::string Suggest(const std::string& name, const std::vector<VariableDef>& decls) {
  std::string near = NearestName(name, Names(decls));
  return near.empty() ? "" : fmt::format("; did you mean '{}'?", near);
}

// A conversion error names the value it could not convert ("got string
// \"S3cr3t\""); for a sensitive variable only the expected type is said.
std::string ValueProblem(const VariableDef& d, const std::string& message) {
  if (!d.sensitive) return message;
  return fmt::format("expected {}; the value is not shown because the variable is sensitive", d.type.ToString());
}

const VariableDef* FindDecl(const std::vector<VariableDef>& decls, const std::string& name) {
  for (const auto& d : decls)
    if (d.name == name) return &d;
  return nullptr;
}

void ApplyVarFile(const std::string& path, const std::vector<VariableDef>& decls, std::map<std::string, Value>& values,
                  Diagnostics& diags) {
  // What the reader reports (a syntax error) may sit on a secret's line:
  // its location is given, its line is not quoted.
  Diagnostics read;
  auto root = ReadYamlFile(path, read, SourceLoc{path, 0, 0});
  for (Diagnostic d : read.items()) {
    d.quote_source = false;
    diags.Add(std::move(d));
  }
  if (!root || root->is_null()) return;
  if (!root->is_map()) {
    diags.Error(root->loc, "", fmt::format("a variable file must be a map of variable names to values, not a {}",
                                           root->KindName()));
    return;
  }
  for (const auto& e : root->entries) {
    const VariableDef* d = FindDecl(decls, e.key);
    if (!d) {
      // Not declared, so not known to be non-sensitive: its line is not quoted.
      diags.Add({Severity::kWarning,
                 fmt::format("the variable file sets '{}', which is not declared{}", e.key, Suggest(e.key, decls)),
                 "", e.key_loc, "", false});
      continue;
    }
    auto v = Convert(YamlToValue(e.value), d->type);
    if (!v.ok()) {
      Diagnostic diag{Severity::kError, fmt::format("invalid value for variable '{}': {}", e.key,
                                                    ValueProblem(*d, v.error().message)),
                      "", e.value.loc, "", !d->sensitive};  // the quoted line would show the secret
      diags.Add(std::move(diag));
      continue;
    }
    values[e.key] = *v;
  }
}

// Defaults < environment < the default variable file < -var / -var-file in
// the order given.
void ReadInputs(const std::vector<VariableDef>& decls, const VariableInputs& inputs, const std::string& stack_file,
                const std::string& default_var_file, std::map<std::string, Value>& values, Diagnostics& diags) {
  for (const auto& d : decls)
    if (d.default_value) values[d.name] = *d.default_value;
  if (inputs.read_environment) {
    for (const auto& d : decls) {
      const char* env = std::getenv(("INFRA_VAR_" + d.name).c_str());
      if (!env) continue;
      auto v = ParseCliValue(env, d.type);
      if (v.ok())
        values[d.name] = *v;
      else
        diags.Error(d.loc, "", fmt::format("invalid value for variable '{}' from INFRA_VAR_{}: {}", d.name, d.name,
                                           ValueProblem(d, v.error().message)));
    }
  }
  if (!default_var_file.empty()) ApplyVarFile(default_var_file, decls, values, diags);
  for (const auto& arg : inputs.args) {
    if (arg.is_file) {
      ApplyVarFile(arg.name, decls, values, diags);
      continue;
    }
    const VariableDef* d = FindDecl(decls, arg.name);
    if (!d) {
      diags.Error(SourceLoc{stack_file, 0, 0}, "",
                  fmt::format("-var '{}': no variable '{}' is declared{}", arg.name, arg.name, Suggest(arg.name, decls)));
      continue;
    }
    auto v = ParseCliValue(arg.value, d->type);
    if (v.ok())
      values[arg.name] = *v;
    else
      diags.Error(d->loc, "", fmt::format("invalid value for variable '{}' from -var: {}", arg.name,
                                          ValueProblem(*d, v.error().message)));
  }
}

}  // namespace

std::map<std::string, Value> ResolveVariables(const std::vector<VariableDef>& decls, const VariableInputs& inputs,
                                              const std::string& stack_file, Diagnostics& diags,
                                              const std::string& default_var_file, bool unset_as_unknown) {
  std::map<std::string, Value> values;
  if (inputs.saved) {
    for (const auto& d : decls)
      if (auto it = inputs.saved->find(d.name); it != inputs.saved->end()) values[d.name] = it->second;
  } else {
    ReadInputs(decls, inputs, stack_file, default_var_file, values, diags);
  }
  for (const auto& d : decls) {
    auto it = values.find(d.name);
    if (it == values.end() && unset_as_unknown) {  // validate/graph: checked as "any value"
      values[d.name] = d.sensitive ? Value::Unknown().WithSensitive(true) : Value::Unknown();
      continue;
    }
    if (it == values.end()) {
      diags.Error(d.loc, "",
                  fmt::format("variable '{}' has no value; set it with -var {}=..., a -var-file, or INFRA_VAR_{}",
                              d.name, d.name, d.name));
      values[d.name] = Value::Unknown();
      continue;
    }
    if (d.sensitive) it->second = it->second.WithSensitive(true);
    CheckVariableValidations(d, it->second, "", diags);
  }
  return values;
}

void CheckVariableValidations(const VariableDef& decl, const Value& value, const std::string& address,
                              Diagnostics& diags) {
  if (!value.is_wholly_known()) return;
  SingleVarScope scope(decl.name, value);
  for (const auto& v : decl.validations) {
    auto r = Evaluate(*v.condition, scope);
    if (!r.ok()) {
      ReportExprError(r.error(), address, v.condition->loc, diags);
      continue;
    }
    if (r->kind() != ValueKind::kBool) {
      diags.Error(v.condition->loc, address,
                  fmt::format("the validation condition of '{}' must be true or false, not a {}", decl.name,
                              r->KindName()));
      continue;
    }
    if (!r->AsBool())
      diags.Error(v.condition->loc, address,
                  fmt::format("invalid value for variable '{}': {}", decl.name, v.error_message));
  }
}

}  // namespace infra::engine

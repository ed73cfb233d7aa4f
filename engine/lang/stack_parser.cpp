// Stack/module file parsing: walks the located YAML tree, checks each key
// against the keys allowed at that place (suggesting the nearest one), and
// turns values into expressions. Reports every problem and keeps going.
#include "engine/lang/stack_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "engine/lang/diag.h"
#include "engine/lang/duration.h"
#include "engine/lang/nearest_name.h"
#include "engine/lang/yaml_hint.h"

namespace infra::engine {
namespace {

const std::set<std::string> kReservedNames = {"var", "module", "each", "count", "region", "self",
                                              "local", "path", "null", "true", "false"};

bool IsIdentifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  return true;
}

std::string Suggest(const std::string& name, const std::vector<std::string>& candidates) {
  std::string near = NearestName(name, candidates);
  return near.empty() ? "" : fmt::format("; did you mean '{}'?", near);
}

std::optional<double> PlainNumber(const std::string& s) {
  if (s.empty()) return std::nullopt;
  const char* b = s.data();
  const char* e = b + s.size();
  if (*b == '+') ++b;
  double d = 0;
  auto [p, ec] = std::from_chars(b, e, d);
  if (ec != std::errc() || p != e) return std::nullopt;
  // "inf"/"nan" spellings are strings in a stack file.
  for (const char* q = b; q != e; ++q)
    if (std::isalpha(static_cast<unsigned char>(*q)) && *q != 'e' && *q != 'E') return std::nullopt;
  return d;
}

std::optional<Value> PlainLiteral(const YamlNode& n) {
  if (n.quoted) return std::nullopt;
  const std::string& s = n.scalar;
  if (s == "true" || s == "True" || s == "TRUE") return Value::Bool(true);
  if (s == "false" || s == "False" || s == "FALSE") return Value::Bool(false);
  if (s == "null" || s == "Null" || s == "NULL" || s == "~") return Value::Null();
  if (auto d = PlainNumber(s)) return Value::Number(*d);
  return std::nullopt;
}

ExprPtr Literal(Value v, const SourceLoc& loc) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kLiteral;
  e->literal = std::move(v);
  e->loc = loc;
  return e;
}

/// Checks a map's keys against `allowed`; reports unknown ones.
void CheckKeys(const YamlNode& map, const std::vector<std::string>& allowed, const std::string& what,
               const std::string& address, Diagnostics& diags) {
  for (const auto& e : map.entries) {
    bool ok = false;
    for (const auto& a : allowed) ok = ok || a == e.key;
    if (!ok)
      diags.Error(e.key_loc, address, fmt::format("unknown key '{}' in {}{}", e.key, what, Suggest(e.key, allowed)));
  }
}

bool ExpectMap(const YamlNode& n, const std::string& what, const std::string& address, Diagnostics& diags) {
  if (n.is_map()) return true;
  diags.Error(n.loc, address, fmt::format("{} must be a map, not a {}", what, n.KindName()));
  return false;
}

std::optional<std::string> ExpectString(const YamlNode& n, const std::string& what, const std::string& address,
                                        Diagnostics& diags) {
  if (n.is_scalar()) return n.scalar;
  diags.Error(n.loc, address, fmt::format("{} must be a string, not a {}", what, n.KindName()));
  return std::nullopt;
}

std::optional<bool> ExpectBool(const YamlNode& n, const std::string& what, const std::string& address,
                               Diagnostics& diags) {
  if (n.is_scalar() && !n.quoted) {
    if (auto v = PlainLiteral(n); v && v->kind() == ValueKind::kBool) return v->AsBool();
  }
  diags.Error(n.loc, address, fmt::format("{} must be true or false", what));
  return std::nullopt;
}

std::vector<LocatedName> NameList(const YamlNode& n, const std::string& what, const std::string& address,
                                  Diagnostics& diags) {
  std::vector<LocatedName> out;
  if (!n.is_sequence()) {
    diags.Error(n.loc, address, fmt::format("{} must be a list of names, not a {}", what, n.KindName()));
    return out;
  }
  for (const auto& item : n.items) {
    auto s = ExpectString(item, what + " entry", address, diags);
    if (!s) continue;
    std::string name = *s;
    // `${vpc}` is accepted as well as the bare name.
    if (name.size() > 3 && name.rfind("${", 0) == 0 && name.back() == '}') name = name.substr(2, name.size() - 3);
    out.push_back({name, item.loc});
  }
  return out;
}

bool CheckName(const std::string& name, const SourceLoc& loc, const std::string& what, Diagnostics& diags) {
  if (!IsIdentifier(name)) {
    diags.Error(loc, "", fmt::format("invalid {} name '{}': use letters, digits, '_' and '-', starting with a letter",
                                     what, name));
    return false;
  }
  if (kReservedNames.count(name)) {
    diags.Error(loc, "", fmt::format("'{}' is reserved and cannot be used as a {} name", name, what));
    return false;
  }
  return true;
}

class FileParser {
 public:
  FileParser(ModuleFile& out, Diagnostics& diags, bool part) : out_(out), diags_(diags), part_(part) {}

  void Parse(const YamlNode& root) {
    if (!root.is_map()) {
      diags_.Error(root.loc, "",
                   fmt::format("a {} must be a YAML map, not a {}", out_.is_root ? "stack file" : "module file",
                               root.KindName()));
      return;
    }
    if (part_)
      CheckKeys(root, {"variables", "locals", "modules", "resources", "data", "outputs", "checks", "description"},
                "a stack file other than stack.yaml ('stack' and 'regions' belong in stack.yaml)", "", diags_);
    else if (out_.is_root)
      CheckKeys(root, {"stack", "regions", "rollout", "default_tags", "variables", "locals", "modules", "resources", "data",
                 "outputs", "checks", "moved", "removed", "import", "description", "backend"},
                "the stack file", "", diags_);
    else
      CheckKeys(root, {"inputs", "locals", "resources", "data", "modules", "outputs", "checks", "description"}, "a module file", "",
                diags_);
    if (out_.is_root && !part_) ParseHeader(root);
    if (const YamlNode* v = root.Get(out_.is_root ? "variables" : "inputs")) ParseVariables(*v);
    if (const YamlNode* l = root.Get("locals")) ParseLocals(*l);
    if (const YamlNode* r = root.Get("resources")) ParseResources(*r, false);
    if (const YamlNode* d = root.Get("data")) ParseResources(*d, true);
    if (const YamlNode* m = root.Get("modules")) ParseModules(*m);
    if (const YamlNode* o = root.Get("outputs")) ParseOutputs(*o);
    if (const YamlNode* c = root.Get("checks")) ParseChecks(*c);
  }

 private:
  void ParseHeader(const YamlNode& root) {
    if (const YamlNode* s = root.Get("stack")) {
      if (auto name = ExpectString(*s, "'stack' (the stack name)", "", diags_)) out_.stack_name = *name;
    } else {
      diags_.Error(root.loc, "", "missing 'stack: <name>' (the stack name)");
    }
    const YamlNode* regions = root.Get("regions");
    if (!regions) {
      diags_.Error(root.loc, "", "missing 'regions:' (a map of region aliases to AWS regions, e.g. primary: eu-central-1)");
      return;
    }
    if (const YamlNode* t = root.Get("default_tags")) ParseDefaultTags(*t);
    if (const YamlNode* r = root.Get("rollout")) {
      // `rollout: waves|parallel`: whether creates wait for earlier regions.
      if (auto v = ExpectString(*r, "'rollout'", "", diags_)) {
        if (*v == "waves" || *v == "parallel")
          out_.rollout = *v;
        else
          diags_.Error(r->loc, "", fmt::format("'rollout' must be 'waves' or 'parallel', not '{}'", *v));
      }
    }
    // `backend: {type: s3, bucket, ...}`: where the state lives; read and
    // checked by the CLI (engine/cli/backend_config.h), only its shape here.
    if (const YamlNode* b = root.Get("backend")) {
      if (ExpectMap(*b, "'backend'", "", diags_))
        for (const auto& e : b->entries) (void)ExpectString(e.value, fmt::format("backend '{}'", e.key), "", diags_);
    }
    if (const YamlNode* m = root.Get("moved")) ParseMoves(*m, true);
    if (const YamlNode* r = root.Get("removed")) ParseMoves(*r, false);
    if (const YamlNode* i = root.Get("import")) ParseImports(*i);
    if (!ExpectMap(*regions, "'regions'", "", diags_)) return;
    if (regions->entries.empty()) diags_.Error(regions->loc, "", "'regions' must declare at least one region");
    for (const auto& e : regions->entries) {
      if (!CheckName(e.key, e.key_loc, "region alias", diags_)) continue;
      auto name = ExpectString(e.value, fmt::format("region '{}'", e.key), "", diags_);
      if (!name) continue;
      out_.regions.push_back({e.key, *name, e.value.loc});
      out_.region_locs.push_back(e.value.loc);
    }
  }

  // `default_tags: {Team: web, Env: "${var.env}"}`: tags merged into every
  // taggable resource's (the resource's own win), as the AWS provider's.
  void ParseDefaultTags(const YamlNode& t) {
    if (!ExpectMap(t, "'default_tags'", "", diags_)) return;
    for (const auto& e : t.entries) {
      ExprPtr x = YamlToExpr(e.value, diags_, "default_tags");
      if (x) out_.default_tags.push_back({e.key, e.key_loc, x});
    }
  }

  // `moved: [{from: A, to: B}]` / `removed: [{from: A}]`: addresses as
  // plain text (no expressions), checked against the stack by the planner.
  void ParseMoves(const YamlNode& list, bool moved) {
    const char* key = moved ? "'moved'" : "'removed'";
    if (!list.is_sequence()) {
      diags_.Error(list.loc, "", fmt::format("{} must be a list of {{from{}}} maps", key, moved ? ", to" : ""));
      return;
    }
    for (const auto& item : list.items) {
      if (!ExpectMap(item, moved ? "a moved entry" : "a removed entry", "", diags_)) continue;
      if (moved)
        CheckKeys(item, {"from", "to"}, "a moved entry", "", diags_);
      else
        CheckKeys(item, {"from"}, "a removed entry", "", diags_);
      auto text = [&](const char* k) -> std::string {
        const YamlNode* v = item.Get(k);
        if (!v) {
          diags_.Error(item.loc, "", fmt::format("{} entry needs '{}'", moved ? "a moved" : "a removed", k));
          return "";
        }
        auto s = ExpectString(*v, fmt::format("'{}'", k), "", diags_);
        return s ? *s : "";
      };
      std::string from = text("from");
      if (moved) {
        std::string to = text("to");
        if (!from.empty() && !to.empty()) out_.moved.push_back(MoveDecl{from, to, item.loc});
      } else if (!from.empty()) {
        out_.removed.push_back(RemovedDecl{from, item.loc});
      }
    }
  }

  // `import: [{to: ADDRESS, id: ID, for_each: X}]`: the address as plain
  // text, the id (and for_each) expressions of variables and locals,
  // evaluated when the stack loads.
  void ParseImports(const YamlNode& list) {
    if (!list.is_sequence()) {
      diags_.Error(list.loc, "", "'import' must be a list of {to, id} maps");
      return;
    }
    for (const auto& item : list.items) {
      if (!ExpectMap(item, "an import entry", "", diags_)) continue;
      CheckKeys(item, {"to", "id", "for_each"}, "an import entry", "", diags_);
      const YamlNode* to = item.Get("to");
      const YamlNode* id = item.Get("id");
      if (!to || !id) {
        diags_.Error(item.loc, "", fmt::format("an import entry needs '{}'", to ? "id" : "to"));
        continue;
      }
      auto address = ExpectString(*to, "'to'", "", diags_);
      ExprPtr x = YamlToExpr(*id, diags_, "import");
      ExprPtr each;
      if (const YamlNode* fe = item.Get("for_each")) each = YamlToExpr(*fe, diags_, "import for_each");
      if (address && x) out_.imports.push_back(ImportDef{*address, x, item.loc, each});
    }
  }

  void ParseLocals(const YamlNode& ls) {
    if (!ExpectMap(ls, "'locals'", "", diags_)) return;
    for (const auto& e : ls.entries) {
      if (!CheckName(e.key, e.key_loc, "local value", diags_)) continue;
      ExprPtr x = YamlToExpr(e.value, diags_, "local." + e.key);
      if (x) out_.locals.push_back({e.key, e.key_loc, x});
    }
  }

  void ParseVariables(const YamlNode& vars) {
    const char* what = out_.is_root ? "variable" : "input";
    if (!ExpectMap(vars, out_.is_root ? "'variables'" : "'inputs'", "", diags_)) return;
    for (const auto& e : vars.entries) {
      if (!CheckName(e.key, e.key_loc, what, diags_)) continue;
      VariableDef v;
      v.name = e.key;
      v.loc = e.key_loc;
      if (e.value.is_null()) {  // `name:` alone: a required variable of any type
        out_.variables.push_back(std::move(v));
        continue;
      }
      if (!ExpectMap(e.value, fmt::format("{} '{}'", what, e.key), "", diags_)) continue;
      ParseVariable(e.value, v);
      out_.variables.push_back(std::move(v));
    }
  }

  void ParseVariable(const YamlNode& m, VariableDef& v) {
    CheckKeys(m, {"type", "default", "sensitive", "description", "validation"}, "a variable", "", diags_);
    if (const YamlNode* t = m.Get("type")) {
      if (auto text = ExpectString(*t, "'type'", "", diags_)) {
        auto spec = TypeSpec::Parse(*text);
        if (spec.ok())
          v.type = *spec;
        else
          diags_.Error(t->loc, "", fmt::format("variable '{}': {}", v.name, spec.error().message));
      }
    }
    if (const YamlNode* d = m.Get("default")) {
      auto conv = Convert(YamlToValue(*d), v.type);
      if (conv.ok())
        v.default_value = *conv;
      else {
        diags_.Error(d->loc, "", fmt::format("default of variable '{}' does not match its type {}: {}", v.name,
                                             v.type.ToString(), conv.error().message));
        v.default_value = Value::Unknown();  // reported; not "missing" as well
      }
    }
    if (const YamlNode* s = m.Get("sensitive"))
      if (auto b = ExpectBool(*s, "'sensitive'", "", diags_)) v.sensitive = *b;
    if (const YamlNode* d = m.Get("description"))
      if (auto s = ExpectString(*d, "'description'", "", diags_)) v.description = *s;
    if (const YamlNode* val = m.Get("validation")) {
      if (val->is_sequence()) {
        for (const auto& item : val->items) ParseValidation(item, v);
      } else {
        ParseValidation(*val, v);
      }
    }
  }

  void ParseValidation(const YamlNode& n, VariableDef& v) {
    if (!ExpectMap(n, "'validation'", "", diags_)) return;
    CheckKeys(n, {"condition", "error_message"}, "a validation", "", diags_);
    VariableDef::Validation val;
    const YamlNode* c = n.Get("condition");
    if (!c) {
      diags_.Error(n.loc, "", fmt::format("validation of '{}' needs a 'condition'", v.name));
      return;
    }
    val.condition = YamlToExpr(*c, diags_, "");
    if (const YamlNode* msg = n.Get("error_message"))
      if (auto s = ExpectString(*msg, "'error_message'", "", diags_)) val.error_message = *s;
    if (val.error_message.empty()) val.error_message = "the value failed its validation condition";
    if (val.condition) v.validations.push_back(std::move(val));
  }

  void ParseMultiplicity(const YamlNode& m, Multiplicity& out, const std::string& address) {
    if (const YamlNode* f = m.Get("for_each")) out.for_each = YamlToExpr(*f, diags_, address);
    if (const YamlNode* c = m.Get("count")) out.count = YamlToExpr(*c, diags_, address);
    if (out.for_each && out.count)
      diags_.Error(m.GetEntry("count")->key_loc, address, "'count' and 'for_each' cannot both be set");
    if (const YamlNode* d = m.Get("depends_on")) out.depends_on = NameList(*d, "'depends_on'", address, diags_);
    if (const YamlNode* r = m.Get("region")) {
      if (auto s = ExpectString(*r, "'region'", address, diags_)) out.region = {*s, r->loc};
    }
  }

  // `resources:` and `data:` share one shape; a data source has no
  // lifecycle or timeouts (nothing is created or destroyed).
  void ParseResources(const YamlNode& rs, bool is_data) {
    const char* what = is_data ? "data source" : "resource";
    if (!ExpectMap(rs, is_data ? "'data'" : "'resources'", "", diags_)) return;
    for (const auto& e : rs.entries) {
      if (!CheckName(e.key, e.key_loc, what, diags_)) continue;
      if (!ExpectMap(e.value, fmt::format("{} '{}'", what, e.key), e.key, diags_)) continue;
      ResourceDef r;
      r.name = e.key;
      r.loc = e.key_loc;
      r.is_data = is_data;
      const YamlNode* t = e.value.Get("type");
      if (!t) {
        diags_.Error(e.key_loc, e.key,
                     is_data ? "data source has no 'type' (e.g. type: aws_availability_zones)"
                             : "resource has no 'type' (e.g. type: aws_vpc)");
        continue;
      }
      auto type = ExpectString(*t, "'type'", e.key, diags_);
      if (!type) continue;
      r.type = {*type, t->loc};
      std::string address = (is_data ? "data." : "") + *type + "." + e.key;
      if (is_data)
        for (const char* key : {"lifecycle", "timeouts"})
          if (const auto* entry = e.value.GetEntry(key))
            diags_.Error(entry->key_loc, address,
                         fmt::format("a data source has no '{}': it is read, never created or destroyed", key));
      ParseMultiplicity(e.value, r.multi, address);
      if (const YamlNode* l = e.value.Get("lifecycle"); l && !is_data) ParseLifecycle(*l, r, address);
      if (const YamlNode* t = e.value.Get("timeouts"); t && !is_data) ParseTimeouts(*t, r, address);
      for (const auto& a : e.value.entries) {
        static const std::set<std::string> kMeta = {"type",      "region",   "for_each",  "count", "depends_on",
                                                    "lifecycle", "timeouts", "attributes"};
        if (kMeta.count(a.key)) continue;
        ExprPtr x = YamlToExpr(a.value, diags_, address);
        if (x) r.attrs.push_back({a.key, a.key_loc, x});
      }
      if (const YamlNode* am = e.value.Get("attributes")) ParseAttributeMap(*am, r, address);
      (is_data ? out_.data : out_.resources).push_back(std::move(r));
    }
  }

  // `attributes: {type: A, ttl: 300}`: attributes written in a map, so that
  // one named like a reserved key (Route 53's and SSM's `type`) has a
  // spelling. An attribute set both here and at the top level is an error.
  void ParseAttributeMap(const YamlNode& am, ResourceDef& r, const std::string& address) {
    if (!ExpectMap(am, "'attributes'", address, diags_)) return;
    for (const auto& a : am.entries) {
      auto same = std::find_if(r.attrs.begin(), r.attrs.end(), [&](const AttrDef& d) { return d.name == a.key; });
      if (same != r.attrs.end()) {
        diags_.Error(a.key_loc, address,
                     fmt::format("attribute '{}' is set twice: here and at {}", a.key, same->loc.ToString()));
        continue;
      }
      ExprPtr x = YamlToExpr(a.value, diags_, address);
      if (x) r.attrs.push_back({a.key, a.key_loc, x});
    }
  }

  void ParseLifecycle(const YamlNode& l, ResourceDef& r, const std::string& address) {
    if (!ExpectMap(l, "'lifecycle'", address, diags_)) return;
    CheckKeys(l, {"prevent_destroy", "create_before_destroy", "ignore_changes", "precondition", "postcondition"},
              "'lifecycle'", address, diags_);
    if (const YamlNode* p = l.Get("precondition")) ParseAsserts(*p, address, "precondition", &r.preconditions);
    if (const YamlNode* p = l.Get("postcondition")) ParseAsserts(*p, address, "postcondition", &r.postconditions);
    if (const YamlNode* p = l.Get("prevent_destroy"))
      if (auto b = ExpectBool(*p, "'prevent_destroy'", address, diags_)) r.lifecycle.prevent_destroy = *b;
    if (const YamlNode* c = l.Get("create_before_destroy"))
      if (auto b = ExpectBool(*c, "'create_before_destroy'", address, diags_)) r.lifecycle.create_before_destroy = *b;
    if (const YamlNode* i = l.Get("ignore_changes")) {
      r.ignore_changes = NameList(*i, "'ignore_changes'", address, diags_);
      for (const auto& n : r.ignore_changes) r.lifecycle.ignore_changes.push_back(n.name);
    }
  }

  // `timeouts: {create: 30m, update: 30m, delete: 30m}` as Terraform writes it.
  void ParseTimeouts(const YamlNode& t, ResourceDef& r, const std::string& address) {
    if (!ExpectMap(t, "'timeouts'", address, diags_)) return;
    CheckKeys(t, {"create", "update", "delete"}, "'timeouts'", address, diags_);
    auto read = [&](const char* key, std::chrono::seconds& into) {
      const YamlNode* v = t.Get(key);
      if (!v) return;
      auto text = ExpectString(*v, fmt::format("'timeouts.{}'", key), address, diags_);
      if (!text) return;
      if (auto d = ParseDuration(*text)) {
        into = *d;
        return;
      }
      diags_.Error(v->loc, address,
                   fmt::format("'timeouts.{}' must be a duration such as 30s, 10m or 1h (at most 168h), not \"{}\"",
                               key, *text));
    };
    read("create", r.timeouts.create);
    read("update", r.timeouts.update);
    read("delete", r.timeouts.destroy);
  }

  void ParseModules(const YamlNode& ms) {
    if (!ExpectMap(ms, "'modules'", "", diags_)) return;
    for (const auto& e : ms.entries) {
      if (!CheckName(e.key, e.key_loc, "module", diags_)) continue;
      std::string address = "module." + e.key;
      if (!ExpectMap(e.value, fmt::format("module '{}'", e.key), address, diags_)) continue;
      CheckKeys(e.value, {"source", "region", "inputs", "for_each", "count", "depends_on"}, "a module", address,
                diags_);
      ModuleCallDef m;
      m.name = e.key;
      m.loc = e.key_loc;
      const YamlNode* src = e.value.Get("source");
      if (!src) {
        diags_.Error(e.key_loc, address, "module has no 'source' (the module file, relative to this file)");
        continue;
      }
      auto s = ExpectString(*src, "'source'", address, diags_);
      if (!s) continue;
      m.source = {*s, src->loc};
      ParseMultiplicity(e.value, m.multi, address);
      if (const YamlNode* in = e.value.Get("inputs")) {
        if (ExpectMap(*in, "'inputs'", address, diags_)) {
          for (const auto& a : in->entries) {
            ExprPtr x = YamlToExpr(a.value, diags_, address);
            if (x) m.inputs.push_back({a.key, a.key_loc, x});
          }
        }
      }
      out_.modules.push_back(std::move(m));
    }
  }

  // `checks: {name: {assert: [{condition: ..., error_message: ...}]}}`; a
  // single assertion may be written as a map.
  // One {condition, error_message} map or a list of them (`assert:` of a
  // check, a lifecycle precondition / postcondition).
  void ParseAsserts(const YamlNode& a, const std::string& address, const char* key, std::vector<AssertDef>* out) {
    std::vector<const YamlNode*> items;
    if (a.is_map()) items.push_back(&a);
    else if (a.is_sequence()) for (const auto& i : a.items) items.push_back(&i);
    else diags_.Error(a.loc, address, fmt::format("'{}' must be a list of {{condition, error_message}} maps", key));
    for (const YamlNode* i : items) {
      if (!ExpectMap(*i, "an assertion", address, diags_)) continue;
      CheckKeys(*i, {"condition", "error_message"}, "an assertion", address, diags_);
      const YamlNode* cond = i->Get("condition");
      const YamlNode* msg = i->Get("error_message");
      if (!cond || !msg) {
        diags_.Error(i->loc, address, "an assertion needs both 'condition' and 'error_message'");
        continue;
      }
      AssertDef d{i->loc, YamlToExpr(*cond, diags_, address), YamlToExpr(*msg, diags_, address)};
      if (d.condition && d.error_message) out->push_back(std::move(d));
    }
  }

  void ParseChecks(const YamlNode& cs) {
    if (!ExpectMap(cs, "'checks'", "", diags_)) return;
    for (const auto& e : cs.entries) {
      if (!CheckName(e.key, e.key_loc, "check", diags_)) continue;
      std::string address = "check." + e.key;
      if (!ExpectMap(e.value, fmt::format("check '{}'", e.key), address, diags_)) continue;
      CheckKeys(e.value, {"assert", "description"}, "a check", address, diags_);
      CheckDef c;
      c.name = e.key;
      c.loc = e.key_loc;
      const YamlNode* a = e.value.Get("assert");
      if (!a) {
        diags_.Error(e.key_loc, address, "a check needs 'assert:' (a list of {condition, error_message})");
        continue;
      }
      ParseAsserts(*a, address, "assert", &c.asserts);
      out_.checks.push_back(std::move(c));
    }
  }

  void ParseOutputs(const YamlNode& os) {
    if (!ExpectMap(os, "'outputs'", "", diags_)) return;
    for (const auto& e : os.entries) {
      if (!CheckName(e.key, e.key_loc, "output", diags_)) continue;
      OutputDef o;
      o.name = e.key;
      o.loc = e.key_loc;
      const YamlNode* value = &e.value;
      if (e.value.is_map() && e.value.Get("value")) {
        CheckKeys(e.value, {"value", "sensitive", "description"}, "an output", "", diags_);
        value = e.value.Get("value");
        if (const YamlNode* s = e.value.Get("sensitive"))
          if (auto b = ExpectBool(*s, "'sensitive'", "", diags_)) o.sensitive = *b;
        if (const YamlNode* d = e.value.Get("description"))
          if (auto s = ExpectString(*d, "'description'", "", diags_)) o.description = *s;
      }
      o.value = YamlToExpr(*value, diags_, "");
      if (o.value) out_.outputs.push_back(std::move(o));
    }
  }

  ModuleFile& out_;
  Diagnostics& diags_;
  bool part_;
};

}  // namespace

ExprPtr YamlToExpr(const YamlNode& node, Diagnostics& diags, const std::string& address) {
  switch (node.kind) {
    case YamlNode::Kind::kNull: return Literal(Value::Null(), node.loc);
    case YamlNode::Kind::kScalar: {
      if (auto lit = PlainLiteral(node)) return Literal(*lit, node.loc);
      SourceLoc start = node.loc;
      auto parsed = ParseTemplate(node.scalar, start);
      if (!parsed.ok()) {
        Error err = parsed.error();
        const std::string& m = err.message;
        if (!node.quoted && (m.find("end of input") != std::string::npos || m.find("unterminated") != std::string::npos))
          err.message += kCutAtCommentHint;
        ReportExprError(err, address, node.loc, diags);
        return nullptr;
      }
      return *parsed;
    }
    case YamlNode::Kind::kSequence: {
      auto e = std::make_shared<Expr>();
      e->kind = ExprKind::kList;
      e->loc = node.loc;
      bool ok = true;
      for (const auto& item : node.items) {
        ExprPtr x = YamlToExpr(item, diags, address);
        ok = ok && x;
        e->operands.push_back(x);
      }
      return ok ? ExprPtr(e) : nullptr;
    }
    case YamlNode::Kind::kMap: {
      auto e = std::make_shared<Expr>();
      e->kind = ExprKind::kMap;
      e->loc = node.loc;
      bool ok = true;
      for (const auto& entry : node.entries) {
        ExprPtr x = YamlToExpr(entry.value, diags, address);
        ok = ok && x;
        e->keys.push_back(Literal(Value::String(entry.key), entry.key_loc));
        e->operands.push_back(x);
      }
      return ok ? ExprPtr(e) : nullptr;
    }
  }
  return nullptr;
}

Value YamlToValue(const YamlNode& node) {
  switch (node.kind) {
    case YamlNode::Kind::kNull: return Value::Null();
    case YamlNode::Kind::kScalar:
      if (auto lit = PlainLiteral(node)) return *lit;
      return Value::String(node.scalar);
    case YamlNode::Kind::kSequence: {
      Value::List items;
      for (const auto& i : node.items) items.push_back(YamlToValue(i));
      return Value::MakeList(std::move(items));
    }
    case YamlNode::Kind::kMap: {
      Value::Map items;
      for (const auto& e : node.entries) items.emplace(e.key, YamlToValue(e.value));
      return Value::MakeMap(std::move(items));
    }
  }
  return Value::Null();
}

std::unique_ptr<ModuleFile> ParseModuleFile(const YamlNode& root, const std::string& path, bool is_root,
                                            Diagnostics& diags, bool part) {
  auto out = std::make_unique<ModuleFile>();
  out->path = path;
  out->is_root = is_root;
  FileParser(*out, diags, part).Parse(root);
  return out;
}

bool SplitLocation(const std::string& m, SourceLoc* loc, std::string* rest) {
  // The message is "file:line:col: text"; the file may itself hold ':'.
  auto digits = [](std::string_view s) {
    if (s.empty() || s.size() > 9) return false;
    for (char c : s)
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
  };
  for (size_t sep = m.find(": "); sep != std::string::npos; sep = m.find(": ", sep + 2)) {
    std::string_view head(m.data(), sep);
    if (head.find(' ') != std::string_view::npos) return false;  // past the location
    size_t c2 = head.rfind(':');
    size_t c1 = c2 == std::string_view::npos || c2 == 0 ? std::string_view::npos : head.rfind(':', c2 - 1);
    if (c1 == std::string_view::npos || !digits(head.substr(c1 + 1, c2 - c1 - 1)) || !digits(head.substr(c2 + 1)))
      continue;
    loc->file = std::string(head.substr(0, c1));
    loc->line = std::stoi(std::string(head.substr(c1 + 1, c2 - c1 - 1)));
    loc->column = std::stoi(std::string(head.substr(c2 + 1)));
    *rest = m.substr(sep + 2);
    return true;
  }
  return false;
}

void ReportExprError(const Error& error, const std::string& address, const SourceLoc& fallback,
                     Diagnostics& diags) {
  SourceLoc loc;
  std::string rest;
  if (SplitLocation(error.message, &loc, &rest))
    diags.Error(loc, address, rest);
  else
    diags.Error(fallback, address, error.message);
}

}  // namespace infra::engine

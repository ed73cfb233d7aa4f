// Shared pieces of the provider contract: schema lookup, default hooks
// (Poll, Import, RequiresReplace, PlanKnown, UpgradeState) and the equality
// rules both the engine's diff and the provider's reads use.
#include "providers/provider.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace infra::provider {

std::string_view AttrTypeName(AttrType t) {
  switch (t) {
    case AttrType::kString: return "string";
    case AttrType::kNumber: return "number";
    case AttrType::kBool: return "bool";
    case AttrType::kListString: return "list(string)";
    case AttrType::kMapString: return "map(string)";
    case AttrType::kListAny: return "list";
    case AttrType::kMapAny: return "map";
    case AttrType::kAny: return "any";
    case AttrType::kObject: return "object";
    case AttrType::kListObject: return "list(object)";
    case AttrType::kSetString: return "set(string)";
  }
  return "?";
}

const AttributeSchema* ResourceSchema::Find(std::string_view name) const {
  for (const auto& a : attributes)
    if (a.name == name) return &a;
  return nullptr;
}

const AttributeSchema* AttributeSchema::FindNested(std::string_view n) const {
  for (const auto& a : block)
    if (a.name == n) return &a;
  return nullptr;
}

Result<PollResult> ResourceType::Poll(const OperationContext&, const Attributes& current, Phase) {
  PollResult r;
  r.status = PollStatus::kReady;
  r.attributes = current;
  return r;
}

Result<Attributes> ResourceType::Import(const OperationContext& ctx, const std::string& id) {
  auto got = Read(ctx.region, {id});
  if (!got.ok()) return got.error();
  auto it = got->find(id);
  if (it == got->end())
    return MakeError(Error::Kind::kNotFound, "NotFound",
                     fmt::format("{} {} does not exist in {}", schema().type, id, ctx.region));
  return it->second;
}

std::vector<std::string> ResourceType::RequiresReplace(const Attributes&, const Attributes&) const { return {}; }

Attributes ResourceType::PlanKnown(const OperationContext&, const Attributes&) const {
  return nlohmann::json::object();
}

Result<Attributes> ResourceType::UpgradeState(int, const Attributes& stored) const { return stored; }

namespace {

bool Emptyish(const nlohmann::json& v) {
  return v.is_null() || ((v.is_array() || v.is_object()) && v.empty());
}

// Scalars as the stack language prints them: 80 and 80.0 are "80".
std::string ScalarText(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) {
    double d = v.get<double>();
    if (std::floor(d) == d && std::fabs(d) < 1e15) return fmt::format("{}", static_cast<long long>(d));
    return v.dump();
  }
  return v.dump();
}

bool IsScalar(const nlohmann::json& v) { return v.is_string() || v.is_number() || v.is_boolean(); }

std::string UrlDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

nlohmann::json Canonical(const nlohmann::json& v) {
  if (v.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (auto it = v.begin(); it != v.end(); ++it) out[it.key()] = Canonical(it.value());
    return out;
  }
  if (!v.is_array()) return IsScalar(v) ? nlohmann::json(ScalarText(v)) : v;
  if (v.size() == 1) return Canonical(v[0]);
  std::vector<nlohmann::json> items;
  for (const auto& e : v) items.push_back(Canonical(e));
  // Order does not matter in a policy's lists (actions, resources,
  // statements): sort by canonical text.
  std::sort(items.begin(), items.end(), [](const auto& x, const auto& y) { return x.dump() < y.dump(); });
  return nlohmann::json(items);
}

bool ExactEqual(const nlohmann::json& a, const nlohmann::json& b);

bool SameBlock(const AttributeSchema& s, const nlohmann::json& a, const nlohmann::json& b) {
  if (!a.is_object() || !b.is_object()) return ExactEqual(a, b);
  for (const auto& n : s.block) {
    nlohmann::json x = a.contains(n.name) ? a[n.name] : nlohmann::json();
    nlohmann::json y = b.contains(n.name) ? b[n.name] : nlohmann::json();
    // What AWS fills in is not a difference when one side leaves it out.
    if (n.mode == AttrMode::kComputed) continue;
    if (n.mode == AttrMode::kOptionalComputed && (x.is_null() || y.is_null())) continue;
    if (!SameValue(n, x, y)) return false;
  }
  for (auto it = a.begin(); it != a.end(); ++it)  // keys outside the block schema
    if (!s.FindNested(it.key()) && !ExactEqual(it.value(), b.contains(it.key()) ? b[it.key()] : nlohmann::json()))
      return false;
  return true;
}

bool ExactEqual(const nlohmann::json& a, const nlohmann::json& b) {
  if (Emptyish(a) && Emptyish(b)) return true;
  if (IsScalar(a) && IsScalar(b)) return ScalarText(a) == ScalarText(b);
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!ExactEqual(a[i], b[i])) return false;
    return true;
  }
  if (a.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it)
      if (!ExactEqual(it.value(), b.contains(it.key()) ? b[it.key()] : nlohmann::json())) return false;
    for (auto it = b.begin(); it != b.end(); ++it)
      if (!a.contains(it.key()) && !it.value().is_null()) return false;
    return true;
  }
  return a == b;
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

nlohmann::json CanonicalJsonDocument(const nlohmann::json& doc) {
  if (doc.is_object() || doc.is_array()) return Canonical(doc);
  if (!doc.is_string()) return nullptr;
  const std::string& text = doc.get_ref<const std::string&>();
  auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) parsed = nlohmann::json::parse(UrlDecode(text), nullptr, false);
  if (parsed.is_discarded() || !(parsed.is_object() || parsed.is_array())) return nullptr;
  return Canonical(parsed);
}

bool SameValue(const AttributeSchema& s, const nlohmann::json& a, const nlohmann::json& b) {
  if (Emptyish(a) && Emptyish(b)) return true;
  switch (s.equality) {
    case Equality::kJsonDocument: {
      nlohmann::json x = CanonicalJsonDocument(a), y = CanonicalJsonDocument(b);
      if (x.is_null() || y.is_null()) return ExactEqual(a, b);  // not documents: as text
      return x == y;
    }
    case Equality::kCaseInsensitive:
      if (IsScalar(a) && IsScalar(b)) return Lower(ScalarText(a)) == Lower(ScalarText(b));
      return ExactEqual(a, b);
    case Equality::kSet: {
      if (!a.is_array() || !b.is_array()) return ExactEqual(a, b);
      std::set<std::string> x, y;
      for (const auto& e : a) x.insert(IsScalar(e) ? ScalarText(e) : e.dump());
      for (const auto& e : b) y.insert(IsScalar(e) ? ScalarText(e) : e.dump());
      return x == y;
    }
    case Equality::kExact: break;
  }
  if (s.type == AttrType::kSetString) {
    AttributeSchema as_set = s;
    as_set.equality = Equality::kSet;
    return SameValue(as_set, a, b);
  }
  if (s.type == AttrType::kObject && !s.block.empty()) return SameBlock(s, a, b);
  if (s.type == AttrType::kListObject && !s.block.empty() && a.is_array() && b.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!SameBlock(s, a[i], b[i])) return false;
    return true;
  }
  return ExactEqual(a, b);
}

}  // namespace infra::provider

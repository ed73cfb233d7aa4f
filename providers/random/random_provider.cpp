// random_* types: values from OpenSSL's RAND_bytes, characters drawn without
// modulo bias; the min_* counts are met first, then the rest is filled from
// every enabled set and the whole shuffled. Read "finds" every object it is
// asked about (there is nothing remote to lose), so state keeps its value.
#include "providers/random/random_provider.h"

#include <fmt/format.h>
#include <openssl/rand.h>

#include <algorithm>
#include <map>

namespace infra::random {
namespace {

using provider::AttrMode;
using provider::AttrType;
using provider::Attributes;
using provider::AttributeSchema;

AttributeSchema Attr(std::string name, AttrType type, AttrMode mode, nlohmann::json def = nullptr,
                     bool sensitive = false) {
  AttributeSchema a;
  a.name = std::move(name);
  a.type = type;
  a.mode = mode;
  a.default_value = std::move(def);
  a.sensitive = sensitive;
  a.force_new = mode != AttrMode::kComputed;  // any argument changed: a new value
  return a;
}

AttributeSchema Range(AttributeSchema a, double min, double max) {
  a.checks.push_back({provider::AttrCheck::Kind::kRange, {}, {}, min, max});
  return a;
}

// A uniformly random number in [0, n) from the OS's CSPRNG.
Result<uint32_t> Below(uint32_t n) {
  uint32_t limit = UINT32_MAX - UINT32_MAX % n;
  for (;;) {
    uint32_t v = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&v), sizeof v) != 1)
      return MakeError(Error::Kind::kInternal, "RandomFailed", "the system's random number generator failed");
    if (v < limit) return v % n;
  }
}

int Int(const Attributes& a, const char* key, int def) {
  return a.contains(key) && a[key].is_number() ? a[key].get<int>() : def;
}
bool Flag(const Attributes& a, const char* key) { return !a.contains(key) || !a[key].is_boolean() || a[key].get<bool>(); }

// The characters of a random_password / random_string, per its arguments.
Result<std::string> Characters(const Attributes& a) {
  std::string special = a.contains("override_special") && a["override_special"].is_string()
                            ? a["override_special"].get<std::string>()
                            : "!@#$%&*()-_=+[]{}<>:?";
  struct Set {
    const char* flag;
    const char* min;
    std::string chars;
  };
  std::vector<Set> sets = {{"upper", "min_upper", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
                           {"lower", "min_lower", "abcdefghijklmnopqrstuvwxyz"},
                           {"numeric", "min_numeric", "0123456789"},
                           {"special", "min_special", special}};
  int length = Int(a, "length", 0);
  std::string all, out;
  for (const Set& s : sets) {
    if (!Flag(a, s.flag) || s.chars.empty()) continue;
    all += s.chars;
    for (int i = 0; i < Int(a, s.min, 0); ++i) {
      auto k = Below(static_cast<uint32_t>(s.chars.size()));
      if (!k.ok()) return k.error();
      out += s.chars[*k];
    }
  }
  if (all.empty())
    return MakeError(Error::Kind::kInvalid, "NoCharacters", "upper, lower, numeric and special are all false");
  if (static_cast<int>(out.size()) > length)
    return MakeError(Error::Kind::kInvalid, "LengthTooShort",
                     fmt::format("length {} is less than the min_* counts ({})", length, out.size()));
  while (static_cast<int>(out.size()) < length) {
    auto k = Below(static_cast<uint32_t>(all.size()));
    if (!k.ok()) return k.error();
    out += all[*k];
  }
  for (size_t i = out.size(); i > 1; --i) {  // Fisher-Yates
    auto j = Below(static_cast<uint32_t>(i));
    if (!j.ok()) return j.error();
    std::swap(out[i - 1], out[*j]);
  }
  return out;
}

Result<std::string> Bytes(int n) {
  std::string b(static_cast<size_t>(n), '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(b.data()), n) != 1)
    return MakeError(Error::Kind::kInternal, "RandomFailed", "the system's random number generator failed");
  return b;
}

std::string Base64(const std::string& bytes, bool url) {
  static const char* kStd = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static const char* kUrl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const char* t = url ? kUrl : kStd;
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += t[(v >> s) & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t v = uint8_t(bytes[i]) << 16;
    if (rest == 2) v |= uint8_t(bytes[i + 1]) << 8;
    out += t[(v >> 18) & 63];
    out += t[(v >> 12) & 63];
    if (rest == 2) out += t[(v >> 6) & 63];
    if (!url) out += rest == 2 ? "=" : "==";
  }
  return out;
}

// The big-endian unsigned integer `bytes` in decimal.
std::string Decimal(const std::string& bytes) {
  std::vector<uint8_t> num(bytes.begin(), bytes.end());
  std::string digits;
  while (std::any_of(num.begin(), num.end(), [](uint8_t b) { return b != 0; })) {
    unsigned rem = 0;
    for (auto& b : num) {
      unsigned cur = rem * 256 + b;
      b = static_cast<uint8_t>(cur / 10);
      rem = cur % 10;
    }
    digits += static_cast<char>('0' + rem);
  }
  if (digits.empty()) digits = "0";
  std::reverse(digits.begin(), digits.end());
  return digits;
}

using Generate = Result<Attributes> (*)(const Attributes& desired);

Result<Attributes> MakeString(const Attributes& d, bool secret) {
  auto chars = Characters(d);
  if (!chars.ok()) return chars.error();
  Attributes out = d;
  out["result"] = *chars;
  if (!secret) {
    out["id"] = *chars;
    return out;
  }
  auto id = Bytes(8);
  if (!id.ok()) return id.error();
  std::string hex;
  for (unsigned char c : *id) hex += fmt::format("{:02x}", c);
  out["id"] = "password-" + hex;
  return out;
}

Result<Attributes> MakePassword(const Attributes& d) { return MakeString(d, true); }
Result<Attributes> MakeRandomString(const Attributes& d) { return MakeString(d, false); }

Result<Attributes> MakeId(const Attributes& d) {
  auto b = Bytes(Int(d, "byte_length", 0));
  if (!b.ok()) return b.error();
  std::string prefix = d.contains("prefix") && d["prefix"].is_string() ? d["prefix"].get<std::string>() : "";
  std::string hex;
  for (unsigned char c : *b) hex += fmt::format("{:02x}", c);
  Attributes out = d;
  out["b64_url"] = prefix + Base64(*b, true);
  out["b64_std"] = prefix + Base64(*b, false);
  out["hex"] = prefix + hex;
  out["dec"] = prefix + Decimal(*b);
  out["id"] = Base64(*b, true);
  return out;
}

class RandomType : public provider::ResourceType {
 public:
  RandomType(provider::ResourceSchema schema, Generate generate) : schema_(std::move(schema)), generate_(generate) {}
  const provider::ResourceSchema& schema() const override { return schema_; }
  Result<provider::ApplyResult> Create(const provider::OperationContext&, const Attributes& desired) override {
    auto made = generate_(desired);
    if (!made.ok()) return made.error();
    return provider::ApplyResult{*made, false};
  }
  // Every argument forces replacement: an update only keeps the value.
  Result<provider::ApplyResult> Update(const provider::OperationContext&, const Attributes& prior,
                                       const Attributes& desired) override {
    Attributes out = prior;
    for (auto kv = desired.begin(); kv != desired.end(); ++kv) out[kv.key()] = kv.value();
    return provider::ApplyResult{out, false};
  }
  Result<provider::ApplyResult> Delete(const provider::OperationContext&, const Attributes&) override {
    return provider::ApplyResult{};
  }
  Result<std::map<std::string, Attributes>> Read(const std::string&, const std::vector<std::string>& ids) override {
    std::map<std::string, Attributes> out;
    for (const auto& id : ids) out[id] = Attributes{{"id", id}};  // the rest is what state recorded
    return out;
  }
  Result<std::optional<Attributes>> FindByAddress(const provider::OperationContext&, const Attributes&) override {
    return std::optional<Attributes>{};  // nothing remote: a lost create is made again
  }

 private:
  provider::ResourceSchema schema_;
  Generate generate_;
};

provider::ResourceSchema Schema(std::string type, std::vector<AttributeSchema> attributes) {
  provider::ResourceSchema s;
  s.type = std::move(type);
  s.service = "random";
  s.taggable = false;
  s.scope = provider::Scope::kGlobal;
  s.attributes = std::move(attributes);
  return s;
}

std::vector<AttributeSchema> CharacterArguments() {
  return {Range(Attr("length", AttrType::kNumber, AttrMode::kRequired), 1, 4096),
          Attr("special", AttrType::kBool, AttrMode::kOptional, true),
          Attr("upper", AttrType::kBool, AttrMode::kOptional, true),
          Attr("lower", AttrType::kBool, AttrMode::kOptional, true),
          Attr("numeric", AttrType::kBool, AttrMode::kOptional, true),
          Range(Attr("min_upper", AttrType::kNumber, AttrMode::kOptional, 0), 0, 4096),
          Range(Attr("min_lower", AttrType::kNumber, AttrMode::kOptional, 0), 0, 4096),
          Range(Attr("min_numeric", AttrType::kNumber, AttrMode::kOptional, 0), 0, 4096),
          Range(Attr("min_special", AttrType::kNumber, AttrMode::kOptional, 0), 0, 4096),
          Attr("override_special", AttrType::kString, AttrMode::kOptional),
          Attr("keepers", AttrType::kMapString, AttrMode::kOptional)};
}

class RandomProvider : public provider::Provider {
 public:
  RandomProvider() {
    auto password = CharacterArguments();
    password.push_back(Attr("result", AttrType::kString, AttrMode::kComputed, nullptr, /*sensitive=*/true));
    Add(Schema("random_password", std::move(password)), MakePassword);
    auto string = CharacterArguments();
    string.push_back(Attr("result", AttrType::kString, AttrMode::kComputed));
    Add(Schema("random_string", std::move(string)), MakeRandomString);
    Add(Schema("random_id", {Range(Attr("byte_length", AttrType::kNumber, AttrMode::kRequired), 1, 1024),
                             Attr("prefix", AttrType::kString, AttrMode::kOptional),
                             Attr("keepers", AttrType::kMapString, AttrMode::kOptional),
                             Attr("b64_url", AttrType::kString, AttrMode::kComputed),
                             Attr("b64_std", AttrType::kString, AttrMode::kComputed),
                             Attr("hex", AttrType::kString, AttrMode::kComputed),
                             Attr("dec", AttrType::kString, AttrMode::kComputed)}),
        MakeId);
  }
  provider::ResourceType* Find(std::string_view type) const override {
    auto it = types_.find(std::string(type));
    return it == types_.end() ? nullptr : it->second.get();
  }
  std::vector<std::string> TypeNames() const override {
    std::vector<std::string> out;
    for (const auto& [name, t] : types_) out.push_back(name);
    return out;
  }

 private:
  void Add(provider::ResourceSchema schema, Generate generate) {
    std::string name = schema.type;
    types_[name] = std::make_unique<RandomType>(std::move(schema), generate);
  }
  std::map<std::string, std::unique_ptr<RandomType>> types_;
};

}  // namespace

std::unique_ptr<provider::Provider> NewRandomProvider() { return std::make_unique<RandomProvider>(); }

}  // namespace infra::random

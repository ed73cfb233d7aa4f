// Encoding, hashing and network functions with Terraform's semantics:
// jsonencode, jsondecode, yamlencode, yamldecode, base64encode,
// base64decode, md5, sha1, sha256, cidrsubnets, cidrnetmask. Digests use
// OpenSSL's EVP interface; YAML is written by hand in Terraform's style
// (every string double-quoted, block style).
#include <fmt/format.h>
#include <openssl/evp.h>

#include <cstdint>
#include <nlohmann/json.hpp>

#include "engine/lang/cidr.h"
#include "engine/lang/diag.h"
#include "engine/lang/expr_function_kit.h"
#include "engine/lang/stack_parser.h"
#include "engine/lang/yaml_reader.h"

namespace infra::engine {

std::string Base64Encode(std::string_view bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(n >> s) & 63];
  }
  if (i + 1 == bytes.size()) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string DigestHex(const char* algorithm, std::string_view bytes, std::string* raw) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  std::string_view a = algorithm;
  const EVP_MD* type = a == "MD5" ? EVP_md5() : a == "SHA1" ? EVP_sha1() : a == "SHA512" ? EVP_sha512() : EVP_sha256();
  EVP_Digest(bytes.data(), bytes.size(), md, &len, type, nullptr);
  if (raw) raw->assign(reinterpret_cast<const char*>(md), len);
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) hex += fmt::format("{:02x}", md[i]);
  return hex;
}

namespace {

Result<Value> JsonEncodeFn(const Fn& f) {
  std::string text = f.args[0].ToJson().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;  // Terraform escapes <, > and & (they only occur inside strings)
  for (char c : text) {
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else out += c;
  }
  return Value::String(std::move(out));
}

Result<Value> JsonDecodeFn(const Fn& f) {
  auto s = f.Str(0);
  if (!s) return s.error();
  auto j = nlohmann::json::parse(*s, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return FnError(f.name, "the argument is not valid JSON");
  return Value::FromJson(j);
}

std::string YamlScalar(const Value& v) {
  if (v.kind() == ValueKind::kString)
    return nlohmann::json(v.AsString()).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return v.is_null() ? "null" : v.ToInterpolated();
}

bool IsEmptyCollection(const Value& v, std::string* text) {
  if (v.kind() == ValueKind::kList && v.AsList().empty()) return *text = "[]", true;
  if (v.kind() == ValueKind::kMap && v.AsMap().empty()) return *text = "{}", true;
  return false;
}

// Appends `v` as the block-style body of a node at `indent`; `inline_first`
// means the first line continues the current line (after "- ").
void EmitYaml(const Value& v, size_t indent, bool inline_first, std::string* out) {
  std::string pad(indent, ' ');
  bool first = true;
  auto lead = [&] {
    if (!(first && inline_first)) *out += pad;
    first = false;
  };
  if (v.kind() == ValueKind::kMap && !v.AsMap().empty()) {
    for (const auto& [k, e] : v.AsMap()) {
      lead();
      *out += YamlScalar(Value::String(k)) + ":";
      std::string empty;
      if (e.kind() == ValueKind::kMap && !IsEmptyCollection(e, &empty)) {
        *out += "\n";
        EmitYaml(e, indent + 2, false, out);
      } else if (e.kind() == ValueKind::kList && !IsEmptyCollection(e, &empty)) {
        *out += "\n";
        EmitYaml(e, indent, false, out);
      } else {
        *out += " " + (IsEmptyCollection(e, &empty) ? empty : YamlScalar(e)) + "\n";
      }
    }
    return;
  }
  if (v.kind() == ValueKind::kList && !v.AsList().empty()) {
    for (const auto& e : v.AsList()) {
      lead();
      *out += "- ";
      std::string empty;
      if (!IsEmptyCollection(e, &empty) && (e.kind() == ValueKind::kList || e.kind() == ValueKind::kMap))
        EmitYaml(e, indent + 2, true, out);
      else
        *out += (IsEmptyCollection(e, &empty) ? empty : YamlScalar(e)) + "\n";
    }
    return;
  }
  std::string empty;
  lead();
  *out += (IsEmptyCollection(v, &empty) ? empty : YamlScalar(v)) + "\n";
}

Result<Value> YamlEncodeFn(const Fn& f) {
  std::string out;
  EmitYaml(f.args[0], 0, false, &out);
  return Value::String(std::move(out));
}

Result<Value> YamlDecodeFn(const Fn& f) {
  auto s = f.Str(0);
  if (!s) return s.error();
  Diagnostics diags;
  auto root = ReadYamlString(*s, "<yamldecode>", diags);
  if (!root || diags.has_errors())
    return FnError(f.name, fmt::format("the argument is not valid YAML: {}",
                                       diags.items().empty() ? "syntax error" : diags.items().front().summary));
  return YamlToValue(*root);
}

Result<Value> Base64EncodeFn(const Fn& f) {
  auto s = f.Str(0);
  if (!s) return s.error();
  return Value::String(Base64Encode(*s));
}

Result<Value> Base64DecodeFn(const Fn& f) {
  auto s = f.Str(0);
  if (!s) return s.error();
  auto digit = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
  };
  if (s->size() % 4 != 0) return FnError(f.name, "the argument is not valid base64 (its length is not a multiple of 4)");
  std::string out;
  for (size_t i = 0; i < s->size(); i += 4) {
    uint32_t n = 0;
    int pad = 0;
    for (size_t j = 0; j < 4; ++j) {
      char c = (*s)[i + j];
      if (c == '=' && i + 4 == s->size() && j >= 2) {
        ++pad;
        n <<= 6;
        continue;
      }
      int d = digit(c);
      if (d < 0 || pad) return FnError(f.name, fmt::format("the argument is not valid base64 (at offset {})", i + j));
      n = (n << 6) | static_cast<uint32_t>(d);
    }
    out += static_cast<char>((n >> 16) & 0xFF);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xFF);
    if (pad < 1) out += static_cast<char>(n & 0xFF);
  }
  return Value::String(std::move(out));
}

template <const char* kAlgorithm>
Result<Value> DigestFn(const Fn& f) {
  auto s = f.Str(0);
  if (!s) return s.error();
  return Value::String(DigestHex(kAlgorithm, *s, nullptr));
}
constexpr char kMd5[] = "MD5";
constexpr char kSha1[] = "SHA1";
constexpr char kSha256[] = "SHA256";

Result<Value> CidrNetmaskFn(const Fn& f) {
  auto s = f.Str(0);
  if (!s) return s.error();
  auto c = ParseIpv4Cidr(*s);
  if (!c) return FnError(f.name, c.error().message);
  uint32_t mask = c->prefix_length == 0 ? 0 : ~uint32_t{0} << (32 - c->prefix_length);
  return Value::String(FormatIpv4(mask));
}

// cidrsubnets(prefix, newbits...): consecutive subnets, each aligned to its
// own size, as hashicorp/go-cidr allocates them.
Result<Value> CidrSubnetsFn(const Fn& f) {
  auto s = f.Str(0);
  if (!s) return s.error();
  auto base = ParseIpv4Cidr(*s);
  if (!base) return FnError(f.name, base.error().message);
  uint64_t next = base->address;
  const uint64_t end = uint64_t{base->address} + (uint64_t{1} << (32 - base->prefix_length));
  Value::List out;
  for (size_t i = 1; i < f.args.size(); ++i) {
    auto nb = f.Int(i);
    if (!nb) return nb.error();
    int len = base->prefix_length + static_cast<int>(*nb);
    if (*nb < 1 || len > 32)
      return FnError(f.name, fmt::format("{} newbits {} would make a prefix longer than /32 or not longer than /{}",
                                         Ordinal(i), *nb, base->prefix_length));
    uint64_t size = uint64_t{1} << (32 - len);
    next = (next + size - 1) / size * size;
    if (next + size > end) return FnError(f.name, fmt::format("not enough remaining address space for a /{}", len));
    out.push_back(Value::String(Ipv4Cidr{static_cast<uint32_t>(next), len}.ToString()));
    next += size;
  }
  return Value::MakeList(std::move(out));
}

}  // namespace

const std::vector<FunctionDef>& EncodingFunctionDefs() {
  static const std::vector<FunctionDef> defs = {
      {"base64decode", 1, 1, UnknownRule::kAnyUnknown, false, Base64DecodeFn},
      {"base64encode", 1, 1, UnknownRule::kAnyUnknown, false, Base64EncodeFn},
      {"cidrnetmask", 1, 1, UnknownRule::kAnyUnknown, false, CidrNetmaskFn},
      {"cidrsubnets", 1, kVariadic, UnknownRule::kAnyUnknown, false, CidrSubnetsFn},
      {"jsondecode", 1, 1, UnknownRule::kAnyUnknown, false, JsonDecodeFn},
      {"jsonencode", 1, 1, UnknownRule::kAnyUnknown, true, JsonEncodeFn},
      {"md5", 1, 1, UnknownRule::kAnyUnknown, false, DigestFn<kMd5>},
      {"sha1", 1, 1, UnknownRule::kAnyUnknown, false, DigestFn<kSha1>},
      {"sha256", 1, 1, UnknownRule::kAnyUnknown, false, DigestFn<kSha256>},
      {"yamldecode", 1, 1, UnknownRule::kAnyUnknown, false, YamlDecodeFn},
      {"yamlencode", 1, 1, UnknownRule::kAnyUnknown, true, YamlEncodeFn},
  };
  return defs;
}

}  // namespace infra::engine

// SigV4 stages: canonical request, string to sign, signing key + signature,
// Authorization header / presigned query. Follows the AWS spec and the
// aws-c-auth test suite (header values trimmed with inner whitespace runs
// collapsed, duplicate headers joined with ',').
#include "providers/aws/sdk/sigv4.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <map>

#include <fmt/format.h>

namespace infra::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

std::string ToHex(const unsigned char* data, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return out;
}

// SHA-256 through an explicitly fetched digest and a per-thread context:
// OpenSSL 3's one-shot HMAC()/EVP_Digest re-fetch the algorithm on every
// call, which made signing ~10x slower than the hashing itself.
const EVP_MD* Sha256Md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

struct DigestCtx {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~DigestCtx() { EVP_MD_CTX_free(ctx); }
};

using Digest = std::array<unsigned char, 32>;

Digest Sha256Parts(std::initializer_list<std::string_view> parts) {
  thread_local DigestCtx d;
  Digest out{};
  unsigned int len = 0;
  EVP_DigestInit_ex(d.ctx, Sha256Md(), nullptr);
  for (std::string_view p : parts) EVP_DigestUpdate(d.ctx, p.data(), p.size());
  EVP_DigestFinal_ex(d.ctx, out.data(), &len);
  return out;
}

std::string_view View(const Digest& d) {
  return std::string_view(reinterpret_cast<const char*>(d.data()), d.size());
}

// HMAC-SHA256 (RFC 2104) over the fetched digest.
std::string HmacRaw(std::string_view key, std::string_view data) {
  constexpr size_t kBlock = 64;
  Digest hashed_key;
  if (key.size() > kBlock) {
    hashed_key = Sha256Parts({key});
    key = View(hashed_key);
  }
  std::array<char, kBlock> ipad{};
  std::array<char, kBlock> opad{};
  for (size_t i = 0; i < kBlock; ++i) {
    char k = i < key.size() ? key[i] : 0;
    ipad[i] = static_cast<char>(k ^ 0x36);
    opad[i] = static_cast<char>(k ^ 0x5c);
  }
  Digest inner = Sha256Parts({std::string_view(ipad.data(), kBlock), data});
  Digest outer = Sha256Parts({std::string_view(opad.data(), kBlock), View(inner)});
  return std::string(View(outer));
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Trims and collapses each whitespace run (including folded line breaks)
// into one space, as the spec's "trimall".
std::string TrimAll(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  bool pending_space = false;
  for (char c : v) {
    if (IsSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

// Removes "." and ".." segments and empty segments; keeps a trailing slash.
std::string NormalizePath(std::string_view path) {
  std::vector<std::string_view> segs;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view seg = path.substr(i, j - i);
    if (seg == "..") {
      if (!segs.empty()) segs.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segs.push_back(seg);
    }
    i = j + 1;
  }
  std::string out;
  for (auto s : segs) out += "/" + std::string(s);
  bool trailing = !path.empty() && path.back() == '/';
  if (out.empty() || trailing) out.push_back('/');
  return out;
}

using Headers = std::vector<std::pair<std::string, std::string>>;

// Sets header `name` (case-insensitive) in place if present, else appends.
void SetHeader(Headers& headers, std::string_view name, std::string value) {
  for (auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::string(name), std::move(value));
}

void RemoveHeader(Headers& headers, std::string_view name) {
  std::erase_if(headers, [&](const auto& h) { return EqualsIgnoreCase(h.first, name); });
}

bool HasHeader(const Headers& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return EqualsIgnoreCase(h.first, name); });
}

Status Validate(const SigningRequest& request, const Credentials& creds) {
  if (creds.access_key_id.empty() || creds.secret_access_key.empty()) {
    return MakeError(Error::Kind::kAuth, "InvalidCredentials",
                     "cannot sign: the credentials have an empty access key id or secret key");
  }
  if (!HasHeader(request.headers, "host")) {
    return MakeError(Error::Kind::kInternal, "SigningError",
                     "cannot sign: the request has no Host header [this is a bug]");
  }
  return {};
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  Digest d = Sha256Parts({data});
  return ToHex(d.data(), d.size());
}

std::string UriEncode(std::string_view s, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0xf]);
    }
  }
  return out;
}

SigningOptions SigningOptions::ForService(std::string_view signing_name) {
  SigningOptions o;
  if (signing_name == "s3") {
    o.double_uri_encode = false;
    o.normalize_path = false;
    o.add_content_sha256_header = true;
  }
  return o;
}

SigV4Signer::SigV4Signer(std::string region, std::string service, SigningOptions options)
    : region_(std::move(region)), service_(std::move(service)), options_(options) {}

std::string SigV4Signer::AmzDate(TimePoint t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string SigV4Signer::CredentialScope(std::string_view amz_date) const {
  return fmt::format("{}/{}/{}/aws4_request", amz_date.substr(0, 8), region_, service_);
}

std::string SigV4Signer::CanonicalUri(std::string_view path) const {
  if (path.empty()) return "/";
  std::string p = options_.normalize_path ? NormalizePath(path) : std::string(path);
  return options_.double_uri_encode ? UriEncode(p, /*keep_slash=*/true) : p;
}

std::string SigV4Signer::CanonicalQueryString(const QueryParams& query) {
  std::vector<std::pair<std::string, std::string>> enc;
  enc.reserve(query.size());
  for (const auto& [k, v] : query) enc.emplace_back(UriEncode(k, false), UriEncode(v, false));
  std::sort(enc.begin(), enc.end());
  std::string out;
  for (const auto& [k, v] : enc) {
    if (!out.empty()) out.push_back('&');
    out += k + "=" + v;
  }
  return out;
}

std::pair<std::string, std::string> SigV4Signer::CanonicalHeaders(const Headers& headers) {
  // std::map keeps names sorted; values keep their request order.
  std::map<std::string, std::string> merged;
  for (const auto& [name, value] : headers) {
    std::string lname = Lower(name);
    auto [it, inserted] = merged.emplace(lname, TrimAll(value));
    if (!inserted) it->second += "," + TrimAll(value);
  }
  std::string block;
  std::string signed_list;
  for (const auto& [name, value] : merged) {
    block += name + ":" + value + "\n";
    if (!signed_list.empty()) signed_list.push_back(';');
    signed_list += name;
  }
  return {block, signed_list};
}

std::string SigV4Signer::CanonicalRequest(const SigningRequest& request,
                                          std::string_view payload_hash) const {
  auto [block, signed_list] = CanonicalHeaders(request.headers);
  return fmt::format("{}\n{}\n{}\n{}\n{}\n{}", request.method, CanonicalUri(request.path),
                     CanonicalQueryString(request.query), block, signed_list, payload_hash);
}

std::string SigV4Signer::StringToSign(std::string_view amz_date,
                                      std::string_view canonical_request) const {
  return fmt::format("{}\n{}\n{}\n{}", kAlgorithm, amz_date, CredentialScope(amz_date),
                     Sha256Hex(canonical_request));
}

std::string SigV4Signer::Signature(std::string_view secret_access_key, std::string_view amz_date,
                                   std::string_view string_to_sign) const {
  // The derived key changes once a day per (secret, region, service): keep
  // the last one per thread (bounded, lock-free) instead of 4 HMACs a call.
  struct KeyCache {
    std::string secret, date, region, service, key;
  };
  thread_local KeyCache cache;
  std::string_view date = amz_date.substr(0, 8);
  if (cache.key.empty() || cache.secret != secret_access_key || cache.date != date ||
      cache.region != region_ || cache.service != service_) {
    std::string key = HmacRaw("AWS4" + std::string(secret_access_key), date);
    key = HmacRaw(key, region_);
    key = HmacRaw(key, service_);
    cache = {std::string(secret_access_key), std::string(date), region_, service_,
             HmacRaw(key, "aws4_request")};
  }
  std::string sig = HmacRaw(cache.key, string_to_sign);
  return ToHex(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());
}

std::string SigV4Signer::AuthorizationHeader(std::string_view access_key_id,
                                             std::string_view amz_date,
                                             std::string_view signed_headers,
                                             std::string_view signature) const {
  return fmt::format("{} Credential={}/{}, SignedHeaders={}, Signature={}", kAlgorithm,
                     access_key_id, CredentialScope(amz_date), signed_headers, signature);
}

Result<SigningResult> SigV4Signer::SignHeaders(SigningRequest& request, const Credentials& creds,
                                               TimePoint now) const {
  if (auto st = Validate(request, creds); !st) return st.error();
  SigningResult r;
  r.amz_date = AmzDate(now);
  r.credential_scope = CredentialScope(r.amz_date);
  r.payload_hash = options_.unsigned_payload ? std::string(kUnsignedPayload)
                   : request.payload_hash   ? *request.payload_hash
                                            : Sha256Hex(request.body);
  RemoveHeader(request.headers, "authorization");
  bool sign_token = creds.HasSessionToken() && !options_.omit_session_token;
  if (sign_token) SetHeader(request.headers, "X-Amz-Security-Token", creds.session_token);
  if (!creds.HasSessionToken()) RemoveHeader(request.headers, "x-amz-security-token");
  SetHeader(request.headers, "X-Amz-Date", r.amz_date);
  if (options_.add_content_sha256_header) {
    SetHeader(request.headers, "x-amz-content-sha256", r.payload_hash);
  }
  r.signed_headers = CanonicalHeaders(request.headers).second;
  r.canonical_request = CanonicalRequest(request, r.payload_hash);
  r.string_to_sign = StringToSign(r.amz_date, r.canonical_request);
  r.signature = Signature(creds.secret_access_key, r.amz_date, r.string_to_sign);
  r.authorization = AuthorizationHeader(creds.access_key_id, r.amz_date, r.signed_headers,
                                        r.signature);
  if (creds.HasSessionToken() && !sign_token) {
    SetHeader(request.headers, "X-Amz-Security-Token", creds.session_token);
  }
  request.headers.emplace_back("Authorization", r.authorization);
  return r;
}

Result<SigningResult> SigV4Signer::Presign(SigningRequest& request, const Credentials& creds,
                                           TimePoint now, std::chrono::seconds expires) const {
  if (auto st = Validate(request, creds); !st) return st.error();
  SigningResult r;
  r.amz_date = AmzDate(now);
  r.credential_scope = CredentialScope(r.amz_date);
  r.payload_hash = options_.unsigned_payload ? std::string(kUnsignedPayload)
                   : request.payload_hash   ? *request.payload_hash
                                            : Sha256Hex(request.body);
  r.signed_headers = CanonicalHeaders(request.headers).second;
  auto& q = request.query;
  q.emplace_back("X-Amz-Algorithm", std::string(kAlgorithm));
  q.emplace_back("X-Amz-Credential", creds.access_key_id + "/" + r.credential_scope);
  q.emplace_back("X-Amz-Date", r.amz_date);
  q.emplace_back("X-Amz-SignedHeaders", r.signed_headers);
  q.emplace_back("X-Amz-Expires", std::to_string(expires.count()));
  bool sign_token = creds.HasSessionToken() && !options_.omit_session_token;
  if (sign_token) q.emplace_back("X-Amz-Security-Token", creds.session_token);
  r.canonical_request = CanonicalRequest(request, r.payload_hash);
  r.string_to_sign = StringToSign(r.amz_date, r.canonical_request);
  r.signature = Signature(creds.secret_access_key, r.amz_date, r.string_to_sign);
  if (creds.HasSessionToken() && !sign_token) {
    q.emplace_back("X-Amz-Security-Token", creds.session_token);
  }
  q.emplace_back("X-Amz-Signature", r.signature);
  return r;
}

}  // namespace infra::aws

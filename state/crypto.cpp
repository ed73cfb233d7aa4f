// AES-256-GCM via OpenSSL EVP, key parsing and the key file.
#include "state/crypto.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "state/state_file.h"

namespace infra::state {
namespace {

constexpr std::string_view kBlobVersion = "v1";
constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;
constexpr std::string_view kKeyCheckText = "infra state key check";
constexpr std::string_view kBase64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Error CryptoError(std::string what) { return MakeError(Error::Kind::kInternal, "StateCrypto", std::move(what)); }

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::optional<std::string> HexDecode(std::string_view s) {
  if (s.size() % 2) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < s.size(); i += 2) {
    auto nib = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    int hi = nib(s[i]), lo = nib(s[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

struct CtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter>;

const unsigned char* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int k = 18; k >= 0; k -= 6) out.push_back(kBase64Chars[(n >> k) & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    if (rest == 2) n |= uint8_t(bytes[i + 1]) << 8;
    out.push_back(kBase64Chars[(n >> 18) & 63]);
    out.push_back(kBase64Chars[(n >> 12) & 63]);
    out.push_back(rest == 2 ? kBase64Chars[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  size_t pad = 0;
  for (char c : text) {
    if (c == '=') {
      ++pad;
      continue;
    }
    if (pad) return MakeError(Error::Kind::kInvalid, "BadBase64", "padding in the middle of base64 text");
    size_t v = kBase64Chars.find(c == '-' ? '+' : c == '_' ? '/' : c);
    if (v == std::string_view::npos) return MakeError(Error::Kind::kInvalid, "BadBase64", "not base64 text");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

Result<Cipher> Cipher::FromText(std::string_view text) {
  std::string t = Trim(text);
  if (t.size() == 2 * kKeySize) {
    if (auto hex = HexDecode(t)) return Cipher(*hex);
  }
  auto raw = Base64Decode(t);
  if (raw && raw->size() == kKeySize) return Cipher(*raw);
  return MakeError(Error::Kind::kInvalid, "StateKeyInvalid",
                   "the state key must be 32 bytes written as 64 hex digits or as base64 (44 characters)");
}

Result<Cipher> Cipher::Generate() {
  std::string key(kKeySize, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), kKeySize) != 1)
    return CryptoError("cannot generate random bytes for a state key");
  return Cipher(key);
}

Result<std::string> Cipher::Encrypt(std::string_view plaintext, std::string_view aad) const {
  std::string out(kBlobVersion);
  std::string nonce(kNonceSize, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), kNonceSize) != 1)
    return CryptoError("cannot generate a nonce");
  out += nonce;
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key_), U(nonce)) != 1)
    return CryptoError("cannot initialise AES-256-GCM");
  if (!aad.empty() && EVP_EncryptUpdate(ctx.get(), nullptr, &len, U(aad), static_cast<int>(aad.size())) != 1)
    return CryptoError("AES-256-GCM aad failed");
  std::string body(plaintext.size() + 16, '\0');
  auto* b = reinterpret_cast<unsigned char*>(body.data());
  if (EVP_EncryptUpdate(ctx.get(), b, &len, U(plaintext), static_cast<int>(plaintext.size())) != 1)
    return CryptoError("AES-256-GCM encryption failed");
  int total = len;
  if (EVP_EncryptFinal_ex(ctx.get(), b + total, &len) != 1) return CryptoError("AES-256-GCM final failed");
  total += len;
  body.resize(static_cast<size_t>(total));
  std::string tag(kTagSize, '\0');
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, tag.data()) != 1)
    return CryptoError("AES-256-GCM tag failed");
  return out + body + tag;
}

Result<std::string> Cipher::Decrypt(std::string_view blob, std::string_view aad) const {
  if (blob.size() < kBlobVersion.size() + kNonceSize + kTagSize || blob.substr(0, 2) != kBlobVersion)
    return MakeError(Error::Kind::kInvalid, "StateCorrupt", "an encrypted state value is malformed");
  std::string_view nonce = blob.substr(2, kNonceSize);
  std::string_view body = blob.substr(2 + kNonceSize, blob.size() - 2 - kNonceSize - kTagSize);
  std::string tag(blob.substr(blob.size() - kTagSize));
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key_), U(nonce)) != 1)
    return CryptoError("cannot initialise AES-256-GCM");
  if (!aad.empty() && EVP_DecryptUpdate(ctx.get(), nullptr, &len, U(aad), static_cast<int>(aad.size())) != 1)
    return CryptoError("AES-256-GCM aad failed");
  std::string out(body.size() + 16, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (EVP_DecryptUpdate(ctx.get(), o, &len, U(body), static_cast<int>(body.size())) != 1)
    return CryptoError("AES-256-GCM decryption failed");
  int total = len;
  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data());
  if (EVP_DecryptFinal_ex(ctx.get(), o + total, &len) != 1)
    return MakeError(Error::Kind::kAuth, "StateKeyMismatch",
                     "an encrypted state value does not decrypt with this key (wrong key, or the value was altered)");
  total += len;
  out.resize(static_cast<size_t>(total));
  return out;
}

Result<std::string> Cipher::MakeKeyCheck() const { return Encrypt(kKeyCheckText, "key-check"); }

bool Cipher::MatchesKeyCheck(std::string_view check) const {
  auto plain = Decrypt(check, "key-check");
  return plain.ok() && *plain == kKeyCheckText;
}

std::string Cipher::ToBase64() const { return Base64Encode(key_); }

namespace {

Result<LoadedKey> ReadKeyFile(const std::string& key_file) {
  if (::access(key_file.c_str(), R_OK) != 0 && errno == EACCES)  // a reader who may not see secrets
    return MakeError(Error::Kind::kAuth, "StateKeyMissing",
                     fmt::format("cannot read the state key file {} (permission denied): sensitive values cannot "
                                 "be read or written",
                                 key_file));
  std::ifstream in(key_file);
  std::stringstream text;
  text << in.rdbuf();
  if (!in && !in.eof())
    return MakeError(Error::Kind::kInvalid, "StateKeyInvalid", fmt::format("cannot read state key file {}", key_file));
  auto cipher = Cipher::FromText(text.str());
  if (!cipher) {
    cipher.error().message = fmt::format("{}: {}", key_file, cipher.error().message);
    return cipher.error();
  }
  struct stat st {};
  if (::stat(key_file.c_str(), &st) == 0 && (st.st_mode & 077))
    std::fprintf(stderr, "warning: state key file %s is readable by other users; run chmod 600 %s\n",
                 key_file.c_str(), key_file.c_str());
  return LoadedKey{*cipher, key_file, false};
}

Result<LoadedKey> CreateKeyFile(const std::string& key_file) {
  auto cipher = Cipher::Generate();
  if (!cipher) return cipher.error();
  if (auto s = CreatePrivateDirectories(std::filesystem::path(key_file).parent_path().string()); !s) return s.error();
  int fd = ::open(key_file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EEXIST) return ReadKeyFile(key_file);  // another process won the race
  if (fd < 0)
    return MakeError(Error::Kind::kOther, "StateKeyFile",
                     fmt::format("cannot create state key file {}: {}", key_file, std::strerror(errno)));
  std::string text = cipher->ToBase64() + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(key_file.c_str());
    return MakeError(Error::Kind::kOther, "StateKeyFile", fmt::format("cannot write state key file {}", key_file));
  }
  std::fprintf(stderr,
               "infra: created state encryption key %s (mode 0600). Sensitive values in state are encrypted with "
               "it: back it up and keep it out of version control, or set INFRA_STATE_KEY instead.\n",
               key_file.c_str());
  return LoadedKey{*cipher, key_file, true};
}

}  // namespace

Result<LoadedKey> ResolveKey(const std::string& key_file, bool may_create) {
  if (const char* env = std::getenv("INFRA_STATE_KEY"); env && *env) {
    auto cipher = Cipher::FromText(env);
    if (!cipher) {
      cipher.error().message = "INFRA_STATE_KEY: " + cipher.error().message;
      return cipher.error();
    }
    return LoadedKey{*cipher, "INFRA_STATE_KEY", false};
  }
  std::error_code ec;
  if (std::filesystem::exists(key_file, ec)) return ReadKeyFile(key_file);
  if (!may_create)
    return MakeError(Error::Kind::kAuth, "StateKeyMissing",
                     fmt::format("no state key: set INFRA_STATE_KEY or provide the key file {}", key_file));
  return CreateKeyFile(key_file);
}

}  // namespace infra::state

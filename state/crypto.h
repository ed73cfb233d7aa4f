// Cipher: AES-256-GCM (OpenSSL EVP) for sensitive values in state, and the
// key sources: INFRA_STATE_KEY (base64 or hex of 32 bytes) or a key file
// created with mode 0600 on first use. A key check value stored in the
// database tells a wrong key from a corrupt value.
#pragma once
#include <string>
#include <string_view>

#include "common/result.h"

namespace infra::state {

/// A 32-byte key. Blobs are "v1" || 12-byte random nonce || ciphertext ||
/// 16-byte tag; `aad` is authenticated, not stored.
class Cipher {
 public:
  static constexpr size_t kKeySize = 32;

  /// Parses 64 hex digits or base64 of exactly 32 bytes (whitespace trimmed).
  static Result<Cipher> FromText(std::string_view text);
  /// A fresh random key.
  static Result<Cipher> Generate();

  Result<std::string> Encrypt(std::string_view plaintext, std::string_view aad) const;
  /// Fails with code "StateKeyMismatch" when authentication fails.
  Result<std::string> Decrypt(std::string_view blob, std::string_view aad) const;
  /// A value to store beside encrypted data: encrypts a fixed text.
  Result<std::string> MakeKeyCheck() const;
  /// True if `check` was made by MakeKeyCheck with this key.
  bool MatchesKeyCheck(std::string_view check) const;
  /// Key as base64 (for writing the key file).
  std::string ToBase64() const;

 private:
  explicit Cipher(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

/// Where a key came from, for messages ("INFRA_STATE_KEY" or the file path).
struct LoadedKey {
  Cipher cipher;
  std::string description;
  bool created = false;  // the key file was created just now
};

/// Resolves the key: INFRA_STATE_KEY if set (an invalid value is an error),
/// else `key_file` if it exists (must not be readable by group/others? only
/// warned), else, when `may_create`, creates `key_file` with mode 0600 and
/// a random key. With neither and !may_create: code "StateKeyMissing".
Result<LoadedKey> ResolveKey(const std::string& key_file, bool may_create);

/// Base64 / hex helpers (standard alphabet, padded).
std::string Base64Encode(std::string_view bytes);
Result<std::string> Base64Decode(std::string_view text);

}  // namespace infra::state

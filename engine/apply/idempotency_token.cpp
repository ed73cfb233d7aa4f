// SHA-256 and random bytes from OpenSSL, printed as lower-case hex.
#include "engine/apply/idempotency_token.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace infra::engine {

std::string IdempotencyToken(const std::string& stack, const std::string& address, const std::string& nonce) {
  std::string input = stack + '\n' + address + '\n' + nonce;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(input.data(), input.size(), digest, &len, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < 16 && i < len; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

std::string NewNonce() {
  unsigned char bytes[8];
  RAND_bytes(bytes, sizeof bytes);
  std::string hex;
  for (unsigned char b : bytes) hex += fmt::format("{:02x}", b);
  return hex;
}

}  // namespace infra::engine

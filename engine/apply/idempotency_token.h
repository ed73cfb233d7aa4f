// Idempotency tokens: one per address per apply, passed to APIs that take a
// client token (EC2 ClientToken), so a create retried within one apply is
// recognised by AWS instead of making a twin.
#pragma once
#include <string>

namespace infra::engine {

/// The idempotency token for `address` in one apply: hex of
/// SHA-256(stack, address, nonce), 32 characters (fits EC2 ClientToken).
std::string IdempotencyToken(const std::string& stack, const std::string& address, const std::string& nonce);
/// A random nonce (16 hex characters), one per apply.
std::string NewNonce();

}  // namespace infra::engine

// AWS Signature Version 4, in separately testable stages as aws-c-auth does:
// canonical request -> string to sign -> signature -> Authorization header
// (or presigned query string). Handles S3's rules (no double URI-encoding,
// no path normalisation, x-amz-content-sha256, UNSIGNED-PAYLOAD) and session
// tokens. HMAC/SHA-256 from OpenSSL. Nothing here logs.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "providers/aws/sdk/credentials.h"

namespace infra::aws {

/// A plain HTTP request to sign. The signer adds headers (X-Amz-Date,
/// X-Amz-Security-Token, x-amz-content-sha256, Authorization) or query
/// parameters (presigning) to it in place.
struct SigningRequest {
  std::string method = "GET";
  /// The path exactly as it goes on the request line (the caller has
  /// percent-encoded it for the wire, e.g. S3 keys). "" means "/".
  std::string path = "/";
  /// Query parameters, NOT encoded (the signer encodes them). Order is
  /// irrelevant to the signature; duplicates allowed.
  QueryParams query;
  /// Headers in any case, duplicates allowed (values are joined with ","
  /// in the canonical form). Must contain "host" (with ":port" when not
  /// the scheme's default).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// Hex SHA-256 of the payload, or "UNSIGNED-PAYLOAD". nullopt = hash `body`.
  std::optional<std::string> payload_hash;
};

/// Per-service signing rules.
struct SigningOptions {
  /// URI-encode the (already wire-encoded) path once more. True for every
  /// service except S3.
  bool double_uri_encode = true;
  /// Remove "." / ".." segments and duplicate slashes. False for S3.
  bool normalize_path = true;
  /// Add and sign an x-amz-content-sha256 header carrying the payload hash
  /// (S3 requires it).
  bool add_content_sha256_header = false;
  /// Use "UNSIGNED-PAYLOAD" as the payload hash (S3 over TLS, presigned URLs).
  bool unsigned_payload = false;
  /// Add X-Amz-Security-Token after signing so it is not signed (rare;
  /// aws-c-auth "omit_session_token").
  bool omit_session_token = false;

  /// The rules for a signing name: "s3" gets S3's rules, others the defaults.
  static SigningOptions ForService(std::string_view signing_name);
};

/// The outputs of every stage, for tests and debugging (never log
/// `signature` together with the request: it is a bearer credential).
struct SigningResult {
  std::string amz_date;           // 20150830T123600Z
  std::string credential_scope;   // 20150830/us-east-1/service/aws4_request
  std::string signed_headers;     // host;x-amz-date
  std::string payload_hash;
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;          // hex
  std::string authorization;      // full Authorization header value (header signing)
};

/// Signs requests for one region and signing name.
class SigV4Signer {
 public:
  SigV4Signer(std::string region, std::string service, SigningOptions options = {});

  /// Header signing: adds X-Amz-Date, the session token (signed unless
  /// omit_session_token), x-amz-content-sha256 when configured, then
  /// Authorization. Error (kInvalid/kAuth) on missing host or empty keys.
  Result<SigningResult> SignHeaders(SigningRequest& request, const Credentials& creds,
                                    TimePoint now) const;

  /// Presigning: adds X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
  /// X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Security-Token (if any) and
  /// finally X-Amz-Signature to request.query. Headers are left unchanged.
  Result<SigningResult> Presign(SigningRequest& request, const Credentials& creds, TimePoint now,
                                std::chrono::seconds expires) const;

  // ---- The stages, public so each can be tested on its own. ----

  /// "20150830T123600Z" (UTC).
  static std::string AmzDate(TimePoint t);
  /// "<yyyymmdd>/<region>/<service>/aws4_request".
  std::string CredentialScope(std::string_view amz_date) const;
  /// The canonical URI for `path` under this signer's options.
  std::string CanonicalUri(std::string_view path) const;
  /// Sorted, encoded "k=v&k2=v2" of `query`.
  static std::string CanonicalQueryString(const QueryParams& query);
  /// Canonical headers block (each "name:value\n") and the signed headers
  /// list ("a;b;c") of every header in `headers`.
  static std::pair<std::string, std::string> CanonicalHeaders(
      const std::vector<std::pair<std::string, std::string>>& headers);
  /// The canonical request of `request` as it is (headers/query already
  /// complete). `payload_hash` is the last line.
  std::string CanonicalRequest(const SigningRequest& request, std::string_view payload_hash) const;
  /// "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256(canonical)>".
  std::string StringToSign(std::string_view amz_date, std::string_view canonical_request) const;
  /// Hex HMAC chain over the string to sign with the derived signing key.
  std::string Signature(std::string_view secret_access_key, std::string_view amz_date,
                        std::string_view string_to_sign) const;
  /// "AWS4-HMAC-SHA256 Credential=AKID/scope, SignedHeaders=..., Signature=...".
  std::string AuthorizationHeader(std::string_view access_key_id, std::string_view amz_date,
                                  std::string_view signed_headers, std::string_view signature) const;

  const std::string& region() const { return region_; }
  const std::string& service() const { return service_; }
  const SigningOptions& options() const { return options_; }

 private:
  std::string region_;
  std::string service_;
  SigningOptions options_;
};

/// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
/// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters
/// (A-Z a-z 0-9 - _ . ~) pass, everything else is %XX (upper hex); '/' passes
/// only when `keep_slash`.
std::string UriEncode(std::string_view s, bool keep_slash);

}  // namespace infra::aws

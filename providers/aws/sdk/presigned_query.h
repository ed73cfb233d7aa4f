// A query-protocol call as a SigV4 query-presigned GET URL, as the AWS SDKs
// build an RDS cross-region call's PreSignedUrl from SourceRegion (botocore
// handlers.py inject_presigned_url_rds): the call's parameters, Action and
// Version in the query string, signed with `host` only for the source
// region's endpoint. Pure: the client supplies endpoint, credentials, time.
#pragma once
#include <chrono>
#include <string>

#include "common/result.h"
#include "providers/aws/sdk/aws_client.h"
#include "providers/aws/sdk/credentials.h"
#include "providers/aws/sdk/endpoints.h"

namespace infra::aws {

/// "<endpoint>/?Action=..&Version=..&<params>&X-Amz-Algorithm=..&..&X-Amz-Signature=.."
/// signed for `ep`'s signing region and name at `now`, valid `expires`;
/// parameters in the given order, RFC 3986-encoded (botocore's form).
/// Error (kInvalid/kAuth) when the signer refuses (no host, empty keys).
Result<std::string> PresignedQueryUrl(const Endpoint& ep, const std::string& action, const std::string& api_version,
                                      const QueryParams& params, const Credentials& creds, TimePoint now,
                                      std::chrono::seconds expires);

}  // namespace infra::aws

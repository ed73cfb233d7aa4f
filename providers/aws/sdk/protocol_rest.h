// REST-XML / REST-JSON protocols (S3, Route 53): the caller gives method,
// encoded path, query and body; this file turns that into the request to
// sign, including S3 addressing (path-style under an endpoint override,
// virtual-hosted otherwise) and its payload-hash rules.
#pragma once
#include <string>

#include "providers/aws/sdk/aws_client.h"
#include "providers/aws/sdk/sigv4.h"

namespace infra::aws {

struct Endpoint;

/// The unsigned request for `request` against `endpoint` (mutated for S3
/// virtual-hosted addressing: the bucket moves from the path to the host).
/// `is_s3` selects S3's addressing rules.
SigningRequest BuildRestRequest(const RestRequest& request, Endpoint& endpoint, bool is_s3);

/// True when `bucket` can be a DNS label (virtual-hosted addressing).
bool IsDnsCompatibleBucket(const std::string& bucket);

}  // namespace infra::aws

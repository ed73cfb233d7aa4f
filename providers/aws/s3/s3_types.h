// The S3 family (REST-XML, path-style under an endpoint override): one
// Add*Types per file of providers/aws/s3/, called by
// providers/aws/aws_provider.cpp.
#pragma once

namespace infra::aws {

class TypeRegistry;

void AddS3BucketTypes(TypeRegistry& registry);  // bucket.cpp: aws_s3_bucket (minimal)

}  // namespace infra::aws

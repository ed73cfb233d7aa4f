// The S3 family (REST-XML, path-style under an endpoint override): one
// Add*Types per file of providers/aws/s3/, called by
// providers/aws/aws_provider.cpp.
#pragma once

namespace infra::aws {

class TypeRegistry;

/// Every S3 type and data source (s3_service.cpp calls the ones below).
void AddS3Types(TypeRegistry& registry);

void AddS3BucketTypes(TypeRegistry& registry);         // bucket.cpp: aws_s3_bucket (+ data source)
void AddS3VersioningTypes(TypeRegistry& registry);     // versioning.cpp
void AddS3EncryptionTypes(TypeRegistry& registry);     // encryption.cpp: ..._server_side_encryption_configuration
void AddS3PublicAccessTypes(TypeRegistry& registry);   // public_access_block.cpp: + ownership controls
void AddS3PolicyTypes(TypeRegistry& registry);         // policy.cpp
void AddS3LifecycleTypes(TypeRegistry& registry);      // lifecycle.cpp
void AddS3ReplicationTypes(TypeRegistry& registry);    // replication.cpp
void AddS3LoggingTypes(TypeRegistry& registry);        // logging.cpp

}  // namespace infra::aws

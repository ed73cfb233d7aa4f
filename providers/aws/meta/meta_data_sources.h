// Data sources about where the provider runs: aws_region, aws_partition and
// aws_caller_identity (STS GetCallerIdentity).
#pragma once

namespace infra::aws {

class TypeRegistry;

void AddMetaDataSources(TypeRegistry& registry);  // meta_data_sources.cpp

}  // namespace infra::aws

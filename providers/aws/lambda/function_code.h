// Where a function's code comes from: a zip file (filename, sent as
// ZipFile, base64), an S3 object or an image. The code is compared by
// source_code_hash and where it lives, never by uploading it again.
#pragma once
#include <string>

#include "common/result.h"
#include "providers/aws/kit/json_wire.h"
#include "providers/provider.h"

namespace infra::aws::lambda {

/// The `Code` of CreateFunction / the members of UpdateFunctionCode from
/// desired: ZipFile (the base64 of the file at `filename`), or S3Bucket /
/// S3Key / S3ObjectVersion, or ImageUri. Error (kInvalid) naming the file
/// when it cannot be read.
Result<nlohmann::json> CodeOf(const provider::Attributes& desired);

/// True when desired's code differs from prior's: source_code_hash, where
/// the code lives or the architectures changed (an unset desired value is
/// no change).
bool CodeChanged(const provider::Attributes& prior, const provider::Attributes& desired);

/// UpdateFunctionCode of function `id` with desired's code and
/// architectures.
Status UpdateCode(const kit::JsonCall& call, const std::string& region, const std::string& id,
                  const provider::Attributes& desired);

}  // namespace infra::aws::lambda

// The built-in archive provider: the `archive_file` data source, as
// Terraform's hashicorp/archive: a zip of a file, a directory or inline
// contents, written on this machine while planning, with its size and
// hashes (output_base64sha256 is what aws_lambda_function's
// source_code_hash wants). The zip is deterministic (zip_archive.h).
#pragma once
#include <memory>

#include "providers/provider.h"

namespace infra::archive {

/// The provider of the archive_file data source (no network).
std::unique_ptr<provider::Provider> NewArchiveProvider();

}  // namespace infra::archive

// ResourceCodec: a ResourceRecord <-> one `resources` row. Sensitive
// attributes leave the visible JSON and travel as one AES-256-GCM blob;
// loading decodes many rows on several threads (JSON parsing dominates).
// Internal to state/.
#pragma once
#include <string>
#include <vector>

#include "common/result.h"
#include "state/store.h"

namespace infra::state {

class Cipher;

/// A `resources` row as text, before/after SQLite.
struct ResourceRow {
  std::string address, deposed, type, region, region_alias, physical_id;
  std::string attributes;       // JSON object without the sensitive attributes
  std::string sensitive_names;  // JSON array of names
  std::string sensitive_blob;   // ciphertext; empty = none
  std::string dependencies;     // JSON array
  int64_t schema_version = 0;
};

/// How to reach the key: `cipher` may be null, then `key_error` explains why
/// (used only if a secret must be encrypted or decrypted).
struct CodecKey {
  const Cipher* cipher = nullptr;
  std::string key_error;
  std::string aad;   // binds blobs to the state's lineage
  std::string path;  // for messages
};

Result<ResourceRow> EncodeResource(const ResourceRecord& record, const CodecKey& key);
/// `redact`: sensitive attributes become "(sensitive value)" and no key is used.
/// kDeferred leaves the attribute object as text (ResourceRecord::attributes_json).
Result<ResourceRecord> DecodeResource(ResourceRow row, const CodecKey& key, bool redact, AttributeDecoding decoding);
/// Decodes all rows (in order) on up to hardware_concurrency threads.
Result<std::vector<ResourceRecord>> DecodeResources(std::vector<ResourceRow> rows, const CodecKey& key, bool redact,
                                                    AttributeDecoding decoding);

}  // namespace infra::state

// Encoding/decoding of resource rows, and the parallel decode for loads.
#include "state/resource_codec.h"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>
#include <thread>

#include "state/crypto.h"
#include "state/json_reader.h"

namespace infra::state {
namespace {

std::string Dump(const nlohmann::json& j) { return DumpJson(j); }

Error KeyMissing(const CodecKey& key) { return MakeError(Error::Kind::kAuth, "StateKeyMissing", key.key_error); }

}  // namespace

Result<ResourceRow> EncodeResource(const ResourceRecord& loaded, const CodecKey& key) {
  ResourceRecord decoded;
  if (!loaded.attributes_json.empty()) {  // from a deferred load: never write it back as an empty object
    decoded = loaded;
    if (auto s = DecodeAttributes(decoded); !s) return s.error();
  }
  const ResourceRecord& record = loaded.attributes_json.empty() ? loaded : decoded;
  // Null is what a load with AttributeDecoding::kSkipped leaves: writing it
  // back would erase the stored attributes.
  if (!record.attributes.is_object())
    return MakeError(Error::Kind::kInternal, "StateStorage",
                     fmt::format("{}: attributes must be a JSON object, not {} [this is a bug]", record.address,
                                 record.attributes.type_name()));
  nlohmann::json visible = record.attributes.is_object() ? record.attributes : nlohmann::json::object();
  nlohmann::json secrets = nlohmann::json::object();
  std::vector<std::string> names;
  for (const auto& name : record.sensitive_attributes) {
    auto it = visible.find(name);
    if (it == visible.end()) continue;
    secrets[name] = std::move(*it);
    visible.erase(it);
    names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  ResourceRow row{record.address,      record.deposed, record.type,   record.region,
                  record.region_alias, record.id,      Dump(visible), Dump(names),
                  "",                  Dump(record.dependencies),     record.schema_version};
  if (!names.empty()) {
    if (!key.cipher) return KeyMissing(key);
    auto blob = key.cipher->Encrypt(Dump(secrets), key.aad);
    if (!blob) return blob.error();
    row.sensitive_blob = std::move(*blob);
  }
  return row;
}

namespace {

// True for text that starts with '{' and ends with '}' (what DumpJson
// writes for an object); the full check happens when it is parsed.
bool LooksLikeObject(std::string_view text) { return text.size() >= 2 && text.front() == '{' && text.back() == '}'; }

// Appends the members of JSON object text `extra` to JSON object text
// `into`. The two never share a key: secrets leave the visible object.
void MergeObjectText(std::string& into, std::string_view extra) {
  if (extra.size() <= 2) return;
  if (into.size() <= 2) {
    into.assign(extra);
    return;
  }
  into.pop_back();
  into += ',';
  into.append(extra.substr(1));
}

Error NotAnObject(const std::string& path, const std::string& address, const char* what) {
  return MakeError(Error::Kind::kInvalid, "StateCorrupt",
                   fmt::format("{}{}{}: {} are not a JSON object", path, path.empty() ? "" : ": ", address, what));
}

}  // namespace

Status DecodeAttributes(ResourceRecord& record) {
  if (record.attributes_json.empty()) return {};
  nlohmann::json parsed = ParseJsonOrDiscard(record.attributes_json);
  if (!parsed.is_object()) return NotAnObject("", record.address, "stored attributes");
  record.attributes = std::move(parsed);
  record.attributes_json.clear();
  record.attributes_json.shrink_to_fit();
  return {};
}

Result<ResourceRecord> DecodeResource(ResourceRow row, const CodecKey& key, bool redact, AttributeDecoding decoding) {
  ResourceRecord r;
  r.address = std::move(row.address);
  r.deposed = std::move(row.deposed);
  r.type = std::move(row.type);
  r.region = std::move(row.region);
  r.region_alias = std::move(row.region_alias);
  r.id = std::move(row.physical_id);
  r.schema_version = static_cast<int>(row.schema_version);
  r.sensitive_attributes = ReadStringList(row.sensitive_names);
  r.dependencies = ReadStringList(row.dependencies);
  if (decoding == AttributeDecoding::kSkipped) {
    r.attributes = nullptr;
    return r;
  }
  std::string secrets;  // JSON object text of the sensitive attributes, if any
  if (!row.sensitive_blob.empty()) {
    if (redact) {
      nlohmann::json redacted = nlohmann::json::object();
      for (const auto& name : r.sensitive_attributes) redacted[name] = "(sensitive value)";
      secrets = Dump(redacted);
    } else {
      if (!key.cipher) return KeyMissing(key);
      auto plain = key.cipher->Decrypt(row.sensitive_blob, key.aad);
      if (!plain) {
        plain.error().message = fmt::format("{}: {}: {}", key.path, r.address, plain.error().message);
        return plain.error();
      }
      secrets = std::move(*plain);
      if (!LooksLikeObject(secrets)) return NotAnObject(key.path, r.address, "decrypted sensitive attributes");
    }
  }
  if (decoding == AttributeDecoding::kDeferred) {
    if (!LooksLikeObject(row.attributes)) return NotAnObject(key.path, r.address, "stored attributes");
    r.attributes = nullptr;
    r.attributes_json = std::move(row.attributes);
    MergeObjectText(r.attributes_json, secrets);
    return r;
  }
  r.attributes = ParseJsonOrDiscard(row.attributes);
  if (!r.attributes.is_object()) return NotAnObject(key.path, r.address, "stored attributes");
  if (secrets.empty()) return r;
  auto parsed = ParseJsonOrDiscard(secrets);
  if (!parsed.is_object()) return NotAnObject(key.path, r.address, "decrypted sensitive attributes");
  for (auto& [k, v] : parsed.items()) r.attributes[k] = std::move(v);
  return r;
}

Result<std::vector<ResourceRecord>> DecodeResources(std::vector<ResourceRow> rows, const CodecKey& key, bool redact,
                                                    AttributeDecoding decoding) {
  std::vector<ResourceRecord> out(rows.size());
  std::vector<Error> errors;
  std::mutex mu;
  size_t threads = rows.size() < 2000 ? 1 : std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
  size_t chunk = (rows.size() + threads - 1) / std::max<size_t>(threads, 1);
  auto work = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      auto r = DecodeResource(std::move(rows[i]), key, redact, decoding);
      if (!r) {
        std::lock_guard<std::mutex> guard(mu);
        errors.push_back(r.error());
        return;
      }
      out[i] = std::move(*r);
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t)
    pool.emplace_back(work, std::min(rows.size(), t * chunk), std::min(rows.size(), (t + 1) * chunk));
  work(0, std::min(rows.size(), chunk));
  for (auto& th : pool) th.join();
  if (!errors.empty()) return errors.front();
  return out;
}

}  // namespace infra::state

// Reads `backend:` (only that key, as state_path.cpp reads `stack:`), then
// the environment and -backend-config overrides.
#include "engine/cli/backend_config.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace infra::cli {
namespace fs = std::filesystem;
namespace {

const char* const kFields[] = {"type", "bucket", "key", "region", "dynamodb_table", "kms_key_id"};

bool Set(BackendChoice& c, const std::string& field, const std::string& value) {
  if (field == "type") c.type = value;
  else if (field == "bucket") c.s3.bucket = value;
  else if (field == "key") c.s3.key = value;
  else if (field == "region") c.s3.region = value;
  else if (field == "dynamodb_table") c.s3.dynamodb_table = value;
  else if (field == "kms_key_id") c.s3.kms_key_id = value;
  else return false;
  return true;
}

std::string RecordPath(const std::string& db_path) {
  return fs::path(db_path).replace_extension(".backend").string();
}

}  // namespace

std::string BackendChoice::Describe() const {
  if (type != "s3") return "local";
  return "s3://" + s3.bucket + "/" + s3.key + " (DynamoDB table " + s3.dynamodb_table + ", " + s3.region + ")";
}

std::string BackendChoice::ToJson() const {
  nlohmann::json j = {{"type", type}};
  if (type == "s3")
    j.update({{"bucket", s3.bucket}, {"key", s3.key}, {"region", s3.region}, {"dynamodb_table", s3.dynamodb_table}});
  return j.dump();
}

bool BackendChoice::SameAs(const BackendChoice& o) const { return ToJson() == o.ToJson(); }

Result<BackendChoice> ResolveBackend(const std::string& directory, const std::vector<std::string>& overrides) {
  std::error_code ec;
  fs::path file = fs::is_directory(directory, ec) ? fs::path(directory) / "stack.yaml" : fs::path(directory);
  BackendChoice c;
  try {
    YAML::Node root = YAML::LoadFile(file.string());
    if (root.IsMap() && root["backend"]) {
      YAML::Node b = root["backend"];
      auto where = [&](const YAML::Node& n) {
        return file.string() + ":" + std::to_string(n.Mark().line + 1) + ":" + std::to_string(n.Mark().column + 1);
      };
      if (!b.IsMap())
        return MakeError(Error::Kind::kInvalid, "BadBackend",
                         where(b) + ": 'backend' must be a map: {type: s3, bucket, key, region, dynamodb_table, kms_key_id}");
      for (const auto& e : b) {
        std::string field = e.first.as<std::string>();
        if (!e.second.IsScalar() || !Set(c, field, e.second.as<std::string>()))
          return MakeError(Error::Kind::kInvalid, "BadBackend",
                           where(e.first) + ": backend." + field +
                               ": expected one of type, bucket, key, region, dynamodb_table, kms_key_id (strings)");
      }
    }
  } catch (const YAML::Exception& e) {
    return MakeError(Error::Kind::kInvalid, "BadStack",
                     file.string() + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                         ": " + e.msg);
  }
  for (const char* field : kFields) {
    std::string name = "INFRA_BACKEND_" + std::string(field);
    for (auto& ch : name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (const char* v = std::getenv(name.c_str()); v && *v) Set(c, field, v);
  }
  for (const auto& o : overrides) {
    size_t eq = o.find('=');
    if (eq == std::string::npos || !Set(c, o.substr(0, eq), o.substr(eq + 1)))
      return MakeError(Error::Kind::kInvalid, "BadBackend",
                       "-backend-config " + o +
                           ": expected KEY=VALUE with KEY one of type, bucket, key, region, dynamodb_table, kms_key_id");
  }
  if (c.type == "s3" && c.s3.region.empty())
    for (const char* env : {"AWS_REGION", "AWS_DEFAULT_REGION"})
      if (const char* v = std::getenv(env); v && *v) {
        c.s3.region = v;
        break;
      }
  if (c.type != "s3" && c.type != "local")
    return MakeError(Error::Kind::kInvalid, "BadBackend",
                     file.string() + ": backend type '" + c.type + "' is not known (s3 or local)");
  if (c.type == "s3")
    if (std::string bad = state::remote::CheckConfig(c.s3); !bad.empty())
      return MakeError(Error::Kind::kInvalid, "BadBackend", file.string() + ": backend s3: " + bad);
  return c;
}

std::optional<BackendChoice> ReadBackendRecord(const std::string& db_path) {
  std::ifstream in(RecordPath(db_path));
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  auto j = nlohmann::json::parse(text.str(), nullptr, false);
  if (!j.is_object()) return std::nullopt;
  BackendChoice c;
  for (const char* field : kFields)
    if (j.contains(field) && j[field].is_string()) Set(c, field, j[field].get<std::string>());
  return c;
}

Status WriteBackendRecord(const std::string& db_path, const BackendChoice& choice) {
  std::error_code ec;
  fs::create_directories(fs::path(db_path).parent_path(), ec);
  std::string path = RecordPath(db_path);
  std::ofstream out(path, std::ios::trunc);
  out << choice.ToJson() << "\n";
  if (!out) return MakeError(Error::Kind::kOther, "BackendRecord", path + ": cannot write the backend record");
  return {};
}

Status CheckBackendUnchanged(const std::string& db_path, const BackendChoice& choice) {
  auto record = ReadBackendRecord(db_path);
  std::error_code ec;
  if (record && !record->SameAs(choice))
    return MakeError(Error::Kind::kInvalid, "BackendChanged",
                     "the state at " + db_path + " was last used with backend " + record->Describe() +
                         ", but the stack's backend is now " + choice.Describe() +
                         ": run `infra init -migrate-state` to move the state, or `infra init -reconfigure` to use the "
                         "new backend as it is");
  if (!record && choice.type == "s3" && fs::exists(db_path, ec))
    return MakeError(Error::Kind::kInvalid, "BackendChanged",
                     "a local state exists at " + db_path + " but the stack's backend is " + choice.Describe() +
                         ": run `infra init -migrate-state` to move it there");
  return {};
}

}  // namespace infra::cli

// archive_file: gathers the entries (source_file: its base name; source_dir:
// every regular file below it, by '/'-separated relative path, minus
// `excludes`; source blocks / source_content: their filename), writes the
// zip with WriteZip, then hashes the written file (OpenSSL).
#include "providers/archive/archive_provider.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "providers/archive/zip_archive.h"

namespace infra::archive {
namespace {

namespace fs = std::filesystem;
using provider::AttrMode;
using provider::AttrType;
using provider::Attributes;
using provider::AttributeSchema;

AttributeSchema Attr(std::string name, AttrType type, AttrMode mode) {
  AttributeSchema a;
  a.name = std::move(name);
  a.type = type;
  a.mode = mode;
  return a;
}

std::string Text(const nlohmann::json& a, const char* key) {
  return a.contains(key) && a[key].is_string() ? a[key].get<std::string>() : "";
}

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return MakeError(Error::Kind::kInvalid, "UnreadableSource", fmt::format("archive_file: cannot read {}", path.string()));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string Digest(const std::string& bytes, const EVP_MD* md) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), d, &n, md, nullptr);
  return std::string(reinterpret_cast<char*>(d), n);
}
std::string Hex(const std::string& b) {
  std::string out;
  for (unsigned char c : b) out += fmt::format("{:02x}", c);
  return out;
}
std::string Base64(const std::string& b) {
  std::string out(4 * ((b.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(b.data()),
                          static_cast<int>(b.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// The entries the arguments name.
Result<std::vector<ZipEntry>> Entries(const Attributes& args) {
  std::vector<ZipEntry> out;
  if (std::string file = Text(args, "source_file"); !file.empty()) {
    auto bytes = ReadFile(file);
    if (!bytes.ok()) return bytes.error();
    out.push_back({fs::path(file).filename().string(), std::move(*bytes)});
  }
  if (std::string dir = Text(args, "source_dir"); !dir.empty()) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
      return MakeError(Error::Kind::kInvalid, "NoSourceDir", fmt::format("archive_file: source_dir {} is not a directory", dir));
    std::vector<std::string> excludes;
    for (const auto& e : args.value("excludes", nlohmann::json::array()))
      if (e.is_string()) excludes.push_back(fs::path(e.get<std::string>()).lexically_normal().generic_string());
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      std::string rel = fs::relative(it->path(), dir, ec).generic_string();
      if (std::find(excludes.begin(), excludes.end(), rel) != excludes.end()) continue;
      auto bytes = ReadFile(it->path());
      if (!bytes.ok()) return bytes.error();
      out.push_back({rel, std::move(*bytes)});
    }
    if (ec)
      return MakeError(Error::Kind::kInvalid, "UnreadableSource",
                       fmt::format("archive_file: cannot list {}: {}", dir, ec.message()));
  }
  if (args.contains("source_content") && args["source_content"].is_string())
    out.push_back({Text(args, "source_content_filename"), args["source_content"].get<std::string>()});
  for (const auto& s : args.value("source", nlohmann::json::array()))
    if (s.is_object()) out.push_back({Text(s, "filename"), Text(s, "content")});
  for (const auto& e : out)
    if (e.name.empty())
      return MakeError(Error::Kind::kInvalid, "NoFilename", "archive_file: an inline source has no filename");
  return out;
}

class ArchiveFile : public provider::DataSourceType {
 public:
  ArchiveFile() {
    s_.type = "archive_file";
    s_.service = "archive";
    s_.taggable = false;
    s_.scope = provider::Scope::kGlobal;
    // `type:` names the data source in a stack: the archive's type is
    // "zip" unless given under `attributes:`.
    AttributeSchema type = Attr("type", AttrType::kString, AttrMode::kOptional);
    type.default_value = "zip";
    type.checks.push_back({provider::AttrCheck::Kind::kOneOf, {"zip"}, {}, 0, 0});
    AttributeSchema source = Attr("source", AttrType::kListObject, AttrMode::kOptional);
    source.block = {Attr("content", AttrType::kString, AttrMode::kRequired),
                    Attr("filename", AttrType::kString, AttrMode::kRequired)};
    AttributeSchema mode = Attr("output_file_mode", AttrType::kString, AttrMode::kOptional);
    mode.checks.push_back({provider::AttrCheck::Kind::kRegex, {}, "0?[0-7]{3}", 0, 0});
    s_.attributes = {type,
                     Attr("source_file", AttrType::kString, AttrMode::kOptional),
                     Attr("source_dir", AttrType::kString, AttrMode::kOptional),
                     Attr("source_content", AttrType::kString, AttrMode::kOptional),
                     Attr("source_content_filename", AttrType::kString, AttrMode::kOptional),
                     source,
                     Attr("excludes", AttrType::kSetString, AttrMode::kOptional),
                     Attr("output_path", AttrType::kString, AttrMode::kRequired),
                     mode};
    for (const char* out : {"output_md5", "output_sha", "output_sha256", "output_base64sha256", "id"})
      s_.attributes.push_back(Attr(out, AttrType::kString, AttrMode::kComputed));
    s_.attributes.push_back(Attr("output_size", AttrType::kNumber, AttrMode::kComputed));
    s_.checks = {{provider::SchemaCheck::Kind::kExactlyOneOf, {"source_file", "source_dir", "source_content", "source"}},
                 {provider::SchemaCheck::Kind::kConflictsWith, {"source_file", "source_content_filename"}}};
  }
  const provider::ResourceSchema& schema() const override { return s_; }

  Result<Attributes> Read(const provider::OperationContext&, const Attributes& args) override {
    auto entries = Entries(args);
    if (!entries.ok()) return entries.error();
    std::string path = Text(args, "output_path");
    std::string mode = Text(args, "output_file_mode");
    if (auto st = WriteZip(path, std::move(*entries), mode.empty() ? 0644 : std::stoul(mode, nullptr, 8)); !st.ok())
      return st.error();
    auto zip = ReadFile(path);
    if (!zip.ok()) return zip.error();
    Attributes out = args;
    out["output_size"] = zip->size();
    out["output_md5"] = Hex(Digest(*zip, EVP_md5()));
    out["output_sha"] = Hex(Digest(*zip, EVP_sha1()));
    std::string sha256 = Digest(*zip, EVP_sha256());
    out["output_sha256"] = Hex(sha256);
    out["output_base64sha256"] = Base64(sha256);
    out["id"] = out["output_sha"];
    return out;
  }

 private:
  provider::ResourceSchema s_;
};

class ArchiveProvider : public provider::Provider {
 public:
  provider::ResourceType* Find(std::string_view) const override { return nullptr; }
  std::vector<std::string> TypeNames() const override { return {}; }
  provider::DataSourceType* FindData(std::string_view type) const override {
    return type == "archive_file" ? file_.get() : nullptr;
  }
  std::vector<std::string> DataTypeNames() const override { return {"archive_file"}; }

 private:
  std::unique_ptr<ArchiveFile> file_ = std::make_unique<ArchiveFile>();
};

}  // namespace

std::unique_ptr<provider::Provider> NewArchiveProvider() { return std::make_unique<ArchiveProvider>(); }

}  // namespace infra::archive

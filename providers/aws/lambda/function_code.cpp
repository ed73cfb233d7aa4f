// A function's code (function_code.h): read from its zip file, compared by
// hash, updated by UpdateFunctionCode.
#include "providers/aws/lambda/function_code.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <fstream>
#include <sstream>
#include <utility>

#include "providers/aws/kit/wire.h"

namespace infra::aws::lambda {
namespace {

std::string Base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string Text(const provider::Attributes& a, const char* key) {
  return a.contains(key) && a[key].is_string() ? a[key].get<std::string>() : "";
}

}  // namespace

Result<nlohmann::json> CodeOf(const provider::Attributes& desired) {
  nlohmann::json code = nlohmann::json::object();
  if (std::string file = Text(desired, "filename"); !file.empty()) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    if (in) bytes << in.rdbuf();
    if (!in)
      return MakeError(Error::Kind::kInvalid, "UnreadableCode",
                       fmt::format("aws_lambda_function: cannot read the function's code at filename '{}'", file));
    code["ZipFile"] = Base64(bytes.str());
    return code;
  }
  for (auto [attr, member] : {std::pair{"s3_bucket", "S3Bucket"}, std::pair{"s3_key", "S3Key"},
                              std::pair{"s3_object_version", "S3ObjectVersion"}, std::pair{"image_uri", "ImageUri"}})
    if (std::string v = Text(desired, attr); !v.empty()) code[member] = v;
  return code;
}

bool CodeChanged(const provider::Attributes& prior, const provider::Attributes& desired) {
  for (const char* k : {"source_code_hash", "filename", "s3_bucket", "s3_key", "s3_object_version", "image_uri",
                        "architectures"}) {
    nlohmann::json d = desired.value(k, nlohmann::json()), p = prior.value(k, nlohmann::json());
    if (!d.is_null() && d != p) return true;
  }
  return false;
}

Status UpdateCode(const kit::JsonCall& call, const std::string& region, const std::string& id,
                  const provider::Attributes& desired) {
  auto code = CodeOf(desired);
  if (!code.ok()) return code.error();
  nlohmann::json body = *code;
  body["FunctionName"] = id;
  kit::ToJsonWire(desired, "architectures", body, "Architectures", kit::Conv::kStringList);
  auto r = call(region, "UpdateFunctionCode", body);
  return r.ok() ? Status() : Status(r.error());
}

}  // namespace infra::aws::lambda

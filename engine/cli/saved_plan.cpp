// The saved section of a plan file: variables, sealed secrets, stack digest.
// The seal is bound to the state's lineage (StateStore::Seal), so a plan
// cannot be replayed against another stack's state either.
#include "engine/cli/saved_plan.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/lang/expr_functions.h"  // ContainsSensitive
#include "engine/plan/plan_json.h"
#include "state/crypto.h"
#include "state/store.h"

namespace infra::cli {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kPurpose = "saved plan";

Error SavedError(const std::string& message) { return MakeError(Error::Kind::kInvalid, "PlanFile", message); }
}  // namespace

Result<std::string> StackDigest(const engine::Stack& stack) {
  fs::path root = fs::path(stack.file()).parent_path();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  for (const auto& file : stack.SourceFiles()) {
    std::ifstream f(file, std::ios::binary);
    if (!f) {
      EVP_MD_CTX_free(ctx);
      return SavedError("cannot read " + file + " to take the stack's digest");
    }
    std::stringstream bytes;
    bytes << f.rdbuf();
    // Name and length first, so moving bytes between files changes the digest.
    std::string head = fmt::format("{}\n{}\n", fs::path(file).lexically_relative(root).string(), bytes.str().size());
    EVP_DigestUpdate(ctx, head.data(), head.size());
    EVP_DigestUpdate(ctx, bytes.str().data(), bytes.str().size());
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  std::string out = "sha256:";
  for (unsigned int i = 0; i < len; ++i) out += fmt::format("{:02x}", md[i]);
  return out;
}

Result<json> SavedSection(const engine::Plan& plan, const engine::Stack& stack, const state::StateStore& store) {
  auto digest = StackDigest(stack);
  if (!digest.ok()) return digest.error();
  json variables = json::object(), sensitive_names = json::array(), secrets = json::object();
  for (const auto& [name, v] : stack.variables()) {
    if (engine::ContainsSensitive(v)) {
      sensitive_names.push_back(name);
      secrets[name] = v.ToJson();
    } else {
      variables[name] = v.ToJson();
    }
  }
  auto sealed = store.Seal(json{{"variables", secrets}, {"plan", engine::PlanSecrets(plan)}}, kPurpose);
  if (!sealed.ok()) return sealed.error();
  return json{{"stack_digest", *digest},
              {"variables", variables},
              {"sensitive_variables", sensitive_names},
              {"sealed", state::Base64Encode(*sealed)}};
}

// Throws json::type_error on a field of the wrong type (json::value does).
static Result<SavedInputs> ReadSavedSectionThrowing(const json& doc) {
  auto it = doc.find("saved");
  if (it == doc.end() || !it->is_object())
    return SavedError("this plan file does not carry the variables it was made with (it was written by an older "
                      "infra or by `plan --json`); make it again with `infra plan --out FILE`");
  SavedInputs in;
  in.stack_digest = it->value("stack_digest", "");
  in.sealed = it->value("sealed", "");
  json variables = it->value("variables", json::object());
  if (!variables.is_object()) return SavedError("the plan file's saved variables are not an object");
  for (auto v = variables.begin(); v != variables.end(); ++v)
    in.variables[v.key()] = engine::Value::FromJson(v.value());
  for (const auto& name : it->value("sensitive_variables", json::array()))
    if (name.is_string()) in.variables[name.get<std::string>()] = engine::Value::Unknown().WithSensitive();
  if (in.stack_digest.empty() || in.sealed.empty()) return SavedError("the plan file's saved section is incomplete");
  return in;
}

Result<SavedInputs> ReadSavedSection(const json& doc) {
  try {
    return ReadSavedSectionThrowing(doc);
  } catch (const json::exception& e) {  // e.g. "sealed": 1 in a damaged or hand-edited file
    return SavedError(std::string("the plan file's saved section is damaged: ") + e.what());
  }
}

Status Unseal(const state::StateStore& store, SavedInputs* in) {
  auto blob = state::Base64Decode(in->sealed);
  if (!blob.ok()) return SavedError("the plan file's sealed values are damaged");
  auto plain = store.Unseal(*blob, kPurpose);
  if (!plain.ok()) return plain.error();
  json secrets = plain->value("variables", json::object());
  for (auto v = secrets.begin(); secrets.is_object() && v != secrets.end(); ++v)
    in->variables[v.key()] = engine::Value::FromJson(v.value()).WithSensitive();
  in->plan_secrets = plain->value("plan", json::object());
  return {};
}

}  // namespace infra::cli

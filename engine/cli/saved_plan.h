// What `plan --out FILE` adds to the plan JSON so that `apply FILE` applies
// exactly the plan that was reviewed: the variable values it was made with
// (secrets sealed with the state key, with the secret parts of the planned
// values) and a digest of the stack files it was made from. The section
// is the "saved" key of the document (docs/plan-json.md).
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "common/result.h"
#include "engine/lang/stack.h"
#include "engine/plan/plan.h"

namespace infra::state {
class StateStore;
}

namespace infra::cli {

/// "sha256:<hex>" over every source file of `stack` (relative name and
/// bytes); a file that cannot be read is an error naming it.
Result<std::string> StackDigest(const engine::Stack& stack);

/// The "saved" section for `plan` made from `stack`: non-sensitive
/// variables in clear, sensitive ones and PlanSecrets(plan) sealed by
/// `store` (StateKeyMissing etc. when it cannot seal).
Result<nlohmann::json> SavedSection(const engine::Plan& plan, const engine::Stack& stack,
                                    const state::StateStore& store);

/// A saved section as read back, before its secrets are unsealed.
struct SavedInputs {
  /// Every variable; the sensitive ones are unknown + sensitive until
  /// Unseal fills them in.
  std::map<std::string, engine::Value> variables;
  std::string stack_digest;
  std::string sealed;
  nlohmann::json plan_secrets;  // filled by Unseal
};

/// Reads the "saved" section of a plan document; a document without one
/// (made by an older infra, or by `plan --json`) is refused: applying it
/// would apply today's variables, not the reviewed ones.
Result<SavedInputs> ReadSavedSection(const nlohmann::json& doc);

/// Decrypts the sealed part into `inputs` (StateKeyMismatch when the
/// state's key is not the one the plan was sealed with).
Status Unseal(const state::StateStore& store, SavedInputs* inputs);

}  // namespace infra::cli

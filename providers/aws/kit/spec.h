// A resource type as data: its schema, its service, one field table that
// maps attributes to wire names for create, update and read alike, the
// operations, the read policy, waits, adoption after a crash, and escape
// hatches (hooks) for what does not fit. kit::SpecType runs a Spec for the
// XML protocols (EC2 query and AWS query). docs/adding-a-resource-type.md.
#pragma once
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "providers/aws/kit/json_wire.h"
#include "providers/aws/kit/tags.h"
#include "providers/aws/kit/wire.h"
#include "providers/provider.h"

namespace infra::aws::kit {

/// What a field is used for (combined with `|`). Update operations send
/// the fields they name whatever their use.
enum FieldUse : unsigned { kCreate = 1, kRead = 2 };

/// One attribute on the wire. `param` is the request parameter (create and
/// the update operations that name the attribute); `path` the element inside
/// a read item. An empty path is derived from `param` by the protocol (EC2:
/// "CidrBlock" -> "cidrBlock"; AWS query: the same name); "-" = not read.
struct Field {
  std::string attr;
  std::string param;
  std::string path = {};
  Conv conv = Conv::kString;
  unsigned use = kCreate | kRead;
  /// Sent at create when desired has no value (null or "").
  nlohmann::json fallback = nullptr;
};

/// How resources are read back. kIdList: one describe call for up to
/// `max_ids` ids (`id_param`.N), items under `items`, each item's id at
/// `id_path`; when one id of a list is missing the whole call fails, so the
/// chunk is read again by `id_filter` (or one id at a time without one).
/// kPerId: one call per id (`id_param`=id), the item at `items`.
struct ReadPolicy {
  enum class Kind { kIdList, kPerId };
  Kind kind = Kind::kIdList;
  std::string action;
  std::string id_param;
  std::string items;
  std::string id_path = {};
  std::string id_filter = {};
  size_t max_ids = 100;
  std::string filter_param = "Filter";
};

/// The create call; the new id is at `id_path` of the reply (or given by
/// Hooks::id_of). `token`: send the idempotency token as ClientToken.
/// `idempotent`: the call may be re-sent without a token (a repeat fails
/// harmlessly, as CreateRoute's RouteAlreadyExists).
struct CreateOp {
  std::string action;
  std::string id_path;
  bool token = false;
  bool idempotent = false;
};

/// An in-place update: when any of `when` changed, call `action` with the
/// id parameters, `extra` and the `send` fields (default: `when`) from
/// desired, each under its field's param unless `rename`d for this call. A
/// field whose desired value is null is left out; when all are null and
/// there is an `unset_action`, that is called instead (with the id only).
/// `run`, when set, replaces all of this (the escape hatch).
struct UpdateOp {
  std::vector<std::string> when;
  std::string action = {};
  std::vector<std::string> send = {};
  std::map<std::string, std::string> rename = {};
  QueryParams extra = {};
  std::string unset_action = {};
  std::function<Status(const Call&, const std::string& region, const std::string& id,
                       const provider::Attributes& prior, const provider::Attributes& desired)>
      run = nullptr;
};

/// The delete call (`action` with the id parameters). Errors in `retry_codes`
/// mean dependents are still going away: the delete is retried through Poll
/// for up to `budget` (never beyond the resource's delete timeout); the
/// clock starts at the first retry. An empty `action` only forgets the
/// resource (an accepter: the other side's delete removes it).
struct DeleteOp {
  std::string action;
  std::vector<std::string> retry_codes = {"DependencyViolation"};
  std::chrono::minutes budget{10};
};

/// Waiting after create: attribute `status_attr` (read through the field
/// table) must reach a `ready` value; `pending` ones poll again after
/// `interval` (on the executor's timer queue, through Poll: no thread is
/// held); anything else fails.
struct Wait {
  std::string status_attr;
  std::vector<std::string> ready;
  std::vector<std::string> pending;
  std::chrono::milliseconds interval{5000};
};

/// Crash recovery (FindByAddress): by the infra:address tag (describe with
/// tag filters, tags checked client-side too), by a unique name (the id is
/// the desired `name_attr` value), by an id that follows from desired
/// (Hooks::id_of with no reply: an attachment), or not at all. A found
/// object of a tagged type must carry this address's infra:* tags.
/// kByTag narrows the describe by `filters` (from desired) besides the tag
/// filters, or instead of them when `tag_filters` is false (an API that
/// ignores tag filters); the tags are checked client-side either way.
/// kById adopts the object whatever its tags.
struct Adoption {
  enum class Kind { kNone, kByTag, kByName, kById };
  Kind kind = Kind::kByTag;
  std::string name_attr = {};
  std::function<std::vector<QueryFilter>(const provider::Attributes& desired)> filters = nullptr;
  bool tag_filters = true;
};

/// A create or update refused because a role or policy it names was made
/// seconds ago and has not propagated yet (IAM is eventually consistent;
/// Terraform's provider retries these for 2 minutes): the error `code`
/// whose message holds `message`. The kit reports it as NotFound, so the
/// engine retries the call on its clock within the grace of what the
/// resource depends on (an IAM type's: 2 minutes after its create) and then
/// fails with the error; with no dependency just made it fails at once.
struct PropagationError {
  std::string code;
  std::string message;
};

/// Escape hatches, each optional.
struct Hooks {
  /// Extra create parameters computed from desired (a generated name).
  std::function<void(const provider::OperationContext&, const provider::Attributes& desired, QueryParams&)>
      create_params;
  /// The new id from desired and the create reply (composite ids; the
  /// reply is empty when called for Adoption::kById).
  std::function<std::string(const provider::Attributes& desired, pugi::xml_node reply)> id_of;
  /// The parameters naming `id` in update/delete/per-id read calls
  /// (default: {{id_param, id}}).
  std::function<QueryParams(const std::string& id)> id_params;
  /// The parameters of a per-id read of `id` (default: id_params).
  std::function<QueryParams(const std::string& id)> read_params;
  /// After the create call, before the read-back (extra attribute calls).
  std::function<Status(const Call&, const provider::OperationContext&, const std::string& id,
                       const provider::Attributes& desired)>
      after_create;
  /// Before the delete call (detach dependents infra owns).
  std::function<Status(const Call&, const provider::OperationContext&, const provider::Attributes& prior)>
      before_delete;
  /// Attributes the field table cannot express (ARNs, nested reads); an
  /// item that yields null is gone.
  std::function<void(pugi::xml_node item, const std::string& region, provider::Attributes& a)> on_read;
  /// The parameters of the delete call (default: id_params of prior's id).
  std::function<QueryParams(const provider::Attributes& prior)> delete_params;
  /// What still uses `id` when its delete keeps failing with a retry code,
  /// as "subnet-1 (subnet), eni-2 (network interface)" ("" = unknown);
  /// named on the first retry and when giving up.
  std::function<std::string(const Call&, const std::string& region, const std::string& id)> dependents;
  /// After an object is adopted (FindByAddress): the create's remaining
  /// steps (a security group's default egress rule revoked).
  std::function<Status(const Call&, const provider::OperationContext&, const provider::Attributes& found,
                       const provider::Attributes& desired)>
      after_adopt;
  /// Extra read calls over everything one Read found (no batch API).
  std::function<Status(const Call&, const std::string& region,
                       std::map<std::string, provider::Attributes>& found)>
      enrich;
};

/// The planning side of the contract (provider::ResourceType's
/// RequiresReplace, PlanKnown and UpgradeState), each optional; the same for
/// every protocol.
struct PlanHooks {
  /// Changed attributes that force replacement given prior and desired
  /// (a replica's source changed to another one; removed is a promotion).
  std::function<std::vector<std::string>(const provider::Attributes& prior, const provider::Attributes& desired)>
      requires_replace;
  /// Computed attributes that follow from configuration (an ARN from a name).
  std::function<provider::Attributes(const provider::OperationContext&, const provider::Attributes& desired)>
      plan_known;
  /// Attributes stored under schema version `from` in today's layout
  /// (ResourceSchema::version says which is today's).
  std::function<Result<provider::Attributes>(int from, const provider::Attributes& stored)> upgrade;
};

/// A whole resource type.
struct Spec {
  provider::ResourceSchema schema;
  Service service;
  std::vector<Field> fields;
  CreateOp create;
  std::vector<UpdateOp> updates = {};
  DeleteOp del = {};
  ReadPolicy read = {};
  std::optional<Wait> wait = std::nullopt;
  Adoption adopt = {};
  Hooks hooks = {};
  /// JSON / REST protocols (kit::JsonSpecType): there `Field::param` and
  /// `path` are JSON paths ("imageScanningConfiguration.scanOnPush",
  /// "rules[].destinations[].region"), ReadPolicy::items / id_path and
  /// CreateOp::id_path '.'-joined members, and these hooks replace `hooks`.
  JsonWire json = {};
  PlanHooks plan = {};
  /// Create / update errors that mean "IAM has not propagated yet".
  std::vector<PropagationError> propagation = {};
};

}  // namespace infra::aws::kit

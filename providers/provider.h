// The engine <-> provider contract, and the only provider header engine/
// includes. A resource type is a schema plus create/read/update/delete,
// poll (for waits), find-by-address (crash recovery) and import. Attribute
// objects are JSON objects keyed by Terraform AWS provider attribute names.
#pragma once
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace infra::provider {

/// Attribute value types, as the stack language names them. kObject is a
/// nested block (a YAML map) with its own schema in AttributeSchema::block;
/// kListObject a block that repeats (a list of such maps); kSetString an
/// unordered list of strings (security group ids), compared as a set.
enum class AttrType {
  kString, kNumber, kBool, kListString, kMapString, kListAny, kMapAny, kAny,
  kObject, kListObject, kSetString,
};
/// "string", "number", "bool", "list(string)", "map(string)", "list", "map",
/// "any", "object", "list(object)", "set(string)".
std::string_view AttrTypeName(AttrType t);

/// How a desired value is compared with the one AWS reports, so AWS's
/// normalisation never shows as drift.
enum class Equality {
  kExact,            // as the engine compares values (80 == "80", null == [] == {})
  kJsonDocument,     // a JSON document (a string, or a map written in YAML): key
                     // order, whitespace, URL-encoding, and a single value vs
                     // a one-element list do not count (IAM and S3 policies)
  kCaseInsensitive,  // strings equal ignoring ASCII case
  kSet,              // lists equal as sets (order and duplicates do not count)
};

/// A declared check of one attribute's value, reported at validate with the
/// value's file:line:col.
struct AttrCheck {
  enum class Kind { kOneOf, kRegex, kRange };
  Kind kind = Kind::kOneOf;
  std::vector<std::string> values;  // kOneOf: the allowed strings
  std::string pattern;              // kRegex: ECMAScript, whole value must match
  double min = 0, max = 0;          // kRange: inclusive bounds of a number
};

enum class AttrMode {
  kRequired,          // the user must set it
  kOptional,          // the user may set it; absent means null/default
  kComputed,          // set by AWS only; setting it is an error
  kOptionalComputed,  // the user may set it; AWS fills it when absent
};

struct AttributeSchema {
  std::string name;
  AttrType type = AttrType::kString;
  AttrMode mode = AttrMode::kOptional;
  bool sensitive = false;   // never shown in plan/logs; stored encrypted
  bool force_new = false;   // a change forces replacement (else updatable in place)
  /// Removing the attribute from the stack is a change to null (Terraform's
  /// Optional): the update must clear it (a replica's source removed is a
  /// promotion). Without it an optional scalar left unset keeps what AWS has.
  bool unset_clears = false;
  bool cidr = false;        // value must be an IPv4 CIDR block "a.b.c.d/n"
  nlohmann::json default_value;  // null = no default
  std::string description;
  Equality equality = Equality::kExact;
  std::vector<AttrCheck> checks;
  /// kObject / kListObject: the nested attributes (their own mode, flags,
  /// defaults and checks). Empty for other types.
  std::vector<AttributeSchema> block;

  /// The nested attribute `name`, nullptr if none.
  const AttributeSchema* FindNested(std::string_view name) const;
};

/// A check over several attributes of one resource (names of top-level
/// attributes), reported at validate.
struct SchemaCheck {
  enum class Kind { kExactlyOneOf, kConflictsWith, kAtLeastOneOf };
  Kind kind = Kind::kExactlyOneOf;
  std::vector<std::string> attributes;
};

/// A requirement on another resource of the same stack, checked at plan
/// against the planned values (S3 replication needs both buckets
/// versioned). Each object this resource names at `path` (dotted; lists of
/// blocks are walked: "rule.destination.bucket") must be the `match` of a
/// resource of type `type` whose `where` path equals `equals`. Only objects
/// the stack declares are checked (a resource of `owner_type` whose
/// `owner_match` names it), and values unknown at plan are not. Two values
/// name the same object when equal, or when one is an ARN whose resource
/// part is the other. The planner orders this resource after the one that
/// meets the requirement, as if it referenced it.
struct StackRequirement {
  std::string path;
  std::string type;
  std::string match;
  std::string where;
  std::string equals;
  std::string owner_type;
  std::string owner_match;
  std::string why;  // "replication needs versioning enabled on both buckets"
};

/// Regional resources live in one region; global ones (IAM, Route 53,
/// CloudFront) in none: their API is signed for the service's home region
/// and they may be declared without a region.
enum class Scope { kRegional, kGlobal };

struct ResourceSchema {
  std::string type;       // "aws_vpc"
  std::string service;    // "ec2": used for concurrency pools and grace periods
  std::vector<AttributeSchema> attributes;
  std::vector<SchemaCheck> checks;
  std::vector<StackRequirement> requirements;  // checked at plan across resources
  bool taggable = true;   // gets infra:stack / infra:address tags
  Scope scope = Scope::kRegional;
  /// Version of the stored attribute layout; ResourceType::UpgradeState
  /// converts attributes recorded under an older version.
  int version = 0;
  /// How long a NotFound right after create/update counts as eventual
  /// consistency (retried) rather than an error.
  std::chrono::seconds not_found_grace{60};
  /// How long a create/update/delete may wait for the object to settle
  /// (Poll pending) before it fails; a stack's `timeouts:` overrides them.
  std::chrono::seconds create_timeout{1800}, update_timeout{1800}, delete_timeout{1800};

  /// nullptr if no such attribute.
  const AttributeSchema* Find(std::string_view name) const;
};

/// Who and where an operation is for. `stack` and `address` become the
/// infra:stack / infra:address tags; `token` is the idempotency token
/// (stable for one address within one apply) to pass where the API has one.
struct OperationContext {
  std::string stack;
  std::string address;
  std::string region;   // AWS region name, e.g. "eu-west-1"
  std::string token;
  const std::atomic<bool>* cancelled = nullptr;  // set on a second signal
  /// How long this operation may wait in all (the resource's `timeouts:` or
  /// the type's; 0 = not given). The engine fails the wait at that bound; a
  /// type that retries on its own (a delete waiting for dependents to go)
  /// must not give up before it.
  std::chrono::seconds timeout{0};
  /// FindByAddress only: physical ids that are NOT the object looked for.
  /// Crash recovery of a create_before_destroy replacement lists the old
  /// (and deposed) objects here: they carry the same infra:address tag.
  std::vector<std::string> exclude_ids = {};
};

/// The full attribute object of a resource: every schema attribute by name
/// (user-set, defaulted and computed) plus "id", the physical id. `tags`
/// holds the user's tags only; infra:* tags are managed by the provider
/// and never appear in attributes.
using Attributes = nlohmann::json;

/// What a mutating call returned. `pending` means the resource is not yet
/// in its final state (NAT gateway pending, peering pending-acceptance,
/// deleting...): the engine calls Poll later, without holding a thread.
struct ApplyResult {
  Attributes attributes;
  bool pending = false;
};

enum class Phase { kCreate, kUpdate, kDelete };
enum class PollStatus { kReady, kPending, kFailed };
struct PollResult {
  PollStatus status = PollStatus::kReady;
  Attributes attributes;   // latest known (for kReady after create/update)
  std::string detail;      // e.g. "state pending" or the failure reason
  std::chrono::milliseconds retry_after{2000};
};

/// One resource type. Implementations are shared across threads and must be
/// thread-safe. No call blocks for longer than its own API calls (plus the
/// client's retries): waits are expressed through `pending` + Poll.
class ResourceType {
 public:
  virtual ~ResourceType() = default;
  virtual const ResourceSchema& schema() const = 0;

  /// Creates the resource from `desired` (user values + defaults, no
  /// computed ones). Tags it with infra:stack/infra:address at creation.
  virtual Result<ApplyResult> Create(const OperationContext& ctx, const Attributes& desired) = 0;
  /// Changes in-place-updatable attributes from `prior` to `desired`.
  virtual Result<ApplyResult> Update(const OperationContext& ctx, const Attributes& prior,
                                     const Attributes& desired) = 0;
  /// Deletes; a resource that is already gone is success.
  virtual Result<ApplyResult> Delete(const OperationContext& ctx, const Attributes& prior) = 0;
  /// One check of a pending resource. Default: ready at once.
  virtual Result<PollResult> Poll(const OperationContext& ctx, const Attributes& current, Phase phase);
  /// Batched read of many resources of this type in one region (as few API
  /// calls as the API allows). Resources that no longer exist are absent
  /// from the returned map, keyed by id.
  virtual Result<std::map<std::string, Attributes>> Read(const std::string& region,
                                                         const std::vector<std::string>& ids) = 0;
  /// Crash recovery: the resource previously created for ctx.address (found
  /// by its infra:address tag or unique name), or nullopt if there is none.
  /// Objects whose id is in ctx.exclude_ids are never returned.
  virtual Result<std::optional<Attributes>> FindByAddress(const OperationContext& ctx,
                                                          const Attributes& desired) = 0;
  /// Import by physical id: like Read of one id, NotFound error if absent.
  /// A taggable type also tags the object with ctx's infra:stack /
  /// infra:address, as Create does (the default, for untagged types, reads).
  virtual Result<Attributes> Import(const OperationContext& ctx, const std::string& id);

  /// Conditional replacement (OpenTofu's RequiresReplace): the changed
  /// attribute names that force replacement given prior and desired, beyond
  /// the schema's force_new flags. The engine alone decides the action.
  /// Default: none.
  virtual std::vector<std::string> RequiresReplace(const Attributes& prior, const Attributes& desired) const;
  /// Values known at plan time: computed attributes that follow from
  /// configuration (an IAM role's ARN from its name), so dependents need not
  /// show "(known after apply)". Default: none (an empty object).
  virtual Attributes PlanKnown(const OperationContext& ctx, const Attributes& desired) const;
  /// Attributes stored under schema version `from` in the current layout.
  /// Default: unchanged.
  virtual Result<Attributes> UpgradeState(int from, const Attributes& stored) const;
};

/// A data source type (`data:` in a stack): a schema whose kRequired /
/// kOptional attributes are the query's arguments and whose kComputed ones
/// are its results, plus a read by query. Shared across threads.
class DataSourceType {
 public:
  virtual ~DataSourceType() = default;
  /// schema().type is the data type name ("aws_availability_zones").
  virtual const ResourceSchema& schema() const = 0;
  /// Reads what `args` (user values + defaults) select in ctx.region and
  /// returns the full attribute object: the arguments, every computed
  /// attribute, and "id" (a stable identity of the result). A query that
  /// must match one object and matches none is a NotFound error naming the
  /// query, as Terraform's "no matching ... found".
  virtual Result<Attributes> Read(const OperationContext& ctx, const Attributes& args) = 0;
};

/// True if `a` and `b` are the same value of attribute `schema` under its
/// equality rule, nested blocks compared per nested attribute. Null, [] and
/// {} are the same; numbers and booleans equal their text.
bool SameValue(const AttributeSchema& schema, const nlohmann::json& a, const nlohmann::json& b);

/// A JSON document in canonical form for comparison: parsed from a string
/// (URL-decoded first when it is not JSON as it stands), one-element lists
/// replaced by their element, lists of scalars sorted. Null when `doc` is
/// neither a JSON text nor an object/array.
nlohmann::json CanonicalJsonDocument(const nlohmann::json& doc);

/// A set of resource types (the AWS provider). Constructing one makes no
/// network call: credentials and endpoints are resolved on first use, so
/// `infra validate` can use the schemas offline.
class Provider {
 public:
  virtual ~Provider() = default;
  /// nullptr if the type is unknown.
  virtual ResourceType* Find(std::string_view type) const = 0;
  /// All type names, sorted.
  virtual std::vector<std::string> TypeNames() const = 0;
  /// The data source type `type` (`data:` entries), nullptr if unknown.
  virtual DataSourceType* FindData(std::string_view type) const { (void)type; return nullptr; }
  /// All data source type names, sorted.
  virtual std::vector<std::string> DataTypeNames() const { return {}; }
  /// How many operations on `service` may run at once (from the client's
  /// adaptive rate limiter); the executor's per-service pool size.
  virtual int ServiceConcurrency(const std::string& service) const { (void)service; return 32; }
};

}  // namespace infra::provider

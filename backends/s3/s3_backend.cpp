// S3Backend: snapshots as S3 object versions, the current one named by a
// DynamoDB pointer item moved conditionally (see the header for why).
#include "backends/s3/s3_backend.h"

#include <fmt/format.h>
#include <pugixml.hpp>

#include "backends/s3/dynamo_lock_record.h"
#include "providers/aws/sdk/aws_client.h"
#include "providers/aws/sdk/sigv4.h"

namespace infra::state::remote {
namespace {
using nlohmann::json;

Error Refused(const std::string& code, const std::string& message) {
  return MakeError(Error::Kind::kConflict, code, message);
}
}  // namespace

std::string CheckConfig(const S3BackendConfig& c) {
  if (c.bucket.empty()) return "bucket is missing";
  if (c.key.empty()) return "key is missing";
  if (c.region.empty()) return "region is missing";
  if (c.dynamodb_table.empty()) return "dynamodb_table is missing (it holds the lock and the journal)";
  for (char ch : c.key)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '/' || ch == '.' || ch == '_' || ch == '-' ||
          ch == '='))
      return fmt::format("key '{}' may hold only letters, digits and / . _ = -", c.key);
  if (c.key.front() == '/') return fmt::format("key '{}' must not start with /", c.key);
  return "";
}

S3Backend::S3Backend(std::shared_ptr<aws::AwsClient> client, S3BackendConfig config)
    : client_(client),
      config_(std::move(config)),
      table_(client, config_.region, config_.dynamodb_table),
      lock_key_(config_.bucket + "/" + config_.key),
      pointer_key_(lock_key_ + "#snapshot"),
      journal_(table_, lock_key_) {}

std::string S3Backend::Location() const { return "s3://" + config_.bucket + "/" + config_.key; }

void S3Backend::Fence(const std::string& lock_id, PayloadSeal seal) {
  lease_ = lock_id;
  journal_.Configure(lock_id, std::move(seal));
}

Result<std::optional<Snapshot>> S3Backend::ReadSnapshot() {
  auto pointer = table_.Get(pointer_key_);
  if (!pointer.ok()) return pointer.error();
  if (!*pointer) return std::optional<Snapshot>();
  Snapshot snap;
  snap.lineage = GetS(**pointer, "lineage");
  snap.serial = GetN(**pointer, "serial");
  snap.version = GetS(**pointer, "version");
  aws::RestRequest get{"GET", "/" + config_.bucket + "/" + config_.key, {{"versionId", snap.version}}, {}, ""};
  auto r = client_->Rest("s3", config_.region, "GetObject", get);
  if (!r.ok()) return r.error();
  if (aws::Sha256Hex(r->body) != GetS(**pointer, "sha256"))
    return MakeError(Error::Kind::kInvalid, "StateCorrupt",
                     fmt::format("{} version {}: its bytes do not match the SHA-256 the pointer item in {} records",
                                 Location(), snap.version, table_.name()));
  snap.bytes = std::move(r->body);
  return std::optional<Snapshot>(std::move(snap));
}

Status S3Backend::WriteSnapshot(const Snapshot& next, const std::string& previous_version) {
  return Write(next, previous_version, true);
}

Status S3Backend::ReplaceSnapshot(const Snapshot& next, const std::string& previous_version) {
  return Write(next, previous_version, false);
}

// `ordered`: the pointer must keep its lineage and its serial must grow.
Status S3Backend::Write(const Snapshot& next, const std::string& previous_version, bool ordered) {
  aws::RestRequest put{"PUT", "/" + config_.bucket + "/" + config_.key, {}, {}, next.bytes};
  put.headers["content-type"] = "application/vnd.sqlite3";
  if (!config_.kms_key_id.empty()) {
    put.headers["x-amz-server-side-encryption"] = "aws:kms";
    put.headers["x-amz-server-side-encryption-aws-kms-key-id"] = config_.kms_key_id;
  }
  auto r = client_->Rest("s3", config_.region, "PutObject", put);
  if (!r.ok()) return r.error();
  auto v = r->headers.find("x-amz-version-id");
  if (v == r->headers.end() || v->second.empty() || v->second == "null")
    return MakeError(Error::Kind::kInvalid, "BackendUnversioned",
                     fmt::format("s3://{}: versioning is not enabled on the bucket (the backend keeps every snapshot "
                                 "as a version); enable it, e.g. with stacks/backend",
                                 config_.bucket));
  std::string version = v->second;
  json item = DynamoTable::Key(pointer_key_);
  item["version"] = S(version);
  item["lineage"] = S(next.lineage);
  item["serial"] = N(next.serial);
  item["sha256"] = S(aws::Sha256Hex(next.bytes));
  json putp = {{"Item", item}};
  if (previous_version.empty()) {
    putp["ConditionExpression"] = "attribute_not_exists(LockID)";
  } else if (ordered) {
    putp["ConditionExpression"] = "version = :prev AND lineage = :lineage AND serial < :serial";
    putp["ExpressionAttributeValues"] = {
        {":prev", S(previous_version)}, {":lineage", S(next.lineage)}, {":serial", N(next.serial)}};
  } else {
    putp["ConditionExpression"] = "version = :prev";
    putp["ExpressionAttributeValues"] = {{":prev", S(previous_version)}};
  }
  auto moved = table_.Transact({{{"Put", putp}}}, lock_key_, lease_);
  if (!moved.ok()) return moved.error();
  if (*moved) return {};
  // Refused: say why (read back; a retry of our own success reads as ours).
  auto now = table_.Get(pointer_key_);
  if (now.ok() && *now && GetS(**now, "version") == version) return {};
  if (!lease_.empty()) {
    auto lock = DynamoLockRecord(table_, lock_key_).Read();
    if (lock.ok() && (!*lock || (*lock)->id != lease_))
      return Refused("StateLockLost",
                     fmt::format("{}: the snapshot was not written: this run no longer holds the lock{}", Location(),
                                 *lock ? " (now " + (*lock)->DescribeHolder() + ")" : ""));
  }
  if (now.ok() && *now && ordered) {
    const json& p = **now;
    if (GetS(p, "lineage") != next.lineage)
      return Refused("StateLineageMismatch", fmt::format("{}: the stored state has lineage {}, this one {}", Location(),
                                                         GetS(p, "lineage"), next.lineage));
    if (GetN(p, "serial") >= next.serial)
      return Refused("StateSerialStale",
                     fmt::format("{}: the stored state is at serial {}, not below this one's {}", Location(),
                                 GetN(p, "serial"), next.serial));
    return Refused("StateConflict", fmt::format("{}: the state changed since it was read (now version {}, read {}); "
                                                "nothing was overwritten",
                                                Location(), GetS(p, "version"), previous_version));
  }
  return Refused("StateConflict",
                 fmt::format("{}: the state changed since it was read; nothing was overwritten", Location()));
}

Result<std::unique_ptr<LockRecord>> S3Backend::OpenLockRecord() {
  return std::unique_ptr<LockRecord>(std::make_unique<DynamoLockRecord>(table_, lock_key_));
}

Status S3Backend::Check() const {
  auto r = client_->Rest("s3", config_.region, "GetBucketVersioning",
                         aws::RestRequest{"GET", "/" + config_.bucket, {{"versioning", ""}}, {}, ""});
  if (!r.ok())
    return MakeError(r.error().kind, "BackendUnreachable",
                     fmt::format("s3://{}: {} (create it with stacks/backend)", config_.bucket, r.error().ToString()));
  pugi::xml_document doc;
  doc.load_string(r->body.c_str());
  pugi::xpath_node node = doc.select_node("//Status");  // whatever namespace prefix the reply uses
  std::string status = node ? node.node().child_value() : "";
  if (status != "Enabled")
    return MakeError(Error::Kind::kInvalid, "BackendUnversioned",
                     fmt::format("s3://{}: bucket versioning is {}, not Enabled (each snapshot is kept as a "
                                 "version); enable it (stacks/backend does)",
                                 config_.bucket, status.empty() ? "off" : status));
  auto t = table_.Status();
  if (!t.ok())
    return MakeError(t.error().kind, "BackendUnreachable",
                     fmt::format("DynamoDB table {} in {}: {} (create it with stacks/backend)", table_.name(),
                                 config_.region, t.error().ToString()));
  if (*t != "ACTIVE")
    return MakeError(Error::Kind::kInvalid, "BackendUnreachable",
                     fmt::format("DynamoDB table {} is {}, not ACTIVE", table_.name(), *t));
  return {};
}

}  // namespace infra::state::remote

// DynamoLockRecord: LockInfo <-> the lock item's attributes.
#include "backends/s3/dynamo_lock_record.h"

namespace infra::state::remote {
using nlohmann::json;

Result<std::optional<LockInfo>> DynamoLockRecord::Read() {
  auto item = table_.Get(key_);
  if (!item.ok()) return item.error();
  if (!*item || GetS(**item, "lock_id").empty()) return std::optional<LockInfo>();
  const json& i = **item;
  LockInfo info;
  info.id = GetS(i, "lock_id");
  info.user = GetS(i, "user");
  info.host = GetS(i, "host");
  info.pid = GetN(i, "pid");
  info.command = GetS(i, "command");
  info.since = GetS(i, "since");
  info.expires_unix_ms = GetN(i, "expires_ms");
  info.expires_at = IsoFromUnixMs(info.expires_unix_ms);
  // An item that does not say whose pids it names is never pid-checked
  // (only its lease counts): the host name alone may be shared.
  info.pid_space = GetS(i, "pid_space").empty() ? "unrecorded" : GetS(i, "pid_space");
  return std::optional<LockInfo>(info);
}

Result<bool> DynamoLockRecord::Take(const LockInfo& me, const std::string& replacing) {
  json item = DynamoTable::Key(key_);
  item["lock_id"] = S(me.id);
  item["user"] = S(me.user);
  item["host"] = S(me.host);
  item["pid"] = N(me.pid);
  item["command"] = S(me.command);
  item["since"] = S(me.since);
  item["expires_ms"] = N(me.expires_unix_ms);
  item["expires_at"] = S(IsoFromUnixMs(me.expires_unix_ms));
  if (!me.pid_space.empty()) item["pid_space"] = S(me.pid_space);  // whose pids `pid` is one of
  json put = {{"Item", item}};
  if (replacing.empty()) {
    put["ConditionExpression"] = "attribute_not_exists(LockID)";
  } else {
    put["ConditionExpression"] = "lock_id = :old";
    put["ExpressionAttributeValues"] = {{":old", S(replacing)}};
  }
  return table_.Write({{"Put", put}});
}

Result<bool> DynamoLockRecord::Renew(const std::string& id, int64_t expires_unix_ms) {
  return table_.Write({{"Update",
                        {{"Key", DynamoTable::Key(key_)},
                         {"UpdateExpression", "SET expires_ms = :e, expires_at = :a"},
                         {"ConditionExpression", "lock_id = :id"},
                         {"ExpressionAttributeValues",
                          {{":e", N(expires_unix_ms)}, {":a", S(IsoFromUnixMs(expires_unix_ms))}, {":id", S(id)}}}}}});
}

Status DynamoLockRecord::Release(const std::string& id) {
  auto r = table_.Write({{"Delete",
                          {{"Key", DynamoTable::Key(key_)},
                           {"ConditionExpression", "lock_id = :id"},
                           {"ExpressionAttributeValues", {{":id", S(id)}}}}}});
  if (!r.ok()) return r.error();
  return {};  // false: someone else holds it now; theirs stays
}

}  // namespace infra::state::remote

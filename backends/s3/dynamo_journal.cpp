// DynamoJournal: intent/outcome items, fenced by the lease; Clear after a
// snapshot.
#include "backends/s3/dynamo_journal.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "state/crypto.h"
#include "state/lock_record.h"

namespace infra::state::remote {
namespace {
using nlohmann::json;

std::string NowIso() {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  return IsoFromUnixMs(ms);
}
}  // namespace

void DynamoJournal::Configure(std::string lease, PayloadSeal seal) {
  std::lock_guard<std::mutex> g(mu_);
  lease_ = std::move(lease);
  seal_ = std::move(seal);
}

Status DynamoJournal::Fenced(const std::vector<DynamoWrite>& writes, const std::string& what) {
  auto r = table_.Transact(writes, base_, lease_);
  if (!r.ok()) return r.error();
  if (!*r)
    return MakeError(Error::Kind::kConflict, "StateLockLost",
                     fmt::format("{}: {} refused: the lock item no longer carries this run's lease {} (taken over or "
                                 "force-unlocked); nothing was written",
                                 table_.name(), what, lease_));
  return {};
}

Result<int64_t> DynamoJournal::RecordIntent(const JournalIntent& intent) {
  std::string sealed;
  if (!intent.payload.is_null()) {
    if (!seal_.seal)
      return MakeError(Error::Kind::kInvalid, "StateKeyMissing", "a journal payload needs the state key to be sealed");
    auto s = seal_.seal(intent.payload);
    if (!s.ok()) return s.error();
    sealed = Base64Encode(*s);  // a sealed blob is bytes; a DynamoDB string is UTF-8
  }
  int64_t id;
  std::string key;
  {
    std::lock_guard<std::mutex> g(mu_);
    id = next_++;
    key = fmt::format("{}#journal#{}#{:08d}", base_, lease_, id);
    keys_[id] = key;
  }
  json item = DynamoTable::Key(key);
  item["address"] = S(intent.address);
  item["operation"] = S(intent.operation);
  item["token"] = S(intent.token);
  item["type"] = S(intent.type);
  item["region"] = S(intent.region);
  if (!sealed.empty()) item["payload"] = S(sealed);
  item["started_at"] = S(NowIso());
  item["finished"] = B(false);
  if (Status st = Fenced({{{"Put", {{"Item", item}}}}}, "journal intent for " + intent.address); !st.ok())
    return st.error();
  return id;
}

Status DynamoJournal::RecordOutcome(int64_t id, bool ok, const std::string& physical_id, const std::string& detail) {
  std::string key;
  {
    std::lock_guard<std::mutex> g(mu_);
    auto it = keys_.find(id);
    if (it == keys_.end())
      return MakeError(Error::Kind::kNotFound, "StateNoSuchJournalEntry", fmt::format("no remote journal entry {}", id));
    key = it->second;
  }
  json update = {{"Key", DynamoTable::Key(key)},
                 {"UpdateExpression", "SET finished = :t, ok = :ok, physical_id = :p, detail = :d, finished_at = :f"},
                 {"ConditionExpression", "attribute_exists(LockID)"},
                 {"ExpressionAttributeValues",
                  {{":t", B(true)}, {":ok", B(ok)}, {":p", S(physical_id)}, {":d", S(detail)}, {":f", S(NowIso())}}}};
  return Fenced({{{"Update", update}}}, "journal outcome");
}

Result<std::vector<JournalEntry>> DynamoJournal::Unfinished() {
  auto items = table_.ScanPrefix(base_ + "#journal#");
  if (!items.ok()) return items.error();
  std::sort(items->begin(), items->end(), [](const json& a, const json& b) {
    auto ka = std::make_pair(GetS(a, "started_at"), GetS(a, "LockID"));
    auto kb = std::make_pair(GetS(b, "started_at"), GetS(b, "LockID"));
    return ka < kb;
  });
  std::vector<JournalEntry> out;
  for (const auto& i : *items) {
    JournalEntry e;
    e.address = GetS(i, "address");
    e.operation = GetS(i, "operation");
    e.token = GetS(i, "token");
    e.type = GetS(i, "type");
    e.region = GetS(i, "region");
    e.started_at = GetS(i, "started_at");
    e.finished = GetB(i, "finished");
    e.ok = GetB(i, "ok");
    e.physical_id = GetS(i, "physical_id");
    e.detail = GetS(i, "detail");
    e.finished_at = GetS(i, "finished_at");
    if (std::string sealed = GetS(i, "payload"); !sealed.empty()) {
      if (!seal_.unseal)
        return MakeError(Error::Kind::kInvalid, "StateKeyMissing",
                         "the remote journal holds encrypted payloads: the state key is needed (INFRA_STATE_KEY)");
      auto blob = Base64Decode(sealed);
      if (!blob.ok()) return blob.error();
      auto p = seal_.unseal(*blob);
      if (!p.ok()) return p.error();
      e.payload = std::move(*p);
    }
    std::lock_guard<std::mutex> g(mu_);
    e.id = next_read_++;
    keys_[e.id] = GetS(i, "LockID");
    out.push_back(std::move(e));
  }
  return out;
}

Status DynamoJournal::Resolve(int64_t id, const std::string& /*resolution*/) {
  std::string key;
  {
    std::lock_guard<std::mutex> g(mu_);
    auto it = keys_.find(id);
    if (it == keys_.end()) return {};  // idempotent
    key = it->second;
  }
  if (Status st = Fenced({{{"Delete", {{"Key", DynamoTable::Key(key)}}}}}, "journal resolve"); !st.ok()) return st;
  std::lock_guard<std::mutex> g(mu_);
  keys_.erase(id);
  return {};
}

Result<int> DynamoJournal::Clear() {
  auto items = table_.ScanPrefix(base_ + "#journal#");
  if (!items.ok()) return items.error();
  // TransactWriteItems takes at most 100 items: 24 deletes + the lease check.
  for (size_t start = 0; start < items->size(); start += 24) {
    std::vector<DynamoWrite> batch;
    for (size_t i = start; i < std::min(items->size(), start + 24); ++i)
      batch.push_back({{"Delete", {{"Key", DynamoTable::Key(GetS((*items)[i], "LockID"))}}}});
    if (Status st = Fenced(batch, "journal clear"); !st.ok()) return st.error();
  }
  std::lock_guard<std::mutex> g(mu_);
  keys_.clear();
  return static_cast<int>(items->size());
}

}  // namespace infra::state::remote

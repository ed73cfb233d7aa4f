// CrashingState implementation: forward, then look at what was logged.
#include "fakes/crashing_state.h"

namespace infra::test {

Status CrashingState::Write(const std::function<Status()>& write) {
  if (crashed_) return MakeError(Error::Kind::kOther, "Crashed", "the process is gone (simulated kill -9)");
  size_t before = target_.Log().size();
  Status st = write();
  auto log = target_.Log();
  for (size_t i = before; i < log.size(); ++i)
    if (crash_after_(log[i])) crashed_ = true;
  return st;
}

Status CrashingState::PutResource(const engine::StateResource& resource, int64_t resolve_intent) {
  return Write([&] { return target_.PutResource(resource, resolve_intent); });
}

Status CrashingState::RemoveResource(const std::string& address, int64_t resolve_intent) {
  return Write([&] { return target_.RemoveResource(address, resolve_intent); });
}

Status CrashingState::PutResources(const std::vector<engine::StateResource>& resources, int64_t resolve_intent) {
  return Write([&] { return target_.PutResources(resources, resolve_intent); });
}

Status CrashingState::RemoveDeposed(const std::string& address, const std::string& key, int64_t resolve_intent) {
  return Write([&] { return target_.RemoveDeposed(address, key, resolve_intent); });
}

Result<int64_t> CrashingState::RecordIntent(const engine::PendingIntent& intent) {
  Result<int64_t> id = int64_t{0};
  Status st = Write([&] {
    id = target_.RecordIntent(intent);
    return id.ok() ? Status{} : Status(id.error());
  });
  if (!st.ok()) return st.error();
  return id;
}

Status CrashingState::RecordOutcome(int64_t intent_id, bool succeeded, const std::string& detail) {
  return Write([&] { return target_.RecordOutcome(intent_id, succeeded, detail); });
}

Status CrashingState::Resolve(int64_t intent_id, const std::string& resolution) {
  return Write([&] { return target_.Resolve(intent_id, resolution); });
}

Status CrashingState::PutOutputs(const std::map<std::string, engine::Value>& outputs) {
  return Write([&] { return target_.PutOutputs(outputs); });
}

}  // namespace infra::test

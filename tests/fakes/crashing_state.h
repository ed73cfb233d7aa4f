// CrashingState: a StatePort in front of a MemoryState that stops
// persisting after a chosen write, as kill -9 right after that durable
// write would: every later write fails and changes nothing, so no call
// that needs a journaled intent is made. Used to simulate crashes at exact
// points of an apply in unit tests.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "engine/plan/state_port.h"
#include "fakes/memory_state.h"

namespace infra::test {

class CrashingState : public engine::StatePort {
 public:
  /// `crash_after` sees each write as MemoryState logs it ("intent create
  /// a", "put a", "depose a ID", ...); the write for which it returns true
  /// is the last one that reaches `target`.
  CrashingState(MemoryState& target, std::function<bool(const std::string& write)> crash_after)
      : target_(target), crash_after_(std::move(crash_after)) {}

  Status PutResource(const engine::StateResource& resource, int64_t resolve_intent = 0) override;
  Status RemoveResource(const std::string& address, int64_t resolve_intent = 0) override;
  Status PutResources(const std::vector<engine::StateResource>& resources, int64_t resolve_intent = 0) override;
  Status RemoveDeposed(const std::string& address, const std::string& key, int64_t resolve_intent = 0) override;
  Result<int64_t> RecordIntent(const engine::PendingIntent& intent) override;
  Status RecordOutcome(int64_t intent_id, bool succeeded, const std::string& detail) override;
  Result<std::vector<engine::PendingIntent>> Unfinished() override { return target_.Unfinished(); }
  Status Resolve(int64_t intent_id, const std::string& resolution) override;
  Status PutOutputs(const std::map<std::string, engine::Value>& outputs) override;

  /// True once the crash point was reached.
  bool crashed() const { return crashed_; }

 private:
  // Runs `write` unless crashed; then checks the newest log lines.
  Status Write(const std::function<Status()>& write);

  MemoryState& target_;
  std::function<bool(const std::string&)> crash_after_;
  bool crashed_ = false;
};

}  // namespace infra::test

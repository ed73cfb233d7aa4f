// MemoryState: an in-memory StatePort (resources, journal, outputs) for
// executor and recovery tests, with a write log to check ordering.
#pragma once
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "engine/plan/state_port.h"

namespace infra::test {

class MemoryState : public engine::StatePort {
 public:
  Status PutResource(const engine::StateResource& resource, int64_t resolve_intent = 0) override;
  Status RemoveResource(const std::string& address, int64_t resolve_intent = 0) override;
  Status PutResources(const std::vector<engine::StateResource>& resources, int64_t resolve_intent = 0) override;
  Status RemoveDeposed(const std::string& address, const std::string& key, int64_t resolve_intent = 0) override;
  Result<int64_t> RecordIntent(const engine::PendingIntent& intent) override;
  Status RecordOutcome(int64_t intent_id, bool succeeded, const std::string& detail) override;
  Result<std::vector<engine::PendingIntent>> Unfinished() override;
  Status Resolve(int64_t intent_id, const std::string& resolution) override;
  Status PutOutputs(const std::map<std::string, engine::Value>& outputs) override;

  /// The state as a snapshot (serial/lineage as set below).
  engine::StateSnapshot Snapshot() const;
  bool Has(const std::string& address) const;
  engine::StateResource Get(const std::string& address) const;
  /// Deposed objects of `address` (all addresses if empty).
  std::vector<engine::StateResource> Deposed(const std::string& address = "") const;
  /// "intent create a", "outcome 3 ok", "put a", "remove a" in order.
  std::vector<std::string> Log() const;
  /// Appends an intent with no outcome, as a crash would leave it.
  void AddUnfinished(engine::PendingIntent intent);

  std::string lineage = "test-lineage";
  int64_t serial = 1;
  std::map<std::string, engine::Value> outputs;

 private:
  mutable std::mutex mu_;
  std::map<std::string, engine::StateResource> resources_;
  std::map<std::pair<std::string, std::string>, engine::StateResource> deposed_;  // (address, key)
  std::map<int64_t, engine::PendingIntent> open_;
  std::vector<std::string> log_;
  int64_t next_ = 1;
};

}  // namespace infra::test

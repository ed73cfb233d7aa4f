// A scripted in-memory Provider for engine tests: resource types with
// configurable schemas and behaviours per address (call delays, pending
// waits, failures, NotFound right after create), a call log with timings,
// and counters (Read calls, peak concurrency).
#pragma once
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "providers/provider.h"

namespace infra::test {

/// What a fake resource does, per address.
struct FakeBehaviour {
  std::chrono::milliseconds delay{0};  // every call takes this long
  int pending_polls = 0;               // create/delete return pending; N polls say pending
  std::chrono::milliseconds poll_retry{5};
  bool fail_create = false;
  bool fail_update = false;
  bool fail_delete = false;
  int not_found_polls = 0;    // the first N polls after create answer NotFound
  int not_found_creates = 0;  // the first N creates answer NotFound (dependency not visible yet)
  int unsent_creates = 0;     // the first N creates answer ConnectionReset and make nothing
  int lost_replies = 0;       // the first N creates make the object, then answer ConnectionReset
  /// Called inside every call for the address, on the calling (worker)
  /// thread, with the op name ("create", "update", "delete", "poll"):
  /// tests set a signal or a fence there instead of sleeping.
  std::function<void(const std::string& op)> during;
};

/// One logged call.
struct FakeCall {
  std::string op;       // "create", "update", "delete", "poll", "read", "find"
  std::string address;  // "" for read
  std::chrono::steady_clock::time_point start, end;
};

class FakeProvider;

class FakeResourceType : public provider::ResourceType {
 public:
  FakeResourceType(FakeProvider* owner, provider::ResourceSchema schema);
  const provider::ResourceSchema& schema() const override { return schema_; }
  /// For tests that change a type's defaults (timeouts, grace) before use.
  provider::ResourceSchema& mutable_schema() { return schema_; }
  Result<provider::ApplyResult> Create(const provider::OperationContext& ctx, const provider::Attributes& desired) override;
  Result<provider::ApplyResult> Update(const provider::OperationContext& ctx, const provider::Attributes& prior,
                                       const provider::Attributes& desired) override;
  Result<provider::ApplyResult> Delete(const provider::OperationContext& ctx, const provider::Attributes& prior) override;
  Result<provider::PollResult> Poll(const provider::OperationContext& ctx, const provider::Attributes& current,
                                    provider::Phase phase) override;
  Result<std::map<std::string, provider::Attributes>> Read(const std::string& region,
                                                           const std::vector<std::string>& ids) override;
  Result<std::optional<provider::Attributes>> FindByAddress(const provider::OperationContext& ctx,
                                                            const provider::Attributes& desired) override;
  std::vector<std::string> RequiresReplace(const provider::Attributes& prior,
                                           const provider::Attributes& desired) const override {
    return requires_replace ? requires_replace(prior, desired) : std::vector<std::string>{};
  }
  provider::Attributes PlanKnown(const provider::OperationContext& ctx,
                                 const provider::Attributes& desired) const override {
    return plan_known ? plan_known(ctx, desired) : provider::Attributes::object();
  }
  Result<provider::Attributes> UpgradeState(int from, const provider::Attributes& stored) const override {
    return upgrade ? upgrade(from, stored) : Result<provider::Attributes>(stored);
  }

  /// Optional answers of the contract's planning hooks (set before use).
  std::function<std::vector<std::string>(const provider::Attributes&, const provider::Attributes&)> requires_replace;
  std::function<provider::Attributes(const provider::OperationContext&, const provider::Attributes&)> plan_known;
  std::function<Result<provider::Attributes>(int, const provider::Attributes&)> upgrade;

 private:
  /// Where objects of this type live: their region, or one place for a
  /// global type (as IAM is the same from every region).
  std::string Where(const std::string& region) const {
    return schema_.scope == provider::Scope::kGlobal ? "global" : region;
  }
  FakeProvider* owner_;
  provider::ResourceSchema schema_;
};

/// The provider. Objects live in a map region -> id -> attributes; each
/// object remembers the address it was created for (as the infra:address
/// tag would), under the key "__address" (stripped from what is returned).
/// A data source type whose Read is a function (counted by the provider).
class FakeDataType : public provider::DataSourceType {
 public:
  using ReadFn = std::function<Result<provider::Attributes>(const provider::OperationContext&,
                                                            const provider::Attributes&)>;
  FakeDataType(provider::ResourceSchema schema, ReadFn read) : schema_(std::move(schema)), read_(std::move(read)) {}
  const provider::ResourceSchema& schema() const override { return schema_; }
  Result<provider::Attributes> Read(const provider::OperationContext& ctx, const provider::Attributes& args) override {
    ++reads;
    return read_(ctx, args);
  }
  std::atomic<int> reads{0};

 private:
  provider::ResourceSchema schema_;
  ReadFn read_;
};

class FakeProvider : public provider::Provider {
 public:
  FakeProvider();
  provider::ResourceType* Find(std::string_view type) const override;
  std::vector<std::string> TypeNames() const override;
  provider::DataSourceType* FindData(std::string_view type) const override;
  std::vector<std::string> DataTypeNames() const override;
  /// Adds a data source type reading through `read`. Service defaults to "fake".
  FakeDataType* AddDataType(provider::ResourceSchema schema, FakeDataType::ReadFn read);
  int ServiceConcurrency(const std::string& service) const override;

  /// Adds a type; `attributes` as in the schema. Service defaults to "fake".
  FakeResourceType* AddType(provider::ResourceSchema schema);
  /// A ready-made type "fake_thing": name (force_new), size (updatable),
  /// secret (sensitive), tags (map), ref (string), arn (computed).
  FakeResourceType* AddThing(const std::string& type = "fake_thing", const std::string& service = "fake");

  void SetBehaviour(const std::string& address, FakeBehaviour b);
  void SetConcurrency(const std::string& service, int n);

  // Inspection (thread-safe copies).
  std::vector<FakeCall> Calls() const;
  int CountCalls(const std::string& op) const;
  int PeakConcurrency() const { return peak_.load(); }
  /// All objects whose remembered address is `address` (twins show up as 2).
  int CountObjects(const std::string& address) const;
  size_t ObjectCount() const;
  /// Changes an object behind the engine's back (drift); false if absent.
  bool Mutate(const std::string& id, const std::string& attribute, const nlohmann::json& value);
  bool Remove(const std::string& id);
  /// Inserts an object as if created earlier (for FindByAddress tests).
  std::string Insert(const std::string& region, const std::string& address, provider::Attributes attributes);

 private:
  friend class FakeResourceType;
  FakeBehaviour BehaviourOf(const std::string& address) const;
  void Enter();
  void Leave();
  void Log(FakeCall call);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<FakeResourceType>> types_;
  std::map<std::string, std::unique_ptr<FakeDataType>> data_types_;
  std::map<std::string, FakeBehaviour> behaviours_;
  std::map<std::string, int> concurrency_;
  std::map<std::string, int> created_count_, polls_;
  std::map<std::string, std::map<std::string, provider::Attributes>> objects_;  // region -> id -> attrs
  std::vector<FakeCall> calls_;
  int next_id_ = 1;
  std::atomic<int> in_flight_{0}, peak_{0};
};

}  // namespace infra::test

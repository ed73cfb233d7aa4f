// The lock-row fence: reads the lock row in the writer's transaction, so no
// takeover can slip between the check and the write.
#include "state/write_fence.h"

#include <fmt/format.h>

#include "state/lock_record.h"

namespace infra::state {
namespace {

class LockRowFenceImpl final : public WriteFence {
 public:
  LockRowFenceImpl(std::string lock_id, std::string path) : lock_id_(std::move(lock_id)), path_(std::move(path)) {}

  Status Check(Database& db) const override {
    auto holder = ReadLockRow(db);
    if (!holder) return holder.error();
    if (*holder && (*holder)->id == lock_id_) return {};
    std::string now = *holder ? "it is now " + (*holder)->Describe() : "nobody holds it now (force-unlocked)";
    return MakeError(Error::Kind::kConflict, "StateLockLost",
                     fmt::format("{}: this process lost the state lock {}: {}; nothing more is written to state by "
                                 "this run",
                                 path_, lock_id_, now));
  }

 private:
  std::string lock_id_;
  std::string path_;
};

}  // namespace

std::unique_ptr<WriteFence> LockRowFence(std::string lock_id, std::string path) {
  return std::make_unique<LockRowFenceImpl>(std::move(lock_id), std::move(path));
}

}  // namespace infra::state

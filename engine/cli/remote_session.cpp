// RemoteSession: lock, pull, import the journal; at the end one
// conditional snapshot write and the journal cleared.
#include "engine/cli/remote_session.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/log.h"
#include "engine/cli/interrupt.h"
#include "engine/cli/stack_session.h"
#include "providers/aws/sdk/aws_client.h"
#include "state/backend_local.h"
#include "state/store.h"

namespace infra::cli {
namespace fs = std::filesystem;

Status WriteStateFile(const std::string& path, const std::string& bytes) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  std::string tmp = path + ".pull";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return MakeError(Error::Kind::kOther, "StateWrite", tmp + ": cannot write the pulled state");
  }
  ::chmod(tmp.c_str(), 0600);
  fs::remove(path + "-wal", ec);
  fs::remove(path + "-shm", ec);
  fs::rename(tmp, path, ec);
  if (ec) return MakeError(Error::Kind::kOther, "StateWrite", path + ": " + ec.message());
  return {};
}

std::shared_ptr<aws::AwsClient> ClientForState() {
  aws::ClientOptions options;
  options.stop = engine::Interrupt::StopFlag();
  return aws::NewAwsClient(options);
}

void ApplyLeaseFromEnvironment(state::LockOptions& options) {
  const char* v = std::getenv("INFRA_LOCK_LEASE");
  if (!v || !*v) return;
  long long ms = ParseDurationMs(v);
  if (ms <= 0) return;
  options.lease = std::chrono::milliseconds(ms);
  options.heartbeat = std::chrono::milliseconds(std::max<long long>(ms / 5, 50));
  options.poll = std::chrono::milliseconds(std::min<long long>(250, std::max<long long>(ms / 10, 20)));
}

Result<std::unique_ptr<RemoteSession>> RemoteSession::Open(const state::remote::S3BackendConfig& config,
                                                           const std::string& local_path,
                                                           const state::LockOptions& lock_options, bool lock) {
  std::unique_ptr<RemoteSession> s(new RemoteSession());
  if (const char* key = std::getenv("INFRA_STATE_KEY"); !key || !*key)
    log::Warn("the state key is not stored in {}: set INFRA_STATE_KEY wherever this stack runs (or keep the key file "
              "beside the state safe), or a fresh checkout cannot read its secrets",
              "s3://" + config.bucket + "/" + config.key);
  s->backend_ = std::make_unique<state::remote::S3Backend>(
      ClientForState(), config);
  if (lock) {
    auto record = s->backend_->OpenLockRecord();
    if (!record.ok()) return record.error();
    auto held = state::StateLock::Acquire(std::move(*record), s->backend_->Location(), lock_options);
    if (!held.ok()) return held.error();
    s->lock_ = std::move(*held);
  }
  auto snap = s->backend_->ReadSnapshot();
  if (!snap.ok()) return snap.error();
  if (*snap) {
    if (Status st = WriteStateFile(local_path, (*snap)->bytes); !st.ok()) return st.error();
    (*snap)->bytes.clear();
    s->pulled_ = std::move(**snap);
  }
  return s;
}

RemoteSession::~RemoteSession() { (void)Release(); }

Result<int> RemoteSession::Attach(state::StateStore& store) {
  state::remote::PayloadSeal seal{
      [&store](const nlohmann::json& v) { return store.Seal(v, "remote-journal"); },
      [&store](const std::string& blob) { return store.Unseal(blob, "remote-journal"); }};
  backend_->Fence(lock_ ? lock_->info().id : "", seal);
  local_journal_ = std::make_unique<state::Journal>(store);
  mirror_ = std::make_unique<state::JournalMirror>(*local_journal_, backend_->remote_journal());
  return state::ImportJournal(backend_->remote_journal(), *local_journal_);
}

Status RemoteSession::Finish(state::StateStore& store) {
  if (store.serial() <= pulled_serial()) return {};
  auto snap = state::LocalBackend(store).ReadSnapshot();
  if (!snap.ok()) return snap.error();
  if (!*snap) return {};
  if (Status st = backend_->WriteSnapshot(**snap, pulled_ ? pulled_->version : ""); !st.ok()) return st;
  pulled_ = **snap;
  pulled_->bytes.clear();
  auto cleared = backend_->remote_journal().Clear();
  if (!cleared.ok()) return cleared.error();
  return {};
}

Status RemoteSession::Release() {
  if (!lock_) return {};
  Status st = lock_->Unlock();
  lock_.reset();
  return st;
}

}  // namespace infra::cli

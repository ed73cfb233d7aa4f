// The state commands' access to a remote state: a read-only pulled copy,
// a locked edit of the working copy written back as one conditional
// snapshot, a forced push, and force-unlock of the DynamoDB lock item.
#include "engine/cli/remote_state.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "engine/cli/backend_config.h"
#include "engine/cli/cli.h"
#include "engine/cli/state_path.h"
#include "state/backend_local.h"

namespace infra::cli {
namespace fs = std::filesystem;
namespace {

// A private file for a copy of a state (mode 0600: it holds sealed
// secrets), never beside the working copy: reads must not write there.
Result<std::string> ScratchCopy(const std::string& bytes) {
  std::string path = (fs::temp_directory_path() / ("infra-remote-" + state::NewUuid() + ".db")).string();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return MakeError(Error::Kind::kOther, "StateWrite", path + ": cannot create a scratch copy");
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  if (done != bytes.size()) return MakeError(Error::Kind::kOther, "StateWrite", path + ": cannot write a scratch copy");
  return path;
}

void RemoveScratch(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix, ec);
}

// The key file of the working copy `db` (its .db replaced by .key).
std::string KeyFileOf(const std::string& db) { return fs::path(db).replace_extension(".key").string(); }

Error NoRemoteState(const state::remote::S3Backend& backend) {
  return MakeError(Error::Kind::kNotFound, "StateNotFound",
                   backend.Location() + " holds no state yet (nothing has been applied with this backend)");
}

}  // namespace

std::string StateLocation::Describe() const {
  return remote ? "s3://" + remote->bucket + "/" + remote->key : path;
}

Result<StateLocation> LocateState(const GlobalOptions& g, const std::string& state_path) {
  auto path = ResolveStatePath(g, state_path);
  if (!path) return path.error();
  StateLocation out{*path, std::nullopt};
  if (!state_path.empty()) return out;  // an explicit file
  auto choice = ResolveBackend(g.directory, g.backend_config);
  if (!choice) return choice.error();
  if (Status st = CheckBackendUnchanged(*path, *choice); !st) return st.error();
  if (choice->type == "s3") out.remote = choice->s3;
  return out;
}

Result<std::unique_ptr<PulledState>> PulledState::Open(const state::remote::S3BackendConfig& config,
                                                       const std::string& working_copy) {
  state::remote::S3Backend backend(ClientForState(), config);
  auto snap = backend.ReadSnapshot();
  if (!snap) return snap.error();
  if (!*snap) return NoRemoteState(backend);
  std::unique_ptr<PulledState> p(new PulledState());
  auto scratch = ScratchCopy((*snap)->bytes);
  if (!scratch) return scratch.error();
  p->scratch_ = *scratch;
  p->bytes_ = std::move((*snap)->bytes);
  auto store = state::StateStore::Open(p->scratch_, {.create = false, .read_only = true, .key_file = KeyFileOf(working_copy)});
  if (!store) {
    Error e = store.error();
    e.message = backend.Location() + " (version " + (*snap)->version + "): " + e.message;
    return e;
  }
  p->store_ = std::move(*store);
  return p;
}

PulledState::~PulledState() {
  store_.reset();
  if (!scratch_.empty()) RemoveScratch(scratch_);
}

Result<std::unique_ptr<RemoteEdit>> RemoteEdit::Open(const state::remote::S3BackendConfig& config,
                                                     const std::string& working_copy, const std::string& command,
                                                     std::chrono::milliseconds timeout) {
  state::LockOptions lo;
  lo.command = command;
  lo.timeout = timeout;
  ApplyLeaseFromEnvironment(lo);
  std::unique_ptr<RemoteEdit> e(new RemoteEdit());
  auto session = RemoteSession::Open(config, working_copy, lo, /*lock=*/true);
  if (!session) return session.error();
  e->session_ = std::move(*session);
  if (!e->session_->had_snapshot()) return NoRemoteState(e->session_->backend());
  auto store = state::StateStore::Open(working_copy, {.create = false});
  if (!store) return store.error();
  e->store_ = std::move(*store);
  auto imported = e->session_->Attach(*e->store_);  // kept in the working copy, so in the next snapshot
  if (!imported) return imported.error();
  if (Status st = WriteBackendRecord(working_copy, BackendChoice{"s3", config}); !st) return st.error();
  return e;
}

Status RemoteEdit::Commit() {
  if (store_)
    if (Status st = session_->Finish(*store_); !st) return st;
  return session_->Release();
}

Result<std::unique_ptr<ReadOnlyState>> ReadOnlyState::Open(const StateLocation& where) {
  std::unique_ptr<ReadOnlyState> r(new ReadOnlyState());
  if (where.remote) {
    auto pulled = PulledState::Open(*where.remote, where.path);
    if (!pulled) return pulled.error();
    r->pulled_ = std::move(*pulled);
    return r;
  }
  auto store = state::StateStore::Open(where.path, {.create = false, .read_only = true});
  if (!store) return store.error();
  r->local_ = std::move(*store);
  return r;
}

Result<std::unique_ptr<LockedState>> LockedState::Open(const StateLocation& where, const std::string& command,
                                                       std::chrono::milliseconds timeout) {
  std::unique_ptr<LockedState> l(new LockedState());
  if (where.remote) {
    auto edit = RemoteEdit::Open(*where.remote, where.path, command, timeout);
    if (!edit) return edit.error();
    l->remote_ = std::move(*edit);
    return l;
  }
  auto store = state::StateStore::Open(where.path, {.create = false});
  if (!store) return store.error();
  l->local_ = std::move(*store);
  state::LockOptions lo;
  lo.command = command;
  lo.timeout = timeout;
  auto lock = state::StateLock::Acquire(*l->local_, lo);
  if (!lock) return lock.error();
  l->lock_ = std::move(*lock);
  return l;
}

Status LockedState::Commit() {
  if (remote_) return remote_->Commit();
  return lock_ ? lock_->Unlock() : Status{};
}

Result<PushedState> InspectStateBytes(const std::string& bytes, const std::string& key_path) {
  auto scratch = ScratchCopy(bytes);
  if (!scratch) return scratch.error();
  auto store = state::StateStore::Open(*scratch, {.create = false, .read_only = true, .key_file = KeyFileOf(key_path)});
  PushedState out;
  if (store) {
    out.lineage = (*store)->lineage();
    out.serial = (*store)->serial();
    (void)(*store)->Close();
  }
  RemoveScratch(*scratch);
  if (!store) return store.error();
  return out;
}

Status RemoteEdit::ForcePush(const std::string& bytes) {
  std::string working_copy = store_->path();
  auto pushed = InspectStateBytes(bytes, working_copy);
  if (!pushed) return pushed.error();
  state::Snapshot next{pushed->lineage, pushed->serial, "", bytes};
  if (Status st = session_->backend().ReplaceSnapshot(next, session_->pulled_version()); !st) return st;
  store_.reset();  // the working copy becomes the pushed file; nothing more to write
  return WriteStateFile(working_copy, bytes);
}

Result<state::ForcedUnlock> ForceUnlockRemote(const state::remote::S3BackendConfig& config,
                                              const std::string& lock_id, bool force) {
  state::remote::S3Backend backend(ClientForState(), config);
  auto record = backend.OpenLockRecord();
  if (!record) return record.error();
  return state::ForceUnlock(**record, backend.Location(), lock_id, force);
}

}  // namespace infra::cli

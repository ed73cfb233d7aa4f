// Recovery: before anything is planned, every unresolved journal entry (a
// mutating call whose result may not have been saved, e.g. after kill -9) is
// reconciled with AWS: a create is looked up by its infra:address tag or
// unique name and adopted into state, or confirmed absent; an update is
// read back; a delete is confirmed. No twins, no orphans.
#pragma once
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "engine/plan/state_port.h"

namespace infra::provider {
class Provider;
}

namespace infra::engine {

struct RecoveryReport {
  int adopted = 0;   // created before the crash, now in state
  int absent = 0;    // never happened
  int refreshed = 0; // update/delete outcome read back
  /// One line per entry, for the user ("adopted aws_vpc.main (vpc-123)").
  std::vector<std::string> notes;
};

/// Reconciles every unresolved entry of `port`'s journal. `state` is the
/// state before recovery; `config` (may be empty) supplies region alias and
/// dependencies of adopted resources. Fails (leaving entries unresolved) if
/// AWS cannot be asked; the caller must then not plan.
Result<RecoveryReport> Reconcile(StatePort& port, const provider::Provider& provider, const std::string& stack,
                                 const StateSnapshot& state,
                                 const std::unordered_map<std::string, ConfigResource>& config);

}  // namespace infra::engine

// kill -9 at a point counted in AWS calls, for the crash campaigns
// (tests/integration/crash_campaign_fixture.h, lamp_dr_kill_test.cpp):
// run a command whose AWS traffic goes through a FaultProxy and SIGKILL it
// once the proxy has forwarded the N-th request. Calls, not seconds, so the
// kill point does not move with the machine's load.
#pragma once
#include <chrono>
#include <string>

#include "support/fault_proxy.h"

namespace infra::test {

/// Clears `proxy`'s log, runs `command` (a /bin/sh command line, exec'd so
/// the shell is the process killed; the caller redirects its output and
/// points it at proxy.endpoint()), and SIGKILLs it once `calls` requests
/// were forwarded, or lets it finish when it makes fewer. After a kill it
/// waits (up to 30 s) until every request that reached the proxy was
/// forwarded: a call in flight at a crash still reaches AWS before the next
/// run looks. A command that neither reaches the call nor exits within
/// `give_up` is killed and fails the current test. Returns the status as the
/// shell reports it (137 = killed, 127 = could not run).
int RunKilledAfterCalls(FaultProxy& proxy, const std::string& command, int calls,
                        std::chrono::milliseconds give_up = std::chrono::minutes(5));

}  // namespace infra::test

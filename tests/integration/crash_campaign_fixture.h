// Shared by the kill -9 and fault campaigns (crash_campaign_test.cpp,
// fault_campaign_test.cpp): a stack directory run in place with the state in
// the test's own folder, infra run through a counting FaultProxy (killed
// after the N-th call when asked), and the checks both campaigns make with
// boto3 by tag: no twins, no orphans, an empty plan, an intact database.
#pragma once
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "stack_dir_fixture.h"
#include "support/fault_proxy.h"
#include "support/kill_after_calls.h"

namespace infra::test {

/// The stack the campaigns run: INFRA_CRASH_STACK or stacks/examples/network-2region.
inline std::string CampaignStackDir() {
  const char* s = std::getenv("INFRA_CRASH_STACK");
  return s ? s : SourceDir() + "/stacks/examples/network-2region";
}

class CampaignTest : public StackDirTest {
 protected:
  std::string State() const { return Path("state.db"); }

  // `infra -C <stack> ARGS --state <tmp>/state.db`, optionally through the proxy.
  std::string Command(const std::string& args, bool via_proxy) const {
    std::string env = via_proxy ? "env AWS_ENDPOINT_URL=" + ShellQuote(proxy_.endpoint()) + " " : "";
    return env + ShellQuote(InfraBinary()) + " -C " + ShellQuote(CampaignStackDir()) + " " + args + " --state " +
           ShellQuote(State()) + " </dev/null";
  }
  CommandResult Run(const std::string& args) { return RunCommand(Command(args, false)); }

  // Runs ARGS through the proxy and SIGKILLs infra once `calls` requests
  // were forwarded (or lets it finish). Returns the shell-style status.
  int RunKilledAfter(const std::string& args, int calls) {
    return RunKilledAfterCalls(proxy_, "exec " + Command(args, true) + " >" + ShellQuote(Path("killed.log")) + " 2>&1",
                               calls);
  }

  // address -> how many live objects carry it, over every tagged EC2 kind
  // in both regions.
  static std::map<std::string, int> TaggedObjects() {
    auto r = Boto3(R"PY(
f = [{"Name": "tag-key", "Values": ["infra:address"]}]
out = {}
def put(obj, id_key):
    for t in obj.get("Tags") or []:
        if t.get("Key") == "infra:address":
            out.setdefault(t["Value"], set()).add(obj[id_key])  # an object seen from both regions counts once
for region in ["eu-central-1", "eu-west-1"]:
    ec2 = boto3.client("ec2", region_name=region, endpoint_url=ENDPOINT)
    for v in ec2.describe_vpcs(Filters=f)["Vpcs"]: put(v, "VpcId")
    for s in ec2.describe_subnets(Filters=f)["Subnets"]: put(s, "SubnetId")
    for g in ec2.describe_internet_gateways(Filters=f)["InternetGateways"]: put(g, "InternetGatewayId")
    for a in ec2.describe_addresses(Filters=f)["Addresses"]: put(a, "AllocationId")
    for g in ec2.describe_security_groups(Filters=f)["SecurityGroups"]: put(g, "GroupId")
    for x in ec2.describe_security_group_rules(Filters=f)["SecurityGroupRules"]: put(x, "SecurityGroupRuleId")
    for t in ec2.describe_route_tables(Filters=f)["RouteTables"]: put(t, "RouteTableId")
    for g in ec2.describe_nat_gateways()["NatGateways"]:
        if g.get("State") not in ("deleted", "deleting"): put(g, "NatGatewayId")
    for c in ec2.describe_vpc_peering_connections(Filters=f)["VpcPeeringConnections"]:
        if c.get("Status", {}).get("Code") not in ("deleted", "rejected", "failed"): put(c, "VpcPeeringConnectionId")
print(json.dumps({k: len(v) for k, v in out.items()}))
)PY");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, int> out;
    if (r.json.is_object())
      for (auto& [k, v] : r.json.items()) out[k] = v.get<int>();
    return out;
  }

  std::set<std::string> StateAddresses() {
    auto r = Run("state list");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> out;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) out.insert(line);
    return out;
  }

  // No twins, no orphans, an empty plan, an intact database.
  void ExpectConsistent(bool destroyed) {
    auto objects = TaggedObjects();
    auto in_state = StateAddresses();
    for (const auto& [address, count] : objects) {
      EXPECT_EQ(count, 1) << "twins: " << count << " objects tagged " << address;
      EXPECT_TRUE(in_state.count(address)) << "orphan: " << address << " exists but is not in state";
    }
    if (destroyed) {
      EXPECT_TRUE(objects.empty()) << objects.size() << " tagged objects left after destroy";
      EXPECT_TRUE(in_state.empty()) << in_state.size() << " addresses left in state after destroy";
    } else {
      auto plan = Run("plan --detailed-exitcode");
      EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
    }
    auto check = RunCommand("sqlite3 " + ShellQuote(State()) + " 'PRAGMA integrity_check;'");
    EXPECT_EQ(check.exit_code, 0) << check.err;
    EXPECT_EQ(check.out, "ok\n");
  }

  void FreshStart() {
    moto_.Reset();
    for (const char* f : {"state.db", "state.db-wal", "state.db-shm", "state.key"})
      std::filesystem::remove(Path(f));
  }

  FaultProxy proxy_{moto_.port()};
};

}  // namespace infra::test

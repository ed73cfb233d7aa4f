// A lost reply must not make twins: through a keep-alive fault proxy that
// forwards CreateVpc to moto_server and then resets the connection (only on
// a reused connection, where libcurl would silently re-send), `infra apply`
// of the reference stack leaves at most one VPC per infra:address, as boto3
// sees it, and the proxy sees one CreateVpc per VPC that exists.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "support/fault_proxy.h"
#include "support/moto_server.h"
#include "test_paths.h"

namespace infra::test {
namespace {
namespace fs = std::filesystem;

// VPCs per infra:address tag value, both regions, straight from moto.
std::map<std::string, int> VpcsByAddress() {
  auto r = Boto3(R"PY(
out = {}
for region in ["eu-central-1", "eu-west-1"]:
    ec2 = boto3.client("ec2", region_name=region, endpoint_url=ENDPOINT)
    for v in ec2.describe_vpcs(Filters=[{"Name": "tag-key", "Values": ["infra:address"]}])["Vpcs"]:
        a = region + "/" + next(t["Value"] for t in v["Tags"] if t["Key"] == "infra:address")
        out[a] = out.get(a, 0) + 1
print(json.dumps(out))
)PY");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, int> out;
  if (r.json.is_object())
    for (auto it = r.json.begin(); it != r.json.end(); ++it) out[it.key()] = it.value().get<int>();
  return out;
}

TEST(TransportResendTest, CreateWhoseReplyIsLostOnAReusedConnectionIsNotResent) {
  MotoServer& moto = MotoServer::Shared();
  moto.ExportEnvironment();
  moto.Reset();
  FaultProxy proxy(moto.port());
  proxy.SetKeepAlive(true);
  proxy.Script({Fault::LoseReplyOnReuse("Action=CreateVpc&"), Fault::LoseReplyOnReuse("Action=CreateVpc&")});
  fs::path work = fs::temp_directory_path() / ("infra-lost-reply-" + std::to_string(::getpid()));
  fs::create_directories(work);
  // Waves: the second region's CreateVpc follows the first region's calls,
  // so it goes out on a reused connection (with the parallel default both
  // regions' VPCs are the first calls, each on a new connection).
  std::string cmd = "AWS_ENDPOINT_URL=" + ShellQuote(proxy.endpoint()) + " " + ShellQuote(InfraBinary()) + " -C " +
                    ShellQuote(SourceDir() + "/stacks/examples/network-2region") +
                    " apply --auto-approve --rollout waves --log-level debug --state " + ShellQuote((work / "s.db").string()) +
                    " </dev/null";
  CommandResult apply = RunCommand(cmd);
  fs::remove_all(work);
  ASSERT_LT(proxy.pending(), 2u) << "no CreateVpc came on a reused connection; the test proves nothing\n"
                                 << apply.err;
  auto vpcs = VpcsByAddress();
  int total = 0;
  for (const auto& [address, n] : vpcs) {
    EXPECT_EQ(n, 1) << "twin VPCs for " << address << "\n" << apply.out << apply.err;
    total += n;
  }
  EXPECT_EQ(proxy.requests("Action=CreateVpc&"), total) << "a CreateVpc was re-sent\n" << apply.err;
  // The lost reply is reported as an outcome the service may have acted on.
  if (apply.exit_code != 0) {
    EXPECT_NE(apply.err.find("ConnectionReset"), std::string::npos) << apply.err;
  }
}

}  // namespace
}  // namespace infra::test

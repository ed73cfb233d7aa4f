// Data sources against moto_server, checked with boto3: the AZ list, the
// caller identity, the region, a VPC looked up by tag after the apply that
// makes it (read during apply: it depends on a resource with changes), a
// subnet placed in the first AZ, outputs and console over data; the second
// plan is empty; destroy leaves nothing and forgets the data sources.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "stack_dir_fixture.h"

namespace infra::test {
namespace {

class DataSourcesTest : public StackDirTest {};

constexpr const char* kStack = R"(stack: data-sources
regions:
  primary: eu-west-1
data:
  azs: {type: aws_availability_zones, state: available}
  me: {type: aws_caller_identity}
  here: {type: aws_region}
  main:
    type: aws_vpc
    tags: {Name: data-main}
    depends_on: [vpc]
resources:
  vpc: {type: aws_vpc, cidr_block: 10.7.0.0/16, tags: {Name: data-main}}
  sub:
    type: aws_subnet
    vpc_id: ${vpc.id}
    cidr_block: 10.7.1.0/24
    availability_zone: ${data.azs.names[0]}
outputs:
  account: {value: "${data.me.account_id}"}
  zones: {value: "${data.azs.names}"}
  where: {value: "${data.here.name}"}
  looked_up: {value: "${data.main.id}"}
checks:
  vpc_found:
    assert: {condition: "${data.main.cidr_block == \"10.7.0.0/16\"}", error_message: "the VPC is ${data.main.cidr_block}"}
  many_zones:
    assert: {condition: "${length(data.azs.names) > 5}", error_message: "only ${length(data.azs.names)} zones"}
)";

TEST_F(DataSourcesTest, ReadWhilePlanningOrDuringApplyAndKeptInState) {
  WriteStack(kStack);
  auto truth = Boto3(R"PY(
ec2 = boto3.client("ec2", region_name="eu-west-1", endpoint_url=ENDPOINT)
zones = sorted(z["ZoneName"] for z in ec2.describe_availability_zones(Filters=[{"Name": "state", "Values": ["available"]}])["AvailabilityZones"])
sts = boto3.client("sts", region_name="eu-west-1", endpoint_url=ENDPOINT)
print(json.dumps({"zones": zones, "account": sts.get_caller_identity()["Account"]}))
)PY");
  ASSERT_EQ(truth.exit_code, 0) << truth.err;

  auto plan = Infra("plan --state " + Path("state.db"));
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_NE(plan.out.find("data.aws_vpc.main will be read during apply"), std::string::npos) << plan.out;
  EXPECT_EQ(plan.out.find("data.aws_availability_zones.azs will be read"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("availability_zone       = \"" + truth.json["zones"][0].get<std::string>() + "\""),
            std::string::npos) << plan.out;

  // Checks: the lookup is not known before the apply; the zone count is.
  EXPECT_NE(plan.out.find("stack.yaml:25:3): not known until after apply"), std::string::npos)
      << plan.out;
  EXPECT_NE(plan.out.find("stack.yaml:27:3): only " +
                          std::to_string(truth.json["zones"].size()) + " zones"),
            std::string::npos) << plan.out;
  auto apply = Infra("apply --auto-approve --state " + Path("state.db"));
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_NE(apply.out.find("Resources: 2 added, 0 changed, 0 destroyed"), std::string::npos) << apply.out;
  EXPECT_NE(apply.out.find("Checks: 1 passed, 1 failed, 0 unknown."), std::string::npos) << apply.out;

  auto out = Infra("output --json --state " + Path("state.db"));
  ASSERT_EQ(out.exit_code, 0) << out.err;
  auto o = nlohmann::json::parse(out.out);
  EXPECT_EQ(o["account"]["value"], truth.json["account"]);
  EXPECT_EQ(o["zones"]["value"], truth.json["zones"]);
  EXPECT_EQ(o["where"]["value"], "eu-west-1");

  auto aws = Boto3(R"PY(
ec2 = boto3.client("ec2", region_name="eu-west-1", endpoint_url=ENDPOINT)
vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["data-main"]}])["Vpcs"]
subs = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [v["VpcId"] for v in vpcs]}])["Subnets"]
print(json.dumps({"vpcs": [v["VpcId"] for v in vpcs], "azs": [s["AvailabilityZone"] for s in subs]}))
)PY");
  ASSERT_EQ(aws.exit_code, 0) << aws.err;
  ASSERT_EQ(aws.json["vpcs"].size(), 1u) << aws.out;
  EXPECT_EQ(o["looked_up"]["value"], aws.json["vpcs"][0]);
  EXPECT_EQ(aws.json["azs"], nlohmann::json::array({truth.json["zones"][0]}));

  auto console = RunCommand("printf 'data.main.cidr_block\\n' | " + ShellQuote(InfraBinary()) + " -C " +
                            ShellQuote(dir_.string()) + " console --state " + Path("state.db"));
  EXPECT_NE(console.out.find("\"10.7.0.0/16\""), std::string::npos) << console.out << console.err;

  auto again = Infra("plan --detailed-exitcode --state " + Path("state.db"));
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;

  auto destroy = Infra("destroy --auto-approve --state " + Path("state.db"));
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  EXPECT_NE(destroy.out.find("Resources: 2 destroyed"), std::string::npos) << destroy.out;
  auto list = Infra("state list --state " + Path("state.db"));
  EXPECT_EQ(list.out, "") << list.out;
  auto left = Boto3(R"PY(
ec2 = boto3.client("ec2", region_name="eu-west-1", endpoint_url=ENDPOINT)
print(json.dumps({"vpcs": len(ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["data-main"]}])["Vpcs"])}))
)PY");
  EXPECT_EQ(left.json["vpcs"], 0) << left.out;
}

TEST_F(DataSourcesTest, ForEachAndCountOverADataSourceAsTerraformUsersWriteThem) {
  // `for_each = toset(slice(data.aws_availability_zones.azs.names, 0, 2))`:
  // the AZs are read while the stack expands; the saved plan's apply reads
  // them again and finds the same instances.
  WriteStack(R"(stack: data-repeat
regions:
  primary: eu-west-1
data:
  azs: {type: aws_availability_zones, state: available}
resources:
  vpc: {type: aws_vpc, cidr_block: 10.8.0.0/16, tags: {Name: data-repeat}}
  sub:
    type: aws_subnet
    for_each: ${toset(slice(data.azs.names, 0, 2))}
    vpc_id: ${vpc.id}
    cidr_block: ${cidrsubnet("10.8.0.0/16", 8, index(data.azs.names, each.key))}
    availability_zone: ${each.key}
  rt:
    type: aws_route_table
    count: ${length(slice(data.azs.names, 0, 2))}
    vpc_id: ${vpc.id}
)");
  auto plan = Infra("plan -out " + Path("p.plan") + " --state " + Path("state.db"));
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_NE(plan.out.find("aws_subnet.sub[\"eu-west-1a\"] will be created"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("aws_route_table.rt[1] will be created"), std::string::npos) << plan.out;
  auto apply = Infra("apply " + Path("p.plan") + " --state " + Path("state.db"));
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  auto got = Boto3(R"PY(
ec2 = boto3.client("ec2", region_name="eu-west-1", endpoint_url=ENDPOINT)
vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["data-repeat"]}])["Vpcs"][0]["VpcId"]
subs = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
rts = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"]
print(json.dumps({"subnets": sorted([s["AvailabilityZone"], s["CidrBlock"]] for s in subs),
                  "tables": len([r for r in rts if not any(a.get("Main") for a in r.get("Associations", []))])}))
)PY");
  ASSERT_EQ(got.exit_code, 0) << got.err;
  EXPECT_EQ(got.json["subnets"], nlohmann::json::parse(R"([["eu-west-1a","10.8.0.0/24"],["eu-west-1b","10.8.1.0/24"]])"))
      << got.out;
  EXPECT_EQ(got.json["tables"], 2) << got.out;
  EXPECT_EQ(Infra("plan --detailed-exitcode --state " + Path("state.db")).exit_code, 0);
  EXPECT_EQ(Infra("destroy --auto-approve --state " + Path("state.db")).exit_code, 0);
}

TEST_F(DataSourcesTest, ALookupThatMatchesNothingFailsThePlanNamingIt) {
  WriteStack(R"(stack: data-missing
regions:
  primary: eu-west-1
data:
  gone: {type: aws_vpc, tags: {Name: no-such-vpc}}
)");
  auto plan = Infra("plan --state " + Path("state.db"));
  EXPECT_EQ(plan.exit_code, 1);
  EXPECT_NE(plan.err.find("stack.yaml:5:3: data.aws_vpc.gone: reading the data source failed"), std::string::npos)
      << plan.err;
  EXPECT_NE(plan.err.find("no matching VPC found"), std::string::npos) << plan.err;
}

}  // namespace
}  // namespace infra::test

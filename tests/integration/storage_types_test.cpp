// The S3 configuration and Route 53 types one by one through the `infra`
// binary against moto_server, checked with boto3: create -> read back ->
// no-op plan -> in-place update -> replacement where forced -> delete ->
// gone, and import of objects made outside infra planning no changes (a
// private zone's VPC changes in place: associated, then disassociated); a
// replication whose buckets the stack declares without versioning is
// refused at plan, naming each bucket, before any call.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "integration/stack_dir_fixture.h"

namespace infra::test {
namespace {

const char* kS3Stack = R"(stack: s3-types
regions:
  primary: eu-west-1
variables:
  days: {type: number, default: 30}
  sse: {type: string, default: AES256}
  owner: {type: string, default: BucketOwnerEnforced}
  versioning: {type: string, default: Enabled}
  block: {type: bool, default: true}
resources:
  b:
    type: aws_s3_bucket
    bucket: infra-types-1
    force_destroy: true
  v:
    type: aws_s3_bucket_versioning
    bucket: ${b.bucket}
    versioning_configuration: {status: "${var.versioning}"}
  pab:
    type: aws_s3_bucket_public_access_block
    bucket: ${b.bucket}
    block_public_acls: ${var.block}
    restrict_public_buckets: true
  sse:
    type: aws_s3_bucket_server_side_encryption_configuration
    bucket: ${b.bucket}
    rule:
      - apply_server_side_encryption_by_default: {sse_algorithm: "${var.sse}"}
  own:
    type: aws_s3_bucket_ownership_controls
    bucket: ${b.bucket}
    rule: {object_ownership: "${var.owner}"}
  policy:
    type: aws_s3_bucket_policy
    bucket: ${b.bucket}
    policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteBucket","Resource":"${b.arn}"}]}'
  life:
    type: aws_s3_bucket_lifecycle_configuration
    bucket: ${v.bucket}
    rule:
      - id: tmp
        status: Enabled
        filter: {prefix: tmp/}
        expiration: {days: "${var.days}"}
        transition:
          - {days: 1, storage_class: STANDARD_IA}
)";

const char* kDnsStack = R"(stack: dns-types
regions:
  primary: eu-west-1
variables:
  ttl: {type: number, default: 60}
  name: {type: string, default: api}
  comment: {type: string, default: first}
  threshold: {type: number, default: 3}
  vpc: {type: string, default: vpc-11111111}
resources:
  zone:
    type: aws_route53_zone
    name: types.example.com
    comment: ${var.comment}
  internal:
    type: aws_route53_zone
    name: internal.types.example.com
    vpc:
      - {vpc_id: "${var.vpc}"}
  check:
    type: aws_route53_health_check
    fqdn: api.types.example.com
    port: 443
    resource_path: /health
    failure_threshold: ${var.threshold}
    attributes: {type: HTTPS}
  rec:
    type: aws_route53_record
    zone_id: ${zone.zone_id}
    name: ${var.name}.types.example.com
    attributes: {type: CNAME}
    ttl: ${var.ttl}
    records: [lb.example.net]
)";

class StorageTypesTest : public StackDirTest {
 protected:
  nlohmann::json Py(const std::string& code) {
    auto r = Boto3("s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1')\n"
                   "r53 = boto3.client('route53', endpoint_url=ENDPOINT, region_name='us-east-1')\n" + code);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json;
  }
  nlohmann::json S3State() {
    return Py(R"PY(
out = {}
for b in s3.list_buckets()["Buckets"]:
    n = b["Name"]
    def get(f, key):
        try:
            return f(Bucket=n)[key]
        except s3.exceptions.ClientError as e:
            return e.response["Error"]["Code"]
    out[n] = {"versioning": s3.get_bucket_versioning(Bucket=n).get("Status"),
              "pab": get(s3.get_public_access_block, "PublicAccessBlockConfiguration"),
              "sse": get(s3.get_bucket_encryption, "ServerSideEncryptionConfiguration"),
              "own": get(s3.get_bucket_ownership_controls, "OwnershipControls"),
              "policy": get(s3.get_bucket_policy, "Policy"),
              "life": get(s3.get_bucket_lifecycle_configuration, "Rules")}
print(json.dumps(out, default=str))
)PY");
  }
  nlohmann::json DnsState() {
    return Py(R"PY(
out = {"zones": {}, "comments": {}, "checks": [c["HealthCheckConfig"] for c in r53.list_health_checks()["HealthChecks"]]}
for z in r53.list_hosted_zones()["HostedZones"]:
    out["comments"][z["Name"]] = z["Config"].get("Comment")
    out.setdefault("vpcs", {})[z["Name"]] = [v["VPCId"] for v in r53.get_hosted_zone(Id=z["Id"]).get("VPCs", [])]
    sets = r53.list_resource_record_sets(HostedZoneId=z["Id"])["ResourceRecordSets"]
    out["zones"][z["Name"]] = {s["Name"] + "/" + s["Type"]: s.get("TTL") for s in sets}
print(json.dumps(out))
)PY");
  }
};

TEST_F(StorageTypesTest, S3ConfigurationsCreateUpdateImportDelete) {
  WriteStack(kS3Stack);
  auto apply = Infra("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  auto s = S3State()["infra-types-1"];
  EXPECT_EQ(s["versioning"], "Enabled");
  EXPECT_EQ(s["pab"], nlohmann::json({{"BlockPublicAcls", true}, {"IgnorePublicAcls", false},
                                      {"BlockPublicPolicy", false}, {"RestrictPublicBuckets", true}}));
  EXPECT_EQ(s["sse"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"], "AES256");
  EXPECT_EQ(s["own"]["Rules"][0]["ObjectOwnership"], "BucketOwnerEnforced");
  EXPECT_NE(s["policy"].get<std::string>().find("s3:DeleteBucket"), std::string::npos);
  EXPECT_EQ(s["life"][0]["Expiration"]["Days"], 30);
  EXPECT_EQ(s["life"][0]["Transitions"][0]["StorageClass"], "STANDARD_IA");
  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;

  const std::string vars =
      "-var days=90 -var sse=aws:kms -var owner=ObjectWriter -var versioning=Suspended -var block=false";
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 2) << plan.out;
  EXPECT_NE(plan.out.find("0 to add, 5 to change, 0 to destroy"), std::string::npos) << plan.out;
  apply = Infra("apply --auto-approve " + vars);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  s = S3State()["infra-types-1"];
  EXPECT_EQ(s["life"][0]["Expiration"]["Days"], 90);
  EXPECT_EQ(s["sse"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"], "aws:kms");
  EXPECT_EQ(s["own"]["Rules"][0]["ObjectOwnership"], "ObjectWriter");
  EXPECT_EQ(s["versioning"], "Suspended");
  EXPECT_EQ(s["pab"]["BlockPublicAcls"], false);
  EXPECT_EQ(Infra("plan --detailed-exitcode " + vars).exit_code, 0);

  // Forget every configuration, import them back by bucket name: no changes.
  for (const char* address : {"aws_s3_bucket_lifecycle_configuration.life", "aws_s3_bucket_policy.policy",
                              "aws_s3_bucket_versioning.v", "aws_s3_bucket_public_access_block.pab",
                              "aws_s3_bucket_server_side_encryption_configuration.sse",
                              "aws_s3_bucket_ownership_controls.own"}) {
    ASSERT_EQ(Infra(std::string("state rm ") + address).exit_code, 0) << address;
    auto imp = Infra(std::string("import ") + address + " infra-types-1 " + vars);
    ASSERT_EQ(imp.exit_code, 0) << address << imp.out << imp.err;
  }
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;

  auto destroy = Infra("destroy --auto-approve " + vars);
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  EXPECT_EQ(S3State(), nlohmann::json::object());
}

TEST_F(StorageTypesTest, ReplicationWithoutVersioningIsRefusedAtPlanNamingBothBuckets) {
  const std::string stack = R"(stack: s3-repl
regions:
  primary: eu-west-1
resources:
  src: {type: aws_s3_bucket, bucket: infra-repl-src}
  dst: {type: aws_s3_bucket, bucket: infra-repl-dst}
  repl:
    type: aws_s3_bucket_replication_configuration
    bucket: ${src.id}
    role: arn:aws:iam::123456789012:role/replication
    rule:
      - {id: all, status: Enabled, filter: {prefix: ""}, delete_marker_replication: {status: Disabled},
         destination: {bucket: "${dst.arn}"}}
)";
  WriteStack(stack);
  auto plan = Infra("plan");
  EXPECT_EQ(plan.exit_code, 1) << plan.out;
  const std::string where = "stack.yaml:7:3: aws_s3_bucket_replication_configuration.repl: replication needs "
                            "versioning enabled on both buckets: ";
  EXPECT_NE(plan.err.find(where + "bucket names 'infra-repl-src', and no aws_s3_bucket_versioning in the stack has "
                                  "versioning_configuration.status = \"Enabled\" for it"),
            std::string::npos) << plan.err;
  EXPECT_NE(plan.err.find(where + "rule.destination.bucket names 'infra-repl-dst'"), std::string::npos) << plan.err;
  EXPECT_NE(Infra("apply --auto-approve").exit_code, 0);
  EXPECT_TRUE(S3State().empty()) << S3State().dump();  // refused before any call: no bucket made

  // Versioned on one side only: the other is still named.
  WriteStack(stack + R"(  src_v: {type: aws_s3_bucket_versioning, bucket: "${src.id}", versioning_configuration: {status: Enabled}}
)");
  plan = Infra("plan");
  EXPECT_EQ(plan.exit_code, 1);
  EXPECT_EQ(plan.err.find("bucket names 'infra-repl-src'"), std::string::npos) << plan.err;
  EXPECT_NE(plan.err.find("rule.destination.bucket names 'infra-repl-dst'"), std::string::npos) << plan.err;
  // Both versioned: planned, and the replication waits for both.
  WriteStack(stack + R"(  src_v: {type: aws_s3_bucket_versioning, bucket: "${src.id}", versioning_configuration: {status: Enabled}}
  dst_v: {type: aws_s3_bucket_versioning, bucket: "${dst.id}", versioning_configuration: {status: Enabled}}
)");
  auto json = Infra("plan --json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto doc = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << json.out;
  nlohmann::json deps;
  for (const auto& c : doc["resource_changes"])
    if (c["address"] == "aws_s3_bucket_replication_configuration.repl") deps = c["depends_on"];
  EXPECT_NE(deps.dump().find("aws_s3_bucket_versioning.src_v"), std::string::npos) << json.out;
  EXPECT_NE(deps.dump().find("aws_s3_bucket_versioning.dst_v"), std::string::npos) << json.out;
}

TEST_F(StorageTypesTest, Route53CreateUpdateReplaceImportDelete) {
  WriteStack(kDnsStack);
  auto apply = Infra("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  auto d = DnsState();
  EXPECT_EQ(d["zones"]["types.example.com."]["api.types.example.com./CNAME"], 60) << d.dump(2);
  ASSERT_EQ(d["checks"].size(), 1u);
  EXPECT_EQ(d["checks"][0]["Type"], "HTTPS");
  EXPECT_EQ(d["checks"][0]["FailureThreshold"], 3);
  EXPECT_EQ(d["vpcs"]["internal.types.example.com."], nlohmann::json({"vpc-11111111"})) << d.dump(2);
  EXPECT_EQ(Infra("plan --detailed-exitcode").exit_code, 0);

  // In place: the TTL, the threshold, the comment and the private zone's VPC.
  const std::string in_place = "-var ttl=300 -var threshold=5 -var comment=second -var vpc=vpc-22222222";
  auto plan = Infra("plan --detailed-exitcode " + in_place);
  EXPECT_NE(plan.out.find("0 to add, 4 to change, 0 to destroy"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("aws_route53_zone.internal will be updated in-place"), std::string::npos) << plan.out;
  ASSERT_EQ(Infra("apply --auto-approve " + in_place).exit_code, 0);
  d = DnsState();
  EXPECT_EQ(d["zones"]["types.example.com."]["api.types.example.com./CNAME"], 300);
  EXPECT_EQ(d["checks"][0]["FailureThreshold"], 5);
  EXPECT_EQ(d["comments"]["types.example.com."], "second");
  EXPECT_EQ(d["vpcs"]["internal.types.example.com."], nlohmann::json({"vpc-22222222"})) << d.dump(2);
  EXPECT_EQ(Infra("plan --detailed-exitcode " + in_place).exit_code, 0);

  // A new name replaces the record.
  const std::string vars = in_place + " -var name=www";
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_NE(plan.out.find("aws_route53_record.rec must be replaced"), std::string::npos) << plan.out;
  auto replaced = Infra("apply --auto-approve " + vars);
  ASSERT_EQ(replaced.exit_code, 0) << replaced.out << replaced.err;
  d = DnsState();
  EXPECT_FALSE(d["zones"]["types.example.com."].contains("api.types.example.com./CNAME")) << d.dump(2);
  EXPECT_EQ(d["zones"]["types.example.com."]["www.types.example.com./CNAME"], 300);

  // Forget the record and the zone, import them (the record by Terraform's id form): no changes.
  ASSERT_EQ(Infra("state rm aws_route53_record.rec").exit_code, 0);
  auto out = Py(R"PY(print(json.dumps([z["Id"].split("/")[-1] for z in r53.list_hosted_zones()["HostedZones"]
                  if z["Name"] == "types.example.com."][0])))PY");
  auto imp = Infra("import aws_route53_record.rec " + out.get<std::string>() + "_www.types.example.com_CNAME " + vars);
  ASSERT_EQ(imp.exit_code, 0) << imp.out << imp.err;
  ASSERT_EQ(Infra("state rm aws_route53_zone.zone").exit_code, 0);
  imp = Infra("import aws_route53_zone.zone " + out.get<std::string>() + " " + vars);
  ASSERT_EQ(imp.exit_code, 0) << imp.out << imp.err;
  plan = Infra("plan --detailed-exitcode " + vars);
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;

  auto destroy = Infra("destroy --auto-approve " + vars);
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  d = DnsState();
  EXPECT_EQ(d["zones"], nlohmann::json::object());
  EXPECT_EQ(d["checks"], nlohmann::json::array());
}

}  // namespace
}  // namespace infra::test

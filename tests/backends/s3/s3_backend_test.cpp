// The remote backend's conditional logic over a scripted AwsClient: which
// DynamoDB conditions guard the snapshot pointer, the lock and the journal,
// and what a refused condition becomes (StateConflict, StateLockLost, a
// lock that stays someone else's). The same paths run against moto in
// tests/integration/backend_s3_test.cpp.
#include "backends/s3/s3_backend.h"

#include <gtest/gtest.h>

#include <memory>

#include "backends/s3/dynamo_lock_record.h"
#include "fakes/scripted_aws_client.h"
#include "providers/aws/sdk/sigv4.h"
#include "state/crypto.h"
#include "state/lock_record.h"

namespace infra::state::remote {
namespace {
using nlohmann::json;
using test::ScriptedAwsClient;

S3BackendConfig Config(std::string kms = "") {
  return {"state-bucket", "web/state.db", "eu-central-1", "locks", std::move(kms)};
}

json Pointer(const std::string& version, int64_t serial, const std::string& bytes) {
  return {{"Item",
           {{"LockID", S("state-bucket/web/state.db#snapshot")},
            {"version", S(version)},
            {"lineage", S("lin-1")},
            {"serial", N(serial)},
            {"sha256", S(aws::Sha256Hex(bytes))}}}};
}

Snapshot Next(int64_t serial) { return {"lin-1", serial, "", "sqlite bytes v" + std::to_string(serial)}; }

TEST(S3BackendTest, SnapshotWriteIsAnS3VersionThenAPointerMoveConditionalOnTheVersionReadAndTheLease) {
  auto client = std::make_shared<ScriptedAwsClient>();
  S3Backend backend(client, Config("arn:aws:kms:eu-central-1:123456789012:key/k1"));
  backend.Fence("lease-1", {});
  client->ReplyRest("PutObject", "", 200, {{"x-amz-version-id", "v2"}});
  client->ReplyJson("TransactWriteItems", json::object());
  ASSERT_TRUE(backend.WriteSnapshot(Next(2), "v1").ok());

  auto calls = client->calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].rest.method, "PUT");
  EXPECT_EQ(calls[0].rest.path, "/state-bucket/web/state.db");
  EXPECT_EQ(calls[0].rest.headers.at("x-amz-server-side-encryption"), "aws:kms");
  EXPECT_EQ(calls[0].rest.headers.at("x-amz-server-side-encryption-aws-kms-key-id"),
            "arn:aws:kms:eu-central-1:123456789012:key/k1");
  const json& items = calls[1].body["TransactItems"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["ConditionCheck"]["Key"]["LockID"]["S"], "state-bucket/web/state.db");
  EXPECT_EQ(items[0]["ConditionCheck"]["ConditionExpression"], "lock_id = :lease");
  EXPECT_EQ(items[0]["ConditionCheck"]["ExpressionAttributeValues"][":lease"]["S"], "lease-1");
  const json& put = items[1]["Put"];
  EXPECT_EQ(put["ConditionExpression"], "version = :prev AND lineage = :lineage AND serial < :serial");
  EXPECT_EQ(put["ExpressionAttributeValues"][":prev"]["S"], "v1");
  EXPECT_EQ(put["Item"]["version"]["S"], "v2");
  EXPECT_EQ(put["Item"]["serial"]["N"], "2");
  EXPECT_EQ(put["Item"]["sha256"]["S"], aws::Sha256Hex("sqlite bytes v2"));
}

TEST(S3BackendTest, AForcedSnapshotIsConditionalOnlyOnTheVersionReadAndTheLease) {
  auto client = std::make_shared<ScriptedAwsClient>();
  S3Backend backend(client, Config());
  backend.Fence("lease-1", {});
  client->ReplyRest("PutObject", "", 200, {{"x-amz-version-id", "v2"}});
  client->ReplyJson("TransactWriteItems", json::object());
  Snapshot foreign{"lin-other", 1, "", "another state"};  // another lineage, a lower serial
  ASSERT_TRUE(backend.ReplaceSnapshot(foreign, "v1").ok());
  auto calls = client->calls();
  ASSERT_EQ(calls.size(), 2u);
  const json& items = calls[1].body["TransactItems"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["ConditionCheck"]["ExpressionAttributeValues"][":lease"]["S"], "lease-1");
  EXPECT_EQ(items[1]["Put"]["ConditionExpression"], "version = :prev");
  EXPECT_EQ(items[1]["Put"]["ExpressionAttributeValues"][":prev"]["S"], "v1");
  EXPECT_EQ(items[1]["Put"]["Item"]["lineage"]["S"], "lin-other");
}

TEST(S3BackendTest, TheFirstSnapshotRequiresThatNoPointerExists) {
  auto client = std::make_shared<ScriptedAwsClient>();
  S3Backend backend(client, Config());
  client->ReplyRest("PutObject", "", 200, {{"x-amz-version-id", "v1"}});
  client->ReplyJson("PutItem", json::object());  // unfenced: a single PutItem
  ASSERT_TRUE(backend.WriteSnapshot(Next(1), "").ok());
  auto calls = client->calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].rest.headers.count("x-amz-server-side-encryption"), 0u);
  EXPECT_EQ(calls[1].body["ConditionExpression"], "attribute_not_exists(LockID)");
}

TEST(S3BackendTest, APointerMovedByAnotherWriterIsAConflictAndNothingIsOverwritten) {
  auto client = std::make_shared<ScriptedAwsClient>();
  S3Backend backend(client, Config());
  backend.Fence("lease-1", {});
  client->ReplyRest("PutObject", "", 200, {{"x-amz-version-id", "v3"}});
  client->Fail("TransactWriteItems", "TransactionCanceledException", Error::Kind::kConflict);
  client->ReplyJson("GetItem", Pointer("v2-other", 1, "x"));  // pointer: someone else's version
  client->ReplyJson("GetItem", {{"Item", {{"LockID", S("state-bucket/web/state.db")}, {"lock_id", S("lease-1")}}}});
  Status st = backend.WriteSnapshot(Next(2), "v1");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "StateConflict") << st.error().ToString();
  EXPECT_NE(st.error().message.find("v2-other"), std::string::npos) << st.error().message;
  EXPECT_EQ(client->remaining(), 0u);
}

TEST(S3BackendTest, ALostLeaseRefusesTheSnapshotNamingTheNewHolder) {
  auto client = std::make_shared<ScriptedAwsClient>();
  S3Backend backend(client, Config());
  backend.Fence("lease-1", {});
  client->ReplyRest("PutObject", "", 200, {{"x-amz-version-id", "v3"}});
  client->Fail("TransactWriteItems", "TransactionCanceledException", Error::Kind::kConflict);
  client->ReplyJson("GetItem", Pointer("v1", 1, "x"));
  client->ReplyJson("GetItem", {{"Item",
                                 {{"LockID", S("state-bucket/web/state.db")},
                                  {"lock_id", S("lease-2")},
                                  {"user", S("bob")},
                                  {"host", S("build-9")},
                                  {"pid", N(77)},
                                  {"command", S("apply")}}}});
  Status st = backend.WriteSnapshot(Next(2), "v1");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "StateLockLost");
  EXPECT_NE(st.error().message.find("bob on build-9"), std::string::npos) << st.error().message;
}

TEST(S3BackendTest, ABucketWithoutVersioningIsRefused) {
  auto client = std::make_shared<ScriptedAwsClient>();
  S3Backend backend(client, Config());
  client->ReplyRest("PutObject", "", 200, {});
  Status st = backend.WriteSnapshot(Next(1), "");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "BackendUnversioned");
}

TEST(S3BackendTest, ReadingChecksTheBytesAgainstThePointersDigest) {
  auto client = std::make_shared<ScriptedAwsClient>();
  S3Backend backend(client, Config());
  client->ReplyJson("GetItem", Pointer("v1", 4, "the bytes"));
  client->ReplyRest("GetObject", "the bytes");
  auto snap = backend.ReadSnapshot();
  ASSERT_TRUE(snap.ok()) << snap.error().ToString();
  ASSERT_TRUE(snap->has_value());
  EXPECT_EQ((*snap)->serial, 4);
  EXPECT_EQ((*snap)->version, "v1");
  EXPECT_EQ(client->calls()[1].rest.query, (aws::QueryParams{{"versionId", "v1"}}));

  client->ReplyJson("GetItem", Pointer("v1", 4, "the bytes"));
  client->ReplyRest("GetObject", "other bytes");
  auto bad = backend.ReadSnapshot();
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "StateCorrupt");
}

TEST(DynamoLockRecordTest, TakeIsConditionalOnAFreeLockOrTheReplacedHolder) {
  auto client = std::make_shared<ScriptedAwsClient>();
  DynamoLockRecord record(DynamoTable(client, "eu-central-1", "locks"), "b/k");
  LockInfo me{"id-me", "alice", "build-7", 42, "apply", "2026-12-01T00:00:00Z", "", 1000};
  client->ReplyJson("PutItem", json::object());
  auto free = record.Take(me, "");
  ASSERT_TRUE(free.ok() && *free);
  client->Fail("PutItem", "ConditionalCheckFailedException", Error::Kind::kConflict);
  auto held = record.Take(me, "id-old");
  ASSERT_TRUE(held.ok());
  EXPECT_FALSE(*held);
  auto calls = client->calls();
  EXPECT_EQ(calls[0].body["ConditionExpression"], "attribute_not_exists(LockID)");
  EXPECT_EQ(calls[0].body["Item"]["expires_ms"]["N"], "1000");
  EXPECT_FALSE(calls[0].body["Item"].contains("pid_space")) << "not recorded: not written";
  EXPECT_EQ(calls[1].body["ConditionExpression"], "lock_id = :old");
  EXPECT_EQ(calls[1].body["ExpressionAttributeValues"][":old"]["S"], "id-old");

  client->Fail("UpdateItem", "ConditionalCheckFailedException", Error::Kind::kConflict);
  auto renewed = record.Renew("id-me", 2000);
  ASSERT_TRUE(renewed.ok());
  EXPECT_FALSE(*renewed);
  client->Fail("DeleteItem", "ConditionalCheckFailedException", Error::Kind::kConflict);
  EXPECT_TRUE(record.Release("id-me").ok());  // someone else's lock stays, quietly
}

TEST(DynamoLockRecordTest, TheHoldersPidSpaceIsStoredAndAnItemWithoutOneIsNeverPidChecked) {
  auto client = std::make_shared<ScriptedAwsClient>();
  DynamoLockRecord record(DynamoTable(client, "eu-central-1", "locks"), "b/k");
  LockInfo me{"id-me", "alice", "build-7", 42, "apply", "2026-12-01T00:00:00Z", "", 1000, "boot-1/4026531836"};
  client->ReplyJson("PutItem", json::object());
  ASSERT_TRUE(record.Take(me, "").ok());
  json written = client->calls()[0].body["Item"];
  EXPECT_EQ(written["pid_space"]["S"], "boot-1/4026531836");
  client->ReplyJson("GetItem", {{"Item", written}});
  auto read = record.Read();
  ASSERT_TRUE(read.ok() && *read);
  EXPECT_EQ((*read)->pid_space, "boot-1/4026531836");
  client->ReplyJson("GetItem", {{"Item", {{"LockID", S("b/k")}, {"lock_id", S("id-old")}, {"host", S("build-7")}}}});
  auto old = record.Read();
  ASSERT_TRUE(old.ok() && *old);
  EXPECT_EQ((*old)->pid_space, "unrecorded");
}

TEST(DynamoJournalTest, IntentAndOutcomeAreFencedByTheLeaseAndALostLeaseWritesNothing) {
  auto client = std::make_shared<ScriptedAwsClient>();
  DynamoJournal journal(DynamoTable(client, "eu-central-1", "locks"), "b/k");
  journal.Configure("lease-1", {[](const json& v) -> Result<std::string> { return "sealed:" + v.dump(); },
                                [](const std::string& s) -> Result<json> { return json::parse(s.substr(7)); }});
  client->ReplyJson("TransactWriteItems", json::object());
  auto id = journal.RecordIntent({"aws_vpc.main", "create", "tok-1", "aws_vpc", "eu-central-1", {{"cidr", "10.0.0.0/16"}}});
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  client->Fail("TransactWriteItems", "TransactionCanceledException", Error::Kind::kConflict);
  Status st = journal.RecordOutcome(*id, true, "vpc-1", "");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "StateLockLost");

  auto calls = client->calls();
  const json& intent = calls[0].body["TransactItems"];
  EXPECT_EQ(intent[0]["ConditionCheck"]["ExpressionAttributeValues"][":lease"]["S"], "lease-1");
  EXPECT_EQ(intent[1]["Put"]["Item"]["LockID"]["S"], "b/k#journal#lease-1#00000001");
  EXPECT_EQ(intent[1]["Put"]["Item"]["payload"]["S"], Base64Encode("sealed:{\"cidr\":\"10.0.0.0/16\"}"));
  EXPECT_EQ(calls[1].body["TransactItems"][1]["Update"]["Key"]["LockID"]["S"], "b/k#journal#lease-1#00000001");

  // An earlier run's items come back oldest first, payloads unsealed.
  client->ReplyJson("Scan", {{"Items",
                              {{{"LockID", S("b/k#journal#lease-0#00000002")},
                                {"address", S("aws_vpc.b")},
                                {"started_at", S("2026-12-01T00:00:02Z")}},
                               {{"LockID", S("b/k#journal#lease-0#00000001")},
                                {"address", S("aws_vpc.a")},
                                {"payload", S(Base64Encode("sealed:{\"x\":1}"))},
                                {"finished", B(true)},
                                {"ok", B(true)},
                                {"started_at", S("2026-12-01T00:00:01Z")}}}}});
  auto entries = journal.Unfinished();
  ASSERT_TRUE(entries.ok()) << entries.error().ToString();
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].address, "aws_vpc.a");
  EXPECT_TRUE((*entries)[0].finished);
  EXPECT_EQ((*entries)[0].payload, json({{"x", 1}}));
  EXPECT_EQ((*entries)[1].address, "aws_vpc.b");
  EXPECT_EQ(client->calls().back().body["FilterExpression"], "begins_with(LockID, :p)");
}

}  // namespace
}  // namespace infra::state::remote

// Cipher, key sources, and secrets in the state file: encrypted at rest,
// redacted for display, wrong or missing keys reported clearly.
#include "state/crypto.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "state/journal.h"
#include "state/store.h"
#include "state_test_env.h"

namespace infra::state {
namespace {

using testing::ReadAll;
using testing::ScopedKeyEnv;
using testing::TempDir;

constexpr char kHexKey[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr char kSecret[] = "s3cr3t-Pa55w0rd-do-not-leak";

TEST(CipherTest, EncryptDecryptRoundTripWithAad) {
  auto c = Cipher::FromText(kHexKey);
  ASSERT_TRUE(c.ok());
  auto blob = c->Encrypt("hello", "aad");
  ASSERT_TRUE(blob.ok());
  EXPECT_EQ(blob->find("hello"), std::string::npos);
  auto plain = c->Decrypt(*blob, "aad");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, "hello");
  EXPECT_EQ(c->Decrypt(*blob, "other").error().code, "StateKeyMismatch");
  EXPECT_NE(*c->Encrypt("hello", "aad"), *blob);  // fresh nonce each time
}

TEST(CipherTest, TamperedBlobIsRejected) {
  auto c = Cipher::FromText(kHexKey);
  auto blob = c->Encrypt("hello world", "");
  ASSERT_TRUE(blob.ok());
  (*blob)[20] ^= 1;
  EXPECT_FALSE(c->Decrypt(*blob, "").ok());
  EXPECT_EQ(c->Decrypt("v1short", "").error().code, "StateCorrupt");
}

TEST(CipherTest, ParsesHexAndBase64AndRejectsOtherLengths) {
  auto hex = Cipher::FromText(std::string(kHexKey) + "\n");
  ASSERT_TRUE(hex.ok());
  auto b64 = Cipher::FromText(hex->ToBase64());
  ASSERT_TRUE(b64.ok());
  auto blob = hex->Encrypt("x", "");
  EXPECT_TRUE(b64->Decrypt(*blob, "").ok());  // same key both ways
  EXPECT_EQ(Cipher::FromText("abcd").error().code, "StateKeyInvalid");
  EXPECT_EQ(Cipher::FromText(Base64Encode(std::string(31, 'k'))).error().code, "StateKeyInvalid");
}

TEST(CipherTest, KeyCheckMatchesOnlyItsKey) {
  auto a = Cipher::Generate();
  auto b = Cipher::Generate();
  ASSERT_TRUE(a.ok() && b.ok());
  auto check = a->MakeKeyCheck();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(a->MatchesKeyCheck(*check));
  EXPECT_FALSE(b->MatchesKeyCheck(*check));
}

TEST(Base64Test, RoundTripsAllLengths) {
  for (size_t n = 0; n < 10; ++n) {
    std::string bytes;
    for (size_t i = 0; i < n; ++i) bytes.push_back(static_cast<char>(i * 37 + 200));
    auto back = Base64Decode(Base64Encode(bytes));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, bytes);
  }
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
}

ResourceRecord DbCluster(const std::string& password) {
  ResourceRecord r;
  r.address = "aws_rds_cluster.db";
  r.type = "aws_rds_cluster";
  r.region = "eu-central-1";
  r.id = "db-1";
  r.attributes = {{"id", "db-1"}, {"engine", "aurora-mysql"}, {"master_password", password},
                  {"connection", {{"password", password}, {"user", "admin"}}}};
  r.sensitive_attributes = {"master_password", "connection"};
  return r;
}

class SecretsTest : public ::testing::Test {
 protected:
  std::string db() const { return dir_.File(".infra/app.db"); }
  TempDir dir_;
};

TEST_F(SecretsTest, FirstRunCreatesOwnerOnlyKeyFile) {
  ScopedKeyEnv env("");
  auto store = StateStore::Open(db());
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  std::string key_file = dir_.File(".infra/app.key");
  struct stat st {};
  ASSERT_EQ(::stat(key_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_EQ((*store)->key_description(), key_file);
  EXPECT_TRUE(Cipher::FromText(ReadAll(key_file)).ok());
}

TEST_F(SecretsTest, NoSecretReachesTheFileOrWal) {
  ScopedKeyEnv env(kHexKey);
  auto store = StateStore::Open(db());
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->PutResource(DbCluster(kSecret)).ok());
  ASSERT_TRUE((*store)->ReplaceOutputs({{"db_password", kSecret, true}, {"engine", "aurora", false}}).ok());
  Journal journal(**store);
  ASSERT_TRUE(journal.RecordIntent({.address = "aws_rds_cluster.db",
                                    .operation = "create",
                                    .token = "t",
                                    .payload = {{"master_password", kSecret}}})
                  .ok());
  // While open: the data is in the WAL; after close: checkpointed into the db.
  std::string raw = ReadAll(db()) + ReadAll(db() + "-wal");
  EXPECT_NE(raw.find("aurora-mysql"), std::string::npos);  // the grep does see plaintext attributes
  EXPECT_EQ(raw.find(kSecret), std::string::npos);
  ASSERT_TRUE((*store)->Close().ok());
  raw = ReadAll(db()) + ReadAll(db() + "-wal");
  EXPECT_NE(raw.find("aurora-mysql"), std::string::npos);
  EXPECT_EQ(raw.find(kSecret), std::string::npos);
  EXPECT_EQ(raw.find(kHexKey), std::string::npos);
}

TEST_F(SecretsTest, SensitiveValuesComeBackDecryptedOrRedacted) {
  ScopedKeyEnv env(kHexKey);
  auto store = StateStore::Open(db());
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->PutResource(DbCluster(kSecret)).ok());
  auto all = (*store)->LoadResources();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)[0].attributes["master_password"], kSecret);
  EXPECT_EQ((*all)[0].attributes["connection"]["password"], kSecret);
  EXPECT_EQ((*all)[0].sensitive_attributes, (std::vector<std::string>{"connection", "master_password"}));
  auto redacted = (*store)->LoadResourcesRedacted();
  ASSERT_TRUE(redacted.ok());
  EXPECT_EQ((*redacted)[0].attributes["master_password"], "(sensitive value)");
  EXPECT_EQ((*redacted)[0].attributes["engine"], "aurora-mysql");
}

TEST_F(SecretsTest, DeferredLoadDecodesToTheSameRecordsWithSecretsMergedOrRedacted) {
  ScopedKeyEnv env(kHexKey);
  auto store = StateStore::Open(db());
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->PutResource(DbCluster(kSecret)).ok());
  ResourceRecord plain = DbCluster("");
  plain.address = "aws_rds_cluster.plain";
  plain.sensitive_attributes.clear();
  ASSERT_TRUE((*store)->PutResource(plain).ok());
  auto full = (*store)->LoadResources();
  auto deferred = (*store)->LoadResources(AttributeDecoding::kDeferred);
  ASSERT_TRUE(full.ok() && deferred.ok());
  ASSERT_EQ(deferred->size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    ResourceRecord& d = (*deferred)[i];
    EXPECT_TRUE(d.attributes.is_null());  // nothing parsed yet
    EXPECT_FALSE(d.attributes_json.empty());
    EXPECT_EQ(d.address, (*full)[i].address);
    EXPECT_EQ(d.sensitive_attributes, (*full)[i].sensitive_attributes);
    ASSERT_TRUE(DecodeAttributes(d).ok());
    EXPECT_EQ(d.attributes, (*full)[i].attributes) << d.address;
    EXPECT_TRUE(d.attributes_json.empty());
  }
  auto redacted = (*store)->LoadResourcesRedacted(AttributeDecoding::kDeferred);
  ASSERT_TRUE(redacted.ok());
  EXPECT_EQ((*redacted)[0].attributes_json.find(kSecret), std::string::npos);
  ASSERT_TRUE(DecodeAttributes((*redacted)[0]).ok());
  EXPECT_EQ((*redacted)[0].attributes["master_password"], "(sensitive value)");
  EXPECT_EQ((*redacted)[0].attributes["engine"], "aurora-mysql");
  auto skipped = (*store)->LoadResources(AttributeDecoding::kSkipped);
  ASSERT_TRUE(skipped.ok());
  ASSERT_EQ(skipped->size(), 2u);
  EXPECT_EQ((*skipped)[0].address, "aws_rds_cluster.db");
  EXPECT_EQ((*skipped)[0].id, "db-1");
  EXPECT_TRUE((*skipped)[0].attributes.is_null());
  EXPECT_TRUE((*skipped)[0].attributes_json.empty());
  EXPECT_EQ((*skipped)[0].sensitive_attributes, (*full)[0].sensitive_attributes);
  // Writing back a record straight from a deferred load keeps its attributes.
  auto again = (*store)->LoadResources(AttributeDecoding::kDeferred);
  ASSERT_TRUE((*store)->PutResource((*again)[0]).ok());
  auto reread = (*store)->GetResource("aws_rds_cluster.db");
  ASSERT_TRUE(reread.ok() && reread->has_value());
  EXPECT_EQ((*reread)->attributes, (*full)[0].attributes);
}

TEST(DecodeAttributesTest, TextThatIsNotAnObjectIsStateCorrupt) {
  ResourceRecord r;
  r.address = "aws_vpc.main";
  r.attributes = nullptr;
  r.attributes_json = "{\"id\": ";
  Status s = DecodeAttributes(r);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "StateCorrupt");
  EXPECT_NE(s.error().message.find("aws_vpc.main"), std::string::npos) << s.error().message;
}

TEST_F(SecretsTest, WrongKeyIsAClearErrorAtOpen) {
  {
    ScopedKeyEnv env(kHexKey);
    auto store = StateStore::Open(db());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->PutResource(DbCluster(kSecret)).ok());
  }
  ScopedKeyEnv other(std::string(64, 'f'));
  auto store = StateStore::Open(db());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, "StateKeyMismatch");
  EXPECT_NE(store.error().message.find("does not match the key this state was encrypted with"), std::string::npos);
  EXPECT_NE(store.error().message.find("INFRA_STATE_KEY"), std::string::npos);
}

TEST_F(SecretsTest, MissingKeyStillListsButCannotDecryptOrWriteSecrets) {
  {
    ScopedKeyEnv env(kHexKey);
    auto store = StateStore::Open(db());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->PutResource(DbCluster(kSecret)).ok());
  }
  ScopedKeyEnv none("");
  auto store = StateStore::Open(db());
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  EXPECT_FALSE(std::filesystem::exists(dir_.File(".infra/app.key")));  // no new key over an encrypted state
  EXPECT_TRUE((*store)->LoadResourcesRedacted().ok());
  auto full = (*store)->LoadResources();
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, "StateKeyMissing");
  EXPECT_EQ((*store)->PutResource(DbCluster("new")).error().code, "StateKeyMissing");
}

TEST_F(SecretsTest, KeyFileOptionIsUsed) {
  ScopedKeyEnv none("");
  std::string key_file = dir_.File("elsewhere/my.key");
  auto store = StateStore::Open(db(), {.key_file = key_file});
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE(std::filesystem::exists(key_file));
  EXPECT_FALSE(std::filesystem::exists(dir_.File(".infra/app.key")));
  ASSERT_TRUE((*store)->PutResource(DbCluster(kSecret)).ok());
  ASSERT_TRUE((*store)->Close().ok());
  auto again = StateStore::Open(db(), {.key_file = key_file});
  ASSERT_TRUE(again.ok());
  auto r = (*again)->GetResource("aws_rds_cluster.db");
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((**r).attributes["master_password"], kSecret);
}

}  // namespace
}  // namespace infra::state

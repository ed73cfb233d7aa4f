// PresignedQueryUrl and AwsClient::PresignQuery: an RDS cross-region
// CreateDBCluster presigned for the source region is the PreSignedUrl
// botocore 1.43 builds for it (inject_presigned_url_rds, clock pinned to
// 2026-01-02T03:04:05Z, the SigV4 suite's example keys) up to the order of
// its parameters, with the same signature, and that X-Amz-Signature
// verifies against the signer's stages.
#include "providers/aws/sdk/presigned_query.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>

#include "providers/aws/sdk/sigv4.h"

namespace infra::aws {
namespace {

TimePoint PinnedTime() {
  std::tm tm{};
  tm.tm_year = 2026 - 1900;
  tm.tm_mon = 0;
  tm.tm_mday = 2;
  tm.tm_hour = 3;
  tm.tm_min = 4;
  tm.tm_sec = 5;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

Credentials Keys() { return {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", std::nullopt, "test"}; }

const QueryParams kCall = {
    {"DBClusterIdentifier", "replica"},
    {"Engine", "aurora-mysql"},
    {"ReplicationSourceIdentifier", "arn:aws:rds:eu-central-1:123456789012:cluster:primary"},
    {"KmsKeyId", "arn:aws:kms:eu-west-1:123456789012:key/k1"},
    {"StorageEncrypted", "true"},
    {"DestinationRegion", "eu-west-1"},
};

// botocore 1.43.11: rds client in eu-west-1, create_db_cluster(...,
// SourceRegion="eu-central-1"), the PreSignedUrl of the request body.
constexpr const char* kBotocoreUrl =
    "https://rds.eu-central-1.amazonaws.com/?Action=CreateDBCluster&Version=2014-10-31&DBClusterIdentifier=replica"
    "&Engine=aurora-mysql&ReplicationSourceIdentifier=arn%3Aaws%3Ards%3Aeu-central-1%3A123456789012%3Acluster%3A"
    "primary&KmsKeyId=arn%3Aaws%3Akms%3Aeu-west-1%3A123456789012%3Akey%2Fk1&StorageEncrypted=true"
    "&DestinationRegion=eu-west-1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20260102%2F"
    "eu-central-1%2Frds%2Faws4_request&X-Amz-Date=20260102T030405Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host"
    "&X-Amz-Signature=06d6ef6ba1dfd3808b7ac020f872aa7d66a178203e640273e9e41d5fb16e78c3";

std::string Decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  return out;
}

// The query of `url` decoded, in order.
QueryParams QueryOf(const std::string& url) {
  QueryParams out;
  std::string q = url.substr(url.find('?') + 1);
  for (size_t start = 0; start <= q.size();) {
    size_t amp = q.find('&', start);
    std::string kv = q.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    size_t eq = kv.find('=');
    out.emplace_back(Decode(kv.substr(0, eq)), Decode(kv.substr(eq + 1)));
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return out;
}

// The same URL as botocore's up to the order of its X-Amz-* parameters
// (botocore puts X-Amz-Expires before X-Amz-SignedHeaders; the order is
// not signed): the same base, the same parameters, the same signature.
void ExpectBotocoreUrl(const std::string& url) {
  EXPECT_EQ(url.substr(0, url.find('?')), "https://rds.eu-central-1.amazonaws.com/");
  QueryParams got = QueryOf(url), want = QueryOf(kBotocoreUrl);
  EXPECT_EQ(got.back(), want.back());  // X-Amz-Signature, last in both
  std::sort(got.begin(), got.end());
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want) << url;
}

TEST(PresignedQueryUrl, CrossRegionCreateDbClusterMatchesBotocore) {
  auto ep = ResolveEndpoint("rds", "eu-central-1", FixedEnvironment({}));
  ASSERT_TRUE(ep.ok()) << ep.error().ToString();
  auto url = PresignedQueryUrl(*ep, "CreateDBCluster", "2014-10-31", kCall, Keys(), PinnedTime(),
                               std::chrono::seconds(3600));
  ASSERT_TRUE(url.ok()) << url.error().ToString();
  ExpectBotocoreUrl(*url);
}

// The client's seam: its endpoint for the region, its credentials, its clock.
TEST(PresignedQueryUrl, TheClientPresignsWithItsEndpointCredentialsAndClock) {
  ClientSeams seams;
  seams.credentials = NewStaticCredentialsProvider(Keys());
  seams.env = FixedEnvironment({});
  seams.now = [] { return PinnedTime(); };
  auto client = NewAwsClient(ClientOptions{}, std::move(seams));
  auto url = client->PresignQuery("rds", "eu-central-1", "CreateDBCluster", kCall, std::chrono::seconds(3600));
  ASSERT_TRUE(url.ok()) << url.error().ToString();
  ExpectBotocoreUrl(*url);
  EXPECT_FALSE(client->PresignQuery("rds", "", "CreateDBCluster", kCall, std::chrono::seconds(3600)).ok());
}

TEST(PresignedQueryUrl, SignatureVerifiesAgainstTheSignerStages) {
  auto ep = ResolveEndpoint("rds", "eu-central-1", FixedEnvironment({}));
  ASSERT_TRUE(ep.ok());
  auto url = PresignedQueryUrl(*ep, "CreateDBCluster", "2014-10-31", kCall, Keys(), PinnedTime(),
                               std::chrono::seconds(3600));
  ASSERT_TRUE(url.ok());
  QueryParams q = QueryOf(*url);
  ASSERT_FALSE(q.empty());
  ASSERT_EQ(q.back().first, "X-Amz-Signature");
  const std::string signature = q.back().second;
  q.pop_back();
  SigningRequest req;
  req.method = "GET";
  req.path = "/";
  req.query = q;
  req.headers = {{"host", "rds.eu-central-1.amazonaws.com"}};
  SigV4Signer signer("eu-central-1", "rds");
  const std::string date = SigV4Signer::AmzDate(PinnedTime());
  std::string canonical = signer.CanonicalRequest(req, Sha256Hex(""));  // a GET's empty payload, as botocore
  // The canonical query is sorted and carries the call, its destination and the presign parameters.
  EXPECT_NE(canonical.find("\nAction=CreateDBCluster&DBClusterIdentifier=replica&DestinationRegion=eu-west-1&Engine="),
            std::string::npos)
      << canonical;
  EXPECT_NE(canonical.find("&X-Amz-Credential=AKIDEXAMPLE%2F20260102%2Feu-central-1%2Frds%2Faws4_request&"),
            std::string::npos)
      << canonical;
  EXPECT_NE(canonical.find("\nhost:rds.eu-central-1.amazonaws.com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb9"),
            std::string::npos)
      << canonical;
  EXPECT_EQ(signer.Signature(Keys().secret_access_key, date, signer.StringToSign(date, canonical)), signature);
  // Another destination is another signature: the URL authorises this one call only.
  QueryParams other = kCall;
  other.back().second = "us-east-1";
  auto moved = PresignedQueryUrl(*ep, "CreateDBCluster", "2014-10-31", other, Keys(), PinnedTime(),
                                 std::chrono::seconds(3600));
  ASSERT_TRUE(moved.ok());
  EXPECT_NE(QueryOf(*moved).back().second, signature);
}

TEST(PresignedQueryUrl, AnEndpointOverrideKeepsItsHostPortAndBasePath) {
  auto ep = ResolveEndpoint("rds", "eu-central-1", FixedEnvironment({{"AWS_ENDPOINT_URL", "http://127.0.0.1:5123/x"}}));
  ASSERT_TRUE(ep.ok()) << ep.error().ToString();
  auto url = PresignedQueryUrl(*ep, "CreateDBCluster", "2014-10-31", {}, Keys(), PinnedTime(),
                               std::chrono::seconds(60));
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->rfind("http://127.0.0.1:5123/x/?Action=CreateDBCluster&Version=2014-10-31&X-Amz-Algorithm=", 0), 0u)
      << *url;
  EXPECT_NE(url->find("%2Feu-central-1%2Frds%2Faws4_request"), std::string::npos) << *url;
}

TEST(PresignedQueryUrl, EmptyKeysAreRefused) {
  auto ep = ResolveEndpoint("rds", "eu-central-1", FixedEnvironment({}));
  ASSERT_TRUE(ep.ok());
  Credentials none{"", "", "", std::nullopt, "test"};
  EXPECT_FALSE(PresignedQueryUrl(*ep, "CreateDBCluster", "2014-10-31", {}, none, PinnedTime(),
                                 std::chrono::seconds(60)).ok());
}

}  // namespace
}  // namespace infra::aws

// SigV4 against AWS's official suites (tests/data/sigv4): the 2015
// aws-sig-v4-test-suite (.req/.creq/.sts/.authz/.sreq) and aws-c-auth's
// aws-signing-test-suite/v4 (header and presigned-query stages). Every
// stage is checked for every case, plus S3 rules checked against botocore.
#include "providers/aws/sdk/sigv4.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "test_paths.h"

namespace infra::aws {
namespace {

namespace fs = std::filesystem;
using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr char kAccessKey[] = "AKIDEXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Trim(std::string s) {
  auto sp = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && sp(s.back())) s.pop_back();
  size_t i = 0;
  while (i < s.size() && sp(s[i])) ++i;
  return s.substr(i);
}

std::string PercentDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// How folded header lines (a line starting with whitespace) are read: the
// 2015 suite treats each as another value of the header (joined with ','),
// aws-c-auth as part of the same value (unfolded with a space).
enum class Folding { kSeparateValues, kSameValue };

struct HttpText {
  std::string method;
  std::string path;
  std::string raw_query;  // as written after '?'
  Headers headers;        // raw values (trimmed)
  std::string body;
};

HttpText ParseHttp(const std::string& text, Folding folding) {
  HttpText h;
  size_t head_end = text.find("\n\n");
  std::string head = head_end == std::string::npos ? text : text.substr(0, head_end);
  if (head_end != std::string::npos) h.body = text.substr(head_end + 2);
  std::vector<std::string> lines;
  std::stringstream ss(head);
  for (std::string line; std::getline(ss, line);) lines.push_back(line);
  // Request line: the target may hold spaces ("/example space/").
  const std::string& rl = lines.at(0);
  size_t sp1 = rl.find(' ');
  size_t sp2 = rl.rfind(' ');
  h.method = rl.substr(0, sp1);
  std::string target = rl.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t q = target.find('?');
  h.path = target.substr(0, q);
  if (q != std::string::npos) h.raw_query = target.substr(q + 1);
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !h.headers.empty()) {
      if (folding == Folding::kSameValue) {
        h.headers.back().second += "\n" + line;
      } else {
        h.headers.emplace_back(h.headers.back().first, Trim(line));
      }
      continue;
    }
    size_t colon = line.find(':');
    h.headers.emplace_back(line.substr(0, colon), Trim(line.substr(colon + 1)));
  }
  return h;
}

QueryParams ParseQuery(const std::string& raw) {
  QueryParams out;
  if (raw.empty()) return out;
  std::stringstream ss(raw);
  for (std::string part; std::getline(ss, part, '&');) {
    size_t eq = part.find('=');
    if (eq == std::string::npos) {
      out.emplace_back(PercentDecode(part), "");
    } else {
      out.emplace_back(PercentDecode(part.substr(0, eq)), PercentDecode(part.substr(eq + 1)));
    }
  }
  return out;
}

SigningRequest ToSigningRequest(const HttpText& h) {
  SigningRequest r;
  r.method = h.method;
  r.path = h.path;
  r.query = ParseQuery(h.raw_query);
  r.headers = h.headers;
  r.body = h.body;
  return r;
}

// The request line the signed request should have after presigning: the
// original query text followed by the parameters the signer appended.
std::string RequestLine(const HttpText& original, const SigningRequest& signed_req) {
  size_t original_count = ParseQuery(original.raw_query).size();
  std::string query = original.raw_query;
  for (size_t i = original_count; i < signed_req.query.size(); ++i) {
    if (!query.empty()) query += "&";
    query += UriEncode(signed_req.query[i].first, false) + "=" +
             UriEncode(signed_req.query[i].second, false);
  }
  return original.method + " " + original.path + (query.empty() ? "" : "?" + query) +
         " HTTP/1.1";
}

// Headers as HTTP sees them: only the order among fields of the same name
// matters, so compare after a stable sort by lower-cased name.
Headers TrimmedHeaders(const Headers& in) {
  Headers out;
  for (const auto& [k, v] : in) out.emplace_back(k, Trim(v));
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const auto& a, const auto& b) { return lower(a.first) < lower(b.first); });
  return out;
}

TimePoint SuiteTime() {
  std::tm tm{};
  tm.tm_year = 2015 - 1900;
  tm.tm_mon = 7;
  tm.tm_mday = 30;
  tm.tm_hour = 12;
  tm.tm_min = 36;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string SuiteRoot() { return infra::test::DataDir() + "/sigv4"; }

std::string TestName(const std::string& rel) {
  std::string n = rel;
  for (char& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
}

// ---------------------------------------------------------------------------
// The 2015 suite.

std::vector<std::string> List2015Cases() {
  std::vector<std::string> out;
  fs::path root = SuiteRoot() + "/aws-sig-v4-test-suite";
  if (!fs::exists(root)) return out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && e.path().extension() == ".req") {
      out.push_back(fs::relative(e.path().parent_path(), root).string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The two cases whose .sts/.authz/.sreq were computed from an older .creq
// (see tests/data/sigv4/SOURCE.md, "Known errata").
const std::set<std::string> kErrata2015 = {"post-x-www-form-urlencoded",
                                          "post-x-www-form-urlencoded-parameters"};

class Suite2015Test : public testing::TestWithParam<std::string> {};

TEST_P(Suite2015Test, AllStages) {
  fs::path dir = fs::path(SuiteRoot()) / "aws-sig-v4-test-suite" / GetParam();
  std::string name = dir.filename().string();
  auto file = [&](const char* ext) { return ReadFile(dir / (name + ext)); };
  HttpText req = ParseHttp(file(".req"), Folding::kSeparateValues);
  SigningRequest sreq = ToSigningRequest(req);

  Credentials creds{kAccessKey, kSecret, "", std::nullopt, "test"};
  SigningOptions options;
  if (name.rfind("post-sts-header-", 0) == 0) {
    std::string readme = ReadFile(dir.parent_path() / "readme.txt");
    creds.session_token = Trim(readme.substr(Trim(readme).rfind('\n') + 1));
    ASSERT_EQ(creds.session_token.rfind("AQoDYXdzEPT", 0), 0u);
    options.omit_session_token = name == "post-sts-header-after";
  }
  SigV4Signer signer("us-east-1", "service", options);
  auto r = signer.SignHeaders(sreq, creds, SuiteTime());
  ASSERT_TRUE(r.ok()) << r.error().ToString();

  EXPECT_EQ(r->canonical_request, file(".creq"));
  std::string sts = file(".sts");
  if (kErrata2015.count(name) != 0) {
    // Prove the errata are real: the suite's own .sts does not hash its .creq.
    EXPECT_NE(sts.substr(sts.rfind('\n') + 1), Sha256Hex(file(".creq")));
    return;
  }
  EXPECT_EQ(r->string_to_sign, sts);
  EXPECT_EQ(r->authorization, file(".authz"));
  HttpText expected = ParseHttp(file(".sreq"), Folding::kSeparateValues);
  EXPECT_EQ(RequestLine(req, sreq), RequestLine(expected, SigningRequest{}));
  EXPECT_EQ(TrimmedHeaders(sreq.headers), TrimmedHeaders(expected.headers));
  EXPECT_EQ(sreq.body, expected.body);
}

INSTANTIATE_TEST_SUITE_P(Aws2015, Suite2015Test, testing::ValuesIn(List2015Cases()),
                         [](const auto& info) { return TestName(info.param); });

// ---------------------------------------------------------------------------
// The aws-c-auth suite.

std::vector<std::string> ListCrtCases() {
  std::vector<std::string> out;
  fs::path root = SuiteRoot() + "/aws-signing-test-suite/v4";
  if (!fs::exists(root)) return out;
  for (const auto& e : fs::directory_iterator(root)) {
    if (fs::exists(e.path() / "context.json")) out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TimePoint ParseIsoTime(const std::string& s) {
  std::tm tm{};
  std::istringstream in(s);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

struct CrtCase {
  fs::path dir;
  nlohmann::json ctx;
  Credentials creds;
  SigningOptions options;
  HttpText request;

  explicit CrtCase(const std::string& name)
      : dir(fs::path(SuiteRoot()) / "aws-signing-test-suite/v4" / name),
        ctx(nlohmann::json::parse(ReadFile(dir / "context.json"))) {
    const auto& c = ctx.at("credentials");
    creds.access_key_id = c.at("access_key_id");
    creds.secret_access_key = c.at("secret_access_key");
    creds.session_token = c.value("token", "");
    options.normalize_path = ctx.value("normalize", true);
    options.add_content_sha256_header = ctx.value("sign_body", false);
    options.omit_session_token = ctx.value("omit_session_token", false);
    request = ParseHttp(ReadFile(dir / "request.txt"), Folding::kSameValue);
  }
  SigV4Signer Signer() const { return SigV4Signer(ctx.at("region"), ctx.at("service"), options); }
  TimePoint Time() const { return ParseIsoTime(ctx.at("timestamp")); }
  std::string File(const char* n) const { return ReadFile(dir / n); }
};

class CrtSuiteTest : public testing::TestWithParam<std::string> {};

TEST_P(CrtSuiteTest, HeaderSigning) {
  CrtCase c(GetParam());
  SigningRequest sreq = ToSigningRequest(c.request);
  auto r = c.Signer().SignHeaders(sreq, c.creds, c.Time());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->canonical_request, c.File("header-canonical-request.txt"));
  EXPECT_EQ(r->string_to_sign, c.File("header-string-to-sign.txt"));
  EXPECT_EQ(r->signature, c.File("header-signature.txt"));
  HttpText expected = ParseHttp(c.File("header-signed-request.txt"), Folding::kSameValue);
  EXPECT_EQ(RequestLine(c.request, sreq), RequestLine(expected, SigningRequest{}));
  EXPECT_EQ(TrimmedHeaders(sreq.headers), TrimmedHeaders(expected.headers));
  EXPECT_EQ(Trim(sreq.body), Trim(expected.body));
}

TEST_P(CrtSuiteTest, QuerySigning) {
  CrtCase c(GetParam());
  SigningRequest sreq = ToSigningRequest(c.request);
  auto r = c.Signer().Presign(sreq, c.creds, c.Time(),
                              std::chrono::seconds(c.ctx.at("expiration_in_seconds").get<int>()));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->canonical_request, c.File("query-canonical-request.txt"));
  EXPECT_EQ(r->string_to_sign, c.File("query-string-to-sign.txt"));
  EXPECT_EQ(r->signature, c.File("query-signature.txt"));
  HttpText expected = ParseHttp(c.File("query-signed-request.txt"), Folding::kSameValue);
  EXPECT_EQ(RequestLine(c.request, sreq), RequestLine(expected, SigningRequest{}));
  EXPECT_EQ(TrimmedHeaders(sreq.headers), TrimmedHeaders(expected.headers));  // presigning adds no header
  EXPECT_EQ(Trim(sreq.body), Trim(expected.body));
}

INSTANTIATE_TEST_SUITE_P(AwsCAuth, CrtSuiteTest, testing::ValuesIn(ListCrtCases()),
                         [](const auto& info) { return TestName(info.param); });

// The suites are really there and complete (a missing data folder would
// otherwise instantiate zero cases and pass silently).
TEST(SigV4SuiteData, EveryCaseIsPresent) {
  EXPECT_EQ(List2015Cases().size(), 31u);
  EXPECT_EQ(ListCrtCases().size(), 38u);
  EXPECT_TRUE(fs::exists(SuiteRoot() + "/SOURCE.md"));
  for (const char* s : {"aws-sig-v4-test-suite", "aws-signing-test-suite"}) {
    EXPECT_TRUE(fs::exists(SuiteRoot() + "/" + s + "/LICENSE")) << s;
    EXPECT_TRUE(fs::exists(SuiteRoot() + "/" + s + "/NOTICE")) << s;
  }
}


// ---------------------------------------------------------------------------
// Service rules, with expected values recorded from botocore 1.43
// (S3SigV4Auth / SigV4Auth, timestamp pinned to 2026-01-02T03:04:05Z).

TimePoint BotocoreTime() {
  std::tm tm{};
  tm.tm_year = 2026 - 1900;
  tm.tm_mon = 0;
  tm.tm_mday = 2;
  tm.tm_hour = 3;
  tm.tm_min = 4;
  tm.tm_sec = 5;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

Credentials TestCreds(std::string token) {
  return Credentials{kAccessKey, kSecret, std::move(token), std::nullopt, "test"};
}

TEST(SigV4S3, NoNormalisationNoDoubleEncodingAndContentSha) {
  SigV4Signer signer("eu-west-1", "s3", SigningOptions::ForService("s3"));
  SigningRequest req;
  req.method = "GET";
  req.path = "/my-bucket/dir/../a%20b%2Bc.txt";  // wire-encoded key, dot segment kept
  req.query = {{"list-type", "2"}, {"prefix", "a b"}};
  req.headers = {{"Host", "127.0.0.1:5000"}};
  auto r = signer.SignHeaders(req, TestCreds("SESSIONTOKEN"), BotocoreTime());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->canonical_request,
            "GET\n/my-bucket/dir/../a%20b%2Bc.txt\nlist-type=2&prefix=a%20b\n"
            "host:127.0.0.1:5000\n"
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            "x-amz-date:20260102T030405Z\nx-amz-security-token:SESSIONTOKEN\n\n"
            "host;x-amz-content-sha256;x-amz-date;x-amz-security-token\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(r->signature, "c9f9e12c3162cc0ae01170d043ff291a1e465bb97f84d7b53d03805c407a2669");
  Headers expected = {
      {"Host", "127.0.0.1:5000"},
      {"X-Amz-Security-Token", "SESSIONTOKEN"},
      {"X-Amz-Date", "20260102T030405Z"},
      {"x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"Authorization", r->authorization}};
  EXPECT_EQ(req.headers, expected);
}

TEST(SigV4S3, PutWithBodyAndEmptyQueryValue) {
  SigV4Signer signer("eu-west-1", "s3", SigningOptions::ForService("s3"));
  SigningRequest req;
  req.method = "PUT";
  req.path = "/my-bucket";
  req.query = {{"versioning", ""}};
  req.headers = {{"host", "s3.eu-west-1.amazonaws.com"}};
  req.body = "<VersioningConfiguration/>";
  auto r = signer.SignHeaders(req, TestCreds(""), BotocoreTime());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->payload_hash, "321689628124a3bf74476e726f0b6eb66616f21f341f4269f8b81dafd84964eb");
  EXPECT_EQ(r->signed_headers, "host;x-amz-content-sha256;x-amz-date");
  EXPECT_EQ(r->signature, "b130fd6e5ff05c69a0995af5d6e3c06f49d4626eca557308ab8cb7f00d876ef9");
  EXPECT_EQ(r->canonical_request.substr(0, 26), "PUT\n/my-bucket\nversioning=");
}

TEST(SigV4S3, PresignedGetMatchesBotocore) {
  SigningOptions o = SigningOptions::ForService("s3");
  o.unsigned_payload = true;  // presigned S3 URLs never sign the payload
  SigV4Signer signer("eu-west-1", "s3", o);
  SigningRequest req;
  req.path = "/dir/a%20b.txt";
  req.headers = {{"Host", "my-bucket.s3.eu-west-1.amazonaws.com"}};
  auto r = signer.Presign(req, TestCreds("SESSION/TOKEN+1="), BotocoreTime(), std::chrono::seconds(900));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->signature, "9c7cee507c8ef4f902dbd6943e8eced491e2f7f93a4ba79a12493705762c7176");
  ASSERT_FALSE(req.query.empty());
  EXPECT_EQ(req.query.back(), (std::pair<std::string, std::string>("X-Amz-Signature", r->signature)));
  EXPECT_EQ(req.headers.size(), 1u);  // presigning adds no header
}

TEST(SigV4Rules, OtherServicesNormaliseAndEncodeTwice) {
  SigV4Signer signer("eu-west-1", "ec2");
  SigningRequest req;
  req.method = "PUT";
  req.path = "/a%20b/./c";
  req.headers = {{"Host", "ec2.eu-west-1.amazonaws.com"}};
  req.body = "Action=DescribeVpcs&Version=2016-11-15";
  auto r = signer.SignHeaders(req, TestCreds(""), BotocoreTime());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(signer.CanonicalUri(req.path), "/a%2520b/c");
  EXPECT_EQ(r->signature, "10da0c5785ddc898b0b535ed2ace7c4b1dfbdbb055f00f5aef80b9719bd32be6");
  auto t = signer.SignHeaders(req, TestCreds("SESSIONTOKEN"), BotocoreTime());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->signature, "29b24cf7f8adcf35d01a6721f90badc6389f5cd78b43d6e1951b93d123d1c4a0");
  // Re-signing replaces, never duplicates, the signer's own headers.
  size_t auth_count = std::count_if(req.headers.begin(), req.headers.end(),
                                    [](const auto& h) { return h.first == "Authorization"; });
  EXPECT_EQ(auth_count, 1u);
  EXPECT_EQ(req.headers.size(), 4u);  // Host, X-Amz-Date, X-Amz-Security-Token, Authorization
}

TEST(SigV4Rules, UnsignedPayloadAndExplicitHash) {
  SigningOptions o = SigningOptions::ForService("s3");
  o.unsigned_payload = true;
  SigV4Signer signer("us-east-1", "s3", o);
  SigningRequest req;
  req.headers = {{"Host", "s3.amazonaws.com"}};
  req.body = "ignored for the hash";
  auto r = signer.SignHeaders(req, TestCreds(""), BotocoreTime());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->payload_hash, "UNSIGNED-PAYLOAD");
  EXPECT_TRUE(r->canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
  EXPECT_NE(std::find(req.headers.begin(), req.headers.end(),
                      std::pair<std::string, std::string>("x-amz-content-sha256", "UNSIGNED-PAYLOAD")),
            req.headers.end());

  SigV4Signer plain("us-east-1", "service");
  SigningRequest req2;
  req2.headers = {{"Host", "x"}};
  req2.payload_hash = std::string(64, 'a');
  auto r2 = plain.SignHeaders(req2, TestCreds(""), BotocoreTime());
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->payload_hash, std::string(64, 'a'));
}

TEST(SigV4Rules, ErrorsNameTheProblemWithoutSecrets) {
  SigV4Signer signer("us-east-1", "sts");
  SigningRequest req;  // no Host header
  auto r = signer.SignHeaders(req, TestCreds("TOKENVALUE"), BotocoreTime());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("Host"), std::string::npos);
  req.headers = {{"Host", "sts.amazonaws.com"}};
  Credentials no_secret = TestCreds("TOKENVALUE");
  no_secret.secret_access_key.clear();
  auto e = signer.Presign(req, no_secret, BotocoreTime(), std::chrono::seconds(60));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().kind, Error::Kind::kAuth);
  for (const auto* s : {&r.error(), &e.error()}) {
    EXPECT_EQ(s->ToString().find(kSecret), std::string::npos);
    EXPECT_EQ(s->ToString().find("TOKENVALUE"), std::string::npos);
  }
}

// The per-thread derived-key cache must never serve a key derived from
// another secret, date, region or service.
TEST(SigV4Stages, DerivedKeyCacheFollowsEveryInput) {
  const std::string sts = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                          "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63";
  SigV4Signer s("us-east-1", "service");
  const std::string expected = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
  std::string a = s.Signature(kSecret, "20150830T123600Z", sts);
  EXPECT_EQ(a, expected);  // aws-c-auth get-vanilla header-signature.txt
  EXPECT_NE(s.Signature("other-secret", "20150830T123600Z", sts), a);
  EXPECT_NE(s.Signature(kSecret, "20150831T123600Z", sts), a);
  EXPECT_NE(SigV4Signer("us-east-2", "service").Signature(kSecret, "20150830T123600Z", sts), a);
  EXPECT_NE(SigV4Signer("us-east-1", "ec2").Signature(kSecret, "20150830T123600Z", sts), a);
  EXPECT_EQ(s.Signature(kSecret, "20150830T123600Z", sts), a);
}

TEST(SigV4Stages, Helpers) {
  EXPECT_EQ(SigV4Signer::AmzDate(BotocoreTime()), "20260102T030405Z");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(UriEncode("a b/c~d+e=", false), "a%20b%2Fc~d%2Be%3D");
  EXPECT_EQ(UriEncode("a b/c", true), "a%20b/c");
  EXPECT_EQ(SigV4Signer::CanonicalQueryString({{"b", "2"}, {"a", "x y"}, {"a", "1"}}),
            "a=1&a=x%20y&b=2");
  auto [block, list] = SigV4Signer::CanonicalHeaders({{"X-B", " 1  2 "}, {"x-a", "v"}, {"X-b", "3"}});
  EXPECT_EQ(block, "x-a:v\nx-b:1 2,3\n");
  EXPECT_EQ(list, "x-a;x-b");
  SigV4Signer s3("us-east-1", "s3", SigningOptions::ForService("s3"));
  EXPECT_EQ(s3.CanonicalUri(""), "/");
  EXPECT_EQ(s3.CanonicalUri("//a/./b/"), "//a/./b/");
  SigV4Signer other("us-east-1", "iam");
  EXPECT_EQ(other.CanonicalUri("//a/./b/../c/"), "/a/c/");
  EXPECT_EQ(other.CredentialScope("20260102T030405Z"), "20260102/us-east-1/iam/aws4_request");
}

}  // namespace
}  // namespace infra::aws

// The logger's redaction of registered secrets (issue 10: secrets never reach
// logs): the raw value and the forms request and reply bodies carry it in
// (URL-encoded, JSON- and XML-escaped) print as (sensitive value), at every
// level; short values are not registered.
#include "common/log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace infra::log {
namespace {

class LogRedactionTest : public testing::Test {
 protected:
  void TearDown() override {
    ClearSecrets();
    SetLevel(Level::kWarn);
  }
};

TEST_F(LogRedactionTest, RegisteredSecretsAndTheirEncodedFormsAreHidden) {
  AddSecret("hunter2 & \"co\"");
  EXPECT_EQ(Redact("pw is hunter2 & \"co\" here"), "pw is (sensitive value) here");
  EXPECT_EQ(Redact("Tag.1.Value=hunter2%20%26%20%22co%22&Version=2016"),
            "Tag.1.Value=(sensitive value)&Version=2016");
  EXPECT_EQ(Redact("{\"Value\":\"hunter2 & \\\"co\\\"\"}"), "{\"Value\":\"(sensitive value)\"}");
  EXPECT_EQ(Redact("<value>hunter2 &amp; &quot;co&quot;</value>"), "<value>(sensitive value)</value>");
  EXPECT_EQ(Redact("twice: hunter2 & \"co\"hunter2 & \"co\""), "twice: (sensitive value)(sensitive value)");
  EXPECT_EQ(Redact("nothing secret"), "nothing secret");
}

TEST_F(LogRedactionTest, ShortValuesAreNotRegistered) {
  AddSecret("abc");
  EXPECT_EQ(Redact("abc abc"), "abc abc");
  AddSecret("");
  EXPECT_EQ(Redact("x"), "x");
}

TEST_F(LogRedactionTest, DebugLinesWrittenToStderrAreRedacted) {
  AddSecret("S3cr3t-Value");
  SetLevel(Level::kDebug);
  std::string path = testing::TempDir() + "log_test_stderr_" + std::to_string(::getpid());
  std::fflush(stderr);
  int saved = ::dup(2);
  FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  ::dup2(::fileno(f), 2);
  Debug("request body: Action=CreateTags&Tag.1.Value={}", "S3cr3t-Value");
  Err("error: {}", "S3cr3t-Value");
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  std::fclose(f);
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::remove(path.c_str());
  EXPECT_EQ(ss.str(),
            "[debug] request body: Action=CreateTags&Tag.1.Value=(sensitive value)\n"
            "[error] error: (sensitive value)\n");
}

}  // namespace
}  // namespace infra::log

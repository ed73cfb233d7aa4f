// The shared config/credentials INI dialect: comments, spacing, sections,
// sub-properties, problems; plus robustness (random bytes, every prefix).
#include "providers/aws/sdk/ini_file.h"

#include <gtest/gtest.h>

#include <random>

namespace infra::aws {
namespace {

TEST(IniFile, SectionsKeysCommentsAndSpacing) {
  IniFile f = ParseIni(
      "# full-line comment\n"
      "; another\n"
      "[default]\n"
      "aws_access_key_id=AKIA1\n"
      "Region   =   eu-west-1   \n"
      "\n"
      "[ profile   dev ]  ; comment after a header\n"
      "role_arn = arn:aws:iam::123:role/x # inline comment\n"
      "endpoint_url = http://h/#frag\n"
      "empty =\n",
      "config");
  ASSERT_NE(f.Find("default"), nullptr);
  EXPECT_EQ(f.Find("default")->at("aws_access_key_id"), "AKIA1");
  EXPECT_EQ(f.Find("default")->at("region"), "eu-west-1");  // key lower-cased, value trimmed
  ASSERT_NE(f.Find("profile dev"), nullptr);
  EXPECT_EQ(f.Find("profile dev")->at("role_arn"), "arn:aws:iam::123:role/x");
  EXPECT_EQ(f.Find("profile dev")->at("endpoint_url"), "http://h/#frag");  // '#' without space kept
  EXPECT_EQ(f.Find("profile dev")->at("empty"), "");
  EXPECT_EQ(f.Find("missing"), nullptr);
  EXPECT_TRUE(f.problems.empty());
}

TEST(IniFile, CrlfRepeatedSectionsAndKeys) {
  IniFile f = ParseIni("[a]\r\nk = 1\r\n[b]\r\nx=y\r\n[a]\r\nk = 2\r\nj = 3\r\n", "f");
  EXPECT_EQ(f.Find("a")->at("k"), "2");
  EXPECT_EQ(f.Find("a")->at("j"), "3");
  EXPECT_EQ(f.Find("b")->at("x"), "y");
}

TEST(IniFile, SubPropertiesAndContinuations) {
  IniFile f = ParseIni(
      "[services local]\n"
      "s3 =\n"
      "  endpoint_url = http://127.0.0.1:5000\n"
      "  addressing_style = path\n"
      "note = line one\n"
      "  line two\n",
      "config");
  const auto* s = f.Find("services local");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->at("s3.endpoint_url"), "http://127.0.0.1:5000");
  EXPECT_EQ(s->at("s3.addressing_style"), "path");
  // As botocore (configparser): an indented line after a value continues it.
  EXPECT_EQ(s->at("note"), "line one\nline two");
}

TEST(IniFile, ProblemsAreReportedWithLineNumbersAndSkipped) {
  IniFile f = ParseIni("key = outside\n[ok]\nno equals sign\n[]\na = 1\n[ok]\n= v\nb = 2\n", "creds");
  ASSERT_EQ(f.problems.size(), 5u);
  EXPECT_EQ(f.problems[0], "creds:1: skipped a setting outside any [section]");
  EXPECT_EQ(f.problems[1], "creds:3: skipped a line with no '='");
  EXPECT_EQ(f.problems[2], "creds:4: skipped a malformed [section] header");
  // "a = 1" follows the broken header, so it belongs to no section.
  EXPECT_EQ(f.problems[3], "creds:5: skipped a setting outside any [section]");
  EXPECT_EQ(f.problems[4], "creds:7: skipped a setting with an empty name");
  EXPECT_EQ(f.Find("ok")->count("a"), 0u);
  EXPECT_EQ(f.Find("ok")->at("b"), "2");
}

TEST(IniFile, ProblemsNeverQuoteTheLine) {
  IniFile f = ParseIni("aws_secret_access_key = SECRETVALUE\n[x]\nSECRETVALUE2\n", "f");
  ASSERT_EQ(f.problems.size(), 2u);
  for (const auto& p : f.problems) EXPECT_EQ(p.find("SECRET"), std::string::npos) << p;
}

// Robustness, as ninja does for its logs: every prefix of a realistic file
// and random byte soup must parse without crashing, and what comes out is
// well-formed (no line breaks or untrimmed names in keys).
void CheckWellFormed(const IniFile& f) {
  for (const auto& [name, section] : f.sections) {
    EXPECT_FALSE(name.empty());
    EXPECT_EQ(name.find('\n'), std::string::npos);
    for (const auto& [k, v] : section) {
      EXPECT_FALSE(k.empty());
      EXPECT_EQ(k.find('\n'), std::string::npos);
      EXPECT_NE(k.front(), ' ');
    }
  }
}

TEST(IniFileFuzz, EveryPrefixOfARealisticFile) {
  const std::string text =
      "# comment\n[default]\naws_access_key_id = AKIA\naws_secret_access_key = s/e+c\n"
      "[profile dev] ; c\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\n"
      "s3 =\n  addressing_style = path\n[services x]\nec2 =\n\tendpoint_url = http://h:1\n";
  for (size_t n = 0; n <= text.size(); ++n) {
    IniFile f = ParseIni(std::string_view(text).substr(0, n), "f");
    CheckWellFormed(f);
  }
  EXPECT_EQ(ParseIni(text, "f").Find("profile dev")->at("s3.addressing_style"), "path");
}

TEST(IniFileFuzz, RandomBytes) {
  std::mt19937 rng(12345);
  const std::string alphabet = "[]=#; \t\r\nabcAB._-~\x01\xff";
  for (int round = 0; round < 3000; ++round) {
    std::string s(rng() % 200, '\0');
    for (char& c : s) {
      c = (rng() % 4 == 0) ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
    }
    IniFile f = ParseIni(s, "fuzz");
    CheckWellFormed(f);
  }
}

}  // namespace
}  // namespace infra::aws

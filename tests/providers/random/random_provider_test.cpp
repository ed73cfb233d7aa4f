// The random provider: passwords honour length, the min_* counts and the
// enabled character sets, differ between creates and are schema-sensitive;
// random_id's encodings agree with each other; every argument forces a new
// value; Read keeps what state holds. ProviderSet merges providers.
#include "providers/random/random_provider.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "providers/provider_set.h"
#include "fakes/fake_provider.h"

namespace infra::random {
namespace {

using provider::Attributes;

Attributes MustCreate(provider::ResourceType& t, const Attributes& desired) {
  auto r = t.Create({}, desired);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().ToString());
  return r.ok() ? r->attributes : Attributes();
}

int Count(const std::string& s, int (*pred)(int)) {
  return static_cast<int>(std::count_if(s.begin(), s.end(), [&](char c) { return pred(static_cast<unsigned char>(c)) != 0; }));
}

TEST(RandomProviderTest, PasswordHonoursLengthMinimumsAndSets) {
  auto p = NewRandomProvider();
  auto* pw = p->Find("random_password");
  ASSERT_NE(pw, nullptr);
  for (int i = 0; i < 20; ++i) {
    Attributes a = MustCreate(*pw, {{"length", 24}, {"special", false}, {"min_numeric", 5}, {"min_upper", 4}});
    std::string r = a["result"];
    EXPECT_EQ(r.size(), 24u);
    EXPECT_GE(Count(r, isdigit), 5) << r;
    EXPECT_GE(Count(r, isupper), 4) << r;
    EXPECT_EQ(Count(r, isalnum), 24) << r;  // no special characters
    EXPECT_NE(a["id"], r);                  // the id never holds the secret
  }
  Attributes only = MustCreate(*pw, {{"length", 40}, {"upper", false}, {"lower", false}, {"numeric", false},
                                     {"override_special", "#!"}});
  std::string r = only["result"];
  EXPECT_EQ(std::count(r.begin(), r.end(), '#') + std::count(r.begin(), r.end(), '!'), 40) << r;
  EXPECT_NE(MustCreate(*pw, {{"length", 32}})["result"], MustCreate(*pw, {{"length", 32}})["result"]);
  EXPECT_TRUE(pw->schema().Find("result")->sensitive);
  for (const auto& a : pw->schema().attributes) {
    if (a.mode != provider::AttrMode::kComputed) {
      EXPECT_TRUE(a.force_new) << a.name;
    }
  }
}

TEST(RandomProviderTest, ImpossiblePasswordsAreErrors) {
  auto p = NewRandomProvider();
  auto* pw = p->Find("random_password");
  auto short_one = pw->Create({}, {{"length", 3}, {"min_numeric", 2}, {"min_upper", 2}});
  ASSERT_FALSE(short_one.ok());
  EXPECT_EQ(short_one.error().kind, Error::Kind::kInvalid);
  EXPECT_NE(short_one.error().message.find("length 3"), std::string::npos);
  auto none = pw->Create({}, {{"length", 8}, {"upper", false}, {"lower", false}, {"numeric", false}, {"special", false}});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind, Error::Kind::kInvalid);
}

TEST(RandomProviderTest, RandomIdEncodingsAgree) {
  auto p = NewRandomProvider();
  auto* id = p->Find("random_id");
  for (int i = 0; i < 20; ++i) {
    Attributes a = MustCreate(*id, {{"byte_length", 6}, {"prefix", "app-"}});
    std::string hex = a["hex"];
    ASSERT_EQ(hex.rfind("app-", 0), 0u);
    std::string digits = hex.substr(4);
    ASSERT_EQ(digits.size(), 12u);
    EXPECT_EQ(a["dec"], "app-" + std::to_string(std::stoull(digits, nullptr, 16)));
    EXPECT_EQ(a["b64_url"].get<std::string>().size(), 4u + 8u);  // 6 bytes: 8 characters, no padding
    EXPECT_EQ(a["b64_std"].get<std::string>().size(), 4u + 8u);
    EXPECT_EQ(a["id"], a["b64_url"].get<std::string>().substr(4));
  }
  EXPECT_EQ(MustCreate(*id, {{"byte_length", 1}})["b64_std"].get<std::string>().size(), 4u);  // "xx=="
}

TEST(RandomProviderTest, ReadKeepsWhatStateHolds) {
  auto p = NewRandomProvider();
  auto got = p->Find("random_string")->Read("eu-west-1", {"abc", "def"});
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ(got->at("abc"), Attributes({{"id", "abc"}}));
  auto found = p->Find("random_string")->FindByAddress({}, {});
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
}

TEST(ProviderSetTest, FindsTypesOfEveryMemberAndRoutesConcurrency) {
  auto fake = std::make_unique<test::FakeProvider>();
  fake->AddThing("fake_thing", "fakesvc");
  fake->SetConcurrency("fakesvc", 7);
  std::vector<std::unique_ptr<provider::Provider>> all;
  all.push_back(std::move(fake));
  all.push_back(NewRandomProvider());
  provider::ProviderSet set(std::move(all));
  EXPECT_NE(set.Find("fake_thing"), nullptr);
  EXPECT_NE(set.Find("random_password"), nullptr);
  EXPECT_EQ(set.Find("nope"), nullptr);
  auto names = set.TypeNames();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_NE(std::find(names.begin(), names.end(), "random_id"), names.end());
  EXPECT_EQ(set.ServiceConcurrency("fakesvc"), 7);
}

}  // namespace
}  // namespace infra::random

// `data:` in stacks: data source instances with data.TYPE.NAME addresses
// (in modules too), references data.NAME.attr as edges, schema checks on
// the arguments, and the errors a Terraform user meets first.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/lang/diag.h"
#include "engine/lang/stack.h"
#include "fakes/fake_provider.h"
#include "support/temp_dir.h"

namespace infra::engine {
namespace {

using provider::AttrMode;

provider::AttributeSchema Attr(const char* name, AttrMode mode,
                               provider::AttrType type = provider::AttrType::kString) {
  provider::AttributeSchema a;
  a.name = name;
  a.mode = mode;
  a.type = type;
  return a;
}

class StackDataTest : public ::testing::Test {
 protected:
  StackDataTest() {
    provider_.AddThing("fake_thing");
    provider::ResourceSchema s;
    s.type = "fake_zones";
    s.attributes = {Attr("state", AttrMode::kOptional), Attr("names", AttrMode::kComputed, provider::AttrType::kListString)};
    provider_.AddDataType(s, [](const provider::OperationContext&, const provider::Attributes& a) -> Result<provider::Attributes> {
      return a;
    });
  }
  void Write(const std::string& name, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(tmp_.File(name)).parent_path());
    std::ofstream(tmp_.File(name)) << text;
  }
  Result<Stack> Load(const std::string& body) {
    Write("stack.yaml", "stack: d\nregions:\n  primary: eu-west-1\n" + body);
    return LoadStack(tmp_.path(), VariableInputs{{}, false}, provider_, diags_);
  }
  test::TempDir tmp_{"infra-data"};
  test::FakeProvider provider_;
  Diagnostics diags_;
};

TEST_F(StackDataTest, DataSourcesAreInstancesReferencedAsDataName) {
  Write("net.yaml", "data:\n  zones: {type: fake_zones}\nresources:\n  t: {type: fake_thing, name: m, ref: \"${data.zones.names[0]}\"}\n");
  auto s = Load(R"(data:
  zones: {type: fake_zones, state: available}
resources:
  a: {type: fake_thing, name: a, ref: "${data.zones.names[1]}"}
modules:
  net: {source: ./net.yaml}
outputs:
  first: {value: "${data.zones.names[0]}"}
)");
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  const ResourceInstance* d = s->Find("data.fake_zones.zones");
  ASSERT_NE(d, nullptr);
  EXPECT_TRUE(d->data);
  EXPECT_TRUE(IsDataAddress(d->address));
  const ResourceInstance* md = s->Find("module.net.data.fake_zones.zones");
  ASSERT_NE(md, nullptr);
  EXPECT_TRUE(md->data);
  const ResourceInstance* a = s->Find("fake_thing.a");
  ASSERT_EQ(a->references.size(), 1u);
  EXPECT_EQ(a->references[0].address, "data.fake_zones.zones");
  EXPECT_EQ(a->references[0].attribute, "names");
  EXPECT_EQ(s->Find("module.net.fake_thing.t")->references[0].address, "module.net.data.fake_zones.zones");
  ResourceValues known = [](const std::string& address) -> std::optional<Value> {
    if (address == "data.fake_zones.zones")
      return Value::MakeMap({{"names", Value::MakeList({Value::String("eu-west-1a"), Value::String("eu-west-1b")})}});
    return std::nullopt;
  };
  auto v = s->EvaluateAttributes(*a, known);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->at("ref").AsString(), "eu-west-1b");
  auto out = s->EvaluateOutputs(known);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->at("first").AsString(), "eu-west-1a");
}

TEST_F(StackDataTest, MistakesAreNamedWithTheirPlace) {
  auto s = Load(R"(data:
  typo: {type: fake_zone}
  res: {type: fake_thing, name: x}
  bad_arg: {type: fake_zones, stat: available}
  set_computed: {type: fake_zones, names: [a]}
  life: {type: fake_zones, lifecycle: {prevent_destroy: true}}
resources:
  a: {type: fake_thing, name: a, ref: "${data.zonez.names}"}
  b: {type: fake_thing, name: b, ref: "${data.bad_arg.nope}"}
)");
  EXPECT_FALSE(s.ok());
  std::string text = diags_.RenderAll();
  EXPECT_NE(text.find("stack.yaml:5:16: data.fake_zone.typo: unknown data source type 'fake_zone'; did you mean 'fake_zones'?"),
            std::string::npos) << text;
  EXPECT_NE(text.find("fake_thing is a resource type: declare it under 'resources:'"), std::string::npos) << text;
  EXPECT_NE(text.find("data.fake_zones.bad_arg"), std::string::npos) << text;
  EXPECT_NE(text.find("'stat'"), std::string::npos) << text;
  EXPECT_NE(text.find("data.fake_zones.set_computed"), std::string::npos) << text;
  EXPECT_NE(text.find("a data source has no 'lifecycle'"), std::string::npos) << text;
  EXPECT_NE(text.find("undefined data source 'data.zonez'"), std::string::npos) << text;
  EXPECT_NE(text.find("has no attribute 'nope'"), std::string::npos) << text;
}

// for_each/count over a data source's result: read during expansion by the
// LoadMode's reader (plan/apply give one that calls AWS), once per instance.
class StackDataRepeatTest : public StackDataTest {
 protected:
  Result<Stack> LoadWithReader(const std::string& body) {
    Write("stack.yaml", "stack: d\nregions:\n  primary: eu-west-1\n" + body);
    LoadMode mode;
    mode.read_data = [this](const DataRead& read) -> Result<Value::Map> {
      reads_.push_back(read);
      if (read.args.count("state") && read.args.at("state").AsString() == "broken")
        return MakeError(Error::Kind::kOther, "Throttling", "Rate exceeded");
      return Value::Map{{"names", Value::MakeList({Value::String(read.region + "a"), Value::String(read.region + "b")})}};
    };
    return LoadStack(tmp_.path(), VariableInputs{{}, false}, provider_, diags_, mode);
  }
  std::vector<DataRead> reads_;
};

TEST_F(StackDataRepeatTest, ForEachAndCountUseADataSourceReadAtLoad) {
  Write("net.yaml", "data:\n  zones: {type: fake_zones}\nresources:\n"
                    "  sub: {type: fake_thing, count: \"${length(data.zones.names)}\", name: \"${data.zones.names[count.index]}\"}\n");
  auto s = LoadWithReader(R"(variables:
  state: {type: string, default: available}
resources:
  sub: {type: fake_thing, for_each: "${toset(data.zones.names)}", name: "${each.key}"}
  n: {type: fake_thing, count: "${length(data.zones.names)}", name: "n${count.index}"}
data:
  zones: {type: fake_zones, state: "${var.state}"}
modules:
  net: {source: ./net.yaml}
)");
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  EXPECT_NE(s->Find("fake_thing.sub[\"eu-west-1a\"]"), nullptr);
  EXPECT_NE(s->Find("fake_thing.sub[\"eu-west-1b\"]"), nullptr);
  EXPECT_NE(s->Find("fake_thing.n[1]"), nullptr);
  EXPECT_EQ(s->Find("fake_thing.n[2]"), nullptr);
  EXPECT_NE(s->Find("module.net.fake_thing.sub[1]"), nullptr);
  // One read per data source instance, with its arguments evaluated.
  ASSERT_EQ(reads_.size(), 2u);
  EXPECT_EQ(reads_[0].address, "data.fake_zones.zones");
  EXPECT_EQ(reads_[0].type, "fake_zones");
  EXPECT_EQ(reads_[0].region, "eu-west-1");
  EXPECT_EQ(reads_[0].args.at("state").AsString(), "available");
  EXPECT_EQ(reads_[1].address, "module.net.data.fake_zones.zones");
}

TEST_F(StackDataRepeatTest, WithoutAReaderOrWithUnknownArgumentsTheKeysAreNotKnown) {
  const char* body = R"(resources:
  vpc: {type: fake_thing, name: v}
  sub: {type: fake_thing, for_each: "${toset(data.zones.names)}", name: "${each.key}"}
data:
  zones: {type: fake_zones, state: "${vpc.name}"}
)";
  auto s = LoadWithReader(body);  // the argument waits on a resource: not read
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(reads_.empty());
  std::string text = diags_.RenderAll();
  EXPECT_NE(text.find("stack.yaml:6:"), std::string::npos) << text;
  EXPECT_NE(text.find("fake_thing.sub: the for_each value is not known before apply"), std::string::npos) << text;
  EXPECT_NE(text.find("data sources whose arguments are known"), std::string::npos) << text;

  diags_ = Diagnostics();
  EXPECT_FALSE(Load("resources:\n  sub: {type: fake_thing, for_each: \"${toset(data.zones.names)}\", name: x}\n"
                    "data:\n  zones: {type: fake_zones}\n").ok());
  EXPECT_NE(diags_.RenderAll().find("the for_each value is not known before apply"), std::string::npos);
}

TEST_F(StackDataRepeatTest, AFailedReadIsNamedWithTheDataSource) {
  auto s = LoadWithReader(R"(resources:
  sub: {type: fake_thing, count: "${length(data.zones.names)}", name: x}
data:
  zones: {type: fake_zones, state: broken}
)");
  EXPECT_FALSE(s.ok());
  std::string text = diags_.RenderAll();
  EXPECT_NE(text.find("data.fake_zones.zones: reading the data source failed (a for_each or count uses it): Rate exceeded"),
            std::string::npos) << text;
}

}  // namespace
}  // namespace infra::engine

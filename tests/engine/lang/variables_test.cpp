// Variable resolution: a type error on a sensitive variable names the
// variable and the expected type but never the value, from -var, from
// INFRA_VAR_ and from a var-file (whose source line is then not quoted);
// a non-sensitive one still shows what it got. Saved values (apply
// PLANFILE) are the only source when given.
#include "engine/lang/variables.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "engine/lang/diag.h"
#include "engine/lang/stack.h"
#include "support/temp_dir.h"

namespace infra::engine {
namespace {

constexpr char kSecret[] = "S3cr3t-Pin-value";

std::vector<VariableDef> Decls() {
  VariableDef pin;
  pin.name = "pin";
  pin.type = *TypeSpec::Parse("number");
  pin.sensitive = true;
  pin.loc = {"stack.yaml", 3, 3};
  VariableDef port;
  port.name = "port";
  port.type = *TypeSpec::Parse("number");
  port.default_value = Value::Number(80);
  port.loc = {"stack.yaml", 4, 3};
  std::vector<VariableDef> out;
  out.push_back(std::move(pin));
  out.push_back(std::move(port));
  return out;
}

TEST(VariablesTest, TypeErrorOnASensitiveVariableNeverEchoesTheValue) {
  test::TempDir tmp("infra-vars");
  std::string file = tmp.File("secrets.yaml");
  std::ofstream(file) << "pin: " << kSecret << "\nport: not-a-port\n";
  ::setenv("INFRA_VAR_pin", kSecret, 1);
  for (int source = 0; source < 3; ++source) {
    VariableInputs in;
    in.read_environment = source == 1;
    if (source == 0) in.AddVar("pin", kSecret);
    if (source == 2) in.AddFile(file);
    Diagnostics diags;
    ResolveVariables(Decls(), in, "stack.yaml", diags);
    std::string text = diags.RenderAll();
    SCOPED_TRACE(text);
    EXPECT_TRUE(diags.has_errors());
    EXPECT_NE(text.find("invalid value for variable 'pin'"), std::string::npos);
    EXPECT_NE(text.find("expected number"), std::string::npos);
    EXPECT_EQ(text.find(kSecret), std::string::npos) << "source " << source;
    if (source == 2) {
      EXPECT_NE(text.find("not-a-port"), std::string::npos) << "a plain value is still shown";
    }
  }
  ::unsetenv("INFRA_VAR_pin");
}

TEST(VariablesTest, SavedValuesAreTheOnlySource) {
  VariableInputs in;
  in.AddVar("port", "8080");
  in.saved = std::map<std::string, Value>{{"pin", Value::Number(1234)}, {"port", Value::Number(443)}};
  Diagnostics diags;
  auto values = ResolveVariables(Decls(), in, "stack.yaml", diags);
  EXPECT_FALSE(diags.has_errors()) << diags.RenderAll();
  EXPECT_EQ(values.at("port").AsNumber(), 443);
  EXPECT_EQ(values.at("pin").AsNumber(), 1234);
  EXPECT_TRUE(values.at("pin").sensitive());
}

// A var-file's syntax error, or a key no variable declares (a typo of a
// secret's name), gives its location but never quotes the line: whether
// the value there is secret is not known.
TEST(VariablesTest, SyntaxErrorsAndUndeclaredKeysOfAVarFileDoNotQuoteTheLine) {
  test::TempDir tmp("infra-vars");
  std::string broken = tmp.File("broken.yaml"), typo = tmp.File("typo.yaml");
  std::ofstream(broken) << "port: 80\npin: \"" << kSecret << "\n";  // unclosed quote
  std::ofstream(typo) << "port: 80\npni: " << kSecret << "\n";
  for (const auto& file : {broken, typo}) {
    VariableInputs in;
    in.read_environment = false;
    in.AddFile(file);
    Diagnostics diags;
    ResolveVariables(Decls(), in, "stack.yaml", diags);
    std::string text = diags.RenderAll();
    SCOPED_TRACE(text);
    ASSERT_FALSE(diags.empty());
    EXPECT_NE(text.find(file + ":"), std::string::npos) << "the location is given";
    EXPECT_EQ(text.find(kSecret), std::string::npos);
  }
}

}  // namespace
}  // namespace infra::engine

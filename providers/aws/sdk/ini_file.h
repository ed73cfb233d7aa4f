// Parser for the AWS shared config and credentials files (an INI dialect):
// [section] headers, key = value lines, '#'/';' comments, indented
// sub-properties ("s3 =\n  addressing_style = path"). Never fails: lines it
// cannot read are reported in `problems` and skipped.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace infra::aws {

/// One parsed file. Section names and keys are trimmed; keys are
/// lower-cased (as botocore does). Sub-properties are stored as
/// "parent.child". A repeated section merges; a repeated key keeps the last.
struct IniFile {
  using Section = std::map<std::string, std::string>;
  std::map<std::string, Section> sections;
  /// "file:line: what" for each line that was skipped (no secret values).
  std::vector<std::string> problems;

  /// nullptr when the section is absent.
  const Section* Find(const std::string& section) const;
};

/// Parses `text`; `file_name` is used only in `problems`.
IniFile ParseIni(std::string_view text, std::string_view file_name);

}  // namespace infra::aws
